"""Which levers matter most: a Morris screening of the futures' levers and conditions.

Usage (from the project root)::

    python experiments/lever_sensitivity.py [--scenario best_case] [--trajectories 4]
        [--workers 2] [--seed 0] [--out FILE] [--toy] [overrides ...]

The factors are every numeric lever and condition on which the three scenario
files differ, each over the range they span (``scenario_ranges``: from the
worst case's value to the best case's, whichever is lower first); the other
settings, including the allocation mechanism, are the chosen ``--scenario``'s.
SALib's method of elementary effects (Morris) runs ``--trajectories``
one-at-a-time paths through those ranges, ``k + 1`` runs each (``k`` factors),
all with one seed (common random numbers: an elementary effect is the lever's,
not the seed's). For the left-behind wards' IMD-like gap to England at the
horizon (``gap_end``, points), its change from the year before the policy start
(``gap_change``) and how many of the start's left-behind wards are still left
behind (``still_left_behind``), it prints ``mu_star`` (mean absolute effect over
the factor's full range, in the measure's units), ``mu`` (signed: negative
narrows the gap) and ``sigma`` (interactions or non-linearity). ``--out`` keeps
every run (CSV). Results do not depend on ``--workers``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import CONF_DIR, TOY, morris_arguments, morris_design, morris_tables, parallel_map
from three_futures import SCENARIOS
from three_futures import one_run as futures_run

#: Morris grid levels.
LEVELS = 4
#: Levers that take whole numbers (rounded from the Morris grid).
INTEGER = frozenset({"levers.award_years"})


def scenario_ranges(conf_dir: Path = Path(CONF_DIR)) -> dict[str, tuple[float, float]]:
    """``{"levers.<name>" or "macro.<name>": (low, high)}`` for every numeric setting on
    which the scenario files (``conf/scenario/<name>.yaml``) differ, in file order."""
    values: dict[str, list[float]] = {}
    for name in SCENARIOS:
        with open(conf_dir / "scenario" / f"{name}.yaml", encoding="utf-8") as fh:
            spec = yaml.safe_load(fh)
        for part in ("levers", "macro"):
            for key, value in spec.get(part, {}).items():
                if isinstance(value, int | float) and not isinstance(value, bool):
                    values.setdefault(f"{part}.{key}", []).append(float(value))
    return {
        key: (min(v), max(v))
        for key, v in values.items()
        if len(v) == len(SCENARIOS) and min(v) < max(v)
    }


def overrides_for(row: list[float], names: list[str]) -> list[str]:
    """Hydra overrides setting each factor of one sampled row."""
    out = []
    for name, value in zip(names, row, strict=True):
        text = str(round(value)) if name in INTEGER else repr(value)
        out.append(f"scenario.{name}={text}")
    return out


def one_run(overrides: list[str]) -> dict[str, float]:
    """One run; the gap at the horizon, its change under the policy, the count still behind."""
    res = futures_run(overrides)
    return {
        "gap_end": float(res["gap_end"]),
        "gap_change": float(res["gap_end"]) - float(res["gap_before_policy"]),
        "still_left_behind": float(res["still_left_behind"]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="best_case", choices=SCENARIOS)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("outputs/lever_sensitivity.csv"))
    morris_arguments(parser)
    args = parser.parse_args(argv)
    ranges = scenario_ranges()
    names = list(ranges)
    try:
        prob, x = morris_design(ranges, args.trajectories, LEVELS)
    except ValueError as err:
        parser.error(str(err))
    base = [f"scenario={args.scenario}", f"seed={args.seed}", *(TOY if args.toy else [])]
    jobs = [[*base, *overrides_for(row, names), *args.overrides] for row in x.tolist()]
    print(
        f"{len(jobs)} runs ({len(names)} factors, {args.trajectories} trajectories) "
        f"on {args.workers} workers",
        file=sys.stderr,
    )
    runs = pd.DataFrame(parallel_map(one_run, jobs, args.workers))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    pd.concat([pd.DataFrame(x, columns=names), runs], axis=1).to_csv(args.out, index=False)
    print(f"levers and conditions of {args.scenario}, ranges spanning the three scenarios:")
    for name in names:
        print(f"  {name:40s} {ranges[name][0]:g} to {ranges[name][1]:g}")
    for measure, table in morris_tables(prob, x, runs, LEVELS).items():
        print(f"\n{measure}: elementary effects over each factor's full range")
        print(table.to_string(float_format="{:+.3f}".format))
    print(f"\nruns written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
