"""Checks before any job: the output directory can be written (see lbn_sim.callbacks)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import run_cli

from lbn_sim.callbacks import unwritable


def test_unwritable_says_why_and_leaves_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    assert unwritable(blocker / "run") is not None  # a file where a folder must go
    assert unwritable(tmp_path / "new" / "deeper") is None
    assert (tmp_path / "new" / "deeper").is_dir() and not any((tmp_path / "new/deeper").iterdir())


@pytest.mark.parametrize("mode", ["run", "sweep"])
def test_an_unwritable_output_directory_fails_cleanly(mode: str, tmp_path: Path) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    where = ["-m", "seed=0,1", f"hydra.sweep.dir={blocker}/s"] if mode == "sweep" else []
    run_dir = [] if where else [f"hydra.run.dir={blocker}/r"]
    result = run_cli(*where, *run_dir, "data.n_wards=30", "plots=false", cwd=tmp_path)
    assert result.returncode == 2
    assert f"lbn_sim: error: cannot write the {mode} directory {blocker}/" in result.stderr
    assert f"hydra.{mode}.dir=PATH" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file"]  # nothing else written
