"""The behavioural parameters of one run as the engine reads them (``params.move_rate``).

Every parameter is declared once in the registry (:mod:`lbn_sim.params`: name, default,
unit, range and source); :class:`Params` holds one run's values, checked against the
ranges, with the mechanisms' switches.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from difflib import get_close_matches
from typing import Any

import numpy as np
from numpy.typing import NDArray

from lbn_sim.config import MechanismsConfig
from lbn_sim.params import BY_NAME, REGISTRY, check_value

__all__ = ["Params"]


class Params:
    """The behavioural parameters of one run, and the mechanisms' switches.

    ``params.<name>`` is the parameter's value (a float); an unknown name raises
    ``AttributeError`` naming the closest. Frozen: values cannot be changed after
    construction.

    Args:
        values: overrides by name (every other parameter takes its default); each is
            checked against its range.
        switches: the mechanisms' switches (``mechanisms.*``).
    """

    __slots__ = ("_values", "switches")

    _values: dict[str, float]
    switches: MechanismsConfig

    def __init__(
        self, values: Mapping[str, Any] | None = None, switches: MechanismsConfig | None = None
    ) -> None:
        merged = {p.name: p.default for p in REGISTRY}
        for name, value in (values or {}).items():
            merged[name] = check_value(name, value)
        object.__setattr__(self, "_values", merged)
        object.__setattr__(self, "switches", switches or MechanismsConfig())

    @classmethod
    def from_config(cls, params: Any, switches: MechanismsConfig) -> Params:
        """The parameters of a config's ``params`` node (a ``ParamsConfig`` or a mapping)."""
        if isinstance(params, Mapping):
            values = dict(params)
        else:
            values = {name: getattr(params, name) for name in BY_NAME}
        return cls(values, switches)

    def __getattr__(self, name: str) -> float:
        if name.startswith("_"):  # (copy and pickle look for hooks before _values exists)
            raise AttributeError(name)
        try:
            return self._values[name]
        except KeyError:
            close = get_close_matches(name, list(BY_NAME), n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise AttributeError(f"no behavioural parameter {name!r}{hint}") from None

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Params are frozen: cannot set {name!r}")

    def __reduce__(self) -> tuple[type[Params], tuple[dict[str, float], MechanismsConfig]]:
        return Params, (dict(self._values), self.switches)

    def vector(self, stem: str, names: Sequence[str]) -> NDArray[np.float64]:
        """``[stem_<name> for each name]`` as float64 ``[len(names)]`` (a parameter per
        service or age band, e.g. ``params.vector("adjust_speed", SERVICE_NAMES)``)."""
        return np.array([self._values[f"{stem}_{n}"] for n in names], dtype=np.float64)

    def changed(self) -> dict[str, float]:
        """The parameters that differ from their defaults, by name."""
        return {
            name: value for name, value in self._values.items() if value != BY_NAME[name].default
        }

    def __repr__(self) -> str:
        return f"Params({self.changed()!r}, switches={self.switches!r})"
