"""Ward maps for a comparison and a place page (real data only).

The comparison gets England's wards coloured by the change in their IMD-like gap to
England from the start to the horizon under each future (``map_gap_change``), their
left-behind status at the start and at the horizon under each future (``map_status``), and
the same two zoomed on one local authority (``map_zoom_*``: the one with the most wards
left behind at the start). A place page gets its own authority's wards. The boundaries are
the shared LSOA boundaries dissolved to wards once and cached
(:func:`lbn_sim.data.boundaries.load_boundaries`).

The synthetic England has wards without places: it gets a sentence saying so
(:data:`NO_GEOGRAPHY`), never a drawn stand-in. Missing boundary files give a sentence
with the command that fetches them; a comparison is never refused for want of a map.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from lbn_sim.compare.place import PlaceView, place_slug
from lbn_sim.data.boundaries import Boundaries, dissolve, load_boundaries
from lbn_sim.data.files import DataError
from lbn_sim.data.sources import data_words
from lbn_sim.plots.maps import MapArea, change_figure, status_figure
from lbn_sim.plots.parts import save_figure

__all__ = [
    "NO_GEOGRAPHY",
    "REAL_DATA",
    "comparison_maps",
    "maps_section",
    "place_map_figures",
    "place_maps",
]

REAL_DATA = "england_2019"
"""The ``data.name`` whose wards are real places with boundaries."""

NO_GEOGRAPHY = (
    "No map: the synthetic England has no geography (its wards are drawn from calibration "
    "figures, not places), so its wards cannot be drawn where they are. Maps are drawn for "
    "runs on the real data (`data=england_2019`)."
)

Log = Callable[[str], None]


def _quiet(_line: str) -> None:
    return None


def _boundaries(data_name: str | None, data_dir: str | None, log: Log) -> Boundaries | str:
    """The boundaries, or the sentence the page says instead of a map."""
    if data_name == "synthetic":
        return NO_GEOGRAPHY
    if data_name != REAL_DATA:
        return f"No map: the data `{data_name}` have no boundaries lbn_sim knows."
    try:
        return load_boundaries(data_dir, log=log)
    except DataError as err:
        log(f"no maps: {err}")
        return f"No map: {err}"


def most_left_behind_authority(ward_bands: pd.DataFrame) -> str | None:
    """The ``la_code`` with the most wards left behind at the start (ties: the first code),
    from a table with ``ward_code``, ``la_code`` and ``start_group``; None without."""
    if "la_code" not in ward_bands.columns:
        return None
    wards = ward_bands.drop_duplicates("ward_code")
    left = wards[wards["start_group"] == "left_behind"]
    if left.empty:
        return None
    counts = left.groupby("la_code").size()
    return str(counts[counts == counts.max()].index.min())


def comparison_maps(
    ward_bands: pd.DataFrame,
    years: tuple[int, int],
    data_name: str | None,
    data_dir: str | None,
    directory: Path,
    n_wards: int | None = None,
    log: Log = _quiet,
) -> list[Path] | str:
    """Draw a comparison's maps into ``directory``; the PNGs written, or the sentence the
    report says instead (no geography, boundary files missing).

    Args:
        ward_bands: the stacked ``ward_end_bands`` table (``scenario``, ``ward_code``,
            ``la_code``, ``start_group``, ``measure``, the band columns) of one variant.
        years: the start year and the horizon.
        data_name, data_dir: the runs' ``data.name`` and ``data.dir``.
        directory: where the figures go.
        n_wards: the wards the runs simulate (for the titles).
        log: progress lines.
    """
    bounds = _boundaries(data_name, data_dir, log)
    if isinstance(bounds, str):
        return bounds
    start, horizon = years
    words = data_words(data_name, n_wards)
    change = ward_bands[ward_bands["measure"] == "imd_gap_change"][
        ["scenario", "ward_code", "median"]
    ]
    status = ward_bands[ward_bands["measure"] == "left_behind_end"]
    shares = {str(s): part.set_index("ward_code")["mean"] for s, part in status.groupby("scenario")}
    first = ward_bands.drop_duplicates("ward_code").set_index("ward_code")["start_group"]
    start_status = first == "left_behind"
    wards = bounds.wards[bounds.wards["ward_code"].isin(set(first.index))]
    if not any(not g.is_empty for g in wards["geometry"]):
        return (
            "No map is drawn: none of the runs' wards has a boundary in the 2017 ward "
            "boundaries (their codes are not England's ward codes)."
        )
    written: list[Path] = []
    log("  drawing maps")
    england = MapArea(bounds.authorities, "England", words)

    def save(stem: str, fig: Figure) -> None:
        written.append(save_figure(fig, directory, stem)[0])

    save(
        "map_gap_change",
        change_figure(wards, change, start, horizon, england),
    )
    save(
        "map_status",
        status_figure(wards, start_status, shares, start, horizon, england),
    )
    la = most_left_behind_authority(ward_bands)
    if la is not None and "la_code" in ward_bands.columns:
        codes = set(ward_bands.loc[ward_bands["la_code"] == la, "ward_code"])
        published = bounds.authorities[bounds.authorities["la_code"] == la]
        name = str(published["la_name"].iloc[0]) if not published.empty else la
        local = wards[wards["ward_code"].isin(codes)]
        if not local.empty:
            outline = authority_outline(local, la)
            slug = place_slug(name)
            local_change = change[change["ward_code"].isin(codes)]
            zoom = MapArea(outline, name, words, zoom=True)
            save(
                f"map_zoom_{slug}_gap_change",
                change_figure(local, local_change, start, horizon, zoom),
            )
            save(
                f"map_zoom_{slug}_status",
                status_figure(local, start_status, shares, start, horizon, zoom),
            )
    return written


def authority_outline(wards: pd.DataFrame, la: str | list[str]) -> pd.DataFrame:
    """The outline of the authority (or authorities: one code per row of ``wards``) the
    ``wards`` make up, dissolved from the wards themselves: at a zoom the published
    authority boundaries (generalised further than the LSOAs) would not meet the wards'
    edges."""
    keys = [la] * len(wards) if isinstance(la, str) else la
    return dissolve(list(wards["geometry"]), keys).rename(columns={"ward_code": "la_code"})


def maps_section(maps: list[str] | str, title: str = "Maps") -> str:
    """The report's maps section headed ``title``: the figures (paths relative to the
    report), or the sentence said instead."""
    lines = [f"## {title}", ""]
    if isinstance(maps, str):
        return "\n".join([*lines, maps, ""])
    lines += [
        "Each ward's change in IMD-like gap to England from the start to the horizon (median "
        "across runs), and the wards left behind at the start and at the horizon under each "
        "future, then the same for the local authority with the most wards left behind at the "
        "start. Boundaries: ONS LSOA (2011) boundaries dissolved to 2017 wards; local "
        "authorities 2019. Contains National Statistics and OS data © Crown copyright and "
        "database right (Open Government Licence v3.0).",
        "",
    ]
    for path in maps:
        lines += [f"![{Path(path).stem.replace('_', ' ')}]({path})", ""]
    return "\n".join(lines)


def place_map_figures(view: PlaceView) -> dict[str, Figure] | str:
    """The place's maps, not saved: ``{"gap_change": ..., "status": ...}`` (its wards' change
    in gap under each future, and their status at the start and the horizon, the authority
    outlined), or the sentence said instead of a map. Drawn for the view's first variant."""
    bounds = _boundaries(view.data, view.data_dir, _quiet)
    if isinstance(bounds, str):
        return bounds
    variant = view.variants[0]
    codes = set(view.place.codes)
    wards = bounds.wards[bounds.wards["ward_code"].isin(codes)]
    if wards.empty:
        return f"No map: none of {view.place.name}'s wards is in the boundaries."
    la_of = view.place.wards.set_index("ward_code")["la_code"]
    outline = authority_outline(wards, la_of.reindex(wards["ward_code"]).astype(str).tolist())
    start, horizon = view.years["start"], view.years["horizon"]
    change = view.change[view.change["variant"] == variant]
    end = view.table[(view.table["variant"] == variant) & (view.table["year"] == horizon)]
    shares = {
        str(s): p.set_index("ward_code")["left_behind_share"] for s, p in end.groupby("scenario")
    }
    start_status = view.place.wards.set_index("ward_code")["start_group"] == "left_behind"
    area = MapArea(outline, view.place.name, data_words(view.data), zoom=True)
    return {
        "gap_change": change_figure(wards, change, start, horizon, area),
        "status": status_figure(wards, start_status, shares, start, horizon, area),
    }


def place_maps(view: PlaceView, directory: Path, stem: str) -> list[Path] | str:
    """Draw and save the place's maps (:func:`place_map_figures`) in ``directory`` as
    ``{stem}_gap_change`` and ``{stem}_status``; the PNGs, or the sentence said instead."""
    figures = place_map_figures(view)
    if isinstance(figures, str):
        return figures
    return [save_figure(fig, directory, f"{stem}_{name}")[0] for name, fig in figures.items()]
