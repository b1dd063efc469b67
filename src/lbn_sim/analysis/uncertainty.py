"""The futures under parameter uncertainty: a run's headline figures, value for money, bands,
and how much of a figure's spread comes from the parameters and how much from the seeds.

Read by ``experiments/parameter_uncertainty.py``. Reads result tables only; never runs the
model.

Money is the model's: real, in 2019 prices (every lever and start-year figure is a 2019
amount per resident, and settlements change in real terms), counted from the policy start
to the horizon in the ledger:

* ``public_to_lb_bn``: public money reaching the start's left-behind wards (local
  authorities' grants and ring-fenced money, and every national programme's payments),
  GBP bn;
* ``programmes_to_lb_bn``: the national programmes' payments alone reaching them, GBP bn,
  and ``programmes_per_resident_lb``: the same per resident a year;
* ``programmes_bn``: the national programmes' payments to every ward in England, GBP bn.

Value for money, per run, in GBP m: ``gbp_m_per_point`` is the programme money reaching the
225 per IMD-like point their gap to England closed from the year before the policy start to
the horizon, and ``gbp_m_per_ward_leaving`` the same money per start's left-behind ward no
longer left behind at the horizon (undefined where nothing closed or left). Against the base
case with the same parameters and seed (:func:`against_base`): the extra public money
reaching the 225 per extra point closed (``gbp_m_per_point_vs_base``) and per extra ward
leaving (``gbp_m_per_ward_vs_base``), defined where the future spends more on them and
closes more (frees more wards) than the base case: the price of what the extra money bought.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from lbn_sim.analysis import divergence as dv
from lbn_sim.analysis.ensemble import STATUS_COUNTS, RunTables

#: The start's left-behind wards, as the money table names their group.
LB = "ward:left_behind"
#: The headline figures whose spread is split between parameters and seeds.
HEADLINES = (
    "gap_end",
    "still_left_behind",
    "public_to_lb_bn",
    "programmes_to_lb_bn",
    "gbp_m_per_point",
    "gbp_m_per_ward_leaving",
    "gbp_m_per_point_vs_base",
    "gbp_m_per_ward_vs_base",
)


#: The headlines a comparison pooling parameter vectors splits (``python -m lbn_sim.compare
#: --pool param_draw``): the left-behind wards' IMD-like gap to England at the horizon
#: (points) and how many of them are still left behind then (wards), as its report says them.
COMPARE_HEADLINES = ("gap_end", "still_left_behind")


def run_headlines(run: RunTables) -> dict[str, float]:
    """:data:`COMPARE_HEADLINES` of one run, at its last year, from the small tables a
    comparison reads (``run.gaps``, or :func:`lbn_sim.analysis.divergence.group_gaps` of its
    groups, and ``run.counts``); NaN where the run lacks one."""
    gaps = run.gaps if run.gaps is not None else dv.group_gaps(run.groups)
    end = int(run.counts["year"].max())
    gap = gaps[(gaps["year"] == end) & (gaps["measure"] == "imd_like")]["gap_england"]
    still = run.counts.loc[run.counts["year"] == end, "n_still_left_behind"]
    return {
        "gap_end": float(gap.iloc[0]) if len(gap) else np.nan,
        "still_left_behind": float(still.iloc[0]) if len(still) else np.nan,
    }


def future_figures(
    wards: pd.DataFrame,
    groups: pd.DataFrame,
    money: pd.DataFrame,
    start_year: int,
    policy_start: int,
    horizon: int,
) -> dict[str, float]:
    """A run's headline figures, from its ward table, group table and summary-level money
    table (``money.parquet``: flows by ``year``, ``source``, ``destination`` and
    ``mechanism``, wards summed to their start group, ``amount`` in GBP;
    :func:`lbn_sim.runs.results.money_table` of the per-flow ledger).

    The gap is the start's left-behind wards' population-weighted IMD-like score less
    England's (points) at the start, the year before the policy start (the last year every
    future shares) and the horizon; ``still_left_behind``: how many of the start's
    left-behind wards are left behind at the horizon, with the other status counts; money
    and value for money as the module says.
    """
    g = groups.set_index(["group", "year"])

    def gap(year: int) -> float:
        return float(
            g.loc[("left_behind", year), "imd_like"] - g.loc[("england", year), "imd_like"]
        )

    lb_rows = wards[wards["start_group"] == "left_behind"]
    n_start = int((lb_rows["year"] == start_year).sum())
    end = lb_rows[lb_rows["year"] == horizon]
    still = int(end["left_behind"].sum())
    money = money[money["year"].between(policy_start, horizon)]
    source = money["source"].astype(str)
    destination = money["destination"].astype(str)
    programme = source.str.startswith("programme:")
    to_lb = destination == LB
    public = programme | (source == "local_authority")
    residents = float(
        lb_rows.loc[lb_rows["year"].between(policy_start, horizon), "population"].sum()
    )
    programmes_to_lb = float(money.loc[programme & to_lb, "amount"].sum())
    closed = gap(policy_start - 1) - gap(horizon)
    leaving = n_start - still
    return {
        "gap_start": gap(start_year),
        "gap_before_policy": gap(policy_start - 1),
        "gap_end": gap(horizon),
        "points_closed": closed,
        "n_left_behind_start": float(n_start),
        "still_left_behind": float(still),
        "wards_leaving": float(leaving),
        **{c: float(g.loc[("left_behind", horizon), c]) for c in STATUS_COUNTS},
        "public_to_lb_bn": float(money.loc[public & to_lb, "amount"].sum()) / 1e9,
        "programmes_to_lb_bn": programmes_to_lb / 1e9,
        "programmes_bn": float(
            money.loc[programme & destination.str.startswith("ward:"), "amount"].sum()
        )
        / 1e9,
        "programmes_per_resident_lb": programmes_to_lb / residents if residents else np.nan,
        "gbp_m_per_point": programmes_to_lb / 1e6 / closed if closed > 0 else np.nan,
        "gbp_m_per_ward_leaving": programmes_to_lb / 1e6 / leaving if leaving > 0 else np.nan,
    }


def against_base(runs: pd.DataFrame, keys: Sequence[str] = ("draw", "seed")) -> pd.DataFrame:
    """``runs`` (a row per future and ``keys``) with each future set against the base case
    of the same ``keys`` (the same parameters and seed): ``points_vs_base`` (the base case's
    2050 gap less this future's: points closed beyond it), ``wards_vs_base`` (the base case's
    count still left behind less this one's), ``extra_public_to_lb_bn``, and the extra
    money per extra point and per extra ward leaving (GBP m; undefined where the future does
    not spend more on them, or does not close more or free more wards, than the base case)."""
    base = runs[runs["scenario"] == "base_case"].set_index(list(keys))
    at = runs.set_index(list(keys))
    b = base.reindex(at.index)
    points = b["gap_end"] - at["gap_end"]
    wards = b["still_left_behind"] - at["still_left_behind"]
    extra = (at["public_to_lb_bn"] - b["public_to_lb_bn"]) * 1e9
    out = at.assign(
        points_vs_base=points,
        wards_vs_base=wards,
        extra_public_to_lb_bn=extra / 1e9,
        gbp_m_per_point_vs_base=(extra / 1e6 / points).where((points > 0) & (extra > 0)),
        gbp_m_per_ward_vs_base=(extra / 1e6 / wards).where((wards > 0) & (extra > 0)),
    )
    return out.reset_index()


def bands(runs: pd.DataFrame, measures: Sequence[str], by: str = "scenario") -> pd.DataFrame:
    """Median and 5-95% band of each measure per ``by``, over the runs where it is defined,
    and ``n``: how many runs define it. Columns ``<measure>_p05``, ``_median``, ``_p95``,
    ``_n``."""
    out = {}
    for m in measures:
        q = runs.groupby(by)[m].quantile([0.05, 0.5, 0.95]).unstack()
        out[f"{m}_p05"], out[f"{m}_median"], out[f"{m}_p95"] = q[0.05], q[0.5], q[0.95]
        out[f"{m}_n"] = runs.groupby(by)[m].count()
    return pd.DataFrame(out)


def variance_split(
    runs: pd.DataFrame, measure: str, draw: str = "draw", seed: str = "seed"
) -> dict[str, float]:
    """How much of ``measure``'s spread across runs comes from the parameters and how much
    from the seeds (one-way random-effects analysis of variance, draws as groups).

    With ``n`` seeds per draw: ``seed_var`` is the mean over draws of the variance across a
    draw's seeds; ``param_var`` the variance of the draws' means less ``seed_var / n``
    (floored at 0: the part of it the seeds do not explain); ``param_share`` the parameters'
    share of the two. Only draws with the measure defined for at least two seeds count;
    ``n_draws`` says how many.
    """
    clean = runs[[draw, seed, measure]].dropna()
    per = clean.groupby(draw)[measure]
    counts = per.count()
    full = counts[counts >= 2].index
    if len(full) < 2:
        return {"param_var": np.nan, "seed_var": np.nan, "param_share": np.nan, "n_draws": 0}
    sub = clean[clean[draw].isin(full)].groupby(draw)[measure]
    seed_var = float(sub.var(ddof=1).mean())
    n = float(counts[full].mean())
    param_var = max(0.0, float(sub.mean().var(ddof=1)) - seed_var / n)
    total = param_var + seed_var
    return {
        "param_var": param_var,
        "seed_var": seed_var,
        "param_share": param_var / total if total > 0 else np.nan,
        "n_draws": len(full),
    }


def split_table(
    runs: pd.DataFrame, measures: Sequence[str] = HEADLINES, by: str = "scenario"
) -> pd.DataFrame:
    """:func:`variance_split` of every measure per ``by``: rows ``(by, measure)``, columns
    ``param_sd``, ``seed_sd`` (square roots of the two variances), ``param_share``,
    ``n_draws``."""
    rows = []
    for key, sub in runs.groupby(by):
        for m in measures:
            if m not in sub:
                continue
            s = variance_split(sub, m)
            rows.append(
                {
                    by: key,
                    "measure": m,
                    "param_sd": np.sqrt(s["param_var"]),
                    "seed_sd": np.sqrt(s["seed_var"]),
                    "param_share": s["param_share"],
                    "n_draws": s["n_draws"],
                }
            )
    return pd.DataFrame(rows).set_index([by, "measure"])


def band_rows(table: pd.DataFrame, measures: Sequence[str], digits: int = 3) -> list[str]:
    """Markdown table rows, one per measure: ``| measure | median (p05 to p95) | ...`` for
    each row of ``table`` (:func:`bands`, futures as rows), in ``digits`` significant
    figures; a figure no run defines is a dash."""

    def cell(key: object, m: str) -> str:
        if not table.loc[key, f"{m}_n"]:
            return "-"
        mid, lo, hi = (table.loc[key, f"{m}_{q}"] for q in ("median", "p05", "p95"))
        return f"{mid:.{digits}g} ({lo:.{digits}g} to {hi:.{digits}g})"

    return [f"| {m} | " + " | ".join(cell(k, m) for k in table.index) + " |" for m in measures]
