"""The place view (``python -m lbn_sim.compare DIR --place NAME``, ``lbn_sim.place``): the
place is found, and its table agrees with the run tables it was read from."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.test_compare import FEW, SCENARIOS, write_multirun

import lbn_sim
from lbn_sim import compare as cmp
from lbn_sim.compare import CompareRefusal
from lbn_sim.compare.__main__ import main
from lbn_sim.compare.maps import NO_GEOGRAPHY
from lbn_sim.compare.place import PlaceView, find_place, place_view

SEEDS = range(3)
LA = "L01"  # the fake sweep's second authority: wards 10-19, two of them left behind


@pytest.fixture(scope="module")
def sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # One indicator (fewer comparison figures to draw): the place view reads the composites.
    return write_multirun(tmp_path_factory.mktemp("place") / "sweep", seeds=SEEDS, indicators=FEW)


@pytest.fixture(scope="module")
def view(sweep: Path) -> PlaceView:
    return place_view(sweep, LA)


def _runs(sweep: Path, scenario: str) -> list[Path]:
    """The job folders of one future in the fake sweep (jobs numbered scenario-major)."""
    first = SCENARIOS.index(scenario) * len(SEEDS)
    return [sweep / str(first + i) for i in range(len(SEEDS))]


def test_the_place_table_agrees_with_the_run_tables(sweep: Path, view: PlaceView) -> None:
    """Start and horizon rows against each run's ward_summary.csv (imd_gap_start / _end and
    left_behind_end), the last shared year against wards.parquet's IMD-like score minus
    England's population-weighted mean, computed here directly."""
    codes = view.place.codes
    assert codes == [f"S{i:08d}" for i in range(10, 20)]
    start, shared, horizon = (view.years[k] for k in ("start", "last shared", "horizon"))
    assert (start, shared, horizon) == (2019, 2021, 2030)
    assert set(view.table["year"]) == {start, shared, horizon}
    assert len(view.table) == len(SCENARIOS) * len(codes) * 3
    for scenario in SCENARIOS:
        summaries = [
            pd.read_csv(r / "ward_summary.csv").set_index("ward_code")
            for r in _runs(sweep, scenario)
        ]
        wards = [pd.read_parquet(r / "wards.parquet") for r in _runs(sweep, scenario)]
        rows = view.table[view.table["scenario"] == scenario].set_index(["year", "ward_code"])
        for code in codes:
            end = [s.loc[code, "imd_gap_end"] for s in summaries]
            first = [s.loc[code, "imd_gap_start"] for s in summaries]
            at_end = rows.loc[(horizon, code)]
            assert at_end["median"] == pytest.approx(np.median(end))
            assert at_end["p05"] == pytest.approx(np.quantile(end, 0.05))
            assert at_end["n_runs"] == len(SEEDS)
            assert rows.loc[(start, code), "median"] == pytest.approx(np.median(first))
            share = np.mean([bool(s.loc[code, "left_behind_end"]) for s in summaries])
            assert at_end["left_behind_share"] == pytest.approx(share)
            middle = []
            for w in wards:
                year = w[w["year"] == shared]
                england = np.average(year["imd_like"], weights=year["population"])
                middle.append(
                    float(year.loc[year["ward_code"] == code, "imd_like"].iloc[0]) - england
                )
            assert rows.loc[(shared, code), "median"] == pytest.approx(np.median(middle))
    change = view.change.set_index(["scenario", "ward_code"])
    for scenario in SCENARIOS:
        summaries = [
            pd.read_csv(r / "ward_summary.csv").set_index("ward_code")
            for r in _runs(sweep, scenario)
        ]
        per_run = [
            s.loc[codes[0], "imd_gap_end"] - s.loc[codes[0], "imd_gap_start"] for s in summaries
        ]
        assert change.loc[(scenario, codes[0]), "median"] == pytest.approx(np.median(per_run))


def test_trajectories_hold_every_year_of_every_ward(view: PlaceView) -> None:
    years = view.trajectories.groupby(["scenario", "ward_code"])["year"].agg(
        ["min", "max", "count"]
    )
    assert (years["min"] == 2019).all() and (years["max"] == 2030).all()
    assert (years["count"] == 12).all()
    assert len(years) == len(SCENARIOS) * len(view.place.codes)


def test_a_place_is_found_by_authority_ward_code_or_ward_name() -> None:
    index = pd.DataFrame(
        {
            "ward_code": ["E1", "E2", "E3", "E4"],
            "ward_name": ["Bloomfield", "Central", "Central", "Talbot"],
            "la_code": ["E06000009", "E06000009", "E07000001", "E07000001"],
            "la_name": ["Blackpool", "Blackpool", "Otherton", "Otherton"],
            "start_group": ["left_behind", "rest", "rest", "rest"],
        }
    )
    assert find_place(index, " blackPOOL ").codes == ["E1", "E2"]
    assert find_place(index, "E07000001").codes == ["E3", "E4"]
    bloomfield = find_place(index, "bloomfield")
    assert (bloomfield.kind, bloomfield.name, bloomfield.codes) == (
        "ward",
        "Bloomfield (Blackpool)",
        ["E1"],
    )
    assert find_place(index, "e3").codes == ["E3"]
    with pytest.raises(
        CompareRefusal, match=r"2 wards have this name: E2 \(Blackpool\); E3 \(Otherton\)"
    ):
        find_place(index, "Central")
    with pytest.raises(CompareRefusal, match="did you mean: Blackpool"):
        find_place(index, "Blackpol")
    with pytest.raises(CompareRefusal, match="matches no local authority or ward"):
        find_place(index, "Zzzz")


def test_punctuation_is_ignored_and_a_word_of_a_name_suggests_it_first() -> None:
    index = pd.DataFrame(
        {
            "ward_code": ["E1", "E2", "E3", "E4"],
            "ward_name": ["Brandon", "Durham South", "Mapledurham", "Parr"],
            "la_code": ["E06000047", "E06000047", "E07000179", "E08000013"],
            "la_name": ["County Durham", "County Durham", "South Oxfordshire", "St. Helens"],
            "start_group": ["left_behind", "rest", "rest", "rest"],
        }
    )
    assert find_place(index, "st helens").codes == ["E4"]
    assert find_place(index, "County-Durham").codes == ["E1", "E2"]
    # The authority holding the word first, then a ward holding it; a name that only holds
    # the letters inside a word (Mapledurham) comes later, if at all.
    with pytest.raises(CompareRefusal, match="did you mean: County Durham, Durham South"):
        find_place(index, "durham")


def test_the_command_writes_the_place_page_beside_the_report(
    sweep: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The comparison's own figures are test_compare's; only the place page's are drawn here.
    monkeypatch.setattr(cmp, "_draw_variant", lambda *args, **kwargs: {})
    out = tmp_path / "comparison"
    assert main([str(sweep), "--out", str(out), "--place", LA]) == 0
    page = (out / "place_l01.md").read_text()
    assert (out / "report.md").is_file()
    assert "# L01: 10 wards under each future" in page
    for code in (f"S{i:08d}" for i in range(10, 20)):
        assert page.count(f"| {code} |") == 1
    assert "![L01: each ward under each future](figures/place_l01.png)" in page
    assert (out / "figures" / "place_l01.png").stat().st_size > 10_000
    assert NO_GEOGRAPHY in page  # the fake sweep is the synthetic England
    table = pd.read_csv(out / "tables" / "place_l01.csv")
    assert len(table) == len(SCENARIOS) * 10 * 3
    comparison = lbn_sim.load_comparison(out)
    assert "place_l01" in comparison.tables


def test_a_misspelt_place_is_refused_before_anything_is_written(
    sweep: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "comparison"
    assert main([str(sweep), "--out", str(out), "--place", "L0l"]) == 2
    err = capsys.readouterr().err
    assert "matches no local authority or ward; did you mean:" in err and "L01" in err
    assert not out.exists()


def test_the_python_api_gives_the_same_table(sweep: Path, view: PlaceView) -> None:
    again = lbn_sim.place(sweep, LA.lower())
    pd.testing.assert_frame_equal(again.table, view.table)


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("LBN_SIM_DATA_DIR"), reason="needs the real data")
def test_blackpool_on_the_real_data(tmp_path: Path) -> None:
    """A toy real-data sweep (three futures, one seed, few households, horizon 2026): the
    place page for Blackpool names each of its wards once, with Bloomfield (its one ward
    left behind in 2019) left behind at the start; maps are drawn."""
    import subprocess
    import sys

    sweep = tmp_path / "sweep"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "lbn_sim",
            "-m",
            "data=england_2019",
            "scenario=worst_case,base_case,best_case",
            "households.sample_rate=0.005",
            "households.min_per_ward=5",
            "households.left_behind_sample_rate=0.02",
            "horizon=2026",
            "plots=false",
            f"hydra.sweep.dir={sweep}",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    out = tmp_path / "comparison"
    assert main([str(sweep), "--out", str(out), "--place", "blackpool"]) == 0
    view = lbn_sim.place(sweep, "Blackpool")
    assert view.place.kind == "local authority" and len(view.place.codes) == 21
    start = view.table[(view.table["year"] == 2019)].set_index(["scenario", "ward_name"])
    assert start.loc[("base_case", "Bloomfield"), "left_behind_share"] == 1.0
    page = (out / "place_blackpool.md").read_text()
    assert all(page.count(f"| {code} |") == 1 for code in view.place.codes)
    assert (out / "figures" / "place_blackpool_map_status.png").is_file()
    assert "![Blackpool: wards left behind, map](figures/place_blackpool_map_status.png)" in page
    assert "figures/map_status.png" in (out / "report.md").read_text()


def test_each_variant_gets_its_own_rows_section_and_figure(tmp_path: Path) -> None:
    """A key swept besides the scenario and seed: the place table has one set of rows per
    value, and the page a section and a figure for each."""
    from tests.test_compare import write_rate_sweep

    from lbn_sim.compare.place_page import write_place_page

    write_rate_sweep(tmp_path / "sweep")
    view = lbn_sim.place(tmp_path / "sweep", "S00000012")
    assert view.place.kind == "ward" and view.place.codes == ["S00000012"]
    labels = ["households.sample_rate=0.02", "households.sample_rate=0.05"]
    assert view.variants == labels
    assert view.table.groupby("variant").size().to_dict() == {v: len(SCENARIOS) * 3 for v in labels}
    page = write_place_page(view, tmp_path / "out").read_text()
    assert [line for line in page.splitlines() if line.startswith("## ")] == [
        f"## {v}" for v in labels
    ]
    assert (
        "](figures/place_ward-12-l01_1.png)" in page
        and "](figures/place_ward-12-l01_2.png)" in page
    )
