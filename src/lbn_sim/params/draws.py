"""Parameter vectors drawn from the registry's ranges, as Hydra overrides.

A draw is one value for each of a chosen set of registry entries (:data:`lbn_sim.params.REGISTRY`),
every other entry left at its default. :func:`latin_hypercube` draws ``n`` of them over the
ranges (a Latin hypercube, ``scipy.stats.qmc.LatinHypercube``: each entry's range cut into
``n`` equal strata and every stratum used once, so ``n`` draws cover each range evenly),
uniform within each range, from one seed: the same seed gives the same draws. A whole
number (``whole``: a count of years or people) is drawn uniformly among the whole numbers of
its range. :meth:`Draws.overrides` turns a draw into ``params.NAME=VALUE`` overrides for
:func:`lbn_sim.runs.runner.simulate` (through Hydra's compose) or the command line.

Which entries are drawn (:func:`default_names`): every registry entry whose range is an
interval (``low < high``), i.e. all of them today (each carries a source or "assumption"
and a range, ``tests/test_parameters_doc.py``). Every entry is a behavioural number of the
model, and an entry marked "assumption" is the one most in need of it; an entry with
cited evidence still carries the range that evidence leaves. Ranges that do not overlap
keep the registry's orderings between entries (``takeover_capacity_low`` below
``takeover_capacity_high`` and the like, see :mod:`lbn_sim.params.table`):
:func:`check_orderings` checks them for every draw.

``python -m lbn_sim.params.draws N [--seed S] [--names ...]`` writes the draws as CSV.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from lbn_sim.errors import ConfigError
from lbn_sim.params import BY_NAME, REGISTRY, check_value, unknown

F64 = NDArray[np.float64]

#: Pairs of entries whose values must keep an order, ``(lower, higher)``, and the entries that
#: must sit on either side of 1 (``settlement_factor_min < 1 < settlement_factor_max``): the
#: constraints the registry's table names for samplers.
ORDERED_PAIRS: tuple[tuple[str, str], ...] = (
    ("takeover_capacity_low", "takeover_capacity_high"),
    ("beta_mean_min", "beta_mean_max"),
    ("initial_quality_min", "initial_quality_max"),
    ("initial_capacity_min", "initial_capacity_max"),
    ("ageing_rate_min", "ageing_rate_max"),
    ("need_z_min", "need_z_max"),
    ("settlement_factor_min", "settlement_factor_max"),
)
#: The column of a draws table that numbers its draws.
DRAW = "draw"
#: The parameter vectors the history matching kept (``scripts/calibrate_history.py``; shipped
#: with the package, a ``.json`` note beside it says how they were made, ``docs/calibration.md``).
ACCEPTED = Path(__file__).resolve().parents[1] / "data" / "accepted_parameters.csv"
#: Columns of the accepted set that are not parameters.
ACCEPTED_OTHER = (DRAW, "max_implausibility")


def default_names() -> tuple[str, ...]:
    """Every registry entry with a range to draw from (``low < high``), in registry order."""
    return tuple(p.name for p in REGISTRY if p.low < p.high)


def _checked_names(names: Iterable[str]) -> tuple[str, ...]:
    """``names`` as a tuple, each a registry entry with a range, none twice.

    Raises:
        ConfigError: an unknown name (with the closest), a name given twice, or an entry
            whose range is a single value.
    """
    out = tuple(names)
    for name in out:
        if name not in BY_NAME:
            raise ConfigError(unknown(name))
        p = BY_NAME[name]
        if not p.low < p.high:
            raise ConfigError(f"params.{name} has no range to draw from ([{p.low:g}, {p.high:g}])")
    twice = sorted({n for n in out if out.count(n) > 1})
    if twice:
        raise ConfigError(f"parameters named twice: {', '.join(twice)}")
    if not out:
        raise ConfigError("no parameters to draw")
    return out


def scale(unit: F64, names: Sequence[str]) -> F64:
    """Points of the unit cube (``[n, len(names)]``, each coordinate in [0, 1)) mapped onto
    the entries' ranges: ``low + u (high - low)``; a whole-number entry takes the whole
    number of the stratum ``u`` falls in, ``low + floor(u (high - low + 1))``, so each whole
    number of its range is equally likely. Returns ``[n, len(names)]`` values."""
    out = np.empty_like(unit, dtype=np.float64)
    for j, name in enumerate(names):
        p = BY_NAME[name]
        u = unit[:, j]
        if p.whole:
            count = int(p.high) - int(p.low) + 1
            out[:, j] = np.minimum(p.low + np.floor(u * count), p.high)
        else:
            out[:, j] = p.low + u * (p.high - p.low)
    return out


@dataclass(frozen=True, slots=True)
class Draws:
    """Parameter vectors: ``values[i, j]`` is draw ``i``'s value of ``names[j]``.

    Attributes:
        names: the registry entries drawn (every other entry keeps its default).
        values: float64 ``[n_draws, len(names)]``, each in its entry's range (whole numbers
            for whole-number entries).
        seed: the seed they were drawn from (None when read from a table).
    """

    names: tuple[str, ...]
    values: F64
    seed: int | None = None

    def __post_init__(self) -> None:
        if self.values.ndim != 2 or self.values.shape[1] != len(self.names):
            raise ValueError(
                f"draws: values of shape {self.values.shape} for {len(self.names)} names"
            )
        _checked_names(self.names)
        for j, name in enumerate(self.names):
            for value in self.values[:, j]:
                check_value(name, float(value))
        for i in range(len(self)):
            check_orderings(self.row(i))

    def __len__(self) -> int:
        return int(self.values.shape[0])

    def row(self, i: int) -> dict[str, float]:
        """Draw ``i`` as ``{name: value}``."""
        return dict(zip(self.names, self.values[i].tolist(), strict=True))

    def overrides(self, i: int) -> list[str]:
        """Draw ``i`` as Hydra overrides, ``params.NAME=VALUE`` (whole numbers without a
        decimal point; other values exactly, as Python writes a float)."""
        return overrides(self.row(i))

    def frame(self) -> pd.DataFrame:
        """The draws as a table: a ``draw`` column (0, 1, ...) and one column per name."""
        out = pd.DataFrame(self.values, columns=list(self.names))
        out.insert(0, DRAW, np.arange(len(self), dtype=np.int64))
        return out

    def take(self, rows: Sequence[int]) -> Draws:
        """The draws at ``rows`` (in that order)."""
        return Draws(self.names, self.values[list(rows)], self.seed)


def overrides(row: dict[str, float]) -> list[str]:
    """``{name: value}`` as ``params.NAME=VALUE`` overrides (checked against the ranges)."""
    out = []
    for name, value in row.items():
        number = check_value(name, value)
        text = str(int(number)) if BY_NAME[name].whole else repr(number)
        out.append(f"params.{name}={text}")
    return out


def check_orderings(row: dict[str, float]) -> None:
    """Raise ConfigError when a draw breaks an order the registry's table names
    (:data:`ORDERED_PAIRS`; an entry not in ``row`` counts at its default)."""

    def value(name: str) -> float:
        return row[name] if name in row else BY_NAME[name].default

    for low, high in ORDERED_PAIRS:
        if not value(low) < value(high):
            raise ConfigError(
                f"params.{low} ({value(low):g}) must be below params.{high} ({value(high):g})"
            )
    if not value("settlement_factor_min") < 1.0 < value("settlement_factor_max"):
        raise ConfigError("params.settlement_factor_min < 1 < params.settlement_factor_max")


def latin_hypercube(n: int, seed: int = 0, names: Iterable[str] | None = None) -> Draws:
    """``n`` parameter vectors over the ranges of ``names`` (default :func:`default_names`):
    a scrambled Latin hypercube from ``seed`` (the same seed and names give the same draws).

    Raises:
        ConfigError: ``n`` below 1, or a name that is not a registry entry with a range.
    """
    from scipy.stats import qmc

    if n < 1:
        raise ConfigError(f"draw at least one parameter vector, not {n}")
    chosen = _checked_names(default_names() if names is None else names)
    sampler = qmc.LatinHypercube(d=len(chosen), rng=np.random.default_rng(seed))
    return Draws(chosen, scale(sampler.random(n), chosen), seed)


def from_frame(table: pd.DataFrame, other: Iterable[str] = (DRAW,)) -> Draws:
    """Draws read from a table with a column per registry entry drawn; ``other``: the
    columns that are not parameters (the draw's number, figures kept beside the draws).

    Raises:
        ConfigError: a column that is neither a registry entry nor in ``other`` (an entry
            renamed or removed since the table was made: say so rather than drop it), no
            parameter column, or a value outside its range.
    """
    skip = set(other)
    stray = [c for c in table.columns if c not in BY_NAME and c not in skip]
    if stray:
        raise ConfigError(
            f"the table's columns {', '.join(map(str, stray))} are not registry entries "
            f"({unknown(str(stray[0]))}): remake it with today's registry"
        )
    names = [c for c in table.columns if c in BY_NAME]
    if not names:
        raise ConfigError("the table has no column named after a registry entry")
    values = table[names].to_numpy(np.float64)
    if not np.isfinite(values).all():
        raise ConfigError("the table has a missing or infinite parameter value")
    return Draws(tuple(names), values)


def accepted(path: Path = ACCEPTED) -> tuple[Draws, list[int]]:
    """The accepted set (:data:`ACCEPTED`, or ``path``) as draws, in its order, and each
    vector's number among the vectors the history matching tried.

    Raises:
        ConfigError: the file is missing or holds no vector, or a column is not a registry
            entry (a calibration made before the registry changed: remake it).
    """
    if not path.is_file():
        raise ConfigError(f"no accepted set at {path}: run scripts/calibrate_history.py")
    table = pd.read_csv(path)
    if not len(table):
        raise ConfigError(f"the accepted set {path} holds no vector")
    return from_frame(table, ACCEPTED_OTHER), [int(i) for i in table[DRAW]]


@functools.cache
def _accepted_rows(path: Path) -> tuple[dict[str, float], ...]:
    """Every vector of the accepted set at ``path`` as ``{name: value}``, read once a
    process (the file ships with the package and does not change while it runs)."""
    draws, _ = accepted(path)
    return tuple(draws.row(i) for i in range(len(draws)))


def accepted_count(path: Path = ACCEPTED) -> int:
    """How many vectors the accepted set holds (:func:`accepted`'s errors if none)."""
    return len(_accepted_rows(path))


def accepted_vector(position: int, path: Path = ACCEPTED) -> dict[str, float]:
    """The vector at ``position`` (0 to :func:`accepted_count` - 1, the set's row order) as
    ``{name: value}``: every entry the set draws (each in its range and the orderings kept,
    :class:`Draws`); an entry it does not draw is absent (it keeps its default).

    Raises:
        ConfigError: no accepted set, or ``position`` outside it.
    """
    rows = _accepted_rows(path)
    if not 0 <= position < len(rows):
        raise ConfigError(
            f"no vector {position} in the accepted set {path.name} (0 to {len(rows) - 1})"
        )
    return dict(rows[position])


def describe(names: Sequence[str]) -> str:
    """One sentence on what is drawn: how many entries, how many marked 'assumption'."""
    assumed = sum(BY_NAME[n].source.lower().startswith("assumption") for n in names)
    whole = sum(BY_NAME[n].whole for n in names)
    left = len(REGISTRY) - len(names)
    return (
        f"{len(names)} registry entries drawn ({assumed} marked 'assumption', "
        f"{len(names) - assumed} citing evidence; {whole} whole numbers), uniform over each "
        f"range; {left} left at their defaults"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Write ``N`` draws as CSV on stdout; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m lbn_sim.params.draws",
        description="Draw parameter vectors from the registry's ranges (Latin hypercube), CSV.",
    )
    parser.add_argument("n", type=int, help="how many vectors")
    parser.add_argument("--seed", type=int, default=0, help="the sampler's seed (0)")
    parser.add_argument("--names", nargs="*", help="entries to draw (default: every one)")
    args = parser.parse_args(argv)
    try:
        draws = latin_hypercube(args.n, args.seed, args.names or None)
    except ConfigError as err:
        print(f"lbn_sim.params.draws: error: {err}", file=sys.stderr)
        return 2
    print(describe(draws.names), file=sys.stderr)
    draws.frame().to_csv(sys.stdout, index=False, float_format=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = [
    "ACCEPTED",
    "ACCEPTED_OTHER",
    "DRAW",
    "ORDERED_PAIRS",
    "Draws",
    "accepted",
    "accepted_count",
    "accepted_vector",
    "check_orderings",
    "default_names",
    "describe",
    "from_frame",
    "latin_hypercube",
    "overrides",
    "scale",
]
