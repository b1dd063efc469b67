"""Result tables of a run (the contract in ``docs/contracts.md``) and writing them safely.

Tables are built from the model's yearly records; they are written into a
staging folder inside the run directory and moved into place only when all
of them are complete, so a failed run leaves no half-written results.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from lbn_sim.analysis.divergence import closing_years
from lbn_sim.data.contract import STRING_COLUMNS
from lbn_sim.folders import STAGING_PREFIX, signals_held
from lbn_sim.names import RATE_INDICATORS, SUMMARY_GROUPS, left_behind_cut, rank_desc

#: Ward state recorded beside the indicators (dimensionless, 1 at the start): labour demand
#: relative to the ward's start, and private investment per resident relative to England's
#: from agglomeration alone (``exp`` of the investors' premium) and from regional growth
#: alone (``exp`` of their regional index).
STATE_COLUMNS = ("labour_demand", "agglomeration_premium", "regional_index")
#: Float columns averaged (population-weighted) in the group table.
MEAN_COLUMNS = (
    *RATE_INDICATORS,
    "funding_per_head",
    "imd_like",
    "cni_like",
    "imd_like_start_scale",
    *STATE_COLUMNS,
)


def ward_table(history: list[dict[str, np.ndarray]], wards: pd.DataFrame) -> pd.DataFrame:
    """One row per ward and year (long format), in year then ward order."""
    n_years = len(history)
    n = len(wards)
    # The text columns repeat every year: built as categoricals from each ward's code, never
    # as a string per ward and year (that took about 200 MB at England's size).
    cols: dict[str, object] = {
        "year": np.repeat([int(r["year"]) for r in history], n).astype(np.int32),
        **{c: _tiled_category(wards[c], n_years) for c in STRING_COLUMNS},
        "left_behind": np.concatenate([r["left_behind"] for r in history]).astype(bool),
        "population": np.concatenate([r["population"] for r in history]),
    }
    for c in MEAN_COLUMNS:
        cols[c] = np.concatenate([r[c] for r in history]).astype(np.float64)
    for c in ("imd_rank", "cni_rank"):
        cols[c] = np.concatenate([r[c] for r in history]).astype(np.int32)
    return pd.DataFrame(cols)


def _tiled_category(values: pd.Series, times: int) -> pd.Categorical:
    """``values`` (one per ward, ``[n]``) repeated ``times`` over, as a categorical
    (``[n * times]``) whose categories are the distinct values in sorted order."""
    once = pd.Categorical(values.astype(str))
    return pd.Categorical.from_codes(np.tile(once.codes, times), categories=once.categories)


#: Counts of a group's wards in each year beside ``n_left_behind`` (both indices), on the
#: same basis as the status (each composite's mean over the status window,
#: ``left_behind_window`` years, ranked across England): in the most deprived tenth on the
#: IMD-like score alone, on the CNI-like score alone, and at or above the start year's
#: IMD-like score at the tenth's cut, read on ``imd_like_start_scale`` (each ward's domains
#: ranked against the start year's distribution: an absolute line, which a ward crosses by
#: its own change whatever other wards do). In the start year the status is the published
#: flag and the counts read that year's scores.
STATUS_COUNTS = ("n_imd_tenth", "n_cni_tenth", "n_beyond_start_imd_line")


def status_flags(wt: pd.DataFrame, window: int = 3) -> pd.DataFrame:
    """The ward table (ward x year, each year's rows in ward order) with a bool column per
    :data:`STATUS_COUNTS` entry, read on the composites' ``window``-year means as the
    model reads the status (:meth:`lbn_sim.engine.model.LBNModel._record`)."""
    years = np.sort(wt["year"].unique())
    rows = {int(y): np.flatnonzero(wt["year"].to_numpy() == y) for y in years}
    imd_all, cni_all = wt["imd_like"].to_numpy(), wt["cni_like"].to_numpy()
    # Runs written before the start-scale column read the relative score (not a fixed line).
    fixed = wt["imd_like_start_scale" if "imd_like_start_scale" in wt else "imd_like"].to_numpy()
    flags = np.zeros((len(wt), 3), dtype=bool)
    start_rows = rows[int(years[0])]
    cut = left_behind_cut(len(start_rows))
    line = np.sort(imd_all[start_rows])[::-1][max(cut - 1, 0)]
    for i, year in enumerate(years):
        recent = [rows[int(y)] for y in years[max(0, i - window + 1) : i + 1]]
        imd = np.mean([imd_all[r] for r in recent], axis=0)
        cni = np.mean([cni_all[r] for r in recent], axis=0)
        here = rows[int(year)]
        cut = left_behind_cut(len(here))
        flags[here, 0] = rank_desc(imd) <= cut
        flags[here, 1] = rank_desc(cni) <= cut
        flags[here, 2] = fixed[here] >= line
    return wt.assign(**{name: flags[:, k] for k, name in enumerate(STATUS_COUNTS)})


def group_table(wt: pd.DataFrame, window: int = 3) -> pd.DataFrame:
    """Population-weighted means per year and group, with population, wards left behind and
    the other status counts (:data:`STATUS_COUNTS`, on the status's ``window``)."""
    wt = status_flags(wt, window)
    frames = []
    for group in SUMMARY_GROUPS:
        sub = wt if group == "england" else wt[wt["start_group"] == group]
        w = sub["population"].to_numpy()
        g = sub.assign(**{c: sub[c] * w for c in MEAN_COLUMNS}).groupby("year", observed=True)
        sums = g[[*MEAN_COLUMNS, "population"]].sum()
        means = sums[list(MEAN_COLUMNS)].div(sums["population"], axis=0)
        means["population"] = sums["population"]
        means["n_left_behind"] = g["left_behind"].sum().astype(np.int32)
        for count in STATUS_COUNTS:
            means[count] = g[count].sum().astype(np.int32)
        means["n_wards"] = g.size().astype(np.int32)
        means.insert(0, "group", group)
        frames.append(means.reset_index())
    out = pd.concat(frames, ignore_index=True)
    out["group"] = out["group"].astype("category")
    return out


def ward_summary(wt: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """One row per ward: composites and their gap to England at the start and the end."""
    first, last = int(wt["year"].min()), int(wt["year"].max())
    eng = groups[groups["group"] == "england"].set_index("year")
    start = wt[wt["year"] == first].set_index("ward_code")
    end = wt[wt["year"] == last].set_index("ward_code")
    out = pd.DataFrame(
        {
            "ward_name": start["ward_name"].astype(str),
            "la_code": start["la_code"].astype(str),
            "la_name": start["la_name"].astype(str),
            "start_group": start["start_group"].astype(str),
        }
    )
    for c in ("imd_like", "cni_like"):
        out[f"{c}_start"] = start[c]
        out[f"{c}_end"] = end[c]
        out[f"{c.split('_')[0]}_gap_start"] = start[c] - eng.loc[first, c]
        out[f"{c.split('_')[0]}_gap_end"] = end[c] - eng.loc[last, c]
    out["left_behind_start"] = start["left_behind"]
    out["left_behind_end"] = end["left_behind"]
    out.index = out.index.astype(str)
    out["imd_gap_closed_year"] = imd_gap_closed_year(wt, eng["imd_like"]).reindex(out.index)
    return out.reset_index()


def imd_gap_closed_year(wt: pd.DataFrame, england: pd.Series) -> pd.Series:
    """Per ward (indexed by code): the year from which its IMD-like gap to England stays
    closed through the last year, for wards that start above England's mean (nullable
    ``Int64``; missing if it never does, or if the ward starts at or below England's).

    ``england``: England's population-weighted mean IMD-like score, indexed by year.
    See :func:`lbn_sim.analysis.divergence.closing_years`.
    """
    wide = wt.pivot(index="ward_code", columns="year", values="imd_like").sort_index(axis=1)
    years = wide.columns.to_numpy(dtype=np.int64)
    gap = wide.to_numpy(dtype=np.float64) - england.reindex(years).to_numpy()[None, :]
    found = closing_years(gap, years)["for_good"]
    return pd.Series(pd.array(found, dtype="Int64"), index=wide.index.astype(str))


#: Files drawn by matplotlib: written in the calling thread (tables go to another thread).
FIGURE_SUFFIX = ".png"


def write_files(folder: Path, writers: dict[str, Callable[[Path], None]]) -> None:
    """Write each named file into ``folder`` (``writers``: relative path -> a function writing
    that file at the path it is given): the tables in a second thread while this one draws
    the figures.

    Each file is written by one function from the run's finished tables, so the bytes do
    not depend on the threads; Parquet's encoding and compression let go of the
    interpreter, so the tables cost little wall time beside the figures where a second core
    is free (a default run's writing: 3.43 s in turn, 3.25 s so, with both cores busy;
    benchmarks/results.md). The first error is raised once both threads are done (a stop,
    Ctrl-C, also waits for the tables' thread).
    """
    tables = {n: w for n, w in writers.items() if not n.endswith(FIGURE_SUFFIX)}
    figures = {n: w for n, w in writers.items() if n.endswith(FIGURE_SUFFIX)}
    errors: list[BaseException] = []

    def write_all(group: dict[str, Callable[[Path], None]]) -> None:
        for name, write in group.items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            write(target)

    def write_tables() -> None:
        try:
            write_all(tables)
        except BaseException as err:  # handed to the calling thread
            errors.append(err)

    if not figures:
        write_all(tables)
        return
    worker = threading.Thread(target=write_tables, name="lbn_sim-tables", daemon=True)
    worker.start()
    try:
        write_all(figures)
    finally:
        worker.join()
    if errors:
        raise errors[0]


def write_atomically(run_dir: Path, writers: dict[str, Callable[[Path], None]]) -> list[Path]:
    """Write each named file through a staging folder, then move all of them into ``run_dir``.

    ``writers`` maps a relative path to a function that writes that file at
    the path it is given. If any writer fails, nothing reaches ``run_dir``. The staging
    folder is this call's own (``.staging-<unique>``: two writers never share one), and
    a stop (Ctrl-C, SIGTERM) is held while the files are moved in, so it can never leave
    some of them there: it is delivered once all are in (or all were taken back).
    """
    run_dir.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}-", dir=run_dir))
    try:
        write_files(stage, writers)
        for name in writers:
            (run_dir / name).parent.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        with signals_held():
            try:
                for name in writers:
                    final = run_dir / name
                    os.replace(stage / name, final)
                    written.append(final)
            except BaseException:  # an OS error: roll back, all or nothing
                for path in written:
                    path.unlink(missing_ok=True)
                raise
        return written
    finally:
        shutil.rmtree(stage, ignore_errors=True)


#: Files of each output level (``outputs``; docs/contracts.md), besides ``provenance.json``,
#: ``data_report.md`` (real data) and the figures (``plots``, standard and full only).
WARDS_FILE = "wards.parquet"
GROUPS_FILE = "groups.parquet"
SUMMARY_FILE = "ward_summary.csv"
LEDGER_FILE = "ledger.parquet"
BALANCES_FILE = "balances.parquet"
WARD_YEARS_FILE = "ward_years.parquet"
MONEY_FILE = "money.parquet"
STANDARD_FILES = (WARDS_FILE, GROUPS_FILE, SUMMARY_FILE, LEDGER_FILE, BALANCES_FILE)
SUMMARY_FILES = (GROUPS_FILE, SUMMARY_FILE, WARD_YEARS_FILE, MONEY_FILE, BALANCES_FILE)
LEVEL_FILES: dict[str, tuple[str, ...]] = {
    "summary": SUMMARY_FILES,
    "standard": STANDARD_FILES,
    "full": (*STANDARD_FILES, WARD_YEARS_FILE, MONEY_FILE),
}


def ward_years_table(wt: pd.DataFrame) -> pa.Table:
    """The compact ward-by-year table of the ``summary`` level, from the ward table ``wt``
    (ward x year rows, each year's rows in ward order).

    Rows: ward by ward (in ``wt``'s ward order), each ward's years in order, so that a
    ward's code and population repeat in runs that compress to almost nothing (4.2 MB at
    England's size in ``wt``'s year-by-year order, 2.8 MB so; measured 2026-12-07).
    Columns (``n_wards x n_years`` rows): ``year`` (int16),
    ``ward_code`` (dictionary-encoded text), ``left_behind`` (bool, that year's status),
    ``population`` (float64, persons: the start year's, exact; the same every year, so
    it takes little room), ``imd_like`` and
    ``cni_like`` and ``imd_like_start_scale`` (float32, points: about 7 significant
    figures), ``imd_rank`` and
    ``cni_rank`` (int16, 1 = most deprived). The ward's name, local authority and start
    group are in ``ward_summary.csv``.

    Raises:
        ValueError: more wards than an int16 rank holds.
    """
    n_wards = int(wt["ward_code"].nunique())
    if n_wards > np.iinfo(np.int16).max:
        raise ValueError(f"ward_years.parquet holds ranks as int16: {n_wards} wards is too many")
    position = pd.factorize(wt["ward_code"], sort=False)[0]  # first appearance: ward order
    wt = wt.iloc[np.lexsort((wt["year"].to_numpy(), position))]
    codes = pd.Categorical(wt["ward_code"].astype(str))
    return pa.table(
        {
            "year": pa.array(wt["year"].to_numpy(np.int16)),
            "ward_code": pa.DictionaryArray.from_arrays(
                pa.array(codes.codes.astype(np.int16)), pa.array(codes.categories.astype(str))
            ),
            "left_behind": pa.array(wt["left_behind"].to_numpy(bool)),
            "population": pa.array(wt["population"].to_numpy(np.float64)),
            "imd_like": pa.array(wt["imd_like"].to_numpy(np.float32)),
            "cni_like": pa.array(wt["cni_like"].to_numpy(np.float32)),
            "imd_like_start_scale": pa.array(wt["imd_like_start_scale"].to_numpy(np.float32)),
            "imd_rank": pa.array(wt["imd_rank"].to_numpy(np.int16)),
            "cni_rank": pa.array(wt["cni_rank"].to_numpy(np.int16)),
        }
    )


def party(accounts: pd.Categorical, group_of: pd.Series, la_codes: pd.Index) -> pd.Categorical:
    """Each ledger account (``[n_flows]``) named as the ``summary`` level's money table
    names it: a ward as ``ward:<its start group>``, a local authority as
    ``local_authority``, any other account (``central_government``, ``programme:*``,
    ``service_delivery``, ...) as itself.

    ``group_of``: each ward's start group, indexed by ward code; ``la_codes``: the local
    authorities' codes.
    """
    names = pd.Index(accounts.categories.astype(str))
    wards = group_of.reindex(names)
    is_la = names.isin(la_codes)
    renamed = np.where(
        wards.notna().to_numpy(),
        "ward:" + wards.fillna("").astype(str).to_numpy(),
        np.where(is_la, "local_authority", names.to_numpy(dtype=str)),
    )
    return pd.Categorical(np.asarray(renamed, dtype=object)[accounts.codes])


def money_table(ledger: pd.DataFrame, wards: pd.DataFrame) -> pd.DataFrame:
    """The ``summary`` level's ledger: flows summed by ``year``, ``source``,
    ``destination`` and ``mechanism``, wards summed to their start group
    (``ward:left_behind``, ``ward:other_deprived``, ``ward:rest``) and local authorities
    to ``local_authority`` (:func:`party`); ``pence`` (int64, exact) and ``amount``
    (GBP). Sorted by its keys; the text columns are categoricals (dictionary-encoded).

    ``ledger``: the per-flow ledger (``ledger.parquet``); ``wards``: the ward table
    (``ward_code``, ``la_code``, ``start_group``; one row per ward and year or per ward).
    """
    once = wards.drop_duplicates("ward_code")
    group_of = pd.Series(
        once["start_group"].astype(str).to_numpy(), index=once["ward_code"].astype(str)
    )
    la_codes = pd.Index(once["la_code"].astype(str).unique())
    keys = ["year", "source", "destination", "mechanism"]
    named = pd.DataFrame(
        {
            "year": ledger["year"].to_numpy(),
            "source": party(_categorical(ledger["source"]), group_of, la_codes),
            "destination": party(_categorical(ledger["destination"]), group_of, la_codes),
            "mechanism": _categorical(ledger["mechanism"]),
            "pence": ledger["pence"].to_numpy(np.int64),
        }
    )
    out = named.groupby(keys, observed=True, sort=True)["pence"].sum().reset_index()
    out["pence"] = out["pence"].astype(np.int64)
    out["amount"] = out["pence"] / 100.0
    return out


def _categorical(column: pd.Series) -> pd.Categorical:
    """A text column as a categorical, without a string per row (the ledger's are already)."""
    return pd.Categorical(column.astype("category").array)
