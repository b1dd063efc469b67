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


Halves = tuple[Path, Path, pd.DataFrame, int, int, int]


@pytest.fixture
def halves(tmp_path: Path) -> Halves:
    """The shipped set's (first) batch split at the middle of its draw numbers into two
    batches: the two paths, the table, and the first, middle and end draw numbers."""
    table = pd.read_csv(ACCEPTED)
    note = json.loads(ACCEPTED.with_suffix(".json").read_text())
    note = note["batches"][0] if "batches" in note else note
    start = int(note.get("first_number", 0))
    end = start + int(note["tried"])
    mid = start + int(note["tried"]) // 2
    table = table[table["draw"].between(start, end - 1)].reset_index(drop=True)
    low, high = table[table["draw"] < mid], table[table["draw"] >= mid]
    assert len(low) and len(high)
    a = _batch(tmp_path, "a", low, note, start, mid - start)
    b = _batch(tmp_path, "b", high, note, mid, end - mid)
    return a, b, table, start, mid, end


def test_joined_batches_hold_every_kept_vector_and_add_their_counts(
    halves: Halves, tmp_path: Path
) -> None:
    a, b, table, start, mid, end = halves
    out = tmp_path / "joined.csv"
    assert main([str(a), str(b), "--out", str(out)]) == 0
    joined = pd.read_csv(out)
    pd.testing.assert_frame_equal(joined, table)
    note = json.loads(out.with_suffix(".json").read_text())
    assert note["tried"] == end - start and note["kept"] == len(table)
    assert note["first_wave_kept"] == len(table) + 10
    wave = note["replay_wave"]
    assert wave["kept"] == len(table) and wave["replayed"] == len(table) + 10
    assert set(wave["ruled_out_by"].values()) == {6}
    assert [d["first_number"] for d in note["draw_batches"]] == [start, mid]
    assert len(note["batches"]) == 2


def test_batches_judged_differently_or_numbered_alike_are_refused(
    halves: Halves, tmp_path: Path
) -> None:
    a, b, _, _, mid, end = halves
    note = json.loads(b.with_suffix(".json").read_text())
    note.update(first_number=mid - 1, tried=end - mid + 1)  # overlaps a's last number
    b.with_suffix(".json").write_text(json.dumps(note))
    with pytest.raises(MergeError, match="overlap"):
        merge([a, b])
    note.update(first_number=mid, tried=end - mid)
    note["replay_wave"]["tolerances"]["employment_deprivation"] = 0.2
    b.with_suffix(".json").write_text(json.dumps(note))
    with pytest.raises(MergeError, match="tolerances"):
        merge([a, b])
    out = tmp_path / "joined.csv"
    assert main([str(a), str(b), "--out", str(out)]) == 2
    assert not out.exists() and not out.with_suffix(".json").exists()
    with pytest.raises(MergeError, match="no such"):
        merge([a, tmp_path / "missing.csv"])


def test_what_else_a_join_refuses(halves: Halves, tmp_path: Path) -> None:
    """Other runs' overrides, a draw number outside the batch's span or repeated, a count
    the table does not hold, a joined set given as a batch, a note that is not a
    calibration's: each refused, naming the file."""
    a, b, _, start, mid, end = halves
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
    joined, _ = merge([a, b])
    assert len(joined) == len(pd.read_csv(a)) + len(table_b)
    moved = table_b.copy()
    moved.loc[0, "draw"] = start  # inside a's span, not b's
    refused(note_b, f"outside {mid} to {end - 1}", moved)
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
