"""Ward choropleths: the change in the IMD-like gap and the left-behind status, on a map.

Each ward is one path of one :class:`~matplotlib.collections.PathCollection` per panel, in
the order of the boundaries table, and the collection's ``urls`` are the wards' codes (one
per path: a test can read which ward has which fill, and a zoomed map's SVG links each
shape to its ward; all of England's wards are an image inside the SVG). Local-authority
outlines are drawn on top, unfilled. Coordinates are lon/lat
degrees, drawn with the aspect ratio of England's mid-latitude (1 / cos 53 degrees), so
shapes are not squashed.

Only tables and polygons are read; the model is never imported.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.colors import Normalize, TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.path import Path as MplPath
from shapely.geometry.base import BaseGeometry

from lbn_sim.plots.parts import on_data, ordered_scenarios, scenario_label

#: Fill of each status on the status maps (colour-blind safe; not a future's colour).
STATUS_COLOURS: dict[str, str] = {
    "left behind": "#5E3C99",
    "left behind in some runs": "#B2ABD2",
    "not left behind": "#EEEEEE",
}
#: Fill of a ward the runs have no value for.
NO_DATA = "#FFFFFF"
#: Wards and authorities outlines.
WARD_EDGE, LA_EDGE = "0.75", "0.25"
#: Aspect ratio of lon/lat degrees in England (1 / cos of 53 degrees north).
ASPECT = 1.0 / math.cos(math.radians(53.0))
#: Diverging colour map of the change in gap (worse: red, better: blue).
CHANGE_CMAP = "RdBu_r"


def geometry_path(geometry: BaseGeometry) -> MplPath:
    """One matplotlib path of a (Multi)Polygon: every ring closed, holes kept (lon, lat)."""
    rings: list[MplPath] = []
    for poly in getattr(geometry, "geoms", [geometry]):
        if poly.is_empty:
            continue
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords, dtype=float)
            codes = np.full(len(xy), MplPath.LINETO, dtype=np.uint8)
            codes[0], codes[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
            rings.append(MplPath(xy, codes))
    if not rings:
        return MplPath(np.zeros((0, 2)))
    return MplPath.make_compound_path(*rings)


def status_of(share: float) -> str:
    """The status label of a share of runs in which a ward is left behind (0 to 1; NaN: no
    data)."""
    if not np.isfinite(share):
        return "no data"
    if share >= 1.0 - 1e-9:
        return "left behind"
    return "left behind in some runs" if share > 1e-9 else "not left behind"


def draw_wards(
    ax: Axes,
    wards: pd.DataFrame,
    colours: Sequence[str] | np.ndarray,
    outlines: pd.DataFrame | None = None,
    edge: bool = True,
) -> PathCollection:
    """Fill each ward with its colour; draw the authorities' outlines on top.

    Args:
        ax: the axes.
        wards: ``ward_code`` and ``geometry`` (lon/lat), one row per ward to draw.
        colours: one fill per row of ``wards`` (any matplotlib colour, or RGBA ``[n, 4]``).
        outlines: ``geometry`` of the authorities to outline, or None.
        edge: draw the wards' own thin edges (off for all of England: they would be a grey
            wash at that scale). Without them (all of England) the wards are drawn as an
            image inside a vector file (SVG): as 7,421 shapes they made files of 60 to 80 MB
            that took seconds to write and more to open; the zoomed maps keep every ward
            a shape linked to its code.

    Returns:
        The wards' collection (``get_urls()``: the ward codes, in order).
    """
    paths = [geometry_path(g) for g in wards["geometry"]]
    collection = PathCollection(
        paths,
        facecolors=colours,
        edgecolors=WARD_EDGE if edge else "face",
        linewidths=0.15 if edge else 0.05,
        gid="wards",
    )
    collection.set_urls([str(c) for c in wards["ward_code"]])
    collection.set_rasterized(not edge)
    ax.add_collection(collection)
    if outlines is not None and not outlines.empty:
        ax.add_collection(
            PathCollection(
                [geometry_path(g) for g in outlines["geometry"]],
                facecolors="none",
                edgecolors=LA_EDGE,
                linewidths=0.3 if edge else 0.15,
                gid="authorities",
            )
        )
    minx, miny, maxx, maxy = _bounds(wards)
    pad = 0.02 * max(maxx - minx, maxy - miny)
    ax.set_xlim(minx - pad, maxx + pad)
    ax.set_ylim(miny - pad, maxy + pad)
    ax.set_aspect(ASPECT)
    ax.set_axis_off()
    return collection


def _bounds(wards: pd.DataFrame) -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) of the wards."""
    b = np.array([g.bounds for g in wards["geometry"] if not g.is_empty], dtype=float)
    return float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 2].max()), float(b[:, 3].max())


def _figure(n_panels: int, wards: pd.DataFrame) -> tuple[Figure, list[Axes]]:
    """A row of ``n_panels`` map axes, each as wide as the wards' shape needs at a map
    height of 4.6 inches (between 2.2 and 6 inches), with room for titles and a legend."""
    minx, miny, maxx, maxy = _bounds(wards)
    shape = (maxx - minx) / max(ASPECT * (maxy - miny), 1e-9)
    width = float(np.clip(4.6 * shape, 2.2, 6.0))
    fig = Figure(figsize=(width * n_panels + 1.2, 6.2), layout="constrained")
    axes = fig.subplots(1, n_panels, squeeze=False)[0]
    return fig, list(axes)


@dataclass(frozen=True, slots=True)
class MapArea:
    """What a map shows around its wards.

    Attributes:
        outlines: ``geometry`` of the authorities to outline (None: none).
        place: the area drawn, for the title (``England``, ``Blackpool``).
        data: the data the runs come from, in words (None: not named).
        zoom: one authority: the wards' own edges are drawn (at England's scale they
            would be a grey wash).
    """

    outlines: pd.DataFrame | None = None
    place: str = "England"
    data: str | None = None
    zoom: bool = False


def change_figure(
    wards: pd.DataFrame,
    change: pd.DataFrame,
    start: int,
    horizon: int,
    area: MapArea | None = None,
) -> Figure:
    """One map per future: each ward's median change in IMD-like gap to England from
    ``start`` to ``horizon`` (points; red: the gap widens, blue: it narrows).

    Args:
        wards: boundaries to draw (``ward_code``, ``geometry``).
        change: ``scenario``, ``ward_code``, ``median`` (points) for those wards.
        start, horizon: the years the change is between.
        area: outlines, title and scale (default: England, no outlines).
    """
    area = area if area is not None else MapArea()
    scenarios = ordered_scenarios(change["scenario"].unique())
    values = change["median"].to_numpy(dtype=float)
    finite = values[np.isfinite(values)]
    reach = float(np.quantile(np.abs(finite), 0.98)) if finite.size else 1.0
    norm: Normalize = TwoSlopeNorm(0.0, -max(reach, 0.1), max(reach, 0.1))
    fig, axes = _figure(len(scenarios), wards)
    mapped = None
    for ax, name in zip(axes, scenarios, strict=True):
        by_ward = change[change["scenario"] == name].set_index("ward_code")["median"]
        v = by_ward.reindex(wards["ward_code"]).to_numpy(dtype=float)
        colours = (
            np.array([(1.0, 1.0, 1.0, 1.0)] * len(v))
            if not np.isfinite(v).any()
            else _cmap_colours(v, norm)
        )
        draw_wards(ax, wards, colours, area.outlines, edge=area.zoom)
        ax.set_title(scenario_label(name), fontsize=9)
        mapped = norm
    if mapped is not None:
        from matplotlib.cm import ScalarMappable

        bar = fig.colorbar(
            ScalarMappable(norm=mapped, cmap=CHANGE_CMAP), ax=axes, shrink=0.6, extend="both"
        )
        bar.set_label(f"change in IMD-like gap, {start}-{horizon} (points)", fontsize=8)
    fig.suptitle(
        f"{on_data(f'{area.place}: change in each ward’s IMD-like gap to England', area.data)}\n"
        f"{start} to {horizon}, median across runs; red: further behind England, blue: "
        "closer; lines: local authorities",
        fontsize=9,
    )
    return fig


def _cmap_colours(values: np.ndarray, norm: Normalize) -> np.ndarray:
    """RGBA ``[n, 4]`` of ``values`` on :data:`CHANGE_CMAP` (NaN: :data:`NO_DATA`)."""
    from matplotlib import colormaps
    from matplotlib.colors import to_rgba

    rgba = colormaps[CHANGE_CMAP](norm(np.nan_to_num(values)))
    rgba[~np.isfinite(values)] = to_rgba(NO_DATA)
    return np.asarray(rgba)


def status_figure(
    wards: pd.DataFrame,
    start_status: pd.Series,
    end_share: Mapping[str, pd.Series],
    start: int,
    horizon: int,
    area: MapArea | None = None,
) -> Figure:
    """The left-behind status at the start, and at the horizon under each future.

    Args:
        wards: boundaries to draw (``ward_code``, ``geometry``).
        start_status: ward_code -> left behind at the start (bool).
        end_share: future -> (ward_code -> share of runs in which the ward is left behind
            at the horizon, 0 to 1).
        start, horizon: the years.
        area: outlines, title and scale (default: England, no outlines).
    """
    area = area if area is not None else MapArea()
    scenarios = ordered_scenarios(end_share)
    fig, axes = _figure(1 + len(scenarios), wards)
    codes = wards["ward_code"]
    first = start_status.reindex(codes).astype(float)
    panels = [(f"{start}", first)] + [
        (f"{horizon}, {scenario_label(s)}", end_share[s].reindex(codes).astype(float))
        for s in scenarios
    ]
    for ax, (title, share) in zip(axes, panels, strict=True):
        fills = [STATUS_COLOURS.get(status_of(x), NO_DATA) for x in share.to_numpy(dtype=float)]
        draw_wards(ax, wards, fills, area.outlines, edge=area.zoom)
        values = share.to_numpy(dtype=float)
        n = int((values >= 1.0 - 1e-9).sum())
        some = int(((values > 1e-9) & (values < 1.0 - 1e-9)).sum())
        ax.set_title(
            f"{title}\n{n} left behind" + (f", {some} in some runs" if some else ""), fontsize=9
        )
    handles = [Patch(facecolor=c, edgecolor="0.5", label=k) for k, c in STATUS_COLOURS.items()]
    fig.legend(handles=handles, loc="outside lower center", ncol=3, fontsize=8, frameon=False)
    fig.suptitle(
        f"{on_data(f'{area.place}: wards left behind', area.data)}\n"
        f"most deprived 10% on both the IMD-like and the CNI-like score ({start}: the "
        "published flag); lines: local authorities",
        fontsize=9,
    )
    return fig
