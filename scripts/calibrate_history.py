"""Observed against modelled four-year drift of the left-behind:England IMD ratio.

The ratio is the population-weighted mean IMD score of the 225 left-behind wards
over England's population-weighted mean (wards weighted by mid-2019 residents).

Observed, 2015 to 2019, from the shared files:

* ``published``: 2015 from IMD 2015 LSOA scores averaged to wards, 2019 the
  published ward-level IMD 2019 score (the figure the calibration issue names);
* ``ranks``: both years on one scale, each LSOA's IMD 2015 and IMD 2019 rank
  mapped through the 2015 rank-to-score curve, averaged to wards (removes the
  difference in aggregation between the two editions);
* ``ward ranks``: those ward averages ranked among wards and mapped through the
  wards' 2015 curve: the reading the model's ``ranks`` takes (the model has
  wards, not LSOAs), so the like-for-like figure for it;
* ``ranks, chosen in 2015`` and ``published, chosen in 2015``: as ``ranks`` and
  ``published``, for the wards the 'left behind' rule picks with IMD 2015
  instead of IMD 2019 (and the 2019 CNI, the only one; :func:`chosen_in_2015`).
  The 225 were chosen for being extreme in 2019, so part of their 2015-2019
  rise is selection; a model that starts in 2019 and runs forward can only show
  the rest. For the most deprived 10% on the IMD alone the same comparison is
  printed: chosen in 2019 they rose, chosen in 2015 they did not;
* ``..., outside London``: the same with England's mean and the rank curves
  taken over the wards (and LSOAs) outside London's boroughs only; and London's
  own change on the 2015 curve;
* ``gradient, <CNI domain>``: among the most deprived fifth of wards outside
  London (ward ranks), the rise in points per standard deviation of each CNI
  domain, holding the start score (:func:`cni_gradients`). The model's
  community channels should reproduce them; they are printed for both sides.
  The model's fifth is chosen by its start, the 2019 scores, so the observed
  figure is also printed for that fifth (``gradient (2019 fifth)``; chosen
  partly on the outcome).

London's deprived wards improved sharply in those years (its wards fell 2.2
points on the 2015 rank curve) and the IMD is relative, so London's gain shows
as everyone else's loss: much of the left-behind wards' observed rise against
England is London pulling away. The model's regime gives London's economy its
observed head start (``macro.regional_growth``: 1% a year faster per resident
than the rest of England) and sends growth to well-linked places
(agglomeration), but has no displacement of poorer households through housing,
and shows London's gain only in small part: ``London's own change (points)``
is printed for the model too, on its start year's curve.

Modelled: runs on the real data with every household simulated (sampling noise
would be as large as a four-year change), under the 2015-2019 regime
(``PERIOD_2015_2019`` and ``LONDON_ECONOMY``), four years on from the start,
read three ways, the first two also outside London, and the first for the
wards chosen with IMD 2015:

* ``absolute``: the ratio of the IMD-like means, as the issue defines it;
* ``ranks``: each ward's IMD-like rank mapped through the start year's
  rank-to-score curve, as the IMD itself turns ranks into scores (the IMD is
  relative: a change every ward shares does not show in it);
* ``points``: England's own change in points removed from both means,
  ``(LB_t - (E_t - E_0)) / E_0`` (treats a shared change as additive).

The calibration criterion is the issue's: the ``absolute`` figure against the
``published`` one, within ``TOLERANCE``. The script prints every figure, the
criterion and four like-for-like comparisons (ranks against ward ranks, both
readings outside London, and the published drift of the wards chosen with IMD
2015 against the model's drift of the same wards, ``absolute, chosen in
2015``), and exits 1 when the criterion is not met.

Usage (from the project root, with ``LBN_SIM_DATA_DIR`` set or ``--data-dir``)::

    python scripts/calibrate_history.py [--seeds 3] [--data-dir DIR] [overrides ...]
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from lbn_sim.analysis.calibration_period import (
    FULL_SAMPLE,
    LONDON,
    LONDON_ECONOMY,
    PERIOD_2015_2019,
    TOLERANCE,
    drift_measures,
    four_years,
    london_change,
    rank_mapped,
    ratio,
)

if TYPE_CHECKING:
    from lbn_sim.config import Config

F64 = NDArray[np.float64]


def london_domains(
    start: pd.DataFrame,
    end: pd.DataFrame,
    population: F64,
    london: NDArray[np.bool_],
    points: F64,
) -> dict[str, float]:
    """London's change against England's on each IMD domain, in IMD-like points.

    ``start`` and ``end``: the ward table's rows at the start and four years on (same
    ward order, the seven IMD domain columns); ``population``: residents at the start
    (``[n_wards]``); ``london``: bool ``[n_wards]``; ``points``: the model's IMD points
    per unit of each domain (``[7]``, :func:`lbn_sim.engine.indicators.imd_points` of the input
    ward table's rates, as the IMD-like composite weights them). The seven figures sum
    to London's population-weighted change in the IMD-like score less England's
    (absolute points; :func:`london_change` reads the same change on the rank curve).
    """
    from lbn_sim.names import IMD_DOMAINS

    x0 = np.stack([start[d].to_numpy(np.float64) for d in IMD_DOMAINS])
    x1 = np.stack([end[d].to_numpy(np.float64) for d in IMD_DOMAINS])
    change = points[:, None] * (x1 - x0)
    gap = np.average(change[:, london], weights=population[london], axis=1) - np.average(
        change, weights=population, axis=1
    )
    return {f"London: {d} (points)": float(v) for d, v in zip(IMD_DOMAINS, gap, strict=True)}


#: The CNI's three domains, as columns of the ward table.
CNI_DOMAINS = ("civic_assets", "connectedness", "engaged_community")


def cni_gradients(
    start: pd.Series,
    end: pd.Series,
    domains: pd.DataFrame,
    chosen_by: pd.Series | None = None,
    label: str = "gradient",
    with_se: bool = False,
) -> dict[str, float]:
    """Rise in points per standard deviation of each CNI domain, among the most deprived fifth.

    An ordinary least-squares fit of ``end - start`` on the standardised start
    score and the three CNI domain scores, over the fifth of wards with the
    highest ``chosen_by`` (default: ``start``). ``start``, ``end``, ``chosen_by``:
    scores by ward code on one scale; ``domains``: the ward table's CNI domain
    scores, indexed by ward code. Returns ``<label>, <domain>`` for each domain
    (points per SD) and, with ``with_se``, ``<label> SE, <domain>``: the ordinary
    least-squares standard errors (wards treated as independent; neighbouring
    wards are not, so these understate the uncertainty).
    """
    pick = start if chosen_by is None else chosen_by.loc[start.index]
    top = start[pick.rank(ascending=False) <= 0.2 * len(start)]
    x = pd.concat([top.rename("start"), domains.loc[top.index, list(CNI_DOMAINS)]], axis=1)
    z = ((x - x.mean()) / x.std()).to_numpy(np.float64)
    design = np.column_stack([np.ones(len(x)), z])
    rise = (end.loc[top.index] - top).to_numpy(np.float64)
    coef = np.linalg.lstsq(design, rise, rcond=None)[0]
    out = {f"{label}, {d}": float(c) for d, c in zip(CNI_DOMAINS, coef[2:], strict=True)}
    if with_se:
        resid = rise - design @ coef
        s2 = float(resid @ resid) / (len(rise) - design.shape[1])
        se = np.sqrt(np.diag(s2 * np.linalg.inv(design.T @ design)))
        out |= {f"{label} SE, {d}": float(e) for d, e in zip(CNI_DOMAINS, se[2:], strict=True)}
    return out


def outside_london_ranks(
    start: F64, end: F64, codes: pd.Index, outside: NDArray[np.bool_]
) -> tuple[pd.Series, pd.Series]:
    """Start and end scores of the wards outside London, ranked among themselves and mapped
    through their start curve, as series by ward code."""
    curve = np.sort(start[outside])[::-1]
    index = codes[outside]
    return (
        pd.Series(rank_mapped(start[outside], curve), index=index),
        pd.Series(rank_mapped(end[outside], curve), index=index),
    )


def chosen_in_2015(wards: pd.DataFrame) -> pd.Index:
    """Codes of the wards the 'left behind' rule picks with IMD 2015 ward scores (and the
    2019 CNI, the only one): in the most deprived 10% of wards on both.

    ``wards``: the ward table loaded with ``imd2015=True`` (``extra_imd2015_score``).
    """
    from lbn_sim.names import LEFT_BEHIND_SHARE, rank_desc

    cut = int(np.floor(LEFT_BEHIND_SHARE * len(wards)))
    imd = rank_desc(wards["extra_imd2015_score"].to_numpy(np.float64)) <= cut
    cni = rank_desc(wards["cni_score"].to_numpy(np.float64)) <= cut
    return pd.Index(wards["ward_code"][imd & cni])


def observed(data_dir: str | None) -> dict[str, float]:
    """Observed 2015-2019 changes of the ratio (see the module docstring)."""
    from lbn_sim.data.england import _as_str, _read_rda, load_england
    from lbn_sim.data.files import resolve_data_dir
    from lbn_sim.names import LEFT_BEHIND_SHARE, rank_desc

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wards, _ = load_england(data_dir, imd2015=True, extras=False)
    root = resolve_data_dir(data_dir)
    i15 = _read_rda(root / "imd2015_england_lsoa11.rda")
    i19 = _read_rda(root / "imd2019_england_lsoa11.rda")
    look = _read_rda(root / "lookup_lsoa11_ward17.rda")
    people = _read_rda(root / "population19_lsoa11.rda")
    frames = [
        pd.DataFrame({"lsoa": _as_str(look["lsoa11_code"]), "ward": _as_str(look["ward17_code"])}),
        pd.DataFrame({"lsoa": _as_str(people["lsoa11_code"]), "pop": people["total_population"]}),
        pd.DataFrame(
            {"lsoa": _as_str(i15["lsoa11_code"]), "s15": i15["IMD_score"], "r15": i15["IMD_rank"]}
        ),
        pd.DataFrame({"lsoa": _as_str(i19["lsoa11_code"]), "r19": i19["IMD_rank"]}),
    ]
    lsoa = frames[0]
    for f in frames[1:]:
        lsoa = lsoa.merge(f, on="lsoa")
    # London's small areas by their own local authority (the City's wards are not in the table).
    lsoa = lsoa.merge(
        pd.DataFrame({"lsoa": _as_str(i15["lsoa11_code"]), "lad": _as_str(i15["lad13_code"])}),
        on="lsoa",
    )
    lsoa["london"] = lsoa["lad"].str.startswith(LONDON)

    def on_2015_curve(rows: pd.Series) -> pd.DataFrame:
        """Ward means of both editions' LSOA scores, for the LSOAs in ``rows``, each LSOA's
        rank among them mapped through their 2015 rank-to-score curve."""
        sub = lsoa[rows]
        curve = np.sort(sub["s15"].to_numpy(np.float64))[::-1]
        a = rank_mapped(sub["s15"].to_numpy(np.float64), curve) * sub["pop"]
        b = rank_mapped(-sub["r19"].to_numpy(np.float64), curve) * sub["pop"]
        sums = sub.assign(a=a, b=b).groupby("ward")[["a", "b", "pop"]].sum()
        return pd.DataFrame({"w15": sums["a"] / sums["pop"], "w19": sums["b"] / sums["pop"]})

    w = wards.set_index("ward_code").join(
        on_2015_curve(pd.Series(True, index=lsoa.index)), how="inner"
    )
    if len(w) != len(wards):
        missing = sorted(set(wards["ward_code"]) - set(w.index))
        raise ValueError(f"wards without a small area in the lookup: {missing[:10]}")
    pop = w["population"].to_numpy(np.float64)
    lb = w["left_behind"].to_numpy(bool)
    cut = int(np.floor(LEFT_BEHIND_SHARE * len(w)))
    cni_top = rank_desc(w["cni_score"].to_numpy(np.float64)) <= cut
    top15 = rank_desc(w["w15"].to_numpy(np.float64)) <= cut
    top19 = rank_desc(w["w19"].to_numpy(np.float64)) <= cut
    # Ward scores of both editions on the 2015 rank-to-score curve.
    s15, s19 = w["w15"].to_numpy(np.float64), w["w19"].to_numpy(np.float64)
    london = w["la_code"].astype(str).str.startswith(LONDON).to_numpy()
    outside = ~london
    # Outside London, small areas ranked among themselves (their own 2015 curve).
    o = w[outside][[]].join(on_2015_curve(~lsoa["london"]))
    o15, o19 = o["w15"].to_numpy(np.float64), o["w19"].to_numpy(np.float64)

    def change(
        a: F64, b: F64, group: NDArray[np.bool_], england: NDArray[np.bool_] | None = None
    ) -> float:
        m = np.ones_like(group) if england is None else england
        return ratio(b[m], pop[m], group[m]) - ratio(a[m], pop[m], group[m])

    def ward_ranks(a: F64, b: F64, m: NDArray[np.bool_]) -> float:
        """The change with ward scores re-ranked among the wards in ``m`` and mapped
        through their 2015 curve: the reading the model's ``ranks`` measure takes."""
        curve = np.sort(a[m])[::-1]
        ra, rb = rank_mapped(a[m], curve), rank_mapped(b[m], curve)
        return ratio(rb, pop[m], lb[m]) - ratio(ra, pop[m], lb[m])

    p15 = w["extra_imd2015_score"].to_numpy(np.float64)
    p19 = w["imd_score"].to_numpy(np.float64)
    everywhere = np.ones_like(lb)
    return {
        "published": change(p15, p19, lb),
        "ranks": change(s15, s19, lb),
        "ranks, chosen in 2015": change(s15, s19, top15 & cni_top),
        "published, chosen in 2015": change(p15, p19, top15 & cni_top),
        "IMD top 10%, chosen in 2019": change(s15, s19, top19),
        "IMD top 10%, chosen in 2015": change(s15, s19, top15),
        "ward ranks": ward_ranks(s15, s19, everywhere),
        "published, outside London": change(p15, p19, lb, outside),
        "ranks, outside London": ratio(o19, pop[outside], lb[outside])
        - ratio(o15, pop[outside], lb[outside]),
        "ward ranks, outside London": ward_ranks(s15, s19, outside),
        "London's own change (points)": float(
            np.average(s19[london] - s15[london], weights=pop[london])
        ),
        **cni_gradients(*outside_london_ranks(s15, s19, w.index, outside), w, with_se=True),
        # The same fifth as the model's, which starts from 2019: chosen by the 2019 score
        # (so partly on the outcome; the 2015 choice above is the clean one).
        **cni_gradients(
            *outside_london_ranks(s15, s19, w.index, outside),
            w,
            chosen_by=w["imd_score"],
            label="gradient (2019 fifth)",
            with_se=True,
        ),
    }


def period_config(
    data_dir: str | None,
    seed: int,
    overrides: list[str],
    full: bool = True,
    period: bool = True,
) -> Config:
    """The config of one modelled run: the real data, the base case, the 2015-2019 regime
    (``PERIOD_2015_2019`` and ``LONDON_ECONOMY``; the shared history as configured if
    ``period`` is false) to 2025, every household unless ``full`` is false, then
    ``overrides``."""
    from hydra import compose, initialize_config_dir

    from lbn_sim.config import register_configs, to_config

    register_configs()
    conf = str(Path(__file__).resolve().parents[1] / "conf")
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
                *(PERIOD_2015_2019 + LONDON_ECONOMY if period else ()),
                *(FULL_SAMPLE if full else ()),
                *extra,
                *overrides,
            ],
        )
    return to_config(dcfg)


def modelled(
    data_dir: str | None,
    seeds: int,
    overrides: list[str],
    domains: pd.DataFrame,
    chosen_2015: pd.Index,
    points: F64,
    full: bool = True,
) -> pd.DataFrame:
    """Per seed, the modelled four-year changes of the ratio (see :func:`drift_measures`),
    the same for the wards chosen with IMD 2015 (``chosen_2015``, ward codes; see
    :func:`chosen_in_2015`), London's change by IMD domain (:func:`london_domains`, with
    ``points``) and the CNI gradients outside London (see :func:`cni_gradients`;
    ``domains``: the ward table's CNI domain scores by ward code)."""
    from lbn_sim.runs.runner import simulate

    rows = []
    for seed in range(seeds):
        cfg = period_config(data_dir, seed, overrides, full)
        wards = simulate(cfg).wards
        start, s0, s4, pop = four_years(wards, cfg.start_year)
        end = wards[wards["year"] == cfg.start_year + 4].set_index("ward_code").loc[start.index]
        outside = ~start["la_code"].astype(str).str.startswith(LONDON).to_numpy()
        rows.append(
            {
                "seed": seed,
                **drift_measures(
                    s0, s4, pop, (start["start_group"] == "left_behind").to_numpy(), outside
                ),
                "absolute, chosen in 2015": drift_measures(
                    s0, s4, pop, start.index.isin(chosen_2015)
                )["absolute"],
                "London's own change (points)": london_change(s0, s4, pop, ~outside),
                **london_domains(start, end, pop, ~outside, points),
                **cni_gradients(*outside_london_ranks(s0, s4, start.index, outside), domains),
            }
        )
        print(f"  seed {seed}: {rows[-1]}", file=sys.stderr)
    return pd.DataFrame(rows)


def shared_history(
    data_dir: str | None, seeds: int, overrides: list[str], full: bool = True
) -> pd.DataFrame:
    """Per seed, the drift of the ratio under the shared history as configured (the
    regime every future shares, 2019 to 2024, not the 2015-2019 one): over its first four
    years (``absolute`` and outside London, see :func:`drift_measures`) and over the whole
    shared history (to the year before the policy start) scaled to four years
    (``absolute, per four years``)."""
    from lbn_sim.runs.runner import simulate

    rows = []
    for seed in range(seeds):
        cfg = period_config(data_dir, seed, overrides, full, period=False)
        wards = simulate(cfg).wards
        start, s0, s4, pop = four_years(wards, cfg.start_year)
        outside = ~start["la_code"].astype(str).str.startswith(LONDON).to_numpy()
        group = (start["start_group"] == "left_behind").to_numpy()
        first = drift_measures(s0, s4, pop, group, outside)
        # The last year every future shares: the policy start is already the base case's own.
        branch = cfg.policy_start - 1
        span = branch - cfg.start_year
        end = wards[wards["year"] == branch].set_index("ward_code").loc[start.index]
        whole = drift_measures(s0, end["imd_like"].to_numpy(np.float64), pop, group)
        rows.append(
            {
                "seed": seed,
                "absolute": first["absolute"],
                "absolute, outside London": first["absolute, outside London"],
                "absolute, per four years": whole["absolute"] * 4.0 / span,
            }
        )
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=os.environ.get("LBN_SIM_DATA_DIR"))
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument(
        "--sampled", action="store_true", help="use the configured household sample"
    )
    parser.add_argument(
        "--shared-history",
        action="store_true",
        help="also print the drift under the shared 2019-2024 history as configured "
        "(for information; the calibration compares the 2015-2019 regime)",
    )
    parser.add_argument("overrides", nargs="*", help="Hydra overrides for the model run")
    args = parser.parse_args(argv)
    from lbn_sim.data.england import load_england
    from lbn_sim.engine.indicators import imd_points
    from lbn_sim.engine.synthesis import model_rates

    obs = observed(args.data_dir)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = load_england(args.data_dir, imd2015=True)[0]
    domains = table.set_index("ward_code")[list(CNI_DOMAINS)]
    runs = modelled(
        args.data_dir,
        args.seeds,
        args.overrides,
        domains,
        chosen_in_2015(table),
        imd_points(model_rates(table)),
        full=not args.sampled,
    )
    print("observed 2015-2019 change of the left-behind:England IMD ratio")
    for name, value in obs.items():
        print(f"  {name:48s} {value:+.4f}")
    print(f"modelled, 2015-2019 regime, four years, {len(runs)} seeds (min to max)")
    for name in runs.columns.drop("seed"):
        col = runs[name]
        print(f"  {name:48s} {col.mean():+.4f} ({col.min():+.4f} to {col.max():+.4f})")
    if args.shared_history:
        shared = shared_history(args.data_dir, args.seeds, args.overrides, not args.sampled)
        print(
            "for information: the shared 2019-2024 history as configured (its 2020 recession "
            f"and 2022-23 price shock are not the 2015-2019 period's), {len(shared)} seeds"
        )
        for name in shared.columns.drop("seed"):
            col = shared[name]
            print(f"  {name:48s} {col.mean():+.4f} ({col.min():+.4f} to {col.max():+.4f})")
    checks = (
        ("criterion: absolute vs published", "absolute", "published"),
        ("all England: ranks vs ward ranks", "ranks", "ward ranks"),
        (
            "outside London: absolute vs published",
            "absolute, outside London",
            "published, outside London",
        ),
        (
            "outside London: ranks vs ward ranks",
            "ranks, outside London",
            "ward ranks, outside London",
        ),
        (
            "chosen with IMD 2015: absolute vs published",
            "absolute, chosen in 2015",
            "published, chosen in 2015",
        ),
    )
    verdicts = []
    for label, model_key, obs_key in checks:
        diff = float(runs[model_key].mean()) - obs[obs_key]
        verdicts.append(abs(diff) <= TOLERANCE)
        print(
            f"{label}: {diff:+.4f} (tolerance {TOLERANCE}): "
            f"{'agree' if verdicts[-1] else 'DISAGREE'}"
        )
    return 0 if verdicts[0] else 1


if __name__ == "__main__":
    sys.exit(main())
