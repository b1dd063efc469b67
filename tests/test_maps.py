"""Ward maps, tested by what they draw: each ward is one path, once, filled with the colour
of its value; LSOAs dissolve into their wards; the real data's wards all have a shape."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from lbn_sim.compare.maps import NO_GEOGRAPHY, comparison_maps, most_left_behind_authority
from lbn_sim.data.boundaries import dissolve, polygons_of
from lbn_sim.plots.maps import STATUS_COLOURS, MapArea, change_figure, status_figure


def square(x: float, y: float, size: float = 1.0) -> shapely.Polygon:
    return shapely.box(x, y, x + size, y + size)


def ward_collections(fig: Figure) -> list[PathCollection]:
    """The wards' collection of every panel."""
    return [
        c
        for ax in fig.axes
        for c in ax.collections
        if isinstance(c, PathCollection) and c.get_gid() == "wards"
    ]


def fills(collection: PathCollection) -> dict[str, tuple[float, ...]]:
    """Ward code -> its fill (RGBA), each ward drawn once."""
    codes = [str(u) for u in collection.get_urls()]
    assert len(codes) == len(set(codes)) == len(collection.get_paths())
    colours = collection.get_facecolors()
    return {code: tuple(np.round(colours[i], 6)) for i, code in enumerate(codes)}


def rgba(colour: str) -> tuple[float, ...]:
    return tuple(np.round(to_rgba(colour), 6))


# Four wards in a row, two authorities; the first two left behind at the start.
WARDS = pd.DataFrame(
    {"ward_code": ["W1", "W2", "W3", "W4"], "geometry": [square(i, 0) for i in range(4)]}
)
AUTHORITIES = pd.DataFrame(
    {"la_code": ["A", "B"], "la_name": ["Ay", "Bee"], "geometry": [square(0, 0, 2)] * 2}
)


def test_polygons_of_reads_sf_polygons_and_multipolygons() -> None:
    outer = np.array([[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], dtype=float)
    hole = np.array([[1, 1], [2, 1], [2, 2], [1, 2], [1, 1]], dtype=float)
    assert polygons_of([outer, hole]).area == pytest.approx(15.0)
    multi = polygons_of([[outer], [outer + 10.0, hole + 10.0]])
    assert multi.geom_type == "MultiPolygon" and multi.area == pytest.approx(31.0)


def test_lsoas_dissolve_into_one_shape_per_ward_without_inner_edges() -> None:
    lsoas = [square(0, 0), square(1, 0), square(0, 1), square(5, 5)]
    wards = dissolve(lsoas, ["W1", "W1", "W1", "W2"])
    assert list(wards["ward_code"]) == ["W1", "W2"]
    w1 = wards.set_index("ward_code").loc["W1", "geometry"]
    assert w1.geom_type == "Polygon" and w1.area == pytest.approx(3.0, abs=1e-4)
    assert len(w1.interiors) == 0


def test_status_map_fills_each_ward_once_with_its_status_colour() -> None:
    start = pd.Series([True, True, False, False], index=WARDS["ward_code"])
    end = {
        "worst_case": pd.Series([1.0, 1.0, 1.0, 0.0], index=WARDS["ward_code"]),
        "best_case": pd.Series([0.0, 0.5, 0.0, 0.0], index=WARDS["ward_code"]),
    }
    fig = status_figure(WARDS, start, end, 2019, 2050, MapArea(AUTHORITIES))
    panels = ward_collections(fig)
    assert len(panels) == 3  # the start, then the futures in order: worst, best
    first, worst, best = (fills(c) for c in panels)
    assert set(first) == set(worst) == set(best) == {"W1", "W2", "W3", "W4"}
    lb, some, not_lb = (rgba(STATUS_COLOURS[k]) for k in STATUS_COLOURS)
    assert [first[w] for w in ("W1", "W2", "W3", "W4")] == [lb, lb, not_lb, not_lb]
    assert [worst[w] for w in ("W1", "W2", "W3", "W4")] == [lb, lb, lb, not_lb]
    assert [best[w] for w in ("W1", "W2", "W3", "W4")] == [not_lb, some, not_lb, not_lb]
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles[:3] == [
        "2019\n2 left behind",
        "2050, worst case\n3 left behind",
        "2050, best case\n0 left behind, 1 in some runs",
    ]


def test_change_map_colours_a_widening_gap_red_and_a_narrowing_one_blue() -> None:
    change = pd.DataFrame(
        {
            "scenario": "base_case",
            "ward_code": ["W1", "W2", "W3", "W4"],
            "median": [5.0, -5.0, 0.0, np.nan],
        }
    )
    fig = change_figure(WARDS, change, 2019, 2050, MapArea(AUTHORITIES))
    (panel,) = ward_collections(fig)
    colour = fills(panel)
    red, _, blue, _ = colour["W1"]
    assert red > 2 * blue
    red, _, blue, _ = colour["W2"]
    assert blue > 2 * red
    assert colour["W3"] == pytest.approx(rgba("#F7F7F7"), abs=0.01)  # no change: the midpoint
    assert colour["W4"] == rgba("#FFFFFF")  # no value: left white, still drawn


def test_englands_wards_are_an_image_in_the_svg_and_a_zoomed_maps_wards_linked_shapes(
    tmp_path: Path,
) -> None:
    # All of England as 7,421 shapes made SVGs of 60 to 80 MB; a zoomed map keeps each ward
    # a shape carrying its code.
    from lbn_sim.plots.parts import save_figure

    start = pd.Series([True, True, False, False], index=WARDS["ward_code"])
    seen = {}
    for zoom in (False, True):
        fig = status_figure(WARDS, start, {}, 2019, 2050, MapArea(AUTHORITIES, zoom=zoom))
        (panel,) = ward_collections(fig)
        assert panel.get_rasterized() is (not zoom)
        _, svg = save_figure(fig, tmp_path, f"zoom_{zoom}")
        text = svg.read_text()
        seen[zoom] = ("<image" in text, 'href="W3"' in text)
    assert seen == {False: (True, False), True: (False, True)}


def test_the_synthetic_england_gets_a_sentence_not_a_map(tmp_path: Path) -> None:
    bands = pd.DataFrame(columns=["scenario", "ward_code", "measure", "median", "mean"])
    assert comparison_maps(bands, (2019, 2050), "synthetic", None, tmp_path) == NO_GEOGRAPHY
    assert not any(tmp_path.iterdir())


def test_the_zoom_goes_to_the_authority_with_the_most_left_behind_wards() -> None:
    bands = pd.DataFrame(
        {
            "ward_code": ["a", "b", "c", "d", "e"],
            "la_code": ["X", "Y", "Y", "Z", "Z"],
            "start_group": ["left_behind", "left_behind", "left_behind", "left_behind", "rest"],
        }
    )
    assert most_left_behind_authority(bands) == "Y"


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("LBN_SIM_DATA_DIR"), reason="needs the real data")
def test_real_wards_each_drawn_once_and_bloomfield_left_behind() -> None:
    """The shared boundaries dissolved (built once into the user cache, then read from it):
    every ward of the real data has one shape, drawn once; Bloomfield (Blackpool, left
    behind in 2019) is filled with the left-behind colour."""
    from lbn_sim.data.boundaries import load_boundaries
    from lbn_sim.data.england import load_england

    bounds = load_boundaries()
    wards, _report = load_england(extras=False)
    codes = set(wards["ward_code"])
    assert codes <= set(bounds.wards["ward_code"])
    assert bounds.wards["ward_code"].is_unique
    assert bounds.wards["geometry"].map(lambda g: g.is_valid and not g.is_empty).all()
    drawn = bounds.wards[bounds.wards["ward_code"].isin(codes)]
    start = wards.set_index("ward_code")["left_behind"].astype(bool)
    assert int(start.sum()) == 225
    fig = status_figure(drawn, start, {}, 2019, 2050, MapArea(bounds.authorities))
    (panel,) = ward_collections(fig)
    colour = fills(panel)
    assert set(colour) == codes
    bloomfield = "E05001645"
    assert start[bloomfield]
    assert colour[bloomfield] == rgba(STATUS_COLOURS["left behind"])
    assert sum(c == rgba(STATUS_COLOURS["left behind"]) for c in colour.values()) == 225


@pytest.mark.skipif(not os.environ.get("LBN_SIM_DATA_DIR"), reason="needs the real data")
def test_missing_boundary_files_are_named_with_the_command_that_fetches_them(
    tmp_path: Path,
) -> None:
    from lbn_sim.data.boundaries import load_boundaries
    from lbn_sim.data.files import FILE_NAMES, MissingDataError

    for name in FILE_NAMES:
        (tmp_path / name).symlink_to(Path(os.environ["LBN_SIM_DATA_DIR"]) / name)
    with pytest.raises(MissingDataError, match=r"lacks the boundary file\(s\) boundaries_lsoa11"):
        load_boundaries(tmp_path, cache_dir=tmp_path / "cache")
    with pytest.raises(
        MissingDataError, match=f"python -m lbn_sim.data download {tmp_path} --maps"
    ):
        load_boundaries(tmp_path, cache_dir=tmp_path / "cache")


@pytest.mark.skipif(not os.environ.get("LBN_SIM_DATA_DIR"), reason="needs the real data")
def test_download_and_verify_with_maps_take_the_boundary_files_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The boundary files come through the same fetch-and-verify path as the rest (here from
    a folder as the mirror), only with --maps; verify checks them with --maps."""
    from lbn_sim.data.__main__ import main as data_main
    from lbn_sim.data.files import FILE_NAMES, MAP_FILES

    mirror, dest = os.environ["LBN_SIM_DATA_DIR"], tmp_path / "data"
    assert data_main(["download", str(dest), "--base-url", mirror]) == 0
    assert sorted(p.name for p in dest.iterdir()) == sorted(FILE_NAMES)
    assert data_main(["verify", str(dest), "--maps"]) == 1
    assert "MISSING  boundaries_lsoa11.rda" in capsys.readouterr().out
    assert data_main(["download", str(dest), "--base-url", mirror, "--maps"]) == 0
    assert {f.name for f in MAP_FILES} <= {p.name for p in dest.iterdir()}
    assert data_main(["verify", str(dest), "--maps"]) == 0
    assert "All 9 files" in capsys.readouterr().out
