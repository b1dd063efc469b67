"""The three futures over many seeds: the left-behind wards' IMD-like gap to England, with bands.

Usage (from the project root)::

    python experiments/three_futures.py [--seeds 20] [--workers 2] [--out FILE] [--toy]

For each scenario and seed it runs the model and records the gap (left-behind
minus England, population-weighted IMD-like points) at the start, the year
before the policy start and at the horizon, and how many of the start's left-behind wards are
still left behind at the horizon. It prints medians with 5-95% bands and writes
every run's figures to ``--out`` (CSV).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from lbn_sim.runs.results import STATUS_COUNTS

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import TOY, compose_cfg, default_workers, parallel_map

SCENARIOS = ("worst_case", "base_case", "best_case")


def one_run(overrides: list[str]) -> dict[str, float | int | str]:
    """Run one config; the gap and counts that matter for the comparison."""
    from lbn_sim.runs.results import STATUS_COUNTS
    from lbn_sim.runs.runner import simulate

    cfg = compose_cfg(overrides)
    result = simulate(cfg)
    groups = result.groups.set_index(["group", "year"])
    g = groups["imd_like"]
    w = result.wards
    end = w[(w["year"] == cfg.horizon) & (w["start_group"] == "left_behind")]

    def gap(year: int) -> float:
        return float(g[("left_behind", year)] - g[("england", year)])

    return {
        "scenario": cfg.scenario.name,
        "seed": cfg.seed,
        "gap_start": gap(cfg.start_year),
        "gap_before_policy": gap(cfg.policy_start - 1),
        "gap_end": gap(cfg.horizon),
        "still_left_behind": int(end["left_behind"].sum()),
        # Which side moved (issue 19): of the start's left-behind wards in the horizon year,
        # still in the most deprived tenth on the IMD-like score, on the CNI-like score, and
        # at or beyond the start year's tenth-percentile IMD-like score.
        **{c: int(groups.loc[("left_behind", cfg.horizon), c]) for c in STATUS_COUNTS},
        "imd_rank_mean_end": float(end["imd_rank"].mean()),
    }


def summarise(runs: pd.DataFrame) -> pd.DataFrame:
    """Median and 5-95% band per scenario of every measure."""
    measures = [
        "gap_start",
        "gap_before_policy",
        "gap_end",
        "still_left_behind",
        *STATUS_COUNTS,
        "imd_rank_mean_end",
    ]
    q = runs.groupby("scenario")[measures].quantile([0.05, 0.5, 0.95]).unstack()
    q.columns = [
        f"{m}_{'p05' if p == 0.05 else 'median' if p == 0.5 else 'p95'}" for m, p in q.columns
    ]
    return q.reindex([s for s in SCENARIOS if s in q.index])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20, help="seeds per future")
    parser.add_argument("--workers", type=int, default=default_workers(), help="parallel processes")
    parser.add_argument(
        "--out", type=Path, default=Path("outputs/three_futures.csv"), help="CSV of every run"
    )
    parser.add_argument("--toy", action="store_true", help="tiny England, for tests")
    parser.add_argument("overrides", nargs="*", help="extra Hydra overrides for every run")
    args = parser.parse_args(argv)
    extra = [*(TOY if args.toy else []), *args.overrides]
    jobs = [
        [f"scenario={s}", f"seed={seed}", *extra] for s in SCENARIOS for seed in range(args.seeds)
    ]
    print(f"{len(jobs)} runs on {args.workers} worker(s)", file=sys.stderr)
    runs = pd.DataFrame(parallel_map(one_run, jobs, args.workers))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    runs.to_csv(args.out, index=False)
    table = summarise(runs)
    with pd.option_context("display.width", 200, "display.precision", 2):
        print(table.T)
    print(f"runs written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
