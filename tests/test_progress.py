"""A sweep's progress: runs done out of all, read from the sweep folder, with the time left."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from tests.conftest import TOY, run_cli

from lbn_sim.runs.progress import (
    SweepProgress,
    count_done,
    duration_words,
    start_watching,
    stop_watching,
)


def finish(sweep: Path, job: str) -> None:
    """Make job folder ``job`` hold its results (as a finished job's folder does)."""
    (sweep / job).mkdir(exist_ok=True)
    (sweep / job / "groups.parquet").write_bytes(b"PAR1")


def test_only_job_folders_holding_results_count(tmp_path: Path) -> None:
    (tmp_path / "0" / ".hydra").mkdir(parents=True)  # started, no results yet
    finish(tmp_path, "1")
    (tmp_path / "multirun.yaml").write_text("{}")
    assert count_done(tmp_path) == 1
    assert count_done(tmp_path / "missing") == 0


def test_plain_lines_say_runs_done_and_time_left(tmp_path: Path) -> None:
    out = io.StringIO()
    progress = SweepProgress(tmp_path, 3, stream=out, bar=False)
    progress.update()
    assert out.getvalue() == ""  # nothing done, nothing said
    finish(tmp_path, "0")
    progress.update()
    finish(tmp_path, "1")
    finish(tmp_path, "2")
    progress.update()
    progress.update()  # nothing new: no new line
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("lbn_sim: sweep: 1 of 3 runs done in ")
    assert lines[0].endswith(" left") and ", about " in lines[0]
    assert lines[1].startswith("lbn_sim: sweep: 3 of 3 runs done in ")
    assert "left" not in lines[1]


def test_on_a_terminal_it_is_one_bar(tmp_path: Path) -> None:
    out = io.StringIO()
    progress = SweepProgress(tmp_path, 2, stream=out, bar=True, interval=0.02).start()
    finish(tmp_path, "0")
    finish(tmp_path, "1")
    deadline = time.monotonic() + 5.0
    while progress.done < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    progress.stop()
    text = out.getvalue()
    assert "sweep: 2/2 runs |" in text
    assert "lbn_sim: sweep:" not in text  # no plain lines beside the bar


def test_watching_a_sweep_ends_with_its_last_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the Hydra callback does: start when the jobs are known, stop at the sweep's end;
    the stop looks once more, so the last run is counted however short the sweep."""
    start_watching(tmp_path, 2)
    finish(tmp_path, "0")
    finish(tmp_path, "1")
    stop_watching(tmp_path)
    stop_watching(tmp_path)  # a second stop does nothing
    err = capsys.readouterr().err  # not a terminal: plain lines
    assert err.count("lbn_sim: sweep: 2 of 2 runs done in ") == 1


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(0.2, "0 s"), (8.4, "8 s"), (75.0, "1 min 15 s"), (3700.0, "1 h 1 min")],
)
def test_durations_in_words(seconds: float, words: str) -> None:
    assert duration_words(seconds) == words


def test_a_sweep_reports_its_runs_done(tmp_path: Path) -> None:
    result = run_cli(
        "-m",
        "seed=0,1",
        *TOY,
        "policy_start=2021",
        "horizon=2022",
        f"hydra.sweep.dir={tmp_path / 's'}",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "lbn_sim: sweep: 2 of 2 runs done in " in result.stderr
