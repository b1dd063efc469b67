"""Ensembles: medians and 5-95% bands across the runs (seeds) of one scenario.

The functions take the result tables of several runs of the same scenario and
configuration (differing only in ``seed``), keyed by a run id, and return
tidy tables of across-run statistics. Statistics are computed per run first and
summarised across runs afterwards (so a band on a gap is the band of the
per-run gaps, never the difference of two bands).

Every band table has the key columns of its kind followed by
:data:`BAND_COLUMNS`: ``n_runs`` (runs with a value), ``mean``, ``p05``,
``median`` and ``p95`` (the 5%, 50% and 95% empirical quantiles across runs,
linear interpolation between order statistics; with few runs the band is
narrow by construction, so read it together with ``n_runs``).

Reading runs from disk belongs to :mod:`lbn_sim.compare`; this module only
summarises tables it is given, and :func:`write_table` writes one table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from lbn_sim.analysis import convergence as cg
from lbn_sim.analysis import divergence as dv
from lbn_sim.names import left_behind_rule

QUANTILES: tuple[float, float, float] = (0.05, 0.5, 0.95)
"""Quantiles across runs: lower band edge, median, upper band edge."""

BAND_COLUMNS: tuple[str, ...] = ("n_runs", "mean", "p05", "median", "p95")
"""Statistic columns of every band table."""

WARD_END_MEASURES: tuple[str, ...] = (
    "imd_like_end",
    "imd_gap_start",
    "imd_gap_end",
    "imd_gap_change",
    "cni_like_end",
    "cni_gap_start",
    "cni_gap_end",
    "cni_gap_change",
    "left_behind_end",
)
"""Per-ward end-of-horizon measures summarised by :func:`ward_end_bands`
(``left_behind_end`` as 0/1, so its ``mean`` is the share of runs in which the
ward is left behind at the horizon; its percentiles are left empty)."""


def band_summary(frame: pd.DataFrame, by: Sequence[str], value: str = "value") -> pd.DataFrame:
    """Across-run statistics of ``value`` for every key ``by``.

    Args:
        frame: long table with one row per run and key (the run column itself
            is not needed); NaN values are ignored.
        by: key columns.
        value: the value column.

    Returns:
        One row per key (sorted; a key with only NaN values has ``n_runs`` 0 and NaN
        statistics): ``by`` then :data:`BAND_COLUMNS`, the numbers pandas' grouped
        ``count``, ``mean`` and ``quantile`` give (:func:`band_statistics`), computed on one
        ``[key, run]`` array instead of a pass over the long table per statistic.
    """
    keys = list(by)
    series = frame[value].astype(float)
    values = series.to_numpy()
    grouped = series.groupby([frame[k] for k in keys], sort=True, dropna=False)
    ids = grouped.ngroup().to_numpy()
    n_groups = int(ids.max()) + 1 if len(ids) else 0
    # Each key's values in the table's order (a stable sort keeps it), one row per key.
    order = np.argsort(ids, kind="stable")
    sizes = np.bincount(ids, minlength=n_groups)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    column = np.arange(len(ids)) - np.repeat(starts, sizes)
    table = np.full((n_groups, int(sizes.max()) if n_groups else 0), np.nan)
    table[ids[order], column] = values[order]
    out = grouped.size().index.to_frame(index=False)
    out.columns = pd.Index(keys)
    for name, stat in band_statistics(table).items():
        out[name] = stat
    return out


def band_statistics(table: np.ndarray) -> dict[str, np.ndarray]:
    """:data:`BAND_COLUMNS` of each row of ``table`` (float64 ``[n_keys, n_runs]``, NaN
    where a run has no value): ``n_runs`` (int), ``mean`` and the :data:`QUANTILES`,
    each ``[n_keys]``, NaN for a row without values.

    The same numbers, bit for bit, as pandas' grouped ``count``, ``mean`` (a compensated
    sum over the runs in their order) and ``quantile`` (linear between order statistics:
    ``x[i] + (x[i+1] - x[i]) f`` at ``i + f = q (n - 1)``), so a comparison reads the same
    whichever computes it (tested).
    """
    n_keys, n_runs = table.shape
    ok = ~np.isnan(table)
    count = ok.sum(axis=1)
    total = np.zeros(n_keys)
    carry = np.zeros(n_keys)
    for j in range(n_runs):  # Kahan summation in run order, as pandas' group mean
        has = ok[:, j]
        y = np.where(has, table[:, j] - carry, 0.0)
        t = total + y
        carry = np.where(has, t - total - y, carry)
        carry[np.isnan(carry)] = 0.0
        total = np.where(has, t, total)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    ordered = np.sort(table, axis=1)  # NaN last
    rows = np.arange(n_keys)
    last = max(n_runs - 1, 0)
    out: dict[str, np.ndarray] = {"n_runs": count.astype(np.int64), "mean": mean}
    for name, q in zip(("p05", "median", "p95"), QUANTILES, strict=True):
        at = q * (count - 1).astype(float)
        low = np.maximum(at.astype(np.int64), 0)
        frac = at % 1
        below = ordered[rows, np.minimum(low, last)] if n_runs else np.full(n_keys, np.nan)
        above = ordered[rows, np.minimum(low + 1, last)] if n_runs else below
        with np.errstate(invalid="ignore"):
            band = np.where(frac == 0.0, below, below + (above - below) * frac)
        out[name] = np.where(count > 0, band, np.nan)
    return out


def _stack(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Concatenate per-run tables, adding a ``run`` column (the mapping's key)."""
    if not tables:
        raise ValueError("an ensemble needs at least one run, got none")
    parts = [t.assign(run=run_id) for run_id, t in tables.items()]
    return pd.concat(parts, ignore_index=True)


def group_bands(groups_by_run: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Bands of every group trajectory in ``groups.parquet``.

    Args:
        groups_by_run: run id -> ``groups.parquet``.

    Returns:
        One row per ``(year, group, measure)``; ``measure`` runs over every
        indicator and composite present plus ``population`` (persons) and
        ``n_left_behind`` (wards); then :data:`BAND_COLUMNS` (the measure's unit).
    """
    stacked = _stack(groups_by_run)
    measures = [c for c in (*dv.MEASURES, "population", "n_left_behind") if c in stacked]
    long = stacked.melt(
        id_vars=["run", "year", "group"],
        value_vars=measures,
        var_name="measure",
        value_name="value",
    )
    return band_summary(long, ["year", "group", "measure"])


def group_gap_bands(
    groups_by_run: Mapping[str, pd.DataFrame],
    gaps_by_run: Mapping[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """Bands of the left-behind group's gap to England and to other deprived wards.

    Per run, ``gap = m_LB(t) - m_R(t)`` (see :func:`lbn_sim.analysis.divergence.group_gaps`).

    Returns:
        One row per ``(year, measure, reference)`` (``reference`` in
        ``england``, ``other_deprived``), then :data:`BAND_COLUMNS` (the
        measure's unit).
    """
    per_run = (
        dict(gaps_by_run)
        if gaps_by_run is not None
        else {run: dv.group_gaps(g) for run, g in groups_by_run.items()}
    )
    stacked = _stack(per_run)
    long = stacked.melt(
        id_vars=["run", "year", "measure"],
        value_vars=[f"gap_{r}" for r in dv.REFERENCES],
        var_name="reference",
        value_name="value",
    )
    long["reference"] = long["reference"].str.removeprefix("gap_")
    return band_summary(long, ["year", "measure", "reference"])


def count_bands(counts_by_run: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Bands of the left-behind counts per year.

    Args:
        counts_by_run: run id -> output of
            :func:`lbn_sim.analysis.divergence.left_behind_counts_from_groups` (or
            :func:`~lbn_sim.analysis.divergence.left_behind_counts`).

    Returns:
        One row per ``(year, measure)`` (``n_left_behind``,
        ``n_start_left_behind``, ``n_still_left_behind``, ``n_exited``,
        ``n_fallen_in``; wards), then :data:`BAND_COLUMNS`.
    """
    stacked = _stack(counts_by_run)
    measures = [c for c in stacked.columns if c.startswith("n_")]
    long = stacked.melt(
        id_vars=["run", "year"], value_vars=measures, var_name="measure", value_name="value"
    )
    return band_summary(long, ["year", "measure"])


def ward_end_bands(summaries_by_run: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Bands of every ward's end-of-horizon composite gaps and their change.

    Per run, ``imd_gap_change = imd_gap_end - imd_gap_start`` (points; see
    :func:`lbn_sim.analysis.divergence.ward_divergence`), likewise for CNI.

    Args:
        summaries_by_run: run id -> ``ward_summary.csv``.

    Returns:
        One row per ``(ward_code, measure)`` for the measures of
        :data:`WARD_END_MEASURES` present: ``ward_code``, ``ward_name``,
        ``la_code``, ``start_group`` (those present), ``measure``, then
        :data:`BAND_COLUMNS` (points; for ``left_behind_end`` the ``mean`` is the share
        of runs in which the ward is left behind at the horizon, 0-1, and the
        percentiles are empty).
    """
    if not summaries_by_run:
        raise ValueError("an ensemble needs at least one run, got none")
    per_run = [dv.ward_divergence(s) for s in summaries_by_run.values()]
    codes = [f["ward_code"].astype(str).to_numpy(dtype=object) for f in per_run]
    if any(pd.Index(c).has_duplicates or pd.isna(c).any() for c in codes):
        return _ward_end_bands_long(per_run, summaries_by_run)
    # One [ward, run] array per measure: the long table of every run's wards (600 runs of
    # 7,421 wards and 9 measures: 40 million rows) is never formed.
    wards = pd.Index(np.concatenate(codes)).unique().sort_values()
    at = [wards.get_indexer(c) for c in codes]
    present = {c for f in per_run for c in f.columns}
    measures = sorted(m for m in WARD_END_MEASURES if m in present)
    stats: dict[str, list[np.ndarray]] = {name: [] for name in BAND_COLUMNS}
    for measure in measures:
        table = np.full((len(wards), len(per_run)), np.nan)
        for j, (frame, rows) in enumerate(zip(per_run, at, strict=True)):
            if measure in frame.columns:
                table[rows, j] = frame[measure].to_numpy(dtype=float)
        for name, values in band_statistics(table).items():
            stats[name].append(values)
    n_measures = len(measures)
    bands = pd.DataFrame(
        {
            "ward_code": np.repeat(wards.to_numpy(dtype=object), n_measures),
            "measure": np.tile(np.asarray(measures, dtype=object), len(wards)),
            **{name: np.column_stack(v).ravel() for name, v in stats.items()},
        }
    )
    # A yes/no has no spread to band: its share of runs is the mean, and its percentiles are
    # left empty rather than read as 0 or 1.
    status = bands["measure"] == "left_behind_end"
    bands.loc[status, ["p05", "median", "p95"]] = np.nan
    ids = [c for c in dv.ID_COLUMNS if c != "ward_code" and c in present]
    # The first value each ward has (runs made before a column was written lack it).
    names = pd.DataFrame(index=pd.Index(wards, name="ward_code"), columns=ids, dtype=object)
    for frame, c in zip(per_run, codes, strict=True):
        lacking = names.isna().any(axis=1)
        if not lacking.any():
            break
        have = [k for k in ids if k in frame.columns]
        given = pd.DataFrame(frame[have].to_numpy(dtype=object), index=c, columns=have)
        names = names.fillna(given.reindex(names.index))
    names = names.reset_index().astype({k: str for k in ids}).where(names.reset_index().notna())
    out = bands.merge(names, on="ward_code", how="left")
    return out[["ward_code", *ids, "measure", *BAND_COLUMNS]]


def _ward_end_bands_long(
    per_run: Sequence[pd.DataFrame], summaries_by_run: Mapping[str, pd.DataFrame]
) -> pd.DataFrame:
    """:func:`ward_end_bands` through the long table, for summaries a ward appears in twice
    or without a code (no ``[ward, run]`` array holds them)."""
    stacked = _stack(dict(zip(summaries_by_run, per_run, strict=True)))
    measures = [m for m in WARD_END_MEASURES if m in stacked.columns]
    if "left_behind_end" in measures:
        stacked["left_behind_end"] = stacked["left_behind_end"].astype(float)
    long = stacked.melt(
        id_vars=["run", "ward_code"], value_vars=measures, var_name="measure", value_name="value"
    )
    bands = band_summary(long, ["ward_code", "measure"])
    status = bands["measure"] == "left_behind_end"
    bands.loc[status, ["p05", "median", "p95"]] = np.nan
    ids = [c for c in dv.ID_COLUMNS if c in stacked.columns and c != "ward_code"]
    names = stacked.groupby("ward_code", sort=False)[ids].first().reset_index()
    out = bands.merge(names, on="ward_code", how="left")
    return out[["ward_code", *ids, "measure", *BAND_COLUMNS]]


def sigma_bands(sigma_by_run: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Bands of sigma convergence statistics.

    Args:
        sigma_by_run: run id -> table with ``year``, ``measure`` and the columns
            of :func:`lbn_sim.analysis.convergence.sigma_convergence` (``mean``, ``sd``).

    Returns:
        One row per ``(year, measure, statistic)`` (``statistic`` in ``mean``,
        ``sd``, in the measure's unit), then :data:`BAND_COLUMNS`.
    """
    stacked = _stack(sigma_by_run)
    long = stacked.melt(
        id_vars=["run", "year", "measure"],
        value_vars=["mean", "sd"],
        var_name="statistic",
        value_name="value",
    )
    return band_summary(long, ["year", "measure", "statistic"])


def beta_bands(beta_by_run: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Bands of beta convergence results.

    Args:
        beta_by_run: run id -> table with one row per ``(measure, year_from,
            year_to)`` and the fields of :class:`lbn_sim.analysis.convergence.BetaConvergence`.

    Returns:
        One row per ``(measure, year_from, year_to, statistic)`` (``statistic``
        in ``slope``, ``slope_se``, ``r2``, ``speed``, ``half_life``, ``n``, ``n_dropped``),
        then :data:`BAND_COLUMNS` (``slope`` per year per unit of the start level, ``speed``
        per year, ``half_life`` years, ``n`` and ``n_dropped`` wards).

    The half-life is ``ln 2 / speed`` and falls as the speed rises, so its band is the
    speed band's read through that curve (``p05`` from the speed's ``p95``), ``inf``
    where the speed is not above 0 (no catch-up: never halves), with no ``mean``. A
    band of the runs' own half-lives would leave out every run without catch-up.
    """
    stacked = _stack(beta_by_run)
    keys = ["measure", "year_from", "year_to", "statistic"]
    long = stacked.melt(
        id_vars=["run", "measure", "year_from", "year_to"],
        value_vars=["slope", "slope_se", "r2", "speed", "n", "n_dropped"],
        var_name="statistic",
        value_name="value",
    )
    bands = band_summary(long, keys)
    speed = bands[bands["statistic"] == "speed"]
    half = speed.assign(statistic="half_life", mean=np.nan)
    for column, source in (("p05", "p95"), ("median", "median"), ("p95", "p05")):
        lam = speed[source].to_numpy(dtype=float)
        with np.errstate(divide="ignore"):
            half[column] = np.where(
                lam > 0, np.log(2.0) / lam, np.where(np.isnan(lam), np.nan, np.inf)
            )
    return pd.concat([bands, half], ignore_index=True).sort_values(keys, ignore_index=True)


@dataclass(frozen=True, slots=True)
class RunTables:
    """The small per-run tables an ensemble needs (one run, one seed).

    Attributes:
        run_id: a label unique within the ensemble (e.g. the run directory).
        groups: ``groups.parquet``.
        counts: left-behind counts per year (see :func:`count_bands`).
        ward_summary: ``ward_summary.csv`` (or rebuilt from ``wards.parquet``);
            None if neither was available.
        sigma: sigma convergence per year and composite (or None).
        beta: beta convergence per composite and window (or None).
        gaps: :func:`lbn_sim.analysis.divergence.group_gaps` of ``groups`` (or None:
            computed when the bands are), so that the runs' readers compute it in parallel.
    """

    run_id: str
    groups: pd.DataFrame
    counts: pd.DataFrame
    ward_summary: pd.DataFrame | None = None
    sigma: pd.DataFrame | None = None
    beta: pd.DataFrame | None = None
    gaps: pd.DataFrame | None = None


def beta_windows(start_year: int, policy_start: int, horizon: int) -> list[tuple[int, int]]:
    """The windows beta convergence is measured over: start to horizon, and from the last
    year the futures share (:func:`lbn_sim.analysis.divergence.branch_year`, the year before the
    policy start) to horizon when that lies strictly inside."""
    windows = [(start_year, horizon)]
    branch = dv.branch_year(start_year, policy_start)
    if start_year < branch < horizon:
        windows.append((branch, horizon))
    return windows


def summarise_run(
    run_id: str,
    groups: pd.DataFrame,
    ward_summary: pd.DataFrame | None = None,
    wards: pd.DataFrame | None = None,
    policy_start: int | None = None,
) -> RunTables:
    """Reduce one run's tables to the small tables an ensemble needs.

    ``wards`` (``wards.parquet``, which may be large) is only used to compute
    sigma and beta convergence of the composites across every ward (and to
    rebuild ``ward_summary`` when that is None); it is not kept.

    Args:
        run_id: label of the run.
        groups: ``groups.parquet``.
        ward_summary: ``ward_summary.csv`` or None.
        wards: ``wards.parquet`` or None.
        policy_start: policy start year (adds a beta window from the year before it, the
            last year the futures share, to the horizon).
    """
    counts = dv.left_behind_counts_from_groups(groups)
    sigma = beta = None
    if wards is not None:
        if ward_summary is None:
            ward_summary = dv.ward_summary(wards)
        comps = [c for c in dv.COMPOSITES if c in wards.columns]
        if comps and "population" in wards.columns:
            sigma = pd.concat(
                [cg.sigma_convergence(wards, c).assign(measure=c) for c in comps],
                ignore_index=True,
            )
            start, end = int(wards["year"].min()), int(wards["year"].max())
            windows = beta_windows(start, start if policy_start is None else policy_start, end)
            if end > start:
                beta = pd.DataFrame(
                    [
                        cg.beta_convergence(wards, c, t1, t2).as_dict()
                        for c in comps
                        for t1, t2 in windows
                    ]
                )
    counts = with_status_counts(counts, groups)
    if ward_summary is not None:
        counts = with_closed_gaps(counts, ward_summary)
    if wards is not None:
        counts = with_start_outside_rule(counts, wards)
    return RunTables(run_id, groups, counts, ward_summary, sigma, beta, dv.group_gaps(groups))


def with_start_outside_rule(counts: pd.DataFrame, wards: pd.DataFrame) -> pd.DataFrame:
    """``counts`` with ``n_start_outside_rule`` (the same every year): how many wards left
    behind at the start (the published flag, on real data) the model's own rule does not
    pick from the start year's ranks (:func:`lbn_sim.engine.indicators.left_behind_rule`). From
    the next year the rule decides, so about that many leave the status then by a change
    of definition, not of scores. ``counts`` unchanged without the rank columns."""
    if not {"imd_rank", "cni_rank", "left_behind"} <= set(wards.columns):
        return counts
    start = wards[wards["year"] == wards["year"].min()]
    rule = left_behind_rule(start["imd_rank"].to_numpy(), start["cni_rank"].to_numpy())
    out = counts.copy()
    out["n_start_outside_rule"] = int((start["left_behind"].to_numpy(bool) & ~rule).sum())
    return out


#: ``groups.parquet``'s status counts of the start's left-behind wards, and their names in
#: the counts table.
STATUS_COUNTS = {
    "n_imd_tenth": "n_still_imd_tenth",
    "n_cni_tenth": "n_still_cni_tenth",
    "n_beyond_start_imd_line": "n_still_beyond_start_line",
}


def with_status_counts(counts: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """``counts`` with which side drives the count still left behind: per year, how many of
    the start's left-behind wards are in the most deprived tenth on the IMD-like score
    alone, on the CNI-like alone, and at or above the start's IMD-like line (from
    ``groups.parquet``). ``counts`` unchanged for runs made before those columns."""
    if not set(STATUS_COUNTS) <= set(groups.columns):
        return counts
    lb = groups[groups["group"].astype(str) == "left_behind"].set_index("year")
    out = counts.copy()
    for column, name in STATUS_COUNTS.items():
        out[name] = lb[column].reindex(out["year"]).to_numpy().astype(int)
    return out


def with_closed_gaps(counts: pd.DataFrame, ward_summary: pd.DataFrame) -> pd.DataFrame:
    """``counts`` with ``n_gap_closed_for_good``: per year, how many of the wards left behind
    at the start had closed their IMD-like gap to England by then for good (their
    ``imd_gap_closed_year`` is that year or earlier: at or below England's mean from then
    to the horizon). ``counts`` unchanged for a summary without the column (runs made
    before it was written)."""
    if "imd_gap_closed_year" not in ward_summary.columns:
        return counts
    started = ward_summary["left_behind_start"].astype(bool).to_numpy()
    closed = pd.to_numeric(ward_summary["imd_gap_closed_year"], errors="coerce").to_numpy()
    years = np.sort(closed[started & np.isfinite(closed)])
    out = counts.copy()
    out["n_gap_closed_for_good"] = np.searchsorted(years, out["year"].to_numpy(), side="right")
    return out


@dataclass(frozen=True, slots=True)
class ScenarioEnsemble:
    """Band tables of one scenario (one configuration, several seeds).

    Attributes:
        run_ids: the runs summarised.
        groups: :func:`group_bands`.
        group_gaps: :func:`group_gap_bands`.
        counts: :func:`count_bands`.
        wards: :func:`ward_end_bands` (empty if no run had a ward summary).
        sigma: :func:`sigma_bands` (empty if no run had ``wards.parquet``).
        beta: :func:`beta_bands` (empty likewise).
    """

    run_ids: tuple[str, ...]
    groups: pd.DataFrame
    group_gaps: pd.DataFrame
    counts: pd.DataFrame
    wards: pd.DataFrame = field(default_factory=pd.DataFrame)
    sigma: pd.DataFrame = field(default_factory=pd.DataFrame)
    beta: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def n_runs(self) -> int:
        """Number of runs in the ensemble."""
        return len(self.run_ids)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The band tables by file stem (``group_bands``, ``group_gap_bands``, ...)."""
        return {
            "group_bands": self.groups,
            "group_gap_bands": self.group_gaps,
            "left_behind_count_bands": self.counts,
            "ward_end_bands": self.wards,
            "sigma_bands": self.sigma,
            "beta_bands": self.beta,
        }


def summarise_runs(runs: Sequence[RunTables]) -> ScenarioEnsemble:
    """Band tables across the runs of one scenario (see :class:`ScenarioEnsemble`)."""
    if not runs:
        raise ValueError("an ensemble needs at least one run, got none")
    ids = [r.run_id for r in runs]
    if len(set(ids)) != len(ids):
        raise ValueError(f"run ids must be unique within an ensemble, got {ids}")
    summaries = {r.run_id: r.ward_summary for r in runs if r.ward_summary is not None}
    sigmas = {r.run_id: r.sigma for r in runs if r.sigma is not None}
    betas = {r.run_id: r.beta for r in runs if r.beta is not None}
    return ScenarioEnsemble(
        run_ids=tuple(ids),
        groups=group_bands({r.run_id: r.groups for r in runs}),
        group_gaps=group_gap_bands(
            {r.run_id: r.groups for r in runs},
            {r.run_id: r.gaps for r in runs if r.gaps is not None}
            if all(r.gaps is not None for r in runs)
            else None,
        ),
        counts=count_bands({r.run_id: r.counts for r in runs}),
        wards=ward_end_bands(summaries) if summaries else pd.DataFrame(),
        sigma=sigma_bands(sigmas) if sigmas else pd.DataFrame(),
        beta=beta_bands(betas) if betas else pd.DataFrame(),
    )


def write_table(table: pd.DataFrame, directory: Path, stem: str) -> list[Path]:
    """Write ``table`` as ``<directory>/<stem>.parquet`` and ``<stem>.csv``.

    Returns:
        The two paths written.
    """
    directory.mkdir(parents=True, exist_ok=True)
    parquet = directory / f"{stem}.parquet"
    csv = directory / f"{stem}.csv"
    frame = table.reset_index(drop=True)
    # Parquet needs string column names; object columns of mixed scalars become str.
    frame.columns = pd.Index([str(c) for c in frame.columns])
    for col in frame.columns:
        if frame[col].dtype == object:
            frame[col] = frame[col].map(lambda v: v if v is None else str(v))
    frame.to_parquet(parquet, index=False)
    frame.to_csv(csv, index=False, float_format="%.10g", na_rep="")
    return [parquet, csv]
