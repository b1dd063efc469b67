"""The place page: a :class:`~lbn_sim.compare.place.PlaceView` written as Markdown, a figure
and two tables, beside a comparison's ``report.md``.

Files (``SLUG`` from :func:`lbn_sim.compare.place.place_slug`):

- ``place_SLUG.md``: the page;
- ``figures/place_SLUG.png`` (and ``.svg``): each ward's gap under each future, per variant
  (``place_SLUG_VARIANT``) when the runs sweep a key besides the scenario and seed;
- ``tables/place_SLUG.csv``: :attr:`PlaceView.table`; ``tables/place_SLUG_trajectories.csv``:
  :attr:`PlaceView.trajectories`.

Only tables are read; the model is never imported.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from lbn_sim.compare.place import PlaceView, band_words, place_slug, status_words
from lbn_sim.data.sources import data_words
from lbn_sim.plots.parts import history_scenario, ordered_scenarios, save_figure, scenario_label
from lbn_sim.plots.place import place_figure

__all__ = ["place_markdown", "write_place_page"]

#: A map drawer: (the view, the folder of figures, the file stem) -> the PNGs it wrote, or a
#: sentence saying why there is no map (the synthetic England has no geography).
MapDrawer = Callable[[PlaceView, Path, str], "list[Path] | str"]

#: Gap bands closer than this (points) count as the same in the years the futures share.
SAME = 1e-9


def _cells(table: pd.DataFrame, year: int) -> pd.DataFrame:
    """The rows of ``year``, one per future and ward, keyed by them."""
    return table[table["year"] == year].set_index(["scenario", "ward_code"])


def _cell(row: pd.Series) -> str:
    return f"{band_words(row)}; {status_words(float(row['left_behind_share']), int(row['n_runs']))}"


def _shared_differ(table: pd.DataFrame, years: Sequence[int]) -> bool:
    """True when the futures' bands differ in a year they should share (their runs are
    different seeds or settings before the policy start)."""
    for year in years:
        at = table[table["year"] == year]
        spread = at.groupby("ward_code")[["median", "p05", "p95"]].agg(np.ptp)
        if (spread.to_numpy() > SAME).any():
            return True
    return False


def place_markdown(
    view: PlaceView,
    figures: dict[str, str],
    maps: dict[str, list[str]] | None = None,
    map_note: str | None = None,
) -> str:
    """The page's Markdown.

    Args:
        view: the place view.
        figures: variant label -> the trajectory figure's path relative to the page.
        maps: variant label -> map PNG paths relative to the page (none: no maps section).
        map_note: a sentence said instead of maps (no geography for these data).

    Returns:
        The page text.
    """
    place, years = view.place, view.years
    start, shared, horizon = years["start"], years["last shared"], years["horizon"]
    n = len(place.wards)
    lb_start = int((place.wards["start_group"] == "left_behind").sum())
    data = data_words(view.data)
    what = "local authority" if place.kind == "local authority" else "ward"
    lines = [
        f"# {place.name}: {n} ward{'s' if n != 1 else ''} under each future",
        "",
        f"The {what} {place.name}"
        + (f" ({n} wards, {lb_start} of them left behind in {start})" if n != 1 else "")
        + (f", on {data}." if data else ".")
        + f" Each ward's **IMD-like gap** is its IMD-like score minus England's "
        f"population-weighted mean that year, in IMD-like points (the scale of the IMD 2019 "
        f"score, on which England's wards run from about 2 to 87, median 16; above 0 is more "
        f"deprived than England). **Left behind** is the model's status: in the most "
        f"deprived 10% of wards on both the IMD-like and the CNI-like score ({start}: the "
        f"published flag). Figures "
        f"are the median across runs with the 5-95% range in brackets; a status that differs "
        f"between runs says in how many. {shared} is the last year the futures share; "
        f"{horizon} is the horizon.",
        "",
    ]
    for variant in view.variants:
        table = view.table[view.table["variant"] == variant]
        if variant:
            lines += [f"## {variant}", ""]
        scenarios = ordered_scenarios(table["scenario"].unique())
        history = history_scenario(scenarios)
        lines += _summary(table, scenarios, horizon, place.name)
        if _shared_differ(table, [start, shared]):
            lines += [
                f"The futures' runs differ before {shared + 1} (not the same seeds or "
                f"settings): the {start} and {shared} columns are the "
                f"{scenario_label(history)}'s.",
                "",
            ]
        head = ["Ward", "Code", f"{start}", f"{shared} (last shared)"]
        head += [f"{horizon}, {scenario_label(s)}" for s in scenarios]
        lines += ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
        first, middle, last = (_cells(table, y) for y in (start, shared, horizon))
        order = first.loc[history].sort_values(["median"], ascending=False).index
        names = place.wards.set_index("ward_code")["ward_name"]
        for code in order:
            row = [str(names[code]), str(code)]
            row += [_cell(first.loc[(history, code)]), _cell(middle.loc[(history, code)])]
            row += [_cell(last.loc[(s, code)]) for s in scenarios]
            lines.append("| " + " | ".join(row) + " |")
        lines.append("")
        if variant in figures:
            lines += [f"![{place.name}: each ward under each future]({figures[variant]})", ""]
        if maps and maps.get(variant):
            lines += [f"![{place.name}: {_map_words(path)}]({path})" for path in maps[variant]]
            lines.append("")
    if map_note:
        lines += [map_note, ""]
    lines += [
        "Tables: `tables/" + f"place_{place_slug(place.name)}.csv` (these years) and "
        f"`tables/place_{place_slug(place.name)}_trajectories.csv` (every year).",
        "",
    ]
    return "\n".join(lines)


def _map_words(path: str) -> str:
    """What a map shows, from its file name (``..._gap_change.png``, ``..._status.png``)."""
    if path.endswith("_gap_change.png"):
        return "change in each ward's gap by the horizon, map"
    return "wards left behind, map" if path.endswith("_status.png") else "map"


def _summary(table: pd.DataFrame, scenarios: Sequence[str], horizon: int, name: str) -> list[str]:
    """One sentence: how many of the place's wards each future leaves behind at the horizon
    (the mean across runs of the count)."""
    at = table[table["year"] == horizon]
    parts = []
    for s in scenarios:
        count = float(at.loc[at["scenario"] == s, "left_behind_share"].sum())
        parts.append(f"{count:.1f} under the {scenario_label(s)}")
    n = at["ward_code"].nunique()
    return [
        f"Of {name}'s {n} ward{'s' if n != 1 else ''}, left behind in {horizon} (mean across "
        f"runs): {', '.join(parts)}.",
        "",
    ]


def _write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (a temporary file renamed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_place_page(
    view: PlaceView,
    out: Path,
    policy_start: int | None = None,
    draw_maps: MapDrawer | None = None,
) -> Path:
    """Write the place page, its figures and tables into ``out`` (a comparison folder).

    Args:
        view: the place view.
        out: the folder (created when missing).
        policy_start: the futures' first year (default: the last shared year + 1).
        draw_maps: draws the place's maps (see :data:`MapDrawer`); None: no maps section.

    Returns:
        The page's path.
    """
    out = Path(out)
    slug = place_slug(view.place.name)
    start = policy_start if policy_start is not None else view.years["last shared"] + 1
    figures: dict[str, str] = {}
    several = len(view.variants) > 1
    words = data_words(view.data)
    for i, variant in enumerate(view.variants):
        stem = f"place_{slug}" + (f"_{i + 1}" if several else "")
        part = view.trajectories[view.trajectories["variant"] == variant]
        title = view.place.name + (f" ({variant})" if variant else "")
        fig: Figure = place_figure(part, start, title, data=words)
        png = save_figure(fig, out / "figures", stem)[0]
        figures[variant] = png.relative_to(out).as_posix()
    maps: dict[str, list[str]] | None = None
    note: str | None = None
    if draw_maps is not None:
        drawn = draw_maps(view, out / "figures", f"place_{slug}_map")
        if isinstance(drawn, str):
            note = drawn
        else:
            maps = {v: [p.relative_to(out).as_posix() for p in drawn] for v in view.variants[:1]}
    tables = out / "tables"
    tables.mkdir(parents=True, exist_ok=True)
    _write_text(tables / f"place_{slug}.csv", view.table.to_csv(index=False))
    _write_text(tables / f"place_{slug}_trajectories.csv", view.trajectories.to_csv(index=False))
    page = out / f"place_{slug}.md"
    _write_text(page, place_markdown(view, figures, maps, note))
    return page
