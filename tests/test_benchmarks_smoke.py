"""The benchmark suite runs: its smallest size, end to end, as CI's smoke test (not a timing)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from benchmarks.configurations import SIZES

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_smallest_size_runs_and_writes_the_table(tmp_path: Path) -> None:
    out = tmp_path / "results.md"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--sizes", "tiny", "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    table = out.read_text()
    assert "| tiny |" in result.stdout  # printed as well as written
    for needed in ("| python |", "| numpy |", "| cpu |", "float32 uniforms", "| tiny |"):
        assert needed in table, needed
    figures = json.loads(out.with_suffix(".json").read_text())
    (row,) = figures["sizes"]
    assert row["size"] == "tiny" and row["households"] > 0
    assert row["core_rate"] > 0 and row["draws_per_hh_year"] >= 2.0
    assert row["per_agent"]["ratio"] > 0
    assert row["whole_run"]["wall_s"] > 0 and row["whole_run"]["peak_mb"] > 0


def test_sizes_run_from_a_few_wards_to_all_of_england() -> None:
    names = list(SIZES)
    assert names[0] == "tiny" and names[-1] == "england_full"
    assert "data.n_wards=6" in SIZES["tiny"].overrides
    full = SIZES["england_full"].overrides
    assert "households.sample_rate=1.0" in full
    assert "households.left_behind_sample_rate=1.0" in full
    assert any(s.per_agent_years for s in SIZES.values())


def test_replay_reproduces_the_models_own_years() -> None:
    from benchmarks.workload import build_workload, compose_config, replay

    work = build_workload(
        compose_config(["scenario=best_case", "plots=false", "data.n_wards=20"]), 3
    )
    _, households, wards = replay(work, 3)
    for name in ("band", "employed", "skills", "income_factor"):
        np.testing.assert_array_equal(
            getattr(households, name), getattr(work.model.households, name), err_msg=name
        )
    np.testing.assert_array_equal(wards.agg.stress, work.model.wards.agg.stress)


THREADS_AB = ["--size", "small", "--years", "2", "--repeats", "2", "--threads", "2"]


@pytest.mark.slow
def test_threads_ab_runs_and_finds_the_same_bytes() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.threads_ab", *THREADS_AB],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert result.stdout.count("same bytes: True") == 2  # the core's years and the start
    assert "| threads=2 |" in result.stdout and "CPU s other programs" in result.stdout
