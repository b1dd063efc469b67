"""Divergence metrics computed from result tables (pure functions, no model).

Every function here reads the tables a run writes (see ``docs/contracts.md``)
and returns a new :class:`pandas.DataFrame` (or a small record); nothing is
written to disk and the engine is never imported.

Notation used in the docstrings:

* ``i`` a ward, ``t`` a year, ``t0`` the first year of the table (the start
  year), ``T`` the last year (the horizon), ``Tp`` the policy start year.
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
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lbn_sim.indicators import RATE_INDICATORS

INDICATORS: tuple[str, ...] = (*RATE_INDICATORS, "funding_per_head")
"""Indicator columns of ``wards.parquet`` and ``groups.parquet``."""

COMPOSITES: tuple[str, ...] = ("imd_like", "cni_like")
"""Composite columns (points): IMD-like and CNI-like scores."""

MEASURES: tuple[str, ...] = INDICATORS + COMPOSITES
"""Every measure a gap is computed for."""

GROUPS: tuple[str, ...] = ("left_behind", "other_deprived", "england")
"""Values of ``group`` in ``groups.parquet``."""

REFERENCES: tuple[str, ...] = ("england", "other_deprived")
"""Reference sets a ward's gap is measured against."""

RANK_COLUMNS: dict[str, str] = {"imd_like": "imd_rank", "cni_like": "cni_rank"}
"""Rank columns written by the model for the composites (1 = most deprived)."""

ID_COLUMNS: tuple[str, ...] = ("ward_code", "ward_name", "la_code", "start_group")
"""Ward identity columns carried through to per-ward outputs when present."""


def _require(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
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
    _require(frame, measures, "the metric")
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
    _require(wards, ["year", "population", "start_group"], "reference_means")
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
    _require(wards, ["year", "ward_code"], "ward_gaps")
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


def gap_changes(gaps: pd.DataFrame, policy_start: int) -> pd.DataFrame:
    """Change of each gap since the start year and since the policy start.

    ``change_since_start_R(t) = g_i^R(t) - g_i^R(t0)`` and
    ``change_since_policy_R(t) = g_i^R(t) - g_i^R(Tp)`` for ``t >= Tp`` (NaN
    before ``Tp``), for ``R`` in :data:`REFERENCES`. Negative means the ward
    moved towards (or below) the reference.

    Args:
        gaps: output of :func:`ward_gaps`.
        policy_start: ``Tp``, the year the futures branch.

    Returns:
        ``gaps`` with four added columns ``change_since_start_<R>`` and
        ``change_since_policy_<R>`` (the measure's unit).
    """
    _require(gaps, ["year", "ward_code", "measure"], "gap_changes")
    out = gaps.copy()
    start_year = int(out["year"].min())
    key = ["ward_code", "measure"]
    for reference in REFERENCES:
        col = f"gap_{reference}"
        _require(out, [col], "gap_changes")
        at_start = out.loc[out["year"] == start_year, [*key, col]].rename(columns={col: "_g0"})
        at_policy = out.loc[out["year"] == policy_start, [*key, col]].rename(columns={col: "_gp"})
        out = out.merge(at_start, on=key, how="left").merge(at_policy, on=key, how="left")
        out[f"change_since_start_{reference}"] = out[col] - out["_g0"]
        since_policy = out[col] - out["_gp"]
        out[f"change_since_policy_{reference}"] = since_policy.where(out["year"] >= policy_start)
        out = out.drop(columns=["_g0", "_gp"])
    return out


def gap_closure(gaps: pd.DataFrame, reference: str = "england") -> pd.DataFrame:
    """First year a ward's gap has closed by half, and fully, relative to the start.

    With ``r_i(t) = g_i^R(t) / g_i^R(t0)`` the gap as a share of its start
    value, the gap has closed by half in the first year ``t > t0`` with
    ``r_i(t) <= 0.5`` and fully in the first year with ``r_i(t) <= 0`` (the
    ward reached or crossed the reference). This works for either sign of the
    start gap. Only the first crossing counts: a gap that later reopens keeps
    its closing year. Missing (``<NA>``) if it never happens or if the start
    gap is zero or missing.

    Args:
        gaps: output of :func:`ward_gaps`.
        reference: ``england`` or ``other_deprived``.

    Returns:
        One row per ``(ward_code, measure)``: the ward identity columns,
        ``measure``, ``gap_start`` (``g_i^R(t0)``), ``gap_end`` (``g_i^R(T)``),
        ``year_half_closed`` and ``year_closed`` (nullable ``Int64``).
    """
    if reference not in REFERENCES:
        raise ValueError(f"reference must be one of {REFERENCES}, got {reference!r}")
    col = f"gap_{reference}"
    _require(gaps, ["year", "ward_code", "measure", col], "gap_closure")
    key = ["ward_code", "measure"]
    start_year = int(gaps["year"].min())
    end_year = int(gaps["year"].max())
    ids = [c for c in _id_columns(gaps) if c != "ward_code"]
    start = gaps.loc[gaps["year"] == start_year, [*key, *ids, col]].rename(
        columns={col: "gap_start"}
    )
    end = gaps.loc[gaps["year"] == end_year, [*key, col]].rename(columns={col: "gap_end"})
    out = start.merge(end, on=key, how="left")
    later = gaps.loc[gaps["year"] > start_year, [*key, "year", col]].merge(
        start[[*key, "gap_start"]], on=key
    )
    g0 = later["gap_start"]
    ratio = (later[col] / g0).where(g0.notna() & (g0 != 0))
    for name, threshold in (("year_half_closed", 0.5), ("year_closed", 0.0)):
        hit = later.loc[ratio <= threshold]
        first = hit.groupby(key)["year"].min().rename(name).reset_index()
        out = out.merge(first, on=key, how="left")
        out[name] = out[name].astype("Int64")
    return out.sort_values(key, ignore_index=True)


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
    _require(wards, ["year", "ward_code"], "rank_mobility")
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
    _require(wards, ["year", "ward_code", "left_behind"], "left_behind_status")
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
    _require(groups, ["year", "group", "n_left_behind"], "left_behind_counts_from_groups")
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
    _require(groups, ["year", "group"], "group_gaps")
    long = groups[["year", "group", *cols]].melt(
        id_vars=["year", "group"], value_vars=cols, var_name="measure", value_name="value"
    )
    wide = long.pivot_table(
        index=["year", "measure"], columns="group", values="value", dropna=False
    )
    wide.columns.name = None
    for group in GROUPS:
        if group not in wide.columns:
            wide[group] = np.nan
    wide = wide[list(GROUPS)].astype(float)
    wide["gap_england"] = wide["left_behind"] - wide["england"]
    wide["gap_other_deprived"] = wide["left_behind"] - wide["other_deprived"]
    return wide.reset_index().sort_values(["measure", "year"], ignore_index=True)


def sigma_convergence(
    wards: pd.DataFrame,
    measure: str = "imd_like",
    start_groups: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Sigma convergence: dispersion of one measure across wards, every year.

    ``mean(t) = m(t)`` (population-weighted), ``sd(t) = sqrt(sum_i p_i(t)
    (x_i(t) - m(t))^2 / sum_i p_i(t))`` and ``cv(t) = sd(t) / mean(t)``.
    Sigma convergence holds over a period when ``sd`` (or ``cv``) falls.

    Args:
        wards: ``wards.parquet``.
        measure: the measure column (default ``imd_like``).
        start_groups: restrict to wards whose ``start_group`` is listed;
            default every ward (England).

    Returns:
        One row per year: ``year``, ``n_wards``, ``mean``, ``sd`` (the
        measure's unit) and ``cv`` (dimensionless).
    """
    _require(wards, ["year", "population", measure], "sigma_convergence")
    frame = wards
    if start_groups is not None:
        _require(wards, ["start_group"], "sigma_convergence with start_groups")
        frame = wards[wards["start_group"].isin(list(start_groups))]
    x = frame[measure].astype(float)
    p = frame["population"].astype(float).where(x.notna(), 0.0)
    xs = x.fillna(0.0)
    by_year = frame["year"]
    sw = p.groupby(by_year).sum()
    swx = (p * xs).groupby(by_year).sum()
    n = x.notna().groupby(by_year).sum()
    mean = swx / sw.where(sw > 0)
    # Two passes (deviations from the year's mean) keep long runs numerically sane.
    dev = xs - by_year.map(mean).astype(float)
    var = (p * dev * dev).groupby(by_year).sum() / sw.where(sw > 0)
    sd = np.sqrt(var)
    out = pd.DataFrame({"n_wards": n.astype(int), "mean": mean, "sd": sd, "cv": sd / mean})
    out.index.name = "year"
    return out.reset_index()


@dataclass(frozen=True, slots=True)
class BetaConvergence:
    """Result of :func:`beta_convergence` (one measure, one window), in levels.

    Attributes:
        measure: the measure regressed.
        year_from, year_to: the window ``[t1, t2]`` (years).
        slope: ``beta`` (per year: the measure's unit per year per unit of the
            start level); negative means wards that started higher fell faster
            (catch-up, for a higher-is-worse measure), positive that they rose
            faster (falling further behind).
        intercept: ``alpha`` (the measure's unit per year).
        slope_se: standard error of ``beta`` (NaN when ``n < 3``).
        r2: coefficient of determination.
        n: wards used; n_dropped: wards left out (a value missing or non-finite
            at either end, or a non-positive weight).
        speed: implied catch-up speed ``lambda = -ln(1 + beta*(t2 - t1)) / (t2 - t1)``
            (per year; negative when ``beta > 0``); NaN when ``1 + beta*(t2 - t1) <= 0``.
        half_life: ``ln 2 / lambda`` (years) when ``lambda > 0``, else NaN.
    """

    measure: str
    year_from: int
    year_to: int
    slope: float
    intercept: float
    slope_se: float
    r2: float
    n: int
    n_dropped: int
    speed: float
    half_life: float

    def as_dict(self) -> dict[str, float | int | str]:
        """The record as a plain mapping (one row of a table)."""
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class _LineFit:
    """Weighted least-squares line ``y = intercept + slope * x`` (NaN where undefined)."""

    slope: float
    intercept: float
    slope_se: float
    r2: float


def _weighted_line(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> _LineFit:
    """Weighted least squares of ``y`` on ``x``.

    ``x``, ``y``: float64 ``[n]`` finite; ``w``: float64 ``[n]`` positive
    weights (normalised here). The slope's standard error uses ``n`` as the
    number of observations; it is NaN when ``n < 3``. Slope, its error and
    ``r2`` are NaN when ``x`` does not vary.
    """
    n = len(x)
    ww = w / w.sum()
    mx = float((ww * x).sum())
    my = float((ww * y).sum())
    sxx = float((ww * (x - mx) ** 2).sum())
    if sxx <= 0.0:
        return _LineFit(math.nan, my, math.nan, math.nan)
    slope = float((ww * (x - mx) * (y - my)).sum() / sxx)
    intercept = my - slope * mx
    resid = y - intercept - slope * x
    ss_res = float((ww * resid**2).sum())
    ss_tot = float((ww * (y - my) ** 2).sum())
    r2 = 1.0 - ss_res / ss_tot if ss_tot > 0 else 1.0
    se = math.sqrt(ss_res / sxx / (n - 2)) if n > 2 else math.nan
    return _LineFit(slope, intercept, se, r2)


def _speed_and_half_life(slope: float, horizon: float) -> tuple[float, float]:
    """``lambda = -ln(1 + beta T) / T`` (per year) and ``ln 2 / lambda`` (years).

    ``lambda`` is NaN when ``1 + beta T <= 0``; the half-life is NaN unless
    ``lambda > 0``.
    """
    base = 1.0 + slope * horizon
    speed = -math.log(base) / horizon if math.isfinite(base) and base > 0 else math.nan
    half_life = math.log(2.0) / speed if math.isfinite(speed) and speed > 0 else math.nan
    return speed, half_life


def beta_convergence(
    wards: pd.DataFrame,
    measure: str = "imd_like",
    year_from: int | None = None,
    year_to: int | None = None,
    weighted: bool = False,
    start_groups: Sequence[str] | None = None,
) -> BetaConvergence:
    """Beta convergence in levels: OLS of the yearly change on the starting level.

    For each ward, ``change_i = (x_i(t2) - x_i(t1)) / T`` with ``T = t2 - t1``
    (the measure's unit per year), and ``change_i = alpha + beta * x_i(t1) + e_i``
    is fitted by least squares (weighted by ``p_i(t1)`` if ``weighted``).
    ``beta < 0`` means wards that started more deprived fare better than the
    rest (improve more, or worsen less): catch-up; ``beta > 0`` means they fare
    worse: falling further behind.

    Levels, not logs: a composite such as ``imd_like`` is the start score plus
    weighted domain changes, so it can reach zero or go negative for the least
    deprived wards; the log specification would have to drop those wards and
    turns scores near zero into huge growth rates. In levels every finite value
    counts. Since ``x_i(t2) = alpha T + (1 + beta T) x_i(t1) + e_i T``, the
    implied speed of convergence is exactly ``lambda = -ln(1 + beta T) / T``
    (per year) and the half-life ``ln 2 / lambda`` (years).

    Args:
        wards: ``wards.parquet`` (needs ``year``, ``ward_code``, the measure and,
            if ``weighted``, ``population``).
        measure: the measure column (default ``imd_like``).
        year_from, year_to: ``t1`` and ``t2``; default the first and last year.
        weighted: weight wards by population at ``t1``.
        start_groups: restrict to wards whose ``start_group`` is listed.

    Returns:
        A :class:`BetaConvergence`; wards with a missing or non-finite value at
        either end, or a non-positive weight, are counted in ``n_dropped``.
    """
    _require(wards, ["year", "ward_code", measure], "beta_convergence")
    t1 = int(wards["year"].min()) if year_from is None else int(year_from)
    t2 = int(wards["year"].max()) if year_to is None else int(year_to)
    if t2 <= t1:
        raise ValueError(f"beta_convergence needs year_to > year_from, got {t1} and {t2}")
    frame = wards
    if start_groups is not None:
        _require(wards, ["start_group"], "beta_convergence with start_groups")
        frame = wards[wards["start_group"].isin(list(start_groups))]
    cols = ["ward_code", measure, *(["population"] if weighted else [])]
    a = frame.loc[frame["year"] == t1, cols]
    b = frame.loc[frame["year"] == t2, ["ward_code", measure]]
    if a.empty or b.empty:
        raise ValueError(f"beta_convergence: no ward has data in both {t1} and {t2}")
    joined = a.merge(b, on="ward_code", how="outer", suffixes=("", "_end"))
    x0 = joined[measure].to_numpy(dtype=float)
    x1 = joined[f"{measure}_end"].to_numpy(dtype=float)
    w = joined["population"].to_numpy(dtype=float) if weighted else np.ones(len(joined))
    ok = np.isfinite(x0) & np.isfinite(x1) & np.isfinite(w) & (w > 0)
    n = int(ok.sum())
    horizon = float(t2 - t1)
    if n < 2:
        nan = math.nan
        return BetaConvergence(measure, t1, t2, nan, nan, nan, nan, n, len(joined) - n, nan, nan)
    fit = _weighted_line(x0[ok], (x1[ok] - x0[ok]) / horizon, w[ok])
    speed, half_life = _speed_and_half_life(fit.slope, horizon)
    return BetaConvergence(
        measure=measure,
        year_from=t1,
        year_to=t2,
        slope=fit.slope,
        intercept=fit.intercept,
        slope_se=fit.slope_se,
        r2=fit.r2,
        n=n,
        n_dropped=len(joined) - n,
        speed=speed,
        half_life=half_life,
    )


def ward_summary(wards: pd.DataFrame) -> pd.DataFrame:
    """Rebuild ``ward_summary.csv`` from ``wards.parquet``.

    ``imd_gap_* = imd_like - m_england(imd_like)`` and likewise for
    ``cni_like`` (``cni_gap_*``), at the first (``_start``) and last (``_end``)
    year; ``left_behind_start`` / ``left_behind_end`` the status then.

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
