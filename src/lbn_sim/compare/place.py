"""A place view: one local authority's (or one ward's) wards under each future.

``python -m lbn_sim.compare DIR --place Blackpool`` and :func:`lbn_sim.place` answer "what
happens to our wards?" from finished runs:

1. **Find the place** (:func:`find_place`): a local authority's name or code (every ward of
   it), a ward's code, or a ward's name (when one ward has it; several wards of one name are
   refused, naming each with its code and authority). Case, spacing and punctuation do not
   matter (``st helens`` is St. Helens); a miss is refused with the closest names: those
   holding the query as a word first (``durham``: County Durham), then those spelt nearly
   alike (:mod:`difflib`).
2. **Read** the place's rows of every run's ``wards.parquet`` (only the columns needed) and
   each ward's IMD-like gap to England, ``g_i(t) = x_i(t) - m_england(t)`` in IMD-like
   points (:func:`lbn_sim.analysis.divergence.ward_gaps`, the definition of
   ``ward_summary.csv``'s ``imd_gap_*``), with England's mean taken over every ward.
3. **Band** across the runs of each future (seeds, and any pooled key): the median and 5-95%
   band of the gap, and the share of runs in which the ward is left behind, every year
   (:attr:`PlaceView.trajectories`) and at the start, the last shared year and the horizon
   (:attr:`PlaceView.table`).

Only result tables are read; the model is never imported.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import pyarrow as pa

from lbn_sim.analysis import divergence as dv
from lbn_sim.analysis.ensemble import band_summary
from lbn_sim.bad_files import BadFile, error_line
from lbn_sim.compare.plan import ComparisonPlan, plan_comparison, variant_label
from lbn_sim.compare.runs import (
    CONFIG_FILE,
    GROUPS_FILE,
    SUMMARY_FILE,
    WARDS_FILE,
    CompareRefusal,
    RunInfo,
    find_run_dirs,
    load_run_info,
)
from lbn_sim.plots.parts import ordered_scenarios

__all__ = [
    "PLACE_COLUMNS",
    "Place",
    "PlaceView",
    "find_place",
    "place_slug",
    "place_view",
    "read_place_index",
]

PLACE_COLUMNS: tuple[str, ...] = ("ward_code", "ward_name", "la_code", "la_name", "start_group")
"""Columns that name a ward and its authority (every run's ``ward_summary.csv`` has them)."""

#: Columns of ``wards.parquet`` a place view reads (England's mean needs every ward's).
_READ = ("year", "ward_code", "start_group", "population", "imd_like", "left_behind")
#: Closest names offered for a place that matches nothing.
N_SUGGESTIONS = 5


@dataclass(frozen=True, slots=True)
class Place:
    """A place found among the runs' wards.

    Attributes:
        query: what was asked for, as given.
        kind: ``"local authority"`` or ``"ward"``.
        name: the place's name (``Blackpool``; a ward as ``Bloomfield (Blackpool)``).
        wards: the place's wards, one row each: :data:`PLACE_COLUMNS`, sorted by code.
    """

    query: str
    kind: Literal["local authority", "ward"]
    name: str
    wards: pd.DataFrame

    @property
    def codes(self) -> list[str]:
        """The place's ward codes."""
        return [str(c) for c in self.wards["ward_code"]]


@dataclass(frozen=True, slots=True)
class PlaceView:
    """A place's wards under each future, banded across runs.

    Attributes:
        place: the place.
        table: one row per variant, future, ward and year of :attr:`years`: ``variant``
            (the swept keys' values, empty with none), ``scenario``, :data:`PLACE_COLUMNS`,
            ``year``, ``n_runs``, the gap's ``mean``, ``p05``, ``median`` and ``p95`` (IMD-like
            points above England's population-weighted mean; positive is more deprived),
            and ``left_behind_share`` (share of the runs in which the ward is left behind
            that year, in [0, 1]).
        trajectories: the same columns for every year of the runs.
        years: ``{"start": 2019, "last shared": 2024, "horizon": 2050}``: the table's years
            (the last shared is the year before the policy start).
        change: one row per variant, future and ward: the band across runs of the change in
            gap from the start to the horizon (``n_runs``, ``mean``, ``p05``, ``median``,
            ``p95``; points, positive: further behind England), each run's own change.
        data: the data the runs come from (``data.name``), or None when not known.
        data_dir: the runs' ``data.dir`` (None: the loader's default folder).
    """

    place: Place
    table: pd.DataFrame
    trajectories: pd.DataFrame
    years: Mapping[str, int]
    change: pd.DataFrame
    data: str | None = None
    data_dir: str | None = None

    @property
    def variants(self) -> list[str]:
        """The variants' labels, in the order of the table."""
        return list(dict.fromkeys(self.table["variant"]))


def _norm(text: object) -> str:
    """Case, spacing and punctuation folded, for matching: ``' Blackpool '`` ->
    ``'blackpool'``, ``'St. Helens'`` -> ``'st helens'``."""
    return " ".join(re.sub(r"[^\w]+", " ", str(text)).split()).casefold()


def place_slug(name: str) -> str:
    """A file-name part for a place: ``"Bloomfield (Blackpool)"`` -> ``"bloomfield-blackpool"``."""
    slug = re.sub(r"[^a-z0-9]+", "-", _norm(name)).strip("-")
    return slug or "place"


def find_place(index: pd.DataFrame, query: str) -> Place:
    """The wards ``query`` names in ``index`` (one row per ward: :data:`PLACE_COLUMNS`).

    Tried in order: a local authority's name or code (all its wards), a ward's code, a
    ward's name. Case, runs of spaces and punctuation are ignored.

    Raises:
        CompareRefusal: nothing matches (the message offers the closest authority and ward
            names), or a ward name several wards share (the message lists them with their
            codes and authorities, to give a code instead).
    """
    missing = [c for c in PLACE_COLUMNS if c not in index.columns]
    if missing:
        raise CompareRefusal(
            f"the runs' ward tables lack {', '.join(missing)}: a place cannot be found"
        )
    wanted = _norm(query)
    if not wanted:
        raise CompareRefusal("the place is empty: give a local authority, a ward name or a code")
    wards = index[list(PLACE_COLUMNS)].drop_duplicates("ward_code").astype(str)
    for column in ("la_name", "la_code"):
        hit = wards[wards[column].map(_norm) == wanted]
        if not hit.empty:
            return Place(query, "local authority", str(hit["la_name"].iloc[0]), _sorted(hit))
    hit = wards[wards["ward_code"].map(_norm) == wanted]
    if hit.empty:
        hit = wards[wards["ward_name"].map(_norm) == wanted]
    if len(hit) == 1:
        row = hit.iloc[0]
        return Place(query, "ward", f"{row['ward_name']} ({row['la_name']})", _sorted(hit))
    if len(hit) > 1:
        listed = "; ".join(
            f"{r.ward_code} ({r.la_name})" for r in _sorted(hit).itertuples(index=False)
        )
        raise CompareRefusal(
            f"place {query!r}: {len(hit)} wards have this name: {listed}; give a ward code"
        )
    raise CompareRefusal(
        f"place {query!r} matches no local authority or ward{_closest(wards, query)}"
    )


def _sorted(wards: pd.DataFrame) -> pd.DataFrame:
    return wards.sort_values("ward_code", ignore_index=True)


def _closest(wards: pd.DataFrame, query: str) -> str:
    """``"; did you mean: Blackpool, Blackburn with Darwen?"``, or a hint when nothing is close.

    Names holding the query as a word or the start of one come first, authorities before
    wards (``durham``: County Durham, then Durham's wards), then names spelt nearly alike
    (``Blackpol``: Blackpool)."""
    wanted = _norm(query)
    authorities = {_norm(n): str(n) for n in wards["la_name"].unique()}
    names = {**{_norm(n): str(n) for n in wards["ward_name"].unique()}, **authorities}
    word = re.compile(r"\b" + re.escape(wanted))
    holding = [
        n
        for group in (authorities, names)
        for n in sorted((n for n in group if word.search(n)), key=lambda n: (len(n), n))
    ]
    alike = difflib.get_close_matches(wanted, list(names), n=N_SUGGESTIONS, cutoff=0.6)
    close = list(dict.fromkeys([*holding, *alike]))[:N_SUGGESTIONS]
    if not close:
        return " (give a local authority name, a ward name or a ward code)"
    return "; did you mean: " + ", ".join(names[c] for c in close) + "?"


def read_place_index(run: Path) -> pd.DataFrame:
    """A run's wards and their authorities (:data:`PLACE_COLUMNS`), from its
    ``ward_summary.csv``.

    Raises:
        BadFile: the table cannot be read or lacks those columns.
    """
    path = run / SUMMARY_FILE
    try:
        table = pd.read_csv(path, dtype=str, usecols=lambda c: c in PLACE_COLUMNS)
    except (OSError, ValueError) as err:
        raise BadFile(path, f"cannot be read as a CSV table ({error_line(err)})") from None
    if "la_name" not in table.columns and "la_code" in table.columns:
        table["la_name"] = table["la_code"]  # runs made before la_name was written
    missing = [c for c in PLACE_COLUMNS if c not in table.columns]
    if missing:
        raise BadFile(path, f"lacks column(s) {', '.join(missing)}: a place cannot be found")
    return table


def _read_wards(run: RunInfo) -> pd.DataFrame:
    """The columns a place view needs of a run's ``wards.parquet`` (every ward: England's
    mean is over all of them)."""
    path = run.path / WARDS_FILE
    if not path.is_file():
        raise CompareRefusal(
            f"{run.path} has no {WARDS_FILE}: a place view needs each ward's years "
            "(runs written with their ward tables)"
        )
    try:
        return pd.read_parquet(path, columns=list(_READ))
    except (OSError, ValueError, pa.ArrowException) as err:
        raise BadFile(path, f"cannot be read for a place view ({error_line(err)})") from None


def run_gaps(wards: pd.DataFrame, codes: Sequence[str]) -> pd.DataFrame:
    """Each of ``codes``' IMD-like gap to England and status, every year, in one run.

    Args:
        wards: a run's ``wards.parquet`` with at least ``year``, ``ward_code``,
            ``start_group``, ``population``, ``imd_like`` and ``left_behind``, for every
            ward (England's mean is over all of them).
        codes: the wards to keep.

    Returns:
        One row per ward and year: ``year``, ``ward_code``, ``gap`` (IMD-like points above
        England's population-weighted mean that year) and ``left_behind`` (0 or 1).
    """
    gaps = dv.ward_gaps(wards[list(_READ)], ["imd_like"])
    gaps = gaps[gaps["ward_code"].isin(codes)][["year", "ward_code", "gap_england"]]
    status = wards.loc[wards["ward_code"].isin(codes), ["year", "ward_code", "left_behind"]]
    out = gaps.merge(status, on=["year", "ward_code"], how="left", validate="one_to_one")
    out["left_behind"] = out["left_behind"].astype(float)
    return out.rename(columns={"gap_england": "gap"})


def _band(frame: pd.DataFrame, place: Place) -> pd.DataFrame:
    """Bands of ``gap`` and the left-behind share across runs, per variant, future, ward
    and year, with the wards' names."""
    keys = ["variant", "scenario", "ward_code", "year"]
    bands = band_summary(frame, keys, value="gap")
    share = frame.groupby(keys, sort=True)["left_behind"].mean().rename("left_behind_share")
    bands = bands.merge(share.reset_index(), on=keys, how="left")
    bands = bands.merge(place.wards, on="ward_code", how="left")
    order = {s: i for i, s in enumerate(ordered_scenarios(bands["scenario"].unique()))}
    bands["_order"] = bands["scenario"].map(order)
    bands = bands.sort_values(["variant", "_order", "ward_code", "year"], kind="stable")
    columns = ["variant", "scenario", *PLACE_COLUMNS, "year"]
    rest = [c for c in bands.columns if c not in columns and c != "_order"]
    return bands[columns + rest].reset_index(drop=True)


def _years(runs: Sequence[RunInfo], seen: Sequence[int]) -> dict[str, int]:
    """The start, last shared and horizon years of runs (from their config, else the years
    their tables hold)."""
    config = runs[0].config
    start = int(config.get("start_year", min(seen)))
    horizon = int(config.get("horizon", max(seen)))
    policy = config.get("policy_start")
    shared = dv.branch_year(start, int(policy)) if policy is not None else start
    return {"start": start, "last shared": shared, "horizon": horizon}


def place_view(
    dirs: Sequence[Path] | Path,
    place: str,
    *,
    force: bool = False,
    pool: Sequence[str] = (),
) -> PlaceView:
    """The wards of ``place`` under each future of the runs under ``dirs``.

    Args:
        dirs: run or sweep directories (searched recursively, as ``lbn_sim.compare`` does;
            an earlier ``comparison/`` folder inside holds no runs and is not read).
        place: a local authority name or code, a ward name or a ward code
            (:func:`find_place`).
        force: group runs that differ in keys no override sets (as ``--force``).
        pool: swept keys pooled with the seeds (as ``--pool``).

    Returns:
        The :class:`PlaceView`.

    Raises:
        CompareRefusal: no runs, runs that cannot be grouped, a place that matches no ward
            (with the closest names), or a run without ``wards.parquet``.
        lbn_sim.bad_files.BadFile: a run's table or config that cannot be read, named.
    """
    roots = [Path(dirs)] if isinstance(dirs, str | Path) else [Path(d) for d in dirs]
    plan = _plan(roots, force, pool)
    found = find_place(read_place_index(plan.runs[0].path), place)
    parts: list[pd.DataFrame] = []
    for cell, by_scenario in plan.cells.items():
        label = variant_label(cell)
        for scenario, runs in by_scenario.items():
            for run in runs:
                gaps = run_gaps(_read_wards(run), found.codes)
                parts.append(gaps.assign(variant=label, scenario=scenario, run=str(run.path)))
    frame = pd.concat(parts, ignore_index=True)
    trajectories = _band(frame, found)
    years = _years(plan.runs, [int(y) for y in frame["year"].unique()])
    table = trajectories[trajectories["year"].isin(set(years.values()))].reset_index(drop=True)
    config = plan.runs[0].config
    data, data_dir = config.get("data.name"), config.get("data.dir")
    return PlaceView(
        found,
        table,
        trajectories,
        years,
        _change(frame, years["start"], years["horizon"]),
        None if data is None else str(data),
        None if data_dir is None else str(data_dir),
    )


def _change(frame: pd.DataFrame, start: int, horizon: int) -> pd.DataFrame:
    """Bands across runs of each ward's change in gap from ``start`` to ``horizon`` (each
    run's own change; ``frame`` has a ``run`` column)."""
    keys = ["variant", "scenario", "run", "ward_code"]
    first = frame[frame["year"] == start].set_index(keys)["gap"]
    last = frame[frame["year"] == horizon].set_index(keys)["gap"]
    per_run = (last - first).rename("change").dropna().reset_index()
    return band_summary(per_run, ["variant", "scenario", "ward_code"], value="change")


def _plan(roots: Sequence[Path], force: bool, pool: Sequence[str]) -> ComparisonPlan:
    """The runs under ``roots``, grouped as the comparison groups them."""
    for root in roots:
        if not root.is_dir():
            raise CompareRefusal(f"{root} is not a directory")
    paths = find_run_dirs(roots)
    if not paths:
        raise CompareRefusal(
            f"no runs found under {', '.join(map(str, roots))}: a run is a directory holding "
            f"{CONFIG_FILE} and {GROUPS_FILE}"
        )
    return plan_comparison([load_run_info(p) for p in paths], force=force, pool=pool)


def status_words(share: float, n_runs: int) -> str:
    """A ward's status across runs in words: ``left behind``, ``not left behind`` or
    ``left behind in 3 of 10 runs``."""
    k = round(share * n_runs)
    if k == n_runs:
        return "left behind"
    if k == 0:
        return "not left behind"
    return f"left behind in {k} of {n_runs} runs"


def band_words(row: Mapping[str, Any] | pd.Series) -> str:
    """A gap band as text: ``27.3`` (one run, or a band under 0.05 wide) or ``27.3
    (25.1 to 29.0)``."""
    median, low, high = (float(row[k]) for k in ("median", "p05", "p95"))
    if high - low < 0.05:
        return f"{median:+.1f}"
    return f"{median:+.1f} ({low:+.1f} to {high:+.1f})"
