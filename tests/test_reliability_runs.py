"""Issue 23, problems 1, 3, 4 and 9: who owns a run or sweep folder, and what a stop leaves.

These tests really race two processes for one folder and really send signals (to the
process, or to its whole process group, as Ctrl-C does). Runs are toy-sized.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from tests.conftest import TOY, compose_cfg

from lbn_sim.runs.runner import simulate

HELPER = Path(__file__).with_name("test_reliability_runs_helper.py")
SMALL = [*TOY, "horizon=2030"]
#: What a run writes (plots=false), all or none of it.
TABLES = {
    "wards.parquet",
    "groups.parquet",
    "ward_summary.csv",
    "ledger.parquet",
    "balances.parquet",
    "provenance.json",
}


def start(*args: str, cwd: Path, session: bool = False, helper: str = "") -> subprocess.Popen[str]:
    """``python -m lbn_sim ARGS`` (or the helper, patching one function first), started."""
    command = [sys.executable, str(HELPER), helper] if helper else [sys.executable, "-m", "lbn_sim"]
    return subprocess.Popen(
        [*command, *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=session,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )


def results_in(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.is_file()} & TABLES if folder.is_dir() else set()


def leftovers(root: Path) -> list[str]:
    """Staging folders and lock files anywhere under ``root``."""
    return sorted(
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.name.startswith(".staging") or p.name == ".lbn_sim.lock"
    )


def seed_of(run: Path) -> int:
    return int(yaml.safe_load((run / ".hydra" / "config.yaml").read_text())["seed"])


def assert_the_tables_are_the_seed_s(run: Path) -> None:
    """The run's groups table is the one its recorded seed gives (re-run in-process)."""
    seed = seed_of(run)
    expected = simulate(compose_cfg([*SMALL, f"seed={seed}"])).groups
    pd.testing.assert_frame_equal(pd.read_parquet(run / "groups.parquet"), expected)


def session_alive(sid: int) -> list[str]:
    """The processes still alive in session ``sid`` (a process started with
    start_new_session leads its own; its workers stay in it, even re-parented to init)."""
    alive = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmd = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if int(fields[3]) == sid and fields[0] != "Z":
            alive.append(f"{entry}: {cmd[:120]}")
    return alive


def wait_for(proc: subprocess.Popen[str], text: str, timeout: float = 120.0) -> str:
    """Read the process's stderr until a line holds ``text``; what was read."""
    assert proc.stderr is not None
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    seen = []
    try:
        for line in proc.stderr:
            seen.append(line)
            if text in line:
                return "".join(seen)
    finally:
        timer.cancel()
    pytest.fail(f"never saw {text!r}:\n{''.join(seen)[-3000:]}")


# --- problem 1: two writers, one folder ------------------------------------------------


@pytest.mark.slow
def test_two_runs_racing_into_one_folder_never_mix(tmp_path: Path) -> None:
    """Two runs (seeds 0 and 1) into one hydra.run.dir, the second started 0 to 1 s after
    the first: exactly one writes (exit 0, its own seed's tables under its own config);
    the other is refused with one line, exit 2, before doing any work."""
    rng = random.Random()
    seed = rng.randrange(10**6)
    rng.seed(seed)
    offsets = [rng.uniform(i / 5, (i + 1) / 5) for i in range(5)]  # spread over 0-1 s
    for trial, offset in enumerate(offsets):
        where = tmp_path / f"race{trial}"
        run_dir = where / "run"
        where.mkdir()
        first = start(*SMALL, "seed=0", f"hydra.run.dir={run_dir}", cwd=where)
        time.sleep(offset)
        second = start(*SMALL, "seed=1", f"hydra.run.dir={run_dir}", cwd=where)
        outs = [p.communicate(timeout=300) for p in (first, second)]
        codes = [first.returncode, second.returncode]
        said = f"offset {offset:.2f} s (random seed {seed}): codes {codes}\n{outs}"
        assert all("Traceback" not in err for _, err in outs), said
        assert sorted(codes) == [0, 2], said  # exactly one writes, the other is refused
        for (out, err), code in zip(outs, codes, strict=True):
            if code == 2:  # refused at once: one line, no progress (no work done)
                assert err.count("lbn_sim: error: ") == 1, said
                # Refused while the other writes, or after it has written.
                assert "is in use: another lbn_sim process" in err or (
                    "already holds files" in err
                ), said
                assert "simulated households" not in err and "Results in" not in out, said
        if 0 in codes:
            winner = codes.index(0)
            assert f"Results in {run_dir}" in outs[winner][0], said
            assert results_in(run_dir) == TABLES, said
            assert seed_of(run_dir) == winner, said  # the config is the winner's
            assert_the_tables_are_the_seed_s(run_dir)
        assert leftovers(where) == [], said


@pytest.mark.slow
def test_two_sweeps_racing_into_one_folder_never_mix(tmp_path: Path) -> None:
    """Two sweeps (seeds 0,1 and 2,3) into one hydra.sweep.dir at 0 to 1 s apart: one runs
    both its jobs, the other is refused with one line and exit 2; every job folder's
    tables are its recorded seed's."""
    rng = random.Random()
    seed = rng.randrange(10**6)
    rng.seed(seed)
    for trial, offset in enumerate([rng.uniform(0, 0.5), rng.uniform(0.5, 1.0)]):
        where = tmp_path / f"race{trial}"
        sweep = where / "sweep"
        where.mkdir()
        first = start("-m", *SMALL, "seed=0,1", f"hydra.sweep.dir={sweep}", cwd=where)
        time.sleep(offset)
        second = start("-m", *SMALL, "seed=2,3", f"hydra.sweep.dir={sweep}", cwd=where)
        outs = [p.communicate(timeout=300) for p in (first, second)]
        codes = [first.returncode, second.returncode]
        said = f"offset {offset:.2f} s (random seed {seed}): codes {codes}\n{outs}"
        assert all("Traceback" not in err for _, err in outs), said
        assert sorted(codes) == [0, 2], said  # exactly one writes, the other is refused
        if 0 in codes:
            winner = codes.index(0)
            jobs = sorted(p.name for p in sweep.iterdir() if p.is_dir())
            # Job folders are named from their overrides, the seed's last (keys sorted).
            assert [j.rsplit(",", 1)[-1] for j in jobs] == [
                f"seed={2 * winner}",
                f"seed={2 * winner + 1}",
            ], said
            assert [seed_of(sweep / j) for j in jobs] == [2 * winner, 2 * winner + 1], said
            for job in jobs:
                assert results_in(sweep / job) == TABLES, said
                assert_the_tables_are_the_seed_s(sweep / job)
        loser_err = outs[codes.index(2)][1]
        assert loser_err.count("lbn_sim: error: ") == 1, said
        assert "is in use: another lbn_sim process" in loser_err or (
            "already holds files" in loser_err
        ), said
        assert "[job" not in loser_err, said  # refused before running a job
        assert leftovers(where) == [], said


# --- problem 4: stops at any moment ----------------------------------------------------


# SIGINT and SIGTERM take one path (lbn_sim.folders.STOPS): the quick tests try SIGINT here
# (about 4 s each: six runs started and stopped) and SIGTERM in test_callbacks' run stopped
# part way; the slow ones both in both.
@pytest.mark.parametrize(
    "signum", [signal.SIGINT, pytest.param(signal.SIGTERM, marks=pytest.mark.slow)]
)
def test_a_stop_at_any_moment_is_clean(signum: int, tmp_path: Path) -> None:
    """SIGINT or SIGTERM at random moments from start-up (imports still loading) to the
    end of a run into Hydra's default folder: no traceback, and either exit 128 + the
    signal with no outputs/ folder at all, or a complete run said to be complete.

    (The interpreter's own start-up and ``import lbn_sim``, before ``lbn_sim.__main__``
    installs the handler, take about 0.06 s unloaded and longer on a busy machine: the
    first 0.45 s are not tried, so the test does not depend on the machine's load.)"""
    rng = random.Random()
    seed = rng.randrange(10**6)
    rng.seed(seed)
    offsets = [rng.uniform(0.45 + i * 0.33, 0.45 + (i + 1) * 0.33) for i in range(6)]  # to 2.4 s
    procs = []
    for batch in (offsets[0::2], offsets[1::2]):  # three at a time: start-up stays prompt
        started = []
        for offset in batch:
            cwd = tmp_path / f"t{len(procs) + len(started)}"
            cwd.mkdir()
            started.append((offset, cwd, start(*SMALL, cwd=cwd)))
        begun = time.monotonic()
        for offset, _, proc in started:
            time.sleep(max(0.0, begun + offset - time.monotonic()))
            proc.send_signal(signum)
        for *_, proc in started:
            proc.wait(timeout=120)
        procs.extend(started)
    for offset, cwd, proc in procs:
        out, err = proc.communicate(timeout=120)
        said = f"{signum!r} at {offset:.2f} s (random seed {seed}): exit {proc.returncode}\n{err}"
        assert "Traceback" not in err, said
        outputs = cwd / "outputs"
        if proc.returncode == 0:
            runs = [p for p in outputs.rglob("*") if (p / "groups.parquet").exists()]
            assert len(runs) == 1 and results_in(runs[0]) == TABLES, said
            assert "Results in" in out or "they are complete" in err, said
        else:
            assert proc.returncode == 128 + signum, said
            assert "stopped by" in err and "nothing was written" in err, said
            assert not outputs.exists(), said  # not even Hydra's empty date folder
        assert leftovers(cwd) == [], said


def test_a_stop_after_the_results_are_written_says_they_are_complete(tmp_path: Path) -> None:
    """Ctrl-C while the headline is being worked out (the results already in): exit 0,
    said plainly, no traceback, the folder whole."""
    run_dir = tmp_path / "run"
    proc = start(*SMALL, f"hydra.run.dir={run_dir}", cwd=tmp_path, helper="int_in_headline")
    _, err = proc.communicate(timeout=120)
    assert "Traceback" not in err, err
    assert proc.returncode == 0, err
    assert "stopped by SIGINT after the results were written: they are complete" in err
    assert results_in(run_dir) == TABLES
    assert leftovers(tmp_path) == []


def test_a_stop_while_hydra_composes_the_config_is_a_clean_stop(tmp_path: Path) -> None:
    """SIGINT while Hydra composes the config: held until the run would start, then a clean
    stop (exit 130, one line, no folder), not an OmegaConf error with exit 1."""
    proc = start(*SMALL, cwd=tmp_path, helper="int_in_compose")
    _, err = proc.communicate(timeout=120)
    assert "Traceback" not in err and "Error" not in err, err
    assert "the composing went on" in err, err  # the stop was held through it
    assert proc.returncode == 128 + signal.SIGINT, err
    assert "stopped by SIGINT" in err and "nothing was written" in err, err
    assert not (tmp_path / "outputs").exists()
    assert leftovers(tmp_path) == []


def test_a_stop_while_a_sweep_s_jobs_are_checked_ends_it_at_once(tmp_path: Path) -> None:
    """SIGINT while a sweep's job configs are checked (stops held there): acted on before the
    next job is checked, so no job runs and the sweep folder goes."""
    sweep_dir = tmp_path / "sweep"
    args = ["-m", *SMALL, "seed=0,1,2,3", f"hydra.sweep.dir={sweep_dir}"]
    proc = start(*args, cwd=tmp_path, helper="int_in_job_check")
    out, err = proc.communicate(timeout=120)
    assert "Traceback" not in err, err
    assert proc.returncode == 128 + signal.SIGINT, err
    assert "stopped by SIGINT" in err, err
    assert "checked the 4 jobs" not in err and "Results in" not in out, err
    assert not sweep_dir.exists()
    assert leftovers(tmp_path) == []


# --- problem 3: a joblib sweep's workers -----------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("group", [False, True], ids=["kill-parent", "ctrl-c-group"])
def test_stopping_a_joblib_sweep_stops_its_workers(group: bool, tmp_path: Path) -> None:
    """``kill`` (SIGTERM to the parent) or Ctrl-C (SIGINT to the process group) while
    joblib's two workers run: no traceback, no process of the sweep alive a few seconds
    later, nothing written after the stop, and every job folder left is whole."""
    sweep = tmp_path / "sweep"
    proc = start(
        "-m",
        *TOY,
        "horizon=2100",
        "seed=range(4)",
        "hydra/launcher=joblib",
        "hydra.launcher.n_jobs=2",
        f"hydra.sweep.dir={sweep}",
        cwd=tmp_path,
        session=True,
    )
    seen = wait_for(proc, "2030:")  # a worker is simulating
    if group:
        os.killpg(proc.pid, signal.SIGINT)
        signum = signal.SIGINT
    else:
        proc.send_signal(signal.SIGTERM)
        signum = signal.SIGTERM
    _, err = proc.communicate(timeout=60)
    err = seen + err
    assert "Traceback" not in err, err[-3000:]
    assert proc.returncode in (0, 128 + signum), err[-3000:]
    time.sleep(3.0)
    assert session_alive(proc.pid) == [], err[-3000:]
    listing = sorted(str(p) for p in sweep.rglob("*")) if sweep.exists() else []
    time.sleep(2.0)
    assert (sorted(str(p) for p in sweep.rglob("*")) if sweep.exists() else []) == listing
    assert leftovers(tmp_path) == []
    jobs = [p for p in sweep.iterdir() if p.is_dir()] if sweep.exists() else []
    for job in jobs:
        assert results_in(job) == TABLES, job
    if jobs:
        assert f"kept the whole results of {len(jobs)} job(s)" in err, err[-3000:]
    else:
        assert "nothing was written" in err and not sweep.exists(), err[-3000:]


# --- problem 9: leftovers --------------------------------------------------------------


@pytest.mark.slow
def test_a_basic_sweep_killed_while_staging_leaves_no_partial_tables(tmp_path: Path) -> None:
    """SIGTERM while job 1's tables are half-written in staging: no staging folder stays,
    job 0's whole results are kept and said to be, job 1's folder goes."""
    sweep = tmp_path / "sweep"
    proc = start(
        "-m",
        *SMALL,
        "seed=0,1,2",
        f"hydra.sweep.dir={sweep}",
        cwd=tmp_path,
        helper="term_in_staging_of_job_1",
    )
    _, err = proc.communicate(timeout=120)
    assert "Traceback" not in err, err
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert leftovers(tmp_path) == [], err
    (job,) = [p.name for p in sweep.iterdir() if p.is_dir()]
    assert job == ",".join(sorted([*SMALL, "seed=0"])).replace("plots=false", "plots=False"), err
    assert results_in(sweep / job) == TABLES
    assert "kept the whole results of 1 job(s) of 3" in err, err
    assert f"(job folder(s) {job})" in err, err


@pytest.mark.slow
def test_ctrl_c_on_a_basic_sweep_says_what_was_kept(tmp_path: Path) -> None:
    """SIGINT once job 1 is simulating: job 0's results are kept and said to be (not
    'nothing was written'); job 1's folder goes."""
    sweep = tmp_path / "sweep"
    proc = start("-m", *TOY, "horizon=2100", "seed=0,1", f"hydra.sweep.dir={sweep}", cwd=tmp_path)
    seen = wait_for(proc, "[job 1: base_case seed 1] ")
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    err = seen + err
    assert "Traceback" not in err, err
    assert proc.returncode == 128 + signal.SIGINT, err
    assert "nothing was written" not in err, err
    assert "kept the whole results of 1 job(s) of 2" in err, err
    (job,) = [p.name for p in sweep.iterdir() if p.is_dir()]
    assert job.endswith(",seed=0"), job
    assert results_in(sweep / job) == TABLES
    assert leftovers(tmp_path) == []


@pytest.mark.slow
def test_a_failed_run_leaves_no_empty_parent_folders(tmp_path: Path) -> None:
    """A run refused by the checks in the run (after Hydra made its folder and parents):
    exit 2, and none of the folders made for it stays."""
    proc = start(
        *SMALL,
        "policy_start=2040",  # after the horizon: refused by the domain rules
        f"hydra.run.dir={tmp_path / 'a' / 'b' / 'run'}",
        cwd=tmp_path,
    )
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, err
    assert err.startswith("lbn_sim: error: ") and "Traceback" not in err, err
    assert not (tmp_path / "a").exists(), sorted(map(str, tmp_path.rglob("*")))
