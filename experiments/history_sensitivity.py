"""Which assumptions move the modelled 2015-2019 drift: a Morris screening of the history regime.

Usage (from the project root, with ``LBN_SIM_DATA_DIR`` set)::

    python experiments/history_sensitivity.py [--trajectories 4] [--workers 2] [--out FILE]
        [--toy] [overrides ...]

The calibration (``scripts/calibrate_history.py``) runs one 2015-2019 regime. Each
of its levers is an estimate, and ``params.agglomeration`` is fitted. This
screens them together with the method of elementary effects (Morris, as
implemented by SALib): ``--trajectories`` one-at-a-time paths through the ranges
in ``RANGES``, ``(k + 1)`` runs each (``k`` = 6 factors), every run on the real
data with every household simulated, seed 0 (common random numbers, so an
elementary effect is the factor's, not the seed's). For each measure of
:func:`lbn_sim.analysis.calibration_period.drift_measures` (and London's own change) it
prints ``mu_star`` (mean absolute elementary effect, in the measure's units per
full range of the factor), ``mu`` (signed) and ``sigma`` (spread: interactions or
non-linearity), then the range of the criterion reading over every run and how
many runs meet it (within ``TOLERANCE`` of the published +0.0405). ``--out``
keeps every run's factors and measures (CSV). ``--toy`` runs a tiny synthetic
England with sampled households, for tests.
"""

from __future__ import annotations

import argparse
import sys
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
)

from lbn_sim.analysis.calibration_period import (
    FULL_SAMPLE,
    LONDON,
    LONDON_ECONOMY,
    PERIOD_2015_2019,
    TOLERANCE,
    drift_measures,
    four_years,
    london_change,
)

#: The factors screened and their ranges: the 2015-2019 regime's estimates, and the fitted
#: agglomeration strength (0: none; 14: twice the fitted value).
RANGES: dict[str, tuple[float, float]] = {
    "history.levers.la_real_growth": (-0.08, -0.04),
    "history.levers.la_deprivation_gradient": (-0.02, 0.0),
    "history.levers.benefit_uprating": (-0.04, -0.02),
    "history.levers.programme_per_head": (0.0, 5.0),
    "history.macro.real_wage_growth": (0.0, 0.02),
    "params.agglomeration": (0.0, 14.0),
}
#: The published drift of the left-behind:England ratio, 2015 to 2019 (the criterion's target).
PUBLISHED = 0.0405
#: Morris grid levels.
LEVELS = 4


def one_run(overrides: list[str]) -> dict[str, float]:
    """Four years of the 2015-2019 regime under ``overrides``; the drift measures."""
    from lbn_sim.runs.runner import simulate

    cfg = compose_cfg(["scenario=base_case", "horizon=2025", "seed=0", *overrides])
    start, s0, s4, pop = four_years(simulate(cfg).wards, cfg.start_year)
    london = start["la_code"].astype(str).str.startswith(LONDON).to_numpy()
    group = (start["start_group"] == "left_behind").to_numpy()
    out = drift_measures(s0, s4, pop, group, ~london if london.any() else None)
    if london.any():
        out["London's own change (points)"] = london_change(s0, s4, pop, london)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=None, help="CSV of every run's factors and readings"
    )
    morris_arguments(parser)
    args = parser.parse_args(argv)
    try:
        prob, x = morris_design(RANGES, args.trajectories, LEVELS)
    except ValueError as err:
        parser.error(str(err))
    real = ["data=england_2019", *FULL_SAMPLE, *LONDON_ECONOMY]
    base = [*PERIOD_2015_2019, *(TOY if args.toy else real)]
    jobs = [
        [
            *base,
            *(f"{name}={value!r}" for name, value in zip(RANGES, row, strict=True)),
            *args.overrides,
        ]
        for row in x.tolist()
    ]
    if not args.toy:  # the real data: say at once, in one line, if they are not there
        from lbn_sim.data.files import DataError, resolve_data_dir

        try:
            resolve_data_dir(compose_cfg(jobs[0]).data.dir)
        except DataError as err:
            print(f"history_sensitivity: error: {err}", file=sys.stderr)
            return 2
    print(f"{len(jobs)} runs on {args.workers} worker(s)", file=sys.stderr)
    runs = pd.DataFrame(parallel_map(one_run, jobs, args.workers))
    factors = pd.DataFrame(x, columns=list(RANGES))
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        pd.concat([factors, runs], axis=1).to_csv(args.out, index=False)

    for measure, table in morris_tables(prob, x, runs, LEVELS).items():
        print(f"\n{measure}: elementary effects over each factor's full range")
        print(table.to_string(float_format="{:+.4f}".format))
    crit = runs["absolute"]
    meets = (crit - PUBLISHED).abs() <= TOLERANCE
    print(
        f"\ncriterion reading (absolute) over {len(runs)} runs: {crit.min():+.4f} to "
        f"{crit.max():+.4f}; within {TOLERANCE} of the published {PUBLISHED:+.4f} in "
        f"{int(meets.sum())} runs"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
