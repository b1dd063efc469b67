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
        One row per key: ``by`` then :data:`BAND_COLUMNS`.
    """
    keys = list(by)
    values = frame[value].astype(float)
    grouped = values.groupby([frame[k] for k in keys], sort=True, dropna=False)
    quantiles = grouped.quantile(np.array(QUANTILES)).unstack(-1)
    quantiles.columns = pd.Index(["p05", "median", "p95"])
    stats = pd.DataFrame({"n_runs": grouped.count(), "mean": grouped.mean()})
    out = stats.join(quantiles).reset_index()
    out.columns = pd.Index([*keys, *BAND_COLUMNS])
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


def group_gap_bands(groups_by_run: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Bands of the left-behind group's gap to England and to other deprived wards.

    Per run, ``gap = m_LB(t) - m_R(t)`` (see :func:`lbn_sim.analysis.divergence.group_gaps`).

    Returns:
        One row per ``(year, measure, reference)`` (``reference`` in
        ``england``, ``other_deprived``), then :data:`BAND_COLUMNS` (the
        measure's unit).
    """
    per_run = {run: dv.group_gaps(g) for run, g in groups_by_run.items()}
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
    per_run = {run: dv.ward_divergence(s) for run, s in summaries_by_run.items()}
    stacked = _stack(per_run)
    measures = [m for m in WARD_END_MEASURES if m in stacked.columns]
    if "left_behind_end" in measures:
        stacked["left_behind_end"] = stacked["left_behind_end"].astype(float)
    long = stacked.melt(
        id_vars=["run", "ward_code"], value_vars=measures, var_name="measure", value_name="value"
    )
    bands = band_summary(long, ["ward_code", "measure"])
    # A yes/no has no spread to band: its share of runs is the mean, and its percentiles are
    # left empty rather than read as 0 or 1.
    status = bands["measure"] == "left_behind_end"
    bands.loc[status, ["p05", "median", "p95"]] = np.nan
    ids = [c for c in dv.ID_COLUMNS if c in stacked.columns and c != "ward_code"]
    # The first value each ward has (runs made before a column was written lack it).
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
    """

    run_id: str
    groups: pd.DataFrame
    counts: pd.DataFrame
    ward_summary: pd.DataFrame | None = None
    sigma: pd.DataFrame | None = None
    beta: pd.DataFrame | None = None


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
    return RunTables(run_id, groups, counts, ward_summary, sigma, beta)


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
        group_gaps=group_gap_bands({r.run_id: r.groups for r in runs}),
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
