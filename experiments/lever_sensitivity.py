"""Which levers and conditions matter most around one future: Morris screening or Sobol indices.

Usage (from the project root)::

    python experiments/lever_sensitivity.py [--scenario best_case] [--trajectories 4]
        [--method morris|sobol] [--samples 32]
        [--workers 2] [--seed 0] [--out FILE] [--toy] [overrides ...]

The factors are every numeric lever and macro condition on which the three
scenarios (as composed, so defaults count) differ, each over the span of their
values (``scenario_ranges``: lowest to highest of the three). Every other
setting is the chosen ``--scenario``'s; since the factors override all numeric
settings that differ, in effect ``--scenario`` chooses the non-numeric ones,
above all the allocation mechanism (``least_first_share`` does nothing under
competitive allocation), so ``base_case`` and ``worst_case`` give the same
runs. SALib's method of elementary effects (Morris) runs ``--trajectories``
one-at-a-time paths through those ranges on a grid of ``LEVELS`` points, ``k +
1`` runs each (``k`` factors), all with one seed (common random numbers: an
elementary effect is the factor's, not the seed's). Whole-number levers
(``award_years``) fall on whole numbers of that grid. For the left-behind
wards' IMD-like gap to England at the horizon (``gap_end``, points; its change
under the policy has the same effects, as every run shares the history) and how
many of the start's left-behind wards are still left behind
(``still_left_behind``), it prints ``mu_star`` (mean absolute effect over the
factor's full range, in the measure's units), ``mu`` (signed: negative narrows
the gap) and ``sigma`` (interactions or non-linearity); conditions (the world the policy meets, not
levers) are marked. Overrides apply to all three scenarios before the factors
are found, so ``scenario.levers.devolution_share=0.2`` holds that lever at 0.2
in every run and takes it out of the screening. ``--out`` keeps every run
(CSV). Results do not depend on ``--workers``.

``--method sobol`` estimates variance-based (Sobol) indices instead, from
SALib's Saltelli sample (``--samples`` N, a power of two: ``N (k + 2)`` runs):
``ST``, the share of the measure's variance across the ranges that a factor
accounts for alone and through interactions, and ``S1``, alone, each with a 95%
bootstrap half-width (``award_years`` is rounded to whole years). Costlier than
Morris, it says how much of the spread of outcomes each lever explains.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    TOY,
    compose_cfg,
    morris_arguments,
    morris_design,
    morris_tables,
    parallel_map,
    sobol_design,
    sobol_tables,
)
from three_futures import SCENARIOS
from three_futures import one_run as futures_run

from lbn_sim.config import ScenarioConfig

#: Morris grid levels: 6 puts ``award_years`` (2 to 12 years) on whole years (2, 4, ..., 12).
LEVELS = 6
#: Levers that take whole numbers.
INTEGER = frozenset({"levers.award_years"})


def scenario_ranges(
    scenarios: Mapping[str, ScenarioConfig],
) -> tuple[dict[str, tuple[float, float]], list[str]]:
    """The factors: ``{"levers.<name>" or "macro.<name>": (low, high)}`` for every numeric
    setting on which ``scenarios`` differ, in field order; and the names of the non-numeric
    settings on which they differ (kept from the chosen scenario, not screened)."""
    ranges: dict[str, tuple[float, float]] = {}
    fixed: list[str] = []
    for part in ("levers", "macro"):
        parts = [getattr(sc, part) for sc in scenarios.values()]
        for field in dataclasses.fields(parts[0]):
            values = [getattr(p, field.name) for p in parts]
            if all(v == values[0] for v in values):
                continue
            name = f"{part}.{field.name}"
            if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
                ranges[name] = (float(min(values)), float(max(values)))
            else:
                fixed.append(name)
    return ranges, fixed


def overrides_for(row: list[float], names: list[str]) -> list[str]:
    """Hydra overrides setting each factor of one sampled row.

    Raises:
        ValueError: a whole-number lever off a whole number (the grid does not suit it).
    """
    out = []
    for name, value in zip(names, row, strict=True):
        if name in INTEGER:
            if abs(value - round(value)) > 1e-9:
                raise ValueError(f"{name} sampled at {value!r}, not a whole number")
            text = str(round(value))
        else:
            text = repr(value)
        out.append(f"scenario.{name}={text}")
    return out


def getattr_path(scenario: ScenarioConfig, name: str) -> object:
    """The value of ``"levers.<name>"`` or ``"macro.<name>"`` in ``scenario``."""
    part, field = name.split(".")
    return getattr(getattr(scenario, part), field)


def label(name: str) -> str:
    """A factor's name in the printed tables, conditions marked."""
    return f"{name} (condition)" if name.startswith("macro.") else name


def one_run(overrides: list[str]) -> dict[str, float]:
    """One run; the gap at the horizon and the count still left behind."""
    res = futures_run(overrides)
    return {
        "gap_end": float(res["gap_end"]),
        "still_left_behind": float(res["still_left_behind"]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scenario",
        default="best_case",
        choices=SCENARIOS,
        help="future whose non-numeric settings (allocation) every run keeps",
    )
    parser.add_argument("--seed", type=int, default=0, help="model seed of every run")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("outputs/lever_sensitivity.csv"),
        help="CSV of every run's factors and measures (the tables print to stdout)",
    )
    parser.add_argument(
        "--method",
        choices=("morris", "sobol"),
        default="morris",
        help="morris: elementary effects (cheap screening); sobol: variance shares",
    )
    parser.add_argument(
        "--samples",
        type=int,
        default=32,
        help="Sobol base sample N, a power of two (runs: N x (factors + 2)); default 32",
    )
    morris_arguments(parser)
    args = parser.parse_args(argv)
    phased = [o for o in args.overrides if o.lstrip("+~").startswith("scenario.phases")]
    if phased:
        # A phase pins levers in later years, so a screened lever would act only until then
        # and its effect would read smaller than it is.
        parser.error(
            f"{phased[0]}: the screening varies the levers of the whole future; "
            "screen without phases"
        )
    extra = [*(TOY if args.toy else []), *args.overrides]
    scenarios = {s: compose_cfg([f"scenario={s}", *extra]).scenario for s in SCENARIOS}
    ranges, fixed = scenario_ranges(scenarios)
    names = list(ranges)
    sobol = args.method == "sobol"
    try:
        if sobol:
            prob, x = sobol_design(ranges, args.samples)
            for j, name in enumerate(names):  # a continuous design: whole-number levers rounded
                if name in INTEGER:
                    x[:, j] = x[:, j].round()
        else:
            prob, x = morris_design(ranges, args.trajectories, LEVELS)
    except ValueError as err:
        parser.error(str(err))
    base = [f"scenario={args.scenario}", f"seed={args.seed}", *extra]
    jobs = [[*base, *overrides_for(row, names)] for row in x.tolist()]
    design = f"N = {args.samples}" if sobol else f"{args.trajectories} trajectories"
    print(
        f"{len(jobs)} runs ({len(names)} factors, {args.method}, {design}) "
        f"on {args.workers} worker(s)",
        file=sys.stderr,
    )
    runs = pd.DataFrame(parallel_map(one_run, jobs, args.workers))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    pd.concat([pd.DataFrame(x, columns=names), runs], axis=1).to_csv(args.out, index=False)
    print(f"around {args.scenario}; factors over the span of the three scenarios' values:")
    for name in names:
        print(f"  {label(name):52s} {ranges[name][0]:g} to {ranges[name][1]:g}")
    for name in fixed:
        print(f"  {label(name):52s} {getattr_path(scenarios[args.scenario], name)!r} (kept)")
    if sobol:
        if args.samples < 64:
            print(
                f"\nN = {args.samples} is small: the indices are noisy (they can fall outside "
                "0 to 1; see the half-widths); read only the order of ST, or use N >= 64."
            )
        for measure, table in sobol_tables(prob, runs).items():
            print(f"\n{measure}: Sobol indices (share of the variance across the ranges)")
            print(table.rename(index=label).to_string(float_format="{:.3f}".format))
    else:
        for measure, table in morris_tables(prob, x, runs, LEVELS).items():
            print(f"\n{measure}: elementary effects over each factor's full range")
            print(table.rename(index=label).to_string(float_format="{:+.3f}".format))
    print(f"\nruns written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
