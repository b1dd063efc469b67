"""Sweeps: the jobs a sweep holds, and every job checked before the first runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from hydra.errors import HydraException
from tests.conftest import run_cli

from lbn_sim.runs.sweep import expand_sweep, job_key


def test_expand_sweep_lists_jobs_in_launch_order() -> None:
    # As Hydra writes them to each job's overrides.yaml (a bool as Python spells it).
    jobs = expand_sweep(["scenario=worst_case,best_case", "seed=range(2)", "plots=false"])
    assert jobs == [
        ("scenario=worst_case", "seed=0", "plots=False"),
        ("scenario=worst_case", "seed=1", "plots=False"),
        ("scenario=best_case", "seed=0", "plots=False"),
        ("scenario=best_case", "seed=1", "plots=False"),
    ]
    # hydra.sweeper.params come first, and the command line overrides a key they set.
    assert expand_sweep(["seed=5"], {"seed": "1,2", "horizon": "2030,2040"}) == [
        ("seed=5", "horizon=2030"),
        ("seed=5", "horizon=2040"),
    ]


def test_a_glob_needs_hydra_s_config_loader() -> None:
    with pytest.raises(HydraException, match="ConfigLoader is not set"):
        expand_sweep(["scenario=glob(*)"])  # outside Hydra: compare then skips the check


def test_job_key_reads_overrides_as_hydra_does() -> None:
    # A job rerun by hand is typed as the user types it; the sweep's job is normalised.
    assert job_key(["plots=false", "seed=1"]) == job_key(["seed=1", "plots=False"])
    assert job_key(["seed=1", "hydra.job.env_set.X=a"]) == job_key(["seed=1"])
    assert job_key(["seed=1"]) != job_key(["seed=2"])


def test_a_bad_value_anywhere_in_a_sweep_stops_it_before_any_job(tmp_path: Path) -> None:
    out = tmp_path / "sweep"
    result = run_cli(
        "-m",
        "data.n_wards=30",
        "horizon=2026",
        "plots=false",
        "scenario.levers.devolution_share=0.5,1.5,0.2",
        f"hydra.sweep.dir={out}",
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "sweep job 1 (" in result.stderr
    assert "scenario.levers.devolution_share must be a share in [0, 1], got 1.5" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()  # job 0, which is fine, did not run either
    # A sweep folder that existed before (here holding only a stopped job's Hydra files,
    # which a new sweep may use) is never removed by the refusal.
    (out / "0" / ".hydra").mkdir(parents=True)
    (out / "0" / ".hydra" / "config.yaml").write_text("seed: 0\n")
    again = run_cli(
        "-m",
        "data.n_wards=30",
        "scenario.levers.devolution_share=0.5,1.5",
        f"hydra.sweep.dir={out}",
        cwd=tmp_path,
    )
    assert again.returncode == 2
    assert "devolution_share must be a share in [0, 1], got 1.5" in again.stderr
    assert (out / "0" / ".hydra" / "config.yaml").read_text() == "seed: 0\n"
    # One that holds an earlier sweep's results is refused as it is, untouched.
    (out / "0" / "groups.parquet").write_text("an earlier sweep's result")
    third = run_cli("-m", "data.n_wards=30", "seed=0,1", f"hydra.sweep.dir={out}", cwd=tmp_path)
    assert third.returncode == 2 and "already holds files (0)" in third.stderr
    assert (out / "0" / "groups.parquet").read_text() == "an earlier sweep's result"


def test_a_sweep_that_cannot_be_checked_beforehand_still_runs_and_says_so(tmp_path: Path) -> None:
    # A job config that needs its own job's context (Hydra's job number) cannot be composed
    # before the sweep: the check says so and every job still runs (and checks itself).
    out = tmp_path / "sweep"
    result = run_cli(
        "-m",
        "data.n_wards=30",
        "policy_start=2020",
        "horizon=2021",
        "plots=false",
        "scenario=base_case,best_case",
        "seed=${hydra:job.num}",
        f"hydra.sweep.dir={out}",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "the jobs' configs were not all checked" in result.stderr
    # Each job's folder is named from its overrides (the seed's written as given, escaped).
    jobs = sorted(p.parent.name for p in out.glob("*/wards.parquet"))
    assert [j.split("scenario=")[1].split(",")[0] for j in jobs] == ["base_case", "best_case"]
    assert f"compare the runs with: python -m lbn_sim.compare {out}" in result.stderr
    # Each job's progress names the job (parallel jobs' lines interleave).
    assert "[job 0: base_case seed 0]   2020:" in result.stderr
    assert "[job 1: best_case seed 1]   2020:" in result.stderr
