"""One behavioural parameter as the registry declares it (:mod:`lbn_sim.params`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Parameter:
    """A behavioural number of the engine, declared once.

    Attributes:
        name: its key under ``params.`` on the command line (``params.move_rate=0.06``).
        default: the value the engine uses unless overridden.
        unit: the unit (``"1/yr"``, ``"GBP per resident per year"``, ``"dimensionless"``...).
        low, high: the plausible range: an override outside it is refused, and a sampler
            (sensitivity analysis, parameter uncertainty) draws within it.
        source: the evidence behind the default and the range (author, year, title, and a
            link where there is one), or a sentence starting "assumption" saying why the
            default and range were chosen.
        home: the module whose rule reads it (``"mechanisms.out_migration"``,
            ``"households"``...), relative to ``lbn_sim.engine``.
        meaning: what it does, in one sentence.
        whole: the value is a whole number (a count of years or people).
    """

    name: str
    default: float
    unit: str
    low: float
    high: float
    source: str
    home: str
    meaning: str
    whole: bool = False

    def __post_init__(self) -> None:
        if not self.low <= self.default <= self.high:
            raise ValueError(
                f"parameter {self.name}: default {self.default!r} is outside its range "
                f"[{self.low!r}, {self.high!r}]"
            )
        if not self.source.strip():
            raise ValueError(f"parameter {self.name}: a source or 'assumption' is required")
