"""Each mechanism switched off in each future: how the left-behind wards' IMD-like gap moves.

Usage (from the project root)::

    python experiments/mechanism_ablation.py [--seeds 3] [--workers 2] [--out FILE] [--toy]

Prints, per scenario, the median gap at the horizon with every mechanism on
and with each one off (and the neighbours' services, a strength, at 0), and the
difference (off minus on, IMD-like points).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import TOY, default_workers, parallel_map
from three_futures import SCENARIOS, one_run

MECHANISMS = (
    "capacity_trap",
    "austerity_gradient",
    "social_infrastructure",
    "connectivity",
    "cost_of_living",
    "education_skills",
    "local_power",
    "long_term_money",
    "out_migration",
    "resilience",
)
#: Parts of a mechanism with a strength rather than a switch: the override that turns each
#: off (connectivity off gives every ward full reach, which makes neighbours' services
#: reachable to all; this row switches them off alone).
STRENGTHS = {"neighbour_services": "params.neighbour_services=0"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3, help="seeds per variant")
    parser.add_argument("--workers", type=int, default=default_workers(), help="parallel processes")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("outputs/mechanism_ablation.csv"),
        help="CSV of every run",
    )
    parser.add_argument("--toy", action="store_true", help="tiny England, for tests")
    parser.add_argument("overrides", nargs="*", help="further Hydra overrides for every run")
    args = parser.parse_args(argv)
    extra = [*(TOY if args.toy else []), *args.overrides]
    jobs, labels = [], []
    for scenario in SCENARIOS:
        for off in (None, *MECHANISMS, *STRENGTHS):
            for seed in range(args.seeds):
                if off in STRENGTHS:
                    switch = [STRENGTHS[off]]
                else:
                    switch = [f"mechanisms.{off}=false"] if off else []
                jobs.append([f"scenario={scenario}", f"seed={seed}", *switch, *extra])
                labels.append(off or "all_on")
    runs = pd.DataFrame(parallel_map(one_run, jobs, args.workers))
    runs["switched_off"] = labels
    args.out.parent.mkdir(parents=True, exist_ok=True)
    runs.to_csv(args.out, index=False)
    med = runs.groupby(["scenario", "switched_off"])["gap_end"].median().unstack("scenario")
    med = med[[s for s in SCENARIOS if s in med.columns]]
    diff = med - med.loc["all_on"]
    with pd.option_context("display.width", 200):
        print("median gap at the horizon (IMD-like points):")
        print(med.to_string(float_format="{:.2f}".format))
        print("\nchange when switched off (off minus all on, points):")
        print(diff.drop(index="all_on").to_string(float_format="{:+.2f}".format))
    return 0


if __name__ == "__main__":
    sys.exit(main())
