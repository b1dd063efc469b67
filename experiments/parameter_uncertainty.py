"""The three futures under parameter uncertainty: parameter draws x seeds, with bands and the
split of each headline's spread between the parameters and the seeds.

Usage (from the project root)::

    python experiments/parameter_uncertainty.py [--draws 50] [--seeds 2] [--workers 1]
        [--ranges] [--accepted FILE] [--draw-seed 0] [--no-defaults] [--out FILE] [--toy]
        [overrides ...]

Parameter vectors: the first ``--draws`` of the accepted set the history matching ships
(``src/lbn_sim/data/accepted_parameters.csv``, ``scripts/calibrate_history.py``; its rows
are a random order of the kept vectors), all of them when it holds fewer; or, with
``--ranges`` or when there is no accepted set (or it is empty), ``--draws`` vectors drawn
afresh over the registry's ranges (a Latin hypercube, :mod:`lbn_sim.params.draws`). Each
vector runs the three futures with seeds 0 to ``--seeds`` - 1; the futures of one vector and
seed share their 2019-2024 history (run once, the others continue from it:
:mod:`lbn_sim.runs.forks`). Unless ``--no-defaults``, the registry's defaults run with the
same seeds too (``draw`` = -1): today's figures, for comparison.

A stopped run resumes: each group of futures is appended to ``<out>.partial.csv`` as it
finishes (with a ``.json`` of the setup), and the same command runs only the groups it
lacks (a different setup is refused). Writes every run's figures to ``--out`` (CSV;
:func:`lbn_sim.analysis.uncertainty.future_figures` and
:func:`~lbn_sim.analysis.uncertainty.against_base`: the 2050 gap, the counts still left
behind, the money and value for money) and, beside it, ``<out>_bands.csv`` (median and
5-95% band per future over every draw and seed) and ``<out>_split.csv`` (per future and
headline, the spread's parameter and seed parts); prints both as tables.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import pandas as pd

from lbn_sim.params.draws import ACCEPTED, Draws

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import TOY, default_workers

from lbn_sim.analysis.uncertainty import (
    HEADLINES,
    against_base,
    band_rows,
    bands,
    future_figures,
    split_table,
)

SCENARIOS = ("worst_case", "base_case", "best_case")
#: The figures the bands table shows.
BANDED = (
    "gap_before_policy",
    "gap_end",
    "still_left_behind",
    "public_to_lb_bn",
    "programmes_to_lb_bn",
    "programmes_per_resident_lb",
    "gbp_m_per_point",
    "gbp_m_per_ward_leaving",
    "points_vs_base",
    "wards_vs_base",
    "gbp_m_per_point_vs_base",
    "gbp_m_per_ward_vs_base",
)


def read_future(result, cfg, wards) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """One run's figures (a module-level function: the workers receive it by reference)."""
    from lbn_sim.runs.results import money_table

    return {
        "scenario": cfg.scenario.name,
        "seed": cfg.seed,
        **future_figures(
            result.wards,
            result.groups,
            money_table(result.ledger, result.wards),
            cfg.start_year,
            cfg.policy_start,
            cfg.horizon,
        ),
    }


def choose_draws(args: argparse.Namespace) -> tuple[Draws, list[int], str]:
    """The parameter vectors to run, their numbers in the set they come from, and a sentence
    saying where they come from."""
    from lbn_sim.errors import ConfigError
    from lbn_sim.params.draws import accepted, describe, latin_hypercube

    why = "--ranges"
    if not args.ranges:
        try:
            kept, ids = accepted(args.accepted)
        except ConfigError as err:
            why = str(err)
        else:
            draws = kept.take(range(min(args.draws, len(kept))))
            return (
                draws,
                ids[: len(draws)],
                (
                    f"{len(draws)} of the {len(kept)} vectors the history matching kept "
                    f"({args.accepted.name}); {describe(draws.names)}"
                ),
            )
    draws = latin_hypercube(args.draws, args.draw_seed)
    origin = f"{len(draws)} vectors drawn over the registry's ranges ({why})"
    return draws, list(range(len(draws))), f"{origin}; {describe(draws.names)}"


def main(argv: list[str] | None = None) -> int:
    from lbn_sim.runs.draw_runs import Group, run_groups

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=50, help="parameter vectors")
    parser.add_argument("--seeds", type=int, default=2, help="seeds per vector (at least 2)")
    parser.add_argument("--workers", type=int, default=default_workers(), help="processes")
    parser.add_argument("--ranges", action="store_true", help="draw over the registry's ranges")
    parser.add_argument("--accepted", type=Path, default=ACCEPTED, help="the accepted set (CSV)")
    parser.add_argument("--draw-seed", type=int, default=0, help="seed of fresh draws")
    parser.add_argument("--no-defaults", action="store_true", help="skip the default vector")
    parser.add_argument(
        "--out", type=Path, default=Path("outputs/parameter_uncertainty.csv"), help="CSV"
    )
    parser.add_argument("--toy", action="store_true", help="tiny England, for tests")
    parser.add_argument("overrides", nargs="*", help="extra Hydra overrides for every run")
    args = parser.parse_args(argv)
    if args.seeds < 2:
        parser.error("--seeds must be at least 2 (the seeds' part of the spread needs two)")
    draws, ids, origin = choose_draws(args)
    print(origin, file=sys.stderr)
    extra = [*(TOY if args.toy else []), "outputs=summary", *args.overrides]
    vectors: list[tuple[int, int, list[str]]] = [] if args.no_defaults else [(-1, -1, [])]
    vectors += [(i, ids[i], draws.overrides(i)) for i in range(len(draws))]
    groups = [
        Group(
            tuple(tuple([f"scenario={s}", f"seed={seed}", *extra, *params]) for s in SCENARIOS),
            (("draw", d), ("vector", v)),
        )
        for d, v, params in vectors
        for seed in range(args.seeds)
    ]
    print(
        f"{len(groups) * len(SCENARIOS)} runs ({len(groups)} shared histories) on "
        f"{args.workers} worker(s)",
        file=sys.stderr,
    )
    # Each group's rows are kept as it finishes: the same command resumes a stopped run.
    record = args.out.with_name(f"{args.out.stem}.partial.csv")
    setup = {
        "vectors": ids,
        "values": hashlib.sha256(draws.values.tobytes()).hexdigest(),
        "names": list(draws.names),
        "seeds": args.seeds,
        "defaults": not args.no_defaults,
        "overrides": extra,
    }
    rows = run_groups(groups, read_future, args.workers, record=record, setup=setup)
    runs = against_base(pd.DataFrame(rows))
    runs = runs.drop(columns=["job"]).sort_values(["draw", "seed", "scenario"], kind="stable")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    runs.to_csv(args.out, index=False)
    drawn = runs[runs["draw"] >= 0]
    table = bands(drawn, BANDED).reindex(list(SCENARIOS))
    split = split_table(drawn, HEADLINES).reindex(list(SCENARIOS), level=0)
    stem = args.out.with_suffix("")
    table.to_csv(f"{stem}_bands.csv")
    split.to_csv(f"{stem}_split.csv")
    head = "| figure | " + " | ".join(SCENARIOS) + " |\n| --- |" + " ---: |" * len(SCENARIOS)
    print(f"{origin}; seeds 0-{args.seeds - 1}")
    print("\nmedian (5-95% band) over every draw and seed\n")
    print(head)
    print("\n".join(band_rows(table, BANDED)))
    if not args.no_defaults:
        today = bands(runs[runs["draw"] == -1], BANDED).reindex(list(SCENARIOS))
        print(f"\nthe registry's defaults, seeds 0-{args.seeds - 1}\n")
        print(head)
        print("\n".join(band_rows(today, BANDED)))
    if args.draws < 2:
        print("\nspread split: needs at least two parameter vectors (--draws 2 or more)")
    else:
        print("\nspread split: parameters against seeds (sd of each part, parameters' share)\n")
        with pd.option_context("display.width", 200, "display.float_format", "{:.3g}".format):
            print(split.to_string())
    record.unlink()
    record.with_suffix(".json").unlink()
    print(f"runs written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
