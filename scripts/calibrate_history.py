"""Observed against modelled 2015-to-2019 drift of the left-behind:England IMD ratio.

Observed, two ways (both from the shared files, wards weighted by mid-2019 residents):

* ``published``: the population-weighted mean IMD score of the 225 left-behind
  wards over England's, with 2015 from IMD 2015 LSOA scores averaged to wards
  and 2019 from the published ward-level IMD 2019 score;
* ``ranks``: the same ratio with both years on one scale, each LSOA's IMD 2015
  and IMD 2019 rank mapped through the 2015 rank-to-score curve; it removes the
  difference in aggregation between the two editions.

The two differ by 0.015, so the observed figure is not known more precisely than
that: ``TOLERANCE`` is that difference.

Modelled: a run on the real data under the 2015-2019 regime (``PERIOD_2015_2019``:
the history regime's levers with that period's conditions), the ratio of the
IMD-like composite four years after the start against the start, averaged over
seeds. The IMD is relative (each edition ranks LSOAs and maps ranks to scores),
so England's mean score cannot register a change that every ward shares; the
model's composite can. The modelled ratio therefore removes England's own
change from both means: ``(LB_t - (E_t - E_0)) / E_0``. The absolute ratio
``LB_t / E_t`` is printed too.

The model's free parameter fitted to this figure is
``CoreParams.newcomer_selectivity`` (see ``docs/mechanisms.md``); every other
value in the 2015-2019 regime comes from the period's policy.

Usage (from the project root, with ``LBN_SIM_DATA_DIR`` set or ``--data-dir``)::

    python scripts/calibrate_history.py [--seeds 5] [--data-dir DIR] [overrides ...]
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

#: Largest accepted difference between the modelled and the observed (published) figure:
#: the difference between the two ways of measuring the observed figure.
TOLERANCE = 0.015

#: The 2015-2019 regime, as Hydra overrides of the history regime. It keeps the history's LA
#: funding path (real cuts, steeper in deprived places) and sets the period's conditions.
PERIOD_2015_2019 = (
    # Working-age benefits frozen in cash 2016-2020 while the poverty line rose with earnings
    # (about 3% a year): their value against the line fell about 3% a year.
    "history.levers.benefit_uprating=-0.03",
    # Place-based pots were small before 2020 (Coastal Communities Fund, Big Local): about
    # GBP 2 per resident a year, against about 25 from 2020 (Levelling Up Fund, Towns Fund).
    "history.levers.programme_per_head=2",
    # Real earnings grew about 1% a year (trend growth): no recession, no price shock.
    "history.macro.real_wage_growth=0.01",
    "history.macro.recession_years=[]",
    "history.macro.cost_of_living_pressure=0",
)


def observed(data_dir: str | None) -> dict[str, tuple[float, float]]:
    """The left-behind:England IMD score ratio in 2015 and 2019, measured two ways."""
    from lbn_sim.data.england import _as_str, _read_rda, load_england
    from lbn_sim.data.files import resolve_data_dir

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wards, _ = load_england(data_dir, imd2015=True, extras=False)
    lb = wards["left_behind"].to_numpy(bool)
    pop = wards["population"].to_numpy(np.float64)

    def ratio(v: np.ndarray, weights: np.ndarray, in_lb: np.ndarray) -> float:
        return float(np.average(v[in_lb], weights=weights[in_lb]) / np.average(v, weights=weights))

    out = {
        "published": (
            ratio(wards["extra_imd2015_score"].to_numpy(np.float64), pop, lb),
            ratio(wards["imd_score"].to_numpy(np.float64), pop, lb),
        )
    }
    # Both editions' LSOA ranks on the 2015 rank-to-score curve, weighted by mid-2019 residents.
    root = resolve_data_dir(data_dir)
    i15 = _read_rda(root / "imd2015_england_lsoa11.rda")
    i19 = _read_rda(root / "imd2019_england_lsoa11.rda")
    look = _read_rda(root / "lookup_lsoa11_ward17.rda")
    people = _read_rda(root / "population19_lsoa11.rda")
    lsoa = (
        pd.DataFrame({"lsoa": _as_str(look["lsoa11_code"]), "ward": _as_str(look["ward17_code"])})
        .merge(
            pd.DataFrame(
                {"lsoa": _as_str(people["lsoa11_code"]), "pop": people["total_population"]}
            ),
            on="lsoa",
        )
        .merge(
            pd.DataFrame(
                {
                    "lsoa": _as_str(i15["lsoa11_code"]),
                    "s15": i15["IMD_score"],
                    "r15": i15["IMD_rank"],
                }
            ),
            on="lsoa",
        )
        .merge(
            pd.DataFrame({"lsoa": _as_str(i19["lsoa11_code"]), "r19": i19["IMD_rank"]}), on="lsoa"
        )
    )
    curve = lsoa.sort_values("r15")
    s19 = np.interp(lsoa["r19"], curve["r15"], curve["s15"])
    in_lb = lsoa["ward"].isin(set(wards.loc[lb, "ward_code"])).to_numpy()
    w = lsoa["pop"].to_numpy(np.float64)
    out["ranks"] = (ratio(lsoa["s15"].to_numpy(np.float64), w, in_lb), ratio(s19, w, in_lb))
    return out


def modelled(data_dir: str | None, seeds: int, overrides: list[str]) -> pd.DataFrame:
    """Per seed: the start and four-year ratios of the IMD-like composite (relative, absolute)."""
    from hydra import compose, initialize_config_dir

    from lbn_sim.config import register_configs, to_config
    from lbn_sim.runner import simulate

    register_configs()
    conf = str(Path(__file__).resolve().parents[1] / "conf")
    rows = []
    for seed in range(seeds):
        with initialize_config_dir(config_dir=conf, version_base="1.3"):
            extra = [f"data.dir={data_dir}"] if data_dir else []
            dcfg = compose(
                config_name="config",
                overrides=[
                    "data=england_2019",
                    "scenario=base_case",
                    "plots=false",
                    "horizon=2025",
                    f"seed={seed}",
                    *PERIOD_2015_2019,
                    *extra,
                    *overrides,
                ],
            )
        cfg = to_config(dcfg)
        groups = simulate(cfg).groups.set_index(["group", "year"])["imd_like"]
        y0, y4 = cfg.start_year, cfg.start_year + 4
        lb0, lb4 = groups[("left_behind", y0)], groups[("left_behind", y4)]
        e0, e4 = groups[("england", y0)], groups[("england", y4)]
        rows.append(
            {
                "seed": seed,
                "start": lb0 / e0,
                "relative": (lb4 - (e4 - e0)) / e0,
                "absolute": lb4 / e4,
            }
        )
        print(f"  seed {seed}: {rows[-1]['relative'] - rows[-1]['start']:+.4f}", file=sys.stderr)
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=os.environ.get("LBN_SIM_DATA_DIR"))
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("overrides", nargs="*", help="Hydra overrides for the model run")
    args = parser.parse_args(argv)
    obs = observed(args.data_dir)
    runs = modelled(args.data_dir, args.seeds, args.overrides)
    for name, (a, b) in obs.items():
        print(
            f"observed ({name:9s}) left-behind:England IMD ratio "
            f"2015 {a:.4f} -> 2019 {b:.4f}: {b - a:+.4f}"
        )
    rel = runs["relative"] - runs["start"]
    ab = runs["absolute"] - runs["start"]
    print(
        f"modelled (relative ) IMD-like ratio, 2015-2019 regime, {len(runs)} seeds: "
        f"{rel.mean():+.4f} (seeds {rel.min():+.4f} to {rel.max():+.4f})"
    )
    print(f"modelled (absolute ) with England's own change kept: {ab.mean():+.4f}")
    target = obs["published"][1] - obs["published"][0]
    diff = float(rel.mean()) - target
    ok = abs(diff) <= TOLERANCE
    print(
        f"difference from observed (published) {diff:+.4f} (tolerance {TOLERANCE}): "
        f"{'agree' if ok else 'DISAGREE'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
