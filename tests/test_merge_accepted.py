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


@pytest.fixture
def halves(tmp_path: Path) -> tuple[Path, Path, pd.DataFrame]:
    """The shipped set split at draw 450 into two batches of 450 draws each."""
    table = pd.read_csv(ACCEPTED)
    note = json.loads(ACCEPTED.with_suffix(".json").read_text())
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
    note["first_number"] = 400  # overlaps a's 0-449
    b.with_suffix(".json").write_text(json.dumps(note))
    with pytest.raises(MergeError, match="overlap"):
        merge([a, b])
    note["first_number"] = 450
    note["replay_wave"]["tolerances"]["employment_deprivation"] = 0.2
    b.with_suffix(".json").write_text(json.dumps(note))
    with pytest.raises(MergeError, match="tolerances"):
        merge([a, b])
    out = tmp_path / "joined.csv"
    assert main([str(a), str(b), "--out", str(out)]) == 2
    assert not out.exists() and not out.with_suffix(".json").exists()
    with pytest.raises(MergeError, match="no such"):
        merge([a, tmp_path / "missing.csv"])
