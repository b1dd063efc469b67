"""Observed against modelled drift of the left-behind:England IMD ratio over four years.

Observed: the population-weighted mean IMD score of the 225 left-behind wards
divided by England's population-weighted mean, in 2015 (IMD 2015 LSOA scores
averaged to wards with mid-2019 populations) and in 2019 (the ward-level IMD
2019 score). Modelled: the same ratio of the IMD-like composite, from a base
case run on the real data, between the start year and four years later,
averaged over seeds. The history regime (``conf`` key ``history``) is
calibrated so the two agree within ``TOLERANCE``.

Usage (from the project root, with ``LBN_SIM_DATA_DIR`` set or ``--data-dir``)::

    python scripts/calibrate_history.py [--seeds 3] [--data-dir DIR] [overrides ...]
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path

import numpy as np

#: Largest accepted difference between the modelled and observed 4-year change of the ratio.
TOLERANCE = 0.02


def observed(data_dir: str | None) -> tuple[float, float]:
    """The left-behind:England IMD score ratio in 2015 and in 2019."""
    from lbn_sim.data.england import load_england

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wards, _ = load_england(data_dir, imd2015=True, extras=False)
    lb = wards["left_behind"].to_numpy(bool)
    pop = wards["population"].to_numpy(np.float64)

    def ratio(column: str) -> float:
        v = wards[column].to_numpy(np.float64)
        return float(np.average(v[lb], weights=pop[lb]) / np.average(v, weights=pop))

    return ratio("extra_imd2015_score"), ratio("imd_score")


def modelled(data_dir: str | None, seeds: int, overrides: list[str]) -> tuple[float, float]:
    """The ratio of the IMD-like composite at the start and four years on (mean over seeds)."""
    from hydra import compose, initialize_config_dir

    from lbn_sim.config import register_configs, to_config
    from lbn_sim.runner import simulate

    register_configs()
    conf = str(Path(__file__).resolve().parents[1] / "conf")
    starts, ends = [], []
    for seed in range(seeds):
        with initialize_config_dir(config_dir=conf, version_base="1.3"):
            extra = [f"data.dir={data_dir}"] if data_dir else []
            dcfg = compose(
                config_name="config",
                overrides=[
                    "data=england_2019",
                    "scenario=base_case",
                    "plots=false",
                    f"seed={seed}",
                    *extra,
                    *overrides,
                ],
            )
        cfg = to_config(dcfg)
        cfg.horizon = max(cfg.horizon, cfg.start_year + 4)
        groups = simulate(cfg).groups.set_index(["group", "year"])["imd_like"]
        y0, y4 = cfg.start_year, cfg.start_year + 4
        starts.append(groups[("left_behind", y0)] / groups[("england", y0)])
        ends.append(groups[("left_behind", y4)] / groups[("england", y4)])
    return float(np.mean(starts)), float(np.mean(ends))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=os.environ.get("LBN_SIM_DATA_DIR"))
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("overrides", nargs="*", help="Hydra overrides for the model run")
    args = parser.parse_args(argv)
    o2015, o2019 = observed(args.data_dir)
    m0, m4 = modelled(args.data_dir, args.seeds, args.overrides)
    obs, mod = o2019 - o2015, m4 - m0
    print(
        f"observed  left-behind:England IMD ratio 2015 {o2015:.4f} -> 2019 {o2019:.4f}: {obs:+.4f}"
    )
    print(
        f"modelled  left-behind:England IMD-like ratio start {m0:.4f} -> "
        f"+4 years {m4:.4f}: {mod:+.4f}"
    )
    ok = abs(mod - obs) <= TOLERANCE
    print(f"difference {mod - obs:+.4f} (tolerance {TOLERANCE}): {'agree' if ok else 'DISAGREE'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
