"""Joining batches of the history matching (``scripts/merge_accepted.py``)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from scripts.merge_accepted import MergeError, main, merge

from lbn_sim.params.draws import ACCEPTED


def _batch(
    folder: Path, name: str, table: pd.DataFrame, note: dict[str, Any], first: int, tried: int
) -> Path:
    """Write ``table`` as a batch's set, its note counting ``tried`` draws from ``first``."""
    note = copy.deepcopy(note)
    note.update(tried=tried, first_number=first, kept=len(table), first_wave_kept=len(table) + 5)
    wave = note["replay_wave"]
    wave.update(first_wave_kept=len(table) + 5, replayed=len(table) + 5, kept=len(table))
    wave["ruled_out_by"] = {k: 3 for k in wave["ruled_out_by"]}
    wave["ruled_out_by_this_alone"] = {k: 1 for k in wave["ruled_out_by_this_alone"]}
    path = folder / f"{name}.csv"
    table.to_csv(path, index=False)
    path.with_suffix(".json").write_text(json.dumps(note))
    return path


def _shipped_batches(folder: Path) -> list[Path]:
    """The shipped joined set written back out as its batches' own sets and notes."""
    table = pd.read_csv(ACCEPTED)
    notes = json.loads(ACCEPTED.with_suffix(".json").read_text())["batches"]
    paths = []
    for i, note in enumerate(notes):
        start = int(note.get("first_number", 0))
        part = table[table["draw"].between(start, start + int(note["tried"]) - 1)]
        path = folder / f"batch{i}.csv"
        part.to_csv(path, index=False)
        path.with_suffix(".json").write_text(json.dumps(note))
        paths.append(path)
    return paths


def test_the_shipped_set_is_its_batches_joined(tmp_path: Path) -> None:
    """Joining the shipped set's own batches again gives the shipped set and note."""
    out = tmp_path / "joined.csv"
    assert main([*map(str, _shipped_batches(tmp_path)), "--out", str(out)]) == 0
    pd.testing.assert_frame_equal(pd.read_csv(out), pd.read_csv(ACCEPTED))
    assert json.loads(out.with_suffix(".json").read_text()) == json.loads(
        ACCEPTED.with_suffix(".json").read_text()
    )


@pytest.fixture
def halves(tmp_path: Path) -> tuple[Path, Path, pd.DataFrame]:
    """The shipped set's first batch split at draw 450 into two batches of 450 draws each."""
    table = pd.read_csv(ACCEPTED)
    note = json.loads(ACCEPTED.with_suffix(".json").read_text())["batches"][0]
    table = table[table["draw"] < int(note["tried"])].reset_index(drop=True)
    low, high = table[table["draw"] < 450], table[table["draw"] >= 450]
    a = _batch(tmp_path, "a", low, note, 0, 450)
    b = _batch(tmp_path, "b", high, note, 450, 450)
    return a, b, table


def test_joined_batches_hold_every_kept_vector_and_add_their_counts(
    halves: tuple[Path, Path, pd.DataFrame], tmp_path: Path
) -> None:
    a, b, table = halves
    out = tmp_path / "joined.csv"
    assert main([str(a), str(b), "--out", str(out)]) == 0
    joined = pd.read_csv(out)
    pd.testing.assert_frame_equal(joined, table)
    note = json.loads(out.with_suffix(".json").read_text())
    assert note["tried"] == 900 and note["kept"] == len(table)
    assert note["first_wave_kept"] == len(table) + 10
    wave = note["replay_wave"]
    assert wave["kept"] == len(table) and wave["replayed"] == len(table) + 10
    assert set(wave["ruled_out_by"].values()) == {6}
    assert [d["first_number"] for d in note["draw_batches"]] == [0, 450]
    assert len(note["batches"]) == 2


def test_batches_judged_differently_or_numbered_alike_are_refused(
    halves: tuple[Path, Path, pd.DataFrame], tmp_path: Path
) -> None:
    a, b, _ = halves
    note = json.loads(b.with_suffix(".json").read_text())
    note.update(first_number=400, tried=500)  # 400-899: overlaps a's 0-449
    b.with_suffix(".json").write_text(json.dumps(note))
    with pytest.raises(MergeError, match="overlap"):
        merge([a, b])
    note.update(first_number=450, tried=450)
    note["replay_wave"]["tolerances"]["employment_deprivation"] = 0.2
    b.with_suffix(".json").write_text(json.dumps(note))
    with pytest.raises(MergeError, match="tolerances"):
        merge([a, b])
    out = tmp_path / "joined.csv"
    assert main([str(a), str(b), "--out", str(out)]) == 2
    assert not out.exists() and not out.with_suffix(".json").exists()
    with pytest.raises(MergeError, match="no such"):
        merge([a, tmp_path / "missing.csv"])


def test_what_else_a_join_refuses(halves: tuple[Path, Path, pd.DataFrame], tmp_path: Path) -> None:
    """Other runs' overrides, a draw number outside the batch's span or repeated, a count
    the table does not hold, a joined set given as a batch, a note that is not a
    calibration's: each refused, naming the file."""
    a, b, _ = halves
    note_b = json.loads(b.with_suffix(".json").read_text())

    def refused(note: dict[str, Any], match: str, table: pd.DataFrame | None = None) -> None:
        b.with_suffix(".json").write_text(json.dumps(note))
        if table is not None:
            table.to_csv(b, index=False)
        with pytest.raises(MergeError, match=match):
            merge([a, b])

    table_b = pd.read_csv(b)
    other = copy.deepcopy(note_b)
    other["overrides"] = [*other["overrides"], "history.macro.real_wage_growth=0.05"]
    refused(other, r"overrides differ .*real_wage_growth")
    same = copy.deepcopy(note_b)
    same["overrides"] = [*same["overrides"], same["overrides"][0]]  # a repeat: the same runs
    b.with_suffix(".json").write_text(json.dumps(same))
    merge([a, b])
    moved = table_b.copy()
    moved.loc[0, "draw"] = 10  # inside a's span, not b's
    refused(note_b, "outside 450 to 899", moved)
    refused({**note_b, "kept": len(table_b) + 1}, "repeat", pd.concat([table_b, table_b.iloc[:1]]))
    table_b.to_csv(b, index=False)
    refused({**note_b, "kept": len(table_b) + 1}, "its note says")
    refused({**note_b, "batches": []}, "already a joined set")
    refused({k: v for k, v in note_b.items() if k != "targets"}, "not a calibration note")
    broken = copy.deepcopy(note_b)
    del broken["replay_wave"]["ruled_out_by"]
    broken_a = json.loads(a.with_suffix(".json").read_text())
    del broken_a["replay_wave"]["ruled_out_by"]
    a.with_suffix(".json").write_text(json.dumps(broken_a))
    refused(broken, "lacks or mangles")
