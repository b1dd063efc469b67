"""Divergence metrics computed from result tables (pure functions, no model).

Every function here reads the tables a run writes (see ``docs/contracts.md``)
and returns a new :class:`pandas.DataFrame` (or a small record); nothing is
written to disk and the engine is never imported.

Notation used in the docstrings:

* ``i`` a ward, ``t`` a year, ``t0`` the first year of the table (the start
  year), ``T`` the last year (the horizon), ``Tp`` the policy start year (the first
  year of the futures' own levers; ``Tp - 1`` is the last year they share).
* ``x_i(t)`` the value of one measure (an indicator or a composite) for ward
  ``i`` in year ``t``; ``p_i(t)`` the ward's population that year (persons).
* ``m_R(t) = sum_{i in R} p_i(t) x_i(t) / sum_{i in R} p_i(t)`` the
  population-weighted mean over a reference set ``R`` of wards: ``england``
  (every ward) or ``other_deprived`` (wards whose ``start_group`` is
  ``other_deprived``). Wards whose value is missing are left out of both sums.
* ``g_i^R(t) = x_i(t) - m_R(t)`` the ward's gap to reference ``R``, in the
  measure's unit (points for the composites, 0-1 for the indicators). For every
  measure except ``funding_per_head`` higher is worse, so a positive gap means
  more deprived than the reference.

Tables in the long format have one row per ``(year, ward_code, measure)``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from lbn_sim.data.contract import STRING_COLUMNS
from lbn_sim.names import RATE_INDICATORS, SUMMARY_GROUPS

INDICATORS: tuple[str, ...] = (*RATE_INDICATORS, "funding_per_head")
"""Indicator columns of ``wards.parquet`` and ``groups.parquet``."""

COMPOSITES: tuple[str, ...] = ("imd_like", "cni_like")
"""Composite columns (points): IMD-like and CNI-like scores."""

MEASURES: tuple[str, ...] = INDICATORS + COMPOSITES
"""Every measure a gap is computed for."""

GROUPS: tuple[str, ...] = SUMMARY_GROUPS
"""Values of ``group`` in ``groups.parquet``."""

HIGHER_IS_BETTER: tuple[str, ...] = ("funding_per_head",)
"""Measures for which a ward above its reference is better off (every other: worse off)."""

REFERENCES: tuple[str, ...] = ("england", "other_deprived")
"""Reference sets a ward's gap is measured against."""

RANK_COLUMNS: dict[str, str] = {"imd_like": "imd_rank", "cni_like": "cni_rank"}
"""Rank columns written by the model for the composites (1 = most deprived)."""

ID_COLUMNS: tuple[str, ...] = STRING_COLUMNS
"""Ward identity columns carried through to per-ward outputs when present."""


def require(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise ``ValueError`` naming every column of ``columns`` missing from ``frame``."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{what} needs column(s) {missing}; the table has {sorted(map(str, frame.columns))}"
        )


def _measures(frame: pd.DataFrame, measures: Sequence[str] | None) -> list[str]:
    """The measures to use: ``measures`` if given (all must exist), else those of
    :data:`MEASURES` present in ``frame``."""
    if measures is None:
        found = [m for m in MEASURES if m in frame.columns]
        if not found:
            raise ValueError(
                f"no measure column found; expected some of {list(MEASURES)}, "
                f"the table has {sorted(map(str, frame.columns))}"
            )
        return found
    require(frame, measures, "the metric")
    return list(measures)


def _id_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in ID_COLUMNS if c in frame.columns]


def weighted_mean(values: np.ndarray, weights: np.ndarray) -> float:
    """Weighted mean ``sum w x / sum w`` of finite values.

    ``values``, ``weights``: float64 ``[n]``. Pairs with a non-finite value are
    ignored. Returns NaN when no weight remains.
    """
    x = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    ok = np.isfinite(x) & np.isfinite(w)
    total = float(w[ok].sum())
    if total <= 0.0:
        return math.nan
    return float((w[ok] * x[ok]).sum() / total)


def weighted_std(values: np.ndarray, weights: np.ndarray) -> float:
    """Population-weighted standard deviation ``sqrt(sum w (x - m)^2 / sum w)``.

    ``values``, ``weights``: float64 ``[n]``; ``m`` is :func:`weighted_mean`.
    This is the (biased) population form, the usual one for sigma convergence.
    """
    x = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    mean = weighted_mean(x, w)
    if math.isnan(mean):
        return math.nan
    ok = np.isfinite(x) & np.isfinite(w)
    return float(math.sqrt((w[ok] * (x[ok] - mean) ** 2).sum() / w[ok].sum()))


def reference_means(wards: pd.DataFrame, measures: Sequence[str] | None = None) -> pd.DataFrame:
    """Population-weighted reference means per year.

    ``m_R(t) = sum_{i in R} p_i(t) x_i(t) / sum_{i in R} p_i(t)`` for
    ``R`` in :data:`REFERENCES` (``england``: every ward; ``other_deprived``:
    wards with ``start_group == "other_deprived"``).

    Args:
        wards: ``wards.parquet`` (needs ``year``, ``population``,
            ``start_group`` and the measures).
        measures: measure columns; default every one of :data:`MEASURES` present.

    Returns:
        One row per ``(year, reference)``, a column per measure (the measure's
        unit). A year with no ``other_deprived`` ward gives NaN.
    """
    cols = _measures(wards, measures)
    require(wards, ["year", "population", "start_group"], "reference_means")
    years = pd.Index(sorted(wards["year"].unique()), name="year")
    parts = []
    for reference in REFERENCES:
        subset = wards if reference == "england" else wards[wards["start_group"] == reference]
        values = subset[cols].astype(float)
        pop = subset["population"].astype(float)
        present = values.notna()
        weighted = values.fillna(0.0).mul(pop, axis=0)
        weights = present.astype(float).mul(pop, axis=0)
        num = weighted.groupby(subset["year"]).sum()
        den = weights.groupby(subset["year"]).sum()
        means = (num / den.where(den > 0)).reindex(years)
        means.insert(0, "reference", reference)
        parts.append(means.reset_index())
    return pd.concat(parts, ignore_index=True)


def ward_gaps(wards: pd.DataFrame, measures: Sequence[str] | None = None) -> pd.DataFrame:
    """Each ward's gap to England and to the other deprived wards, every year.

    ``gap_england = x_i(t) - m_england(t)`` and
    ``gap_other_deprived = x_i(t) - m_other_deprived(t)`` (see
    :func:`reference_means`), in the measure's unit.

    Args:
        wards: ``wards.parquet``.
        measures: measure columns; default every one of :data:`MEASURES` present.

    Returns:
        Long table, one row per ``(year, ward_code, measure)``: the ward identity
        columns, ``measure``, ``value`` (``x_i(t)``), ``england`` and
        ``other_deprived`` (the reference means) and the two gaps.
    """
    cols = _measures(wards, measures)
    require(wards, ["year", "ward_code"], "ward_gaps")
    ids = _id_columns(wards)
    long = wards[["year", *ids, *cols]].melt(
        id_vars=["year", *ids], value_vars=cols, var_name="measure", value_name="value"
    )
    refs = reference_means(wards, cols).melt(
        id_vars=["year", "reference"], value_vars=cols, var_name="measure", value_name="mean"
    )
    refs_wide = refs.pivot_table(
        index=["year", "measure"], columns="reference", values="mean", dropna=False
    ).reset_index()
    refs_wide.columns.name = None
    for reference in REFERENCES:
        if reference not in refs_wide.columns:
            refs_wide[reference] = np.nan
    out = long.merge(refs_wide[["year", "measure", *REFERENCES]], on=["year", "measure"])
    out["value"] = out["value"].astype(float)
    for reference in REFERENCES:
        out[f"gap_{reference}"] = out["value"] - out[reference]
    return out.sort_values(["measure", "ward_code", "year"], ignore_index=True)


def branch_year(start_year: int, policy_start: int) -> int:
    """The last year every future shares: the year before the policy start (the year
    ``Tp`` is already the first year of a future's levers), or the start year."""
    return max(start_year, policy_start - 1)


def gap_changes(gaps: pd.DataFrame, policy_start: int) -> pd.DataFrame:
    """Change of each gap since the start year and since the futures branched.

    ``change_since_start_R(t) = g_i^R(t) - g_i^R(t0)`` and
    ``change_since_policy_R(t) = g_i^R(t) - g_i^R(Tb)`` for ``t >= Tb`` (NaN
    before), ``Tb = Tp - 1`` the last year every future shares
    (:func:`branch_year`), for ``R`` in :data:`REFERENCES`. Negative means the
    ward moved towards (or below) the reference.

    Args:
        gaps: output of :func:`ward_gaps`.
        policy_start: ``Tp``, the first year of the futures' own levers.

    Returns:
        ``gaps`` with four added columns ``change_since_start_<R>`` and
        ``change_since_policy_<R>`` (the measure's unit).
    """
    require(gaps, ["year", "ward_code", "measure"], "gap_changes")
    out = gaps.copy()
    start_year = int(out["year"].min())
    branch = branch_year(start_year, policy_start)
    key = ["ward_code", "measure"]
    for reference in REFERENCES:
        col = f"gap_{reference}"
        require(out, [col], "gap_changes")
        at_start = out.loc[out["year"] == start_year, [*key, col]].rename(columns={col: "_g0"})
        at_branch = out.loc[out["year"] == branch, [*key, col]].rename(columns={col: "_gp"})
        out = out.merge(at_start, on=key, how="left").merge(at_branch, on=key, how="left")
        out[f"change_since_start_{reference}"] = out[col] - out["_g0"]
        since_policy = out[col] - out["_gp"]
        out[f"change_since_policy_{reference}"] = since_policy.where(out["year"] >= branch)
        out = out.drop(columns=["_g0", "_gp"])
    return out


def closing_years(
    gap: NDArray[np.float64], years: NDArray[np.int64], sign: float = 1.0
) -> dict[str, NDArray[np.float64]]:
    """When each ward's gap closed by half, first closed, and closed for good.

    With ``r_i(t) = g_i(t) / g_i(t0)`` the gap as a share of its start value, for
    wards whose start gap is unfavourable (``sign * g_i(t0) > 0``; ``sign`` is +1
    where higher is worse, -1 where higher is better):

    * ``half``: the first year ``t > t0`` with ``r_i(t) <= 0.5``;
    * ``closed``: the first year with ``r_i(t) <= 0`` (the ward reached or
      crossed the reference; it may fall back later);
    * ``for_good``: the first year from which ``r_i(t) <= 0`` holds in every year
      through the last (a gap that reopens has none unless it closes again).

    A ward that starts level with or on the good side of the reference, or whose
    start gap is missing, has none of them: it had no gap to close.

    Args:
        gap: float64 ``[n_wards, n_years]``, the gap each year (first column ``t0``).
        years: int ``[n_years]``, the years of the columns, increasing.
        sign: +1.0 or -1.0, the side of the reference that is worse.

    Returns:
        ``{"half", "closed", "for_good"}``, each float64 ``[n_wards]``: a year, or NaN.
    """
    g0 = gap[:, :1]
    behind = np.nan_to_num(sign * g0[:, 0]) > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        share = gap[:, 1:] / g0
    later = np.asarray(years[1:], dtype=np.float64)

    def first(mask: NDArray[np.bool_]) -> NDArray[np.float64]:
        if later.shape[0] == 0:
            return np.full(gap.shape[0], np.nan)
        found = mask.any(axis=1) & behind
        return np.where(found, later[mask.argmax(axis=1)], np.nan)

    closed = share <= 0.0
    # Closed in this year and every later one: a cumulative "and" from the last year back.
    through_end = np.logical_and.accumulate(closed[:, ::-1], axis=1)[:, ::-1]
    return {"half": first(share <= 0.5), "closed": first(closed), "for_good": first(through_end)}


def gap_closure(gaps: pd.DataFrame, reference: str = "england") -> pd.DataFrame:
    """When each ward's gap closed by half, first closed and closed for good.

    The years of :func:`closing_years` for every ward and measure, against
    ``reference``. Only a gap that starts unfavourable can close: positive for
    every measure but ``funding_per_head`` (negative for it, where higher is
    better); a ward that starts level or ahead has none of the years.

    Args:
        gaps: output of :func:`ward_gaps`.
        reference: ``england`` or ``other_deprived``.

    Returns:
        One row per ``(ward_code, measure)``: the ward identity columns,
        ``measure``, ``gap_start`` (``g_i^R(t0)``), ``gap_end`` (``g_i^R(T)``),
        ``year_half_closed``, ``year_closed`` and ``year_closed_for_good``
        (nullable ``Int64``; missing if it never happens).
    """
    if reference not in REFERENCES:
        raise ValueError(f"reference must be one of {REFERENCES}, got {reference!r}")
    col = f"gap_{reference}"
    require(gaps, ["year", "ward_code", "measure", col], "gap_closure")
    key = ["ward_code", "measure"]
    start_year = int(gaps["year"].min())
    ids = [c for c in _id_columns(gaps) if c != "ward_code"]
    start = gaps.loc[gaps["year"] == start_year, [*key, *ids]]
    frames = []
    for measure, sub in gaps.groupby("measure", sort=True, observed=True):
        wide = sub.pivot(index="ward_code", columns="year", values=col).sort_index(axis=1)
        years = wide.columns.to_numpy(dtype=np.int64)
        values = wide.to_numpy(dtype=np.float64)
        sign = -1.0 if measure in HIGHER_IS_BETTER else 1.0
        found = closing_years(values, years, sign)
        frame = pd.DataFrame(
            {
                "ward_code": wide.index,
                "measure": measure,
                "gap_start": values[:, 0],
                "gap_end": values[:, -1],
                "year_half_closed": found["half"],
                "year_closed": found["closed"],
                "year_closed_for_good": found["for_good"],
            }
        )
        frames.append(frame)
    out = start.merge(pd.concat(frames, ignore_index=True), on=key, how="left")
    for name in ("year_half_closed", "year_closed", "year_closed_for_good"):
        out[name] = out[name].astype("Int64")
    return out[[*key, *ids, *[c for c in out.columns if c not in (*key, *ids)]]].sort_values(
        key, ignore_index=True
    )


def rank_mobility(wards: pd.DataFrame, measures: Sequence[str] | None = None) -> pd.DataFrame:
    """Rank of every ward on every measure each year, and its change since the start.

    ``rank_i(t)`` is 1 for the largest value that year (the most deprived, as
    every measure except ``funding_per_head`` is higher-is-worse; ties share
    the lowest rank). For ``imd_like`` and ``cni_like`` the model's own
    ``imd_rank`` and ``cni_rank`` are used when present. Rank mobility is
    ``rank_change(t) = rank_i(t) - rank_i(t0)``: positive means the ward moved
    away from the most deprived end (``n_wards`` is the least deprived rank).

    Returns:
        Long table, one row per ``(year, ward_code, measure)``: the ward identity
        columns, ``measure``, ``rank`` (float, 1 = most deprived), ``rank_start``
        and ``rank_change``.
    """
    cols = _measures(wards, measures)
    require(wards, ["year", "ward_code"], "rank_mobility")
    ids = _id_columns(wards)
    ranks = pd.DataFrame(index=wards.index)
    for col in cols:
        own = RANK_COLUMNS.get(col)
        if own is not None and own in wards.columns:
            ranks[col] = wards[own].astype(float)
        else:
            ranks[col] = wards.groupby("year")[col].rank(ascending=False, method="min")
    frame = pd.concat([wards[["year", *ids]], ranks], axis=1)
    long = frame.melt(
        id_vars=["year", *ids], value_vars=cols, var_name="measure", value_name="rank"
    )
    start_year = int(long["year"].min())
    start = long.loc[long["year"] == start_year, ["ward_code", "measure", "rank"]].rename(
        columns={"rank": "rank_start"}
    )
    out = long.merge(start, on=["ward_code", "measure"], how="left")
    out["rank_change"] = out["rank"] - out["rank_start"]
    return out.sort_values(["measure", "ward_code", "year"], ignore_index=True)


def left_behind_status(wards: pd.DataFrame) -> pd.DataFrame:
    """Each ward's left-behind status every year, against its status at the start.

    ``status`` is ``remained`` (left behind at ``t0`` and at ``t``),
    ``exited`` (at ``t0`` but not at ``t``), ``entered`` (not at ``t0`` but at
    ``t``: fallen in) or ``never`` (neither).

    Returns:
        One row per ``(year, ward_code)``: ``year``, the ward identity columns,
        ``left_behind`` (bool, that year), ``left_behind_start`` (bool) and
        ``status`` (str).
    """
    require(wards, ["year", "ward_code", "left_behind"], "left_behind_status")
    ids = _id_columns(wards)
    out = wards[["year", *ids, "left_behind"]].copy()
    out["left_behind"] = out["left_behind"].astype(bool)
    start_year = int(out["year"].min())
    start = out.loc[out["year"] == start_year].set_index("ward_code")["left_behind"]
    out["left_behind_start"] = out["ward_code"].map(start).fillna(False).astype(bool)
    now = out["left_behind"].to_numpy()
    then = out["left_behind_start"].to_numpy()
    out["status"] = np.select(
        [then & now, then & ~now, ~then & now],
        ["remained", "exited", "entered"],
        default="never",
    )
    return out.sort_values(["ward_code", "year"], ignore_index=True)


def left_behind_spells(wards: pd.DataFrame) -> pd.DataFrame:
    """Per ward: how often and when it left and (re-)entered left-behind status.

    With ``L_i(t)`` the status (bool), an exit is a year ``t`` with
    ``L_i(t-1) and not L_i(t)``, an entry a year with ``not L_i(t-1) and L_i(t)``
    (consecutive years of the table).

    Returns:
        One row per ward: the ward identity columns, ``left_behind_start``,
        ``left_behind_end`` (bool), ``years_left_behind`` (int, years with
        ``L_i(t)``), ``n_exits``, ``n_entries`` (int), ``first_exit_year`` and
        ``first_entry_year`` (first exit / entry after the start; nullable
        ``Int64``, ``<NA>`` if none).
    """
    status = left_behind_status(wards)
    status = status.sort_values(["ward_code", "year"])
    prev = status.groupby("ward_code")["left_behind"].shift(1)
    has_prev = prev.notna()
    prev_b = prev.fillna(False).astype(bool)
    status["_exit"] = has_prev & prev_b & ~status["left_behind"]
    status["_entry"] = has_prev & ~prev_b & status["left_behind"]
    ids = _id_columns(status)
    by = status.groupby("ward_code", sort=True)
    out = by[[c for c in ids if c != "ward_code"]].first()
    out["left_behind_start"] = by["left_behind_start"].first()
    out["left_behind_end"] = by["left_behind"].last()
    out["years_left_behind"] = by["left_behind"].sum().astype(int)
    out["n_exits"] = by["_exit"].sum().astype(int)
    out["n_entries"] = by["_entry"].sum().astype(int)
    for name, flag in (("first_exit_year", "_exit"), ("first_entry_year", "_entry")):
        first = status.loc[status[flag]].groupby("ward_code")["year"].min()
        out[name] = first.reindex(out.index).astype("Int64")
    return out.reset_index()


def left_behind_counts(wards: pd.DataFrame) -> pd.DataFrame:
    """Per year: how many wards are left behind, and how that splits by start status.

    ``n_left_behind(t) = #{i : L_i(t)}``; ``n_start_left_behind = #{i : L_i(t0)}``;
    ``n_still_left_behind(t) = #{i : L_i(t0) and L_i(t)}``;
    ``n_exited(t) = n_start_left_behind - n_still_left_behind(t)``;
    ``n_fallen_in(t) = #{i : not L_i(t0) and L_i(t)}``.

    Returns:
        One row per year with those five integer columns (wards).
    """
    status = left_behind_status(wards)
    flags = pd.DataFrame(
        {
            "year": status["year"],
            "n_left_behind": status["left_behind"],
            "n_start_left_behind": status["left_behind_start"],
            "n_still_left_behind": status["status"] == "remained",
            "n_exited": status["status"] == "exited",
            "n_fallen_in": status["status"] == "entered",
        }
    )
    return flags.groupby("year", as_index=False).sum().astype(int)


def left_behind_counts_from_groups(groups: pd.DataFrame) -> pd.DataFrame:
    """The same counts as :func:`left_behind_counts`, from ``groups.parquet`` alone.

    The ``left_behind`` group holds the wards left behind at the start, so its
    ``n_left_behind`` is ``n_still_left_behind``; the ``england`` group's is the
    total; ``n_fallen_in = total - n_still_left_behind``;
    ``n_start_left_behind`` is ``n_still_left_behind`` in the first year (every
    start-left-behind ward is left behind then); ``n_exited = n_start_left_behind
    - n_still_left_behind``.

    Returns:
        One row per year: ``year``, ``n_left_behind``, ``n_start_left_behind``,
        ``n_still_left_behind``, ``n_exited``, ``n_fallen_in`` (wards, float so
        that missing groups give NaN).
    """
    require(groups, ["year", "group", "n_left_behind"], "left_behind_counts_from_groups")
    wide = groups.pivot_table(index="year", columns="group", values="n_left_behind", aggfunc="sum")
    total = wide["england"].astype(float) if "england" in wide else pd.Series(np.nan, wide.index)
    still = (
        wide["left_behind"].astype(float)
        if "left_behind" in wide
        else pd.Series(np.nan, wide.index)
    )
    start_count = float(still.iloc[0]) if len(still) else math.nan
    out = pd.DataFrame(
        {
            "n_left_behind": total,
            "n_start_left_behind": start_count,
            "n_still_left_behind": still,
            "n_exited": start_count - still,
            "n_fallen_in": total - still,
        },
        index=wide.index,
    )
    out.index.name = "year"
    return out.reset_index()


def group_gaps(groups: pd.DataFrame, measures: Sequence[str] | None = None) -> pd.DataFrame:
    """Gap of the left-behind group's mean to England's and to other deprived wards'.

    ``gap_england(t) = m_LB(t) - m_england(t)`` and
    ``gap_other_deprived(t) = m_LB(t) - m_other_deprived(t)``, where ``m_G`` is
    the population-weighted mean of group ``G`` as written in ``groups.parquet``
    (``LB``: wards left behind at the start).

    Returns:
        Long table, one row per ``(year, measure)``: ``left_behind``,
        ``other_deprived``, ``england`` (the group means) and the two gaps
        (the measure's unit).
    """
    cols = _measures(groups, measures)
    require(groups, ["year", "group"], "group_gaps")
    # Each group's means as one [year, measure] array (a pivot of the long table gave the
    # same numbers at about ten times the cost, which a 600-run comparison pays per run).
    years = np.sort(groups["year"].unique())
    names = groups["group"].astype(str).to_numpy()
    means: dict[str, np.ndarray] = {}
    for group in GROUPS:
        rows = groups.loc[names == group, ["year", *cols]]
        if rows["year"].duplicated().any():  # several rows of a year: their mean
            rows = rows.groupby("year").mean()
        else:
            rows = rows.set_index("year")
        means[group] = rows.reindex(years)[cols].to_numpy(dtype=float)
    order = np.argsort(np.asarray(cols, dtype=object), kind="stable")
    n_years = len(years)
    out = pd.DataFrame(
        {
            "year": np.tile(years, len(cols)),
            "measure": np.repeat(np.asarray(cols, dtype=object)[order], n_years),
        }
    )
    for group in GROUPS:
        out[group] = means[group][:, order].T.ravel()
    out["gap_england"] = out["left_behind"] - out["england"]
    out["gap_other_deprived"] = out["left_behind"] - out["other_deprived"]
    return out


def ward_summary(wards: pd.DataFrame) -> pd.DataFrame:
    """Rebuild ``ward_summary.csv`` from ``wards.parquet``.

    ``imd_gap_* = imd_like - m_england(imd_like)`` and likewise for
    ``cni_like`` (``cni_gap_*``), at the first (``_start``) and last (``_end``)
    year; ``left_behind_start`` / ``left_behind_end`` the status then;
    ``imd_gap_closed_year`` the year the IMD-like gap to England closed for good
    (:func:`closing_years`).

    Returns:
        One row per ward with the columns of ``ward_summary.csv`` (see
        ``docs/contracts.md``), for the composites present.
    """
    comps = [c for c in COMPOSITES if c in wards.columns]
    gaps = ward_gaps(wards, comps)
    start_year = int(gaps["year"].min())
    end_year = int(gaps["year"].max())
    ids = _id_columns(wards)
    out: pd.DataFrame = wards.loc[wards["year"] == start_year, ids].set_index("ward_code")
    for comp in comps:
        prefix = comp.split("_")[0]
        sub = gaps[gaps["measure"] == comp].set_index("ward_code")
        for when, year in (("start", start_year), ("end", end_year)):
            at = sub[sub["year"] == year]
            out[f"{comp}_{when}"] = at["value"]
            out[f"{prefix}_gap_{when}"] = at["gap_england"]
    if "left_behind" in wards.columns:
        for when, year in (("start", start_year), ("end", end_year)):
            status = wards.loc[wards["year"] == year].set_index("ward_code")["left_behind"]
            out[f"left_behind_{when}"] = status.astype(bool)
    if "imd_like" in comps:
        closed = gap_closure(gaps[gaps["measure"] == "imd_like"], "england")
        out["imd_gap_closed_year"] = closed.set_index("ward_code")["year_closed_for_good"]
    return out.reset_index()


def ward_divergence(summary: pd.DataFrame) -> pd.DataFrame:
    """Per-ward change of the composite gaps from start to horizon.

    ``imd_gap_change = imd_gap_end - imd_gap_start`` (points; negative: the ward
    closed on England) and ``cni_gap_change`` likewise.

    Args:
        summary: ``ward_summary.csv`` (or :func:`ward_summary`).

    Returns:
        ``summary`` with ``imd_gap_change`` and ``cni_gap_change`` added (for the
        composites present).
    """
    out = summary.copy()
    for prefix in ("imd", "cni"):
        start, end = f"{prefix}_gap_start", f"{prefix}_gap_end"
        if start in out.columns and end in out.columns:
            out[f"{prefix}_gap_change"] = out[end].astype(float) - out[start].astype(float)
    return out
