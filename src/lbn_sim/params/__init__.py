"""The parameter registry: every behavioural number of the engine, declared once.

Each number is a :class:`~lbn_sim.params.record.Parameter` in the table
(:data:`lbn_sim.params.table.REGISTRY`): its name, default, unit, plausible range, source
(evidence or "assumption") and home (the module whose rule reads it). Users set them as
``params.move_rate=0.06`` on the command line or in a sweep, checked against the range
(:func:`check_value`, through the ``params`` node's schema :data:`ParamsConfig`); the engine
reads them through :class:`lbn_sim.engine.parameters.Params`. Scenarios cannot set them:
they belong to the model, not to policy. ``python -m lbn_sim.params`` lists them.
"""

from __future__ import annotations

import math
from dataclasses import field, make_dataclass
from difflib import get_close_matches
from typing import Any

from lbn_sim.errors import ConfigError
from lbn_sim.params.record import Parameter
from lbn_sim.params.table import REGISTRY

__all__ = ["BY_NAME", "REGISTRY", "Parameter", "ParamsConfig", "check_value", "unknown"]

#: The registry by name.
BY_NAME: dict[str, Parameter] = {p.name: p for p in REGISTRY}
if len(BY_NAME) != len(REGISTRY):  # pragma: no cover - a table error, caught on import
    raise RuntimeError("the parameter registry declares a name twice")


def unknown(name: str) -> str:
    """The message for a name the registry does not have, with the closest it has."""
    close = get_close_matches(name, list(BY_NAME), n=1)
    hint = f"; did you mean params.{close[0]}?" if close else ""
    return f"params.{name} is not a behavioural parameter of lbn_sim{hint}"


def check_value(name: str, value: Any) -> float:
    """``value`` of the parameter ``name`` as a float, checked against its range.

    Raises:
        ConfigError: an unknown name (with the closest), a value that is not a number, not
            finite (NaN, infinity) or outside the parameter's range, each naming
            ``params.<name>``.
    """
    if name not in BY_NAME:
        raise ConfigError(unknown(name))
    p = BY_NAME[name]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"params.{name} must be a number ({p.unit}), got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ConfigError(
            f"params.{name} must be in [{p.low:g}, {p.high:g}] ({p.unit}), a finite number, "
            f"got {value!r}"
        )
    if p.whole and not number.is_integer():
        raise ConfigError(f"params.{name} must be a whole number ({p.unit}), got {value!r}")
    if not p.low <= number <= p.high:
        raise ConfigError(
            f"params.{name} must be in [{p.low:g}, {p.high:g}] ({p.unit}), got {value!r}; "
            "see python -m lbn_sim.params"
        )
    return number


def _check_all(self: Any) -> None:
    """Every value of a ``params`` node within its parameter's range (``__post_init__``)."""
    for name in BY_NAME:
        check_value(name, getattr(self, name))


#: Hydra's schema of the ``params`` node: one float per parameter, default the registry's.
ParamsConfig: type = make_dataclass(
    "ParamsConfig",
    [(p.name, float, field(default=p.default)) for p in REGISTRY],
    namespace={"__post_init__": _check_all},
    slots=True,
)
# Importable by name (pickled configs, Hydra's launchers): it lives here.
ParamsConfig.__module__ = __name__
