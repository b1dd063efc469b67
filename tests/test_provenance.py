"""provenance.json: which code made a run."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

import lbn_sim
from lbn_sim.provenance import git_state, provenance

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
