"""lbn_sim: scenario simulations of England's 'left behind' neighbourhoods.

From Python (see :mod:`lbn_sim.runs.api`)::

    import lbn_sim

    result = lbn_sim.run(scenario="best_case", seed=0, overrides=["data.n_wards=300"])
    result.groups.head()

:func:`run`, :func:`load`, :func:`load_comparison` and :func:`place` are loaded on first use, so
``import lbn_sim`` stays cheap (it loads neither the model nor Hydra).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lbn_sim.runs.api import compose, load, load_comparison, place, run

    #: The installed version of lbn_sim (None when it runs without being installed).
    __version__: str | None

__all__ = ["__version__", "compose", "load", "load_comparison", "place", "run"]

#: The names loaded from :mod:`lbn_sim.runs.api` on first use (PEP 562).
_API = ("compose", "load", "load_comparison", "place", "run")


def __getattr__(name: str) -> Any:
    """Load :data:`_API`'s functions from :mod:`lbn_sim.runs.api` on first use."""
    if name == "__version__":  # read on first use: importing lbn_sim stays instant
        from lbn_sim.runs.provenance import package_version

        globals()[name] = package_version("lbn_sim")
        return globals()[name]
    if name in _API:
        from lbn_sim.runs import api

        value = getattr(api, name)
        globals()[name] = value  # later uses find it without this hook
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
