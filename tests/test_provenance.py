"""provenance.json: which code made a run."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import lbn_sim
from lbn_sim.config import Config
from lbn_sim.runs.provenance import git_state, provenance

ROOT = Path(__file__).resolve().parents[1]


def test_provenance_names_the_code_and_the_libraries() -> None:
    info = provenance()
    assert info["lbn_sim"] == lbn_sim.__version__ is not None
    assert info["numpy"] == np.__version__
    assert set(info) >= {"git_commit", "git_dirty", "python", "pandas", "mesa", "hydra-core"}


def test_git_state_reads_this_checkout(tmp_path: Path) -> None:
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=False
    )
    if head.returncode != 0:
        pytest.skip("not running from a git checkout")
    commit, dirty = git_state(ROOT / "src" / "lbn_sim")
    assert commit == head.stdout.strip() and isinstance(dirty, bool)
    # Outside lbn_sim's own repository (an installed wheel): nothing is claimed.
    assert git_state(tmp_path) == (None, None)


def test_git_state_counts_new_code_but_not_outputs(tmp_path: Path) -> None:
    """A module not yet added to git makes the checkout dirty; a run's own outputs do not."""

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True)

    pkg = tmp_path / "src" / "lbn_sim"
    pkg.mkdir(parents=True)
    (pkg / "core.py").write_text("x = 1\n")
    git("init", "-q")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "start")
    commit, dirty = git_state(pkg)
    assert commit is not None and len(commit) == 40 and dirty is False
    (tmp_path / "outputs").mkdir()
    (tmp_path / "outputs" / "run.parquet").write_text("results")
    assert git_state(pkg) == (commit, False)
    (pkg / "neighbours.py").write_text("y = 2\n")  # new code, not yet added
    assert git_state(pkg) == (commit, True)


def test_a_run_records_the_code_read_when_it_started(toy_cfg: Callable[..., Config]) -> None:
    """The provenance is read once per process, before the run (a commit made during a run
    is not claimed for it), and the run carries that reading to its provenance.json."""
    from lbn_sim.runs.runner import simulate

    first = provenance()
    result = simulate(toy_cfg("policy_start=2020", "horizon=2021"))
    assert result.made_by is first and provenance() is first
