"""Checks before any job: the output directory can be written (see lbn_sim.runs.callbacks)."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from tests.conftest import run_cli

from lbn_sim.folders import unwritable


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


@pytest.mark.parametrize("mode", ["run", "sweep"])
@pytest.mark.slow
def test_an_output_directory_that_holds_files_is_refused(mode: str, tmp_path: Path) -> None:
    """Results written beside an earlier run's would be mixed with them (and a sweep's
    earlier jobs pooled by ``lbn_sim.compare``): refused, naming what is there, touching
    nothing. An empty folder is fine."""
    folder = tmp_path / "out"
    (folder / "0").mkdir(parents=True)
    (folder / "notes.txt").write_text("mine")
    args = ["-m", "seed=0,1"] if mode == "sweep" else []
    result = run_cli(
        *args, f"hydra.{mode}.dir={folder}", "data.n_wards=30", "plots=false", cwd=tmp_path
    )
    assert result.returncode == 2, result.stderr
    # (the empty folder "0" is not named: it holds nothing)
    assert f"lbn_sim: error: the {mode} directory {folder} already holds files (notes.txt)" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["0", "notes.txt"]
    assert (folder / "notes.txt").read_text() == "mine" and not any((folder / "0").iterdir())
    empty = tmp_path / "empty"
    empty.mkdir()
    ok = run_cli(f"hydra.run.dir={empty}", "data.n_wards=30", "plots=false", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert (empty / "groups.parquet").is_file()
    # A sweep job killed before its results leaves only Hydra's files: rerunning it into its
    # own folder, as lbn_sim.compare suggests, is allowed.
    killed = tmp_path / "sweep" / "1"
    (killed / ".hydra").mkdir(parents=True)
    (killed / ".hydra" / "config.yaml").write_text("seed: 1\n")
    again = run_cli(f"hydra.run.dir={killed}", "data.n_wards=30", "plots=false", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert (killed / "groups.parquet").is_file()


def test_a_sweep_with_a_misspelt_scenario_runs_nothing_and_leaves_nothing(
    tmp_path: Path,
) -> None:
    """Hydra cannot compose the second job (no such scenario): the check says which job and
    what the options are, before the first job runs; no sweep folder is left to trip up
    ``lbn_sim.compare`` later."""
    sweep = tmp_path / "sweep"
    result = run_cli(
        "-m",
        "scenario=base_case,bestcase",
        "data.n_wards=30",
        "plots=false",
        f"hydra.sweep.dir={sweep}",
        cwd=tmp_path,
    )
    assert result.returncode == 2, result.stderr
    assert "sweep job 1 (scenario=bestcase" in result.stderr
    assert "options of 'scenario': base_case, best_case, worst_case" in result.stderr
    assert "Traceback" not in result.stderr
    assert not sweep.exists()


# SIGINT and SIGTERM take one path (lbn_sim.folders.STOPS): the quick tests stop a run with
# SIGTERM here (about 5 s each: the whole synthetic England loaded) and with SIGINT in
# test_reliability_runs' stop at any moment; the slow ones with both in both.
@pytest.mark.parametrize(
    "signum", [pytest.param(signal.SIGINT, marks=pytest.mark.slow), signal.SIGTERM]
)
def test_a_run_stopped_part_way_leaves_no_run_folder(signum: int, tmp_path: Path) -> None:
    """Ctrl-C (SIGINT) or ``kill`` (SIGTERM) during the simulation: one line, exit
    128 + the signal's number, and no run folder (a folder holding only Hydra's files
    would otherwise look like a run to ``lbn_sim.compare``)."""
    run_dir = tmp_path / "run"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lbn_sim",
            "horizon=2100",
            "plots=false",
            f"hydra.run.dir={run_dir}",
        ],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    # A run that stalls before its first year is killed (its stderr then ends), not waited
    # for forever.
    deadline = threading.Timer(120.0, proc.kill)
    deadline.start()
    try:
        for line in proc.stderr:  # progress goes to stderr: wait until the simulation runs
            if line.strip().startswith("2020:"):
                break
        else:
            pytest.fail("the run ended (or stalled for 120 s) before its first year was reported")
    finally:
        deadline.cancel()
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 128 + signum, err
    assert f"stopped by {signal.Signals(signum).name}; nothing was written" in err
    assert "Traceback" not in err
    assert not run_dir.exists()
