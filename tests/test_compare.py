"""Compare: discovery, planning and refusal, and the comparison folder on a fake sweep."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from matplotlib.figure import Figure
from tests.conftest import COMMIT, MADE_BY

from lbn_sim import compare as cmp
from lbn_sim.analysis import divergence as dv
from lbn_sim.analysis import ensemble as ens
from lbn_sim.compare import (
    CompareRefusal,
    RunInfo,
    find_dirs_without_results,
    find_run_dirs,
    load_run_info,
    override_key,
    plan_comparison,
    run_comparison,
)
from lbn_sim.compare.__main__ import main
from lbn_sim.compare.plan import MAX_SLUG, variant_label, variant_slug
from lbn_sim.plots import figures as fg
from lbn_sim.runs.sweep import BASIC_SWEEPER, sweep_jobs

SCENARIOS = ("worst_case", "base_case", "best_case")
START, POLICY, HORIZON = 2019, 2022, 2030
N_LB, N_OD, N_REST = 6, 6, 18
FEW = ("income_deprivation",)  # fewer indicators: fewer figures, faster tests
DRIFT = {"worst_case": 0.6, "base_case": 0.0, "best_case": -1.2}  # IMD points per year, LB wards


def fake_wards(
    scenario: str, seed: int, indicators: tuple[str, ...] = dv.INDICATORS
) -> pd.DataFrame:
    """A tiny wards.parquet: 30 wards, 2019-2030; history depends on the seed only."""
    n = N_LB + N_OD + N_REST
    group = np.array(["left_behind"] * N_LB + ["other_deprived"] * N_OD + ["rest"] * N_REST)
    base = np.where(group == "left_behind", 50.0, np.where(group == "other_deprived", 40.0, 15.0))
    base = base + np.arange(n) % 5
    hist_rng = np.random.default_rng(seed)
    future_rng = np.random.default_rng([seed, SCENARIOS.index(scenario)])
    years = np.arange(START, HORIZON + 1)
    rows = []
    imd = base.copy()
    for year in years:
        if year > START:
            rng = hist_rng if year < POLICY else future_rng
            imd = imd + rng.normal(0.0, 0.3, n)
            if year >= POLICY:
                imd = imd + np.where(group == "left_behind", DRIFT[scenario], 0.0)
        cni = 2.0 * imd + 20.0
        lb = (imd > 47.5) & (group != "rest")
        if year == START:
            lb = group == "left_behind"
        frame = pd.DataFrame(
            {
                "year": year,
                "ward_code": [f"S{i:08d}" for i in range(n)],
                "ward_name": [f"Ward {i:02d}" for i in range(n)],
                "la_code": [f"L{i // 10:02d}" for i in range(n)],
                "start_group": group,
                "left_behind": lb,
                "population": 1000.0 + 10 * np.arange(n),
                "imd_like": imd,
                "cni_like": cni,
            }
        )
        for ind in indicators:
            frame[ind] = np.clip(imd / 100.0, 0, 1)
        rows.append(frame)
    wards = pd.concat(rows, ignore_index=True)
    wards["imd_rank"] = wards.groupby("year")["imd_like"].rank(ascending=False, method="min")
    wards["cni_rank"] = wards.groupby("year")["cni_like"].rank(ascending=False, method="min")
    return wards


def fake_groups(wards: pd.DataFrame) -> pd.DataFrame:
    """groups.parquet from wards: population-weighted means per year and group."""
    measures = [m for m in dv.MEASURES if m in wards.columns]
    parts = []
    for group in dv.GROUPS:
        sub = wards if group == "england" else wards[wards["start_group"] == group]
        for year, at in sub.groupby("year"):
            row = {"year": year, "group": group, "population": at["population"].sum()}
            for m in measures:
                row[m] = float(np.average(at[m], weights=at["population"]))
            row["n_left_behind"] = int(at["left_behind"].sum())
            parts.append(row)
    return pd.DataFrame(parts)


def write_run(
    path: Path,
    scenario: str,
    seed: int,
    overrides: list[str] | None = None,
    households: float = 0.02,
    with_wards: bool = True,
    indicators: tuple[str, ...] = dv.INDICATORS,
    data: dict[str, object] | None = None,
) -> None:
    """A fake run directory with every table and the .hydra files (``data``: the config's
    ``data`` group; default the synthetic England of 30 wards)."""
    (path / ".hydra").mkdir(parents=True)
    wards = fake_wards(scenario, seed, indicators)
    fake_groups(wards).to_parquet(path / "groups.parquet")
    if with_wards:
        wards.to_parquet(path / "wards.parquet")
    dv.ward_summary(wards).to_csv(path / "ward_summary.csv", index=False)
    pd.DataFrame(
        {
            "year": [START],
            "source": ["central"],
            "destination": ["la"],
            "purpose": ["x"],
            "mechanism": ["formula"],
            "amount": [1.0],
        }
    ).to_parquet(path / "ledger.parquet")
    lever = {"worst_case": 0.0, "base_case": 5.0, "best_case": 50.0}[scenario]
    config = {
        "seed": seed,
        "start_year": START,
        "policy_start": POLICY,
        "horizon": HORIZON,
        "scenario": {
            "name": scenario,
            "levers": {"programme_per_head": lever, "allocation": "formula"},
            "macro": {"recession_years": [2020]},
        },
        "data": data if data is not None else {"name": "synthetic", "n_wards": 30},
        "households": {"sample_rate": households},
    }
    (path / ".hydra" / "config.yaml").write_text(yaml.safe_dump(config))
    ovr = overrides if overrides is not None else [f"scenario={scenario}", f"seed={seed}"]
    (path / ".hydra" / "overrides.yaml").write_text(yaml.safe_dump(ovr))


def write_multirun(
    root: Path, seeds: range = range(3), indicators: tuple[str, ...] = dv.INDICATORS
) -> Path:
    """A fake Hydra multirun: 3 scenarios x len(seeds) seeds in numbered job dirs."""
    root.mkdir(parents=True, exist_ok=True)
    task = [f"scenario={','.join(SCENARIOS)}", f"seed=range({seeds.start},{seeds.stop})"]
    (root / "multirun.yaml").write_text(
        yaml.safe_dump(
            {
                "hydra": {
                    "mode": "MULTIRUN",
                    "sweeper": {"_target_": BASIC_SWEEPER, "max_batch_size": None, "params": None},
                    "overrides": {"hydra": ["hydra.mode=MULTIRUN"], "task": task},
                }
            }
        )
    )
    job = 0
    for scenario in SCENARIOS:
        for seed in seeds:
            write_run(root / str(job), scenario, seed, indicators=indicators)
            job += 1
    return root


@pytest.fixture(scope="module")
def sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_multirun(tmp_path_factory.mktemp("multirun") / "2024-01-01" / "12-00-00")


@pytest.fixture(scope="module")
def comparison(sweep: Path) -> Path:
    return run_comparison([sweep], log=lambda _msg: None)


def test_override_key_strips_prefixes_and_package() -> None:
    assert override_key("scenario=best_case") == "scenario"
    assert override_key("+households.sample_rate=0.1") == "households.sample_rate"
    assert override_key("++seed=3") == "seed"
    assert override_key("~mechanisms.capacity_trap") == "mechanisms.capacity_trap"
    assert override_key("data@foo=england_2019") == "data"


def test_discovery_finds_every_job_in_natural_order(sweep: Path) -> None:
    runs = find_run_dirs([sweep])
    assert [p.name for p in runs] == [str(i) for i in range(9)]


def test_plan_groups_by_scenario_only(sweep: Path) -> None:
    plan = plan_comparison([load_run_info(p) for p in find_run_dirs([sweep])])
    assert plan.dims == ()
    assert list(plan.cells) == [()]
    cell = plan.cells[()]
    assert sorted(cell) == sorted(SCENARIOS)
    assert all(len(runs) == 3 for runs in cell.values())


@pytest.mark.slow
def test_comparison_folder_has_tables_figures_and_report(comparison: Path) -> None:
    tables = comparison / "tables"
    for stem in (
        "group_bands",
        "group_gap_bands",
        "left_behind_count_bands",
        "ward_end_bands",
        "sigma_bands",
        "beta_bands",
    ):
        assert (tables / f"{stem}.parquet").is_file(), stem
        assert (tables / f"{stem}.csv").is_file(), stem
    figures = comparison / "figures"
    for stem in (
        "trajectory_imd_like",
        "trajectory_cni_like",
        "trajectory_income_deprivation",
        "left_behind_count",
        "divergence_distribution",
        "top_movers",
        "panel",
    ):
        assert (figures / f"{stem}.png").stat().st_size > 0, stem
        assert (figures / f"{stem}.svg").stat().st_size > 0, stem
    report = (comparison / "report.md").read_text()
    assert "![" in report and "(figures/panel.png)" in report
    assert (comparison / "figures" / "panel.png").is_file()
    assert "By 2030, under best case, the IMD-like gap between the 6 left-behind wards" in report
    assert "of the 6 are still left behind" in report
    # The first paragraph says which data the runs come from, in words.
    assert "Compared 9 runs on the synthetic England (30 synthetic wards) from `" in report
    assert len(pd.read_csv(comparison / "runs.csv")) == 9
    # nothing temporary left beside the folder
    assert not [p for p in comparison.parent.iterdir() if p.name.startswith(".comparison")]


@pytest.mark.slow
def test_group_bands_are_per_scenario_and_ordered(comparison: Path) -> None:
    gaps = pd.read_parquet(comparison / "tables" / "group_gap_bands.parquet")
    end = gaps[(gaps["year"] == HORIZON) & (gaps["measure"] == "imd_like")]
    end = end[end["reference"] == "england"].set_index("scenario")
    assert set(end["n_runs"]) == {3}
    median = end["median"].astype(float)
    assert median["best_case"] < median["base_case"] < median["worst_case"]
    assert (end["p05"] <= end["median"]).all() and (end["median"] <= end["p95"]).all()
    # shared history: same band for every scenario before the policy start
    hist = gaps[(gaps["year"] < POLICY) & (gaps["measure"] == "imd_like")]
    spread = hist.groupby(["year", "reference"])["median"].agg(lambda s: s.max() - s.min())
    assert np.allclose(spread, 0.0)


@pytest.mark.slow
def test_ward_end_bands_cover_every_ward(comparison: Path) -> None:
    wards = pd.read_parquet(comparison / "tables" / "ward_end_bands.parquet")
    change = wards[wards["measure"] == "imd_gap_change"]
    assert len(change) == 3 * (N_LB + N_OD + N_REST)
    assert {"ward_code", "ward_name", "la_code", "start_group", "median", "p05", "p95"} <= set(
        wards.columns
    )
    # Left behind at the end is a share of runs (the mean), with no percentiles to misread.
    status = wards[wards["measure"] == "left_behind_end"]
    assert len(status) == len(change)
    assert status["mean"].between(0.0, 1.0).all() and status["mean"].notna().all()
    assert status[["p05", "median", "p95"]].isna().all().all()
    assert change[["p05", "median", "p95"]].notna().all().all()


@pytest.mark.slow
def test_rerun_replaces_folder(tmp_path: Path) -> None:
    sweep = write_multirun(tmp_path / "mr", range(2), FEW)
    first = run_comparison([sweep], log=lambda _msg: None)
    (first / "stale.txt").write_text("old")
    out = run_comparison([sweep], log=lambda _msg: None)
    assert out == first == (sweep / "comparison").resolve()
    assert not (out / "stale.txt").exists()
    assert (out / "report.md").is_file()
    assert sorted(p.name for p in sweep.iterdir() if p.name.startswith(".")) == []


@pytest.mark.slow
def write_rate_sweep(root: Path, rates: tuple[float, ...] = (0.02, 0.05)) -> Path:
    """A fake sweep of the futures and ``households.sample_rate`` (one seed): a variant
    per rate."""
    for i, (scenario, rate) in enumerate([(s, r) for s in SCENARIOS for r in rates]):
        write_run(
            root / str(i),
            scenario,
            seed=0,
            households=rate,
            overrides=[f"scenario={scenario}", f"households.sample_rate={rate}"],
            indicators=FEW,
        )
    return root


@pytest.mark.slow  # two comparisons' figures: about 11 s here
def test_swept_key_makes_variants(tmp_path: Path) -> None:
    write_rate_sweep(tmp_path / "sweep")
    plan = plan_comparison([load_run_info(p) for p in find_run_dirs([tmp_path / "sweep"])])
    assert plan.dims == ("households.sample_rate",)
    assert len(plan.cells) == 2
    out = run_comparison([tmp_path / "sweep"], log=lambda _msg: None)
    bands = pd.read_csv(out / "tables" / "group_bands.csv")
    assert set(bands["households.sample_rate"]) == {0.02, 0.05}
    assert len(list((out / "figures").glob("*/panel.png"))) == 2
    report = (out / "report.md").read_text()
    assert "## households.sample_rate=0.02" in report
    # The swept values side by side: one line per future and variant, in one figure and
    # one table whose numbers are the variants' own.
    assert (out / "figures" / "variants.png").is_file()
    assert "## Side by side" in report and "](figures/variants.png)" in report
    assert report.index("## Side by side") < report.index("## households.sample_rate=0.02")
    summary = pd.read_csv(out / "tables" / "variant_summary.csv")
    assert len(summary) == 6
    assert summary["line"].iloc[0] == "worst case, households.sample_rate=0.02"
    assert list(summary["scenario"]) == [
        s for s in ("worst_case", "base_case", "best_case") for _ in range(2)
    ]
    gaps = pd.read_csv(out / "tables" / "group_gap_bands.csv")
    end = gaps[(gaps["year"] == gaps["year"].max()) & (gaps["measure"] == "imd_like")]
    end = end[end["reference"] == "england"]
    for _, row in summary.iterrows():
        rate = float(row["line"].rsplit("=", 1)[1])
        match = end[(end["scenario"] == row["scenario"]) & (end["households.sample_rate"] == rate)]
        assert row["imd_gap_median"] == pytest.approx(float(match["median"].iloc[0]))
    assert f"| {summary['line'].iloc[0]} | {HORIZON} | 1 |" in report


@pytest.mark.slow
def test_pooled_key_joins_the_seeds_in_the_bands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Draws of an uncertain input (here households.sample_rate stands in for one), two seeds
    # each: pooled, each future has one ensemble of four runs and no variants.
    runs = [(s, seed, r) for s in SCENARIOS for seed in (0, 1) for r in (0.02, 0.05)]
    for i, (scenario, seed, rate) in enumerate(runs):
        write_run(
            tmp_path / "sweep" / str(i),
            scenario,
            seed=seed,
            households=rate,
            overrides=[f"scenario={scenario}", f"seed={seed}", f"households.sample_rate={rate}"],
            indicators=FEW,
        )
    infos = [load_run_info(p) for p in find_run_dirs([tmp_path / "sweep"])]
    plan = plan_comparison(infos, pool=["households.sample_rate"])
    assert plan.dims == () and len(plan.cells) == 1
    assert all(len(v) == 4 for v in next(iter(plan.cells.values())).values())
    assert main([str(tmp_path / "sweep"), "--pool", "households.sample_rate"]) == 0
    err = capsys.readouterr().err
    assert "pooled with the seeds: households.sample_rate" in err
    assert "repeated seed" not in err  # seed 0 twice, but with different draws
    out = tmp_path / "sweep" / "comparison"
    assert "seeds and draws of `households.sample_rate`" in (out / "report.md").read_text()
    inventory = pd.read_csv(out / "runs.csv")
    assert sorted(set(inventory["households.sample_rate"])) == [0.02, 0.05]
    bands = pd.read_csv(out / "tables" / "group_bands.csv")
    assert "households.sample_rate" not in bands.columns
    # A group stands for the keys under it that vary.
    group = ["--pool", "households", "--out", str(tmp_path / "g")]
    assert main([str(tmp_path / "sweep"), *group]) == 0
    assert "repeated seed" not in capsys.readouterr().err
    assert "households.sample_rate" in pd.read_csv(tmp_path / "g" / "runs.csv").columns
    # The seed is always pooled and futures never are (nor a lever that only they set); a key
    # no run has, or one with a single value, is refused.
    for bad in (
        "seed",
        "scenario",
        "scenario.levers.programme_per_head",  # set by the future: no draws within one
        "households.nonsense",
        "data.name",
    ):
        assert main([str(tmp_path / "sweep"), "--pool", bad]) == 2
        assert "--pool" in capsys.readouterr().err


def test_refuses_empty_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    assert main([str(tmp_path / "empty")]) == 2
    err = capsys.readouterr().err
    assert "no runs found" in err
    assert not (tmp_path / "empty" / "comparison").exists()


@pytest.mark.slow
def test_refuses_a_sweep_that_stopped_part_way(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sweep = write_multirun(tmp_path / "mr", range(2), FEW)
    assert len(sweep_jobs(sweep) or ()) == 6
    shutil.rmtree(sweep / "3")  # job 3: base_case, seed 1
    assert main([str(sweep)]) == 2
    err = capsys.readouterr().err
    assert "has results for 5 of its 6 jobs" in err
    assert "job 3: scenario=base_case seed=1" in err and "--allow-incomplete" in err
    assert not (sweep / "comparison").exists()
    assert main([str(sweep), "--allow-incomplete"]) == 0
    assert "warning: the sweep" in capsys.readouterr().err
    report = (sweep / "comparison" / "report.md").read_text()
    assert "has results for 5 of its 6 jobs; the missing job is left out." in report
    # Given a folder holding several sweeps, each is checked against its own runs.
    other = write_multirun(tmp_path / "mr2", range(2), FEW)
    assert main([str(tmp_path), "--out", str(tmp_path / "both")]) == 2
    assert "has results for 5 of its 6 jobs" in capsys.readouterr().err
    # The missing job rerun by hand, as the refusal says (its overrides as typed), completes it.
    write_run(sweep / "3", "base_case", 1, overrides=["seed=1", "scenario=base_case"])
    assert main([str(tmp_path), "--out", str(tmp_path / "both")]) == 0
    assert other.is_dir() and (tmp_path / "both" / "report.md").is_file()


def test_refuses_mixed_configs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_run(tmp_path / "a", "best_case", 0, households=0.02)
    write_run(tmp_path / "b", "best_case", 1, households=0.05)
    assert main([str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "households.sample_rate" in err
    assert "0.02" in err and "0.05" in err
    assert "--force" in err
    assert not (tmp_path / "comparison").exists()
    with pytest.raises(CompareRefusal, match=r"households\.sample_rate"):
        run_comparison([tmp_path], log=lambda _msg: None)


@pytest.mark.slow
def test_force_compares_mixed_configs_as_variants(tmp_path: Path) -> None:
    write_run(tmp_path / "a", "best_case", 0, households=0.02, indicators=FEW)
    write_run(tmp_path / "b", "best_case", 1, households=0.05, indicators=FEW)
    assert main([str(tmp_path), "--force", "--out", str(tmp_path / "cmp")]) == 0
    bands = pd.read_csv(tmp_path / "cmp" / "tables" / "group_bands.csv")
    assert set(bands["households.sample_rate"]) == {0.02, 0.05}


def test_scenario_levers_do_not_count_as_unswept(tmp_path: Path) -> None:
    # a single run per scenario, made separately (overrides name the scenario only)
    for i, scenario in enumerate(SCENARIOS):
        write_run(tmp_path / f"run{i}", scenario, seed=0, overrides=[f"scenario={scenario}"])
    plan = plan_comparison([load_run_info(p) for p in find_run_dirs([tmp_path])])
    assert plan.dims == ()
    assert sorted(plan.cells[()]) == sorted(SCENARIOS)


def test_refuses_to_overwrite_a_foreign_directory(tmp_path: Path) -> None:
    write_run(tmp_path / "runs" / "0", "best_case", 0)
    foreign = tmp_path / "precious"
    foreign.mkdir()
    (foreign / "data.txt").write_text("keep me")
    assert main([str(tmp_path / "runs"), "--out", str(foreign)]) == 2
    assert (foreign / "data.txt").read_text() == "keep me"


@pytest.mark.slow
def test_runs_without_wards_parquet_still_compare(tmp_path: Path) -> None:
    for i, scenario in enumerate(SCENARIOS):
        write_run(tmp_path / str(i), scenario, seed=0, with_wards=False, indicators=FEW)
    out = run_comparison([tmp_path], log=lambda _msg: None)
    assert (out / "figures" / "panel.svg").is_file()
    assert not (out / "tables" / "sigma_bands.parquet").exists()
    # The report says why the spread and beta convergence are missing.
    report = (out / "report.md").read_text()
    assert "best case: 1 (none has `wards.parquet`, so there is no spread or beta" in report


@pytest.mark.slow
def test_runs_on_different_data_are_told_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The base case on the synthetic England twice (30 wards, and England's size: no
    # n_wards), the best case on the real data (no n_wards either), made separately.
    syn = {"name": "synthetic", "n_wards": 30}
    full = {"name": "synthetic", "n_wards": None}
    real = {"name": "england_2019", "n_wards": None}
    for folder, scenario, data, extra in (
        ("syn30", "base_case", syn, ["data.n_wards=30"]),
        ("synfull", "base_case", full, []),
        ("real", "best_case", real, ["data=england_2019"]),
    ):
        overrides = [f"scenario={scenario}", "seed=0", *extra]
        write_run(tmp_path / "runs" / folder, scenario, 0, overrides, indicators=FEW, data=data)
    # Futures on different data are never side by side in one variant, even when the data
    # vary only with the future.
    plan = plan_comparison([load_run_info(p) for p in find_run_dirs([tmp_path / "runs"])])
    assert plan.dims == ("data.name", "data.n_wards")
    assert all(len(by_scenario) == 1 for by_scenario in plan.cells.values())
    titles: list[str | None] = []
    panel = fg.panel_figure

    def spy(*args: Any, **kwargs: Any) -> Figure:
        titles.append(kwargs.get("title"))
        return panel(*args, **kwargs)

    monkeypatch.setattr(fg, "panel_figure", spy)
    out = run_comparison([tmp_path / "runs"], out=tmp_path / "cmp", log=lambda _msg: None)
    report = (out / "report.md").read_text()
    first = report.split("\n\n")[1]
    assert first.startswith("Compared 3 runs from `")
    assert "on two data sources, each variant below on one: " in first
    assert "the synthetic England (30 synthetic wards)" in first
    assert "the real data of England, IMD and CNI 2019 (30 wards)" in first
    # A key that is None for a variant is left out of its heading.
    assert "=None" not in report
    for heading in (
        "## data.name=synthetic, data.n_wards=30\n",
        "## data.name=synthetic\n",
        "## data.name=england_2019\n",
    ):
        assert heading in report
    assert "data: the real data of England, IMD and CNI 2019 (30 wards)." in report
    # The panel figure's title names the data too.
    assert sorted(t.split("\n")[0] for t in titles if t is not None) == [
        "Left-behind wards under 1 future, on the real data of England, IMD and CNI 2019 "
        "(30 wards)",
        "Left-behind wards under 1 future, on the synthetic England (30 synthetic wards)",
        "Left-behind wards under 1 future, on the synthetic England (30 synthetic wards)",
    ]
    # Integers print as integers in runs.csv, None as an empty cell.
    lines = (out / "runs.csv").read_text().splitlines()
    # (no provenance.json: the code's columns are empty)
    assert lines[0] == "run,path,scenario,seed,data.name,data.n_wards,lbn_sim,git_commit,git_dirty"
    assert sorted(line.rsplit(",", 5)[1:3] for line in lines[1:]) == [
        ["england_2019", ""],
        ["synthetic", ""],
        ["synthetic", "30"],
    ]


@pytest.mark.slow
def test_every_figure_names_the_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not only the panel: every figure of a variant says which data its runs come from
    (the synthetic England is calibrated to the real headline numbers)."""
    real = {"name": "england_2019", "n_wards": None}
    for i, scenario in enumerate(SCENARIOS[1:]):
        overrides = [f"scenario={scenario}", "seed=0", "data=england_2019"]
        write_run(tmp_path / "runs" / str(i), scenario, 0, overrides, indicators=FEW, data=real)
    saved: dict[str, Figure] = {}
    save = fg.save_figure

    def spy(fig: Figure, directory: Path, stem: str, dpi: int = 150) -> list[Path]:
        saved[stem] = fig
        return save(fig, directory, stem, dpi)

    monkeypatch.setattr(fg, "save_figure", spy)
    run_comparison([tmp_path / "runs"], out=tmp_path / "cmp", log=lambda _msg: None)
    assert {
        "trajectory_imd_like",
        "trajectory_income_deprivation",
        "left_behind_count",
        "sigma_imd_like",
        "divergence_distribution",
        "top_movers",
        "panel",
    } <= set(saved)
    for stem, fig in saved.items():
        title = fig.get_suptitle() or fig.axes[0].get_title()
        first = title.split("\n")[0]
        assert first.endswith(", on the real data of England, IMD and CNI 2019 (30 wards)"), stem


def test_pooling_different_data_is_refused() -> None:
    runs = [
        _info(f"r{i}", s, 0, [f"scenario={s}", f"data={d}"], **{"data.name": d})
        for i, (s, d) in enumerate(
            (s, d) for s in ("worst_case", "best_case") for d in ("synthetic", "england_2019")
        )
    ]
    assert plan_comparison(runs).dims == ("data.name",)
    for key in ("data", "data.name"):
        with pytest.raises(CompareRefusal, match=r"--pool data.*differ in 'data\.name'"):
            plan_comparison(runs, pool=[key])


def test_runs_with_other_years_are_variants_never_pooled() -> None:
    # Horizons swept within one future: pooled, a band would mix 2028 and 2035 ends.
    runs = [
        _info(f"r{i}", "best_case", seed, ["scenario=best_case", f"horizon={h}"], horizon=h)
        for i, (seed, h) in enumerate((s, h) for s in (0, 1) for h in (2028, 2035))
    ]
    assert plan_comparison(runs).dims == ("horizon",)
    for key in ("horizon", "policy_start", "start_year"):
        with pytest.raises(CompareRefusal, match=rf"--pool {key}: it sets the runs' years"):
            plan_comparison(runs, pool=[key])
    # Futures with their own policy start are two variants, each with its own branch year,
    # not one variant stating the first future's.
    apart = [
        _info(
            "a", "worst_case", 0, ["scenario=worst_case", "policy_start=2025"], policy_start=2025
        ),
        _info("b", "best_case", 0, ["scenario=best_case", "policy_start=2030"], policy_start=2030),
    ]
    plan = plan_comparison(apart)
    assert plan.dims == ("policy_start",)
    assert len(plan.cells) == 2


def test_variant_label_leaves_out_keys_that_are_none() -> None:
    assert variant_label([("data.name", "england_2019"), ("data.n_wards", None)]) == (
        "data.name=england_2019"
    )
    assert variant_label([("data.name", "synthetic"), ("data.n_wards", 300)]) == (
        "data.name=synthetic, data.n_wards=300"
    )
    assert variant_label([("data.n_wards", None)]) == "data.n_wards not set"
    assert variant_label([]) == ""


def test_refuses_an_output_folder_it_cannot_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_run(tmp_path / "runs" / "0", "best_case", 0, indicators=FEW)
    (tmp_path / "a_file").write_text("not a folder")
    bad = [tmp_path / "a_file" / "cmp", tmp_path / "a_file" / "deeper" / "cmp"]
    if Path("/proc/self").is_dir():  # Linux: nothing can be created in /proc
        bad.append(Path("/proc/cmp"))
    for out in bad:
        assert main([str(tmp_path / "runs"), "--out", str(out)]) == 2
        err = capsys.readouterr().err
        # One line, before any work (no run was read), naming the folder.
        assert err.startswith(f"lbn_sim.compare: refused: cannot write the comparison folder {out}")
        assert err.count("\n") == 1 and "--out" in err and "found" not in err
    assert (tmp_path / "a_file").read_text() == "not a folder"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file", "runs"]
    # Folders made for --out are removed again when the comparison is refused later.
    (tmp_path / "empty").mkdir()
    assert main([str(tmp_path / "empty"), "--out", str(tmp_path / "new" / "deep" / "cmp")]) == 2
    assert "no runs found" in capsys.readouterr().err
    assert not (tmp_path / "new").exists()


@pytest.mark.usefixtures("no_figures")
def test_folders_without_results_are_skipped_and_said_to_be(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    write_run(runs / "0", "best_case", 0, indicators=FEW)
    (runs / "1" / ".hydra").mkdir(parents=True)  # interrupted at once
    write_run(runs / "2", "best_case", 1, indicators=FEW)
    (runs / "2" / "groups.parquet").unlink()  # failed before writing its results
    assert find_dirs_without_results([runs]) == [(runs / "1").resolve(), (runs / "2").resolve()]
    messages: list[str] = []
    run_comparison([runs], log=messages.append)
    skipped = [m for m in messages if m.startswith("skipped")]
    assert len(skipped) == 1
    assert skipped[0].startswith("skipped 2 folders without results")
    assert str((runs / "1").resolve()) in skipped[0] and str((runs / "2").resolve()) in skipped[0]
    assert "found 1 run(s)" in messages


@pytest.mark.slow
def test_command_line_module(tmp_path: Path) -> None:
    sweep = write_multirun(tmp_path / "mr", range(1), FEW)
    result = subprocess.run(
        [sys.executable, "-m", "lbn_sim.compare", str(sweep), "--out", str(tmp_path / "c")],
        capture_output=True,
        text=True,
        check=False,
        env={
            **os.environ,
            "PYTHONPATH": str(Path(__file__).parents[1] / "src"),
            "MPLBACKEND": "Agg",
        },
    )
    assert result.returncode == 0, result.stderr
    assert "found 3 run(s)" in result.stderr
    assert (tmp_path / "c" / "report.md").is_file()


OTHER_COMMIT = "5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e"


def write_made_by(run: Path, **changes: object) -> None:
    """Give a fake run the ``provenance.json`` of :data:`MADE_BY`, with ``changes``."""
    (run / "provenance.json").write_text(json.dumps(MADE_BY | changes, indent=2))


@pytest.fixture
def no_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    """Compare without drawing (the figures do not depend on provenance, and cost seconds)."""
    monkeypatch.setattr(cmp, "_draw_variant", lambda *args, **kwargs: {})


def _code_lines(messages: list[str]) -> list[str]:
    """The log lines on the code that made the runs."""
    return [m for m in messages if "different code" in m]


@pytest.mark.usefixtures("no_figures")
def test_runs_made_by_different_code_are_compared_with_a_warning(tmp_path: Path) -> None:
    sweep = write_multirun(tmp_path / "mr", range(2), FEW)
    for job in range(6):
        write_made_by(sweep / str(job))
    write_made_by(sweep / "5", git_commit=OTHER_COMMIT)  # rerun after a commit
    messages: list[str] = []
    out = run_comparison([sweep], log=messages.append)
    warning = (
        "the runs were made by different code: git_commit 1a2b3c4 (5 runs), 5d6e7f8 (1 run); "
        "their differences are not only the seeds'"
    )
    assert _code_lines(messages) == [f"warning: {warning}"]
    # Compared all the same; the report says it right after the runs compared.
    first = (out / "report.md").read_text().split("\n\n")[1]
    assert first.startswith(
        f"Compared 6 runs on the synthetic England (30 synthetic wards) from `{sweep}`. "
        f"**{warning[0].upper()}{warning[1:]}.** Every number"
    )
    assert "Made by" not in first
    inventory = pd.read_csv(out / "runs.csv", dtype=str).set_index("run")
    assert list(inventory.columns[-3:]) == ["lbn_sim", "git_commit", "git_dirty"]
    assert inventory.loc["5", "git_commit"] == OTHER_COMMIT  # in full
    assert (inventory.drop(index="5")["git_commit"] == COMMIT).all()
    assert set(inventory["lbn_sim"]) == {"0.1.0"} and set(inventory["git_dirty"]) == {"False"}
    # Futures made by different code are as misleading: one future's runs differ from the
    # others' in numpy alone; and a run without provenance makes its code unknown.
    for job in (0, 1):  # worst case, both seeds
        write_made_by(sweep / str(job), numpy="1.26.4")
    write_made_by(sweep / "5")
    (sweep / "3" / "provenance.json").unlink()
    messages.clear()
    out = run_comparison([sweep], out=tmp_path / "cmp", log=messages.append)
    warning = (
        "the runs were made by different code: 1 of the 6 runs has no provenance.json (code "
        "unknown); numpy 2.1.0 (3 runs), 1.26.4 (2 runs); their differences are not only the "
        "seeds'"
    )
    assert _code_lines(messages) == [f"warning: {warning}"]
    assert f"**{warning[0].upper()}{warning[1:]}.**" in (out / "report.md").read_text()
    inventory = pd.read_csv(out / "runs.csv", dtype=str).set_index("run")
    assert inventory.loc["3", ["lbn_sim", "git_commit", "git_dirty"]].isna().all()


@pytest.mark.usefixtures("no_figures")
def test_runs_made_by_the_same_code_name_it_once(tmp_path: Path) -> None:
    for seed in (0, 1):
        write_run(tmp_path / "runs" / str(seed), "best_case", seed, indicators=FEW)
        write_made_by(tmp_path / "runs" / str(seed))
    messages: list[str] = []
    out = run_comparison([tmp_path / "runs"], log=messages.append)
    assert _code_lines(messages) == []
    report = (out / "report.md").read_text()
    assert f"from `{tmp_path / 'runs'}`. Made by lbn_sim 0.1.0 at commit 1a2b3c4. Every" in report
    assert "different code" not in report
    for seed in (0, 1):
        write_made_by(tmp_path / "runs" / str(seed), git_dirty=True)
    out = run_comparison([tmp_path / "runs"], log=messages.append)
    assert _code_lines(messages) == []
    assert (
        "Made by lbn_sim 0.1.0 at commit 1a2b3c4 with uncommitted changes (which may differ "
        "between runs). Every"
    ) in (out / "report.md").read_text()
    assert set(pd.read_csv(out / "runs.csv", dtype=str)["git_dirty"]) == {"True"}


@pytest.mark.usefixtures("no_figures")
def test_runs_without_provenance_say_nothing_of_the_code(tmp_path: Path) -> None:
    for seed in (0, 1):  # made before provenance.json was written
        write_run(tmp_path / "runs" / str(seed), "best_case", seed, indicators=FEW)
    messages: list[str] = []
    out = run_comparison([tmp_path / "runs"], log=messages.append)
    assert _code_lines(messages) == []
    report = (out / "report.md").read_text()
    assert "Made by" not in report and "different code" not in report
    assert f"from `{tmp_path / 'runs'}`. Every number" in report
    inventory = pd.read_csv(out / "runs.csv", dtype=str)
    assert inventory[["lbn_sim", "git_commit", "git_dirty"]].isna().all().all()
    # A provenance.json cut short counts as none: the comparison goes on.
    (tmp_path / "runs" / "0" / "provenance.json").write_text('{"lbn_sim": "0.1')
    assert load_run_info(tmp_path / "runs" / "0").provenance is None


def _info(name: str, scenario: str, seed: int, overrides: list[str], **extra: object) -> RunInfo:
    config: dict[str, object] = {"seed": seed, "scenario.name": scenario, "plots": True}
    config["scenario.levers.programme_per_head"] = {"worst_case": 0.0, "best_case": 9.0}[scenario]
    config.update(extra)
    return RunInfo(Path(name), config, tuple(overrides))


def test_plan_rules_without_files() -> None:
    # data=... is a group override: data.name splits the runs, data.n_wards follows it
    runs = [
        _info(
            f"r{i}",
            s,
            seed,
            [f"scenario={s}", f"seed={seed}", f"data={d}"],
            **{"data.name": d, "data.n_wards": n, "data.seed": seed, "plots": seed == 0},
        )
        for i, (s, seed, (d, n)) in enumerate(
            (s, seed, dn)
            for s in ("worst_case", "best_case")
            for seed in (0, 1)
            for dn in (("synthetic", 7400), ("england_2019", None))
        )
    ]
    plan = plan_comparison(runs)
    assert plan.dims == ("data.name",)  # plots ignored, data.seed follows seed
    assert len(plan.cells) == 2
    assert all(len(v) == 2 for cell in plan.cells.values() for v in cell.values())


def test_explicit_scenario_lever_sweep_is_a_dimension() -> None:
    runs = [
        _info(f"r{x}", "best_case", 0, [f"scenario.levers.programme_per_head={x}"])
        for x in (1.0, 2.0)
    ]
    runs = [
        RunInfo(r.path, {**r.config, "scenario.levers.programme_per_head": x}, r.overrides)
        for r, x in zip(runs, (1.0, 2.0), strict=True)
    ]
    assert plan_comparison(runs).dims == ("scenario.levers.programme_per_head",)
    unswept = [RunInfo(r.path, r.config, ("scenario=best_case",)) for r in runs]
    with pytest.raises(CompareRefusal, match=r"scenario\.levers\.programme_per_head"):
        plan_comparison(unswept)


def test_band_summary_quantiles_across_runs() -> None:
    frame = pd.DataFrame({"year": 2030, "value": np.arange(101, dtype=float)})
    bands = ens.band_summary(frame, ["year"])
    row = bands.iloc[0]
    assert (row["n_runs"], row["p05"], row["median"], row["p95"]) == (101, 5.0, 50.0, 95.0)
    assert list(bands.columns) == ["year", *ens.BAND_COLUMNS]


def test_gap_bands_are_bands_of_per_run_gaps() -> None:
    # Two runs whose group means move together: the per-run gap is 10 in both, so the
    # band of the gap has zero width although each group's band is 10 points wide.
    def groups(shift: float) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "year": 2030,
                "group": ["left_behind", "other_deprived", "england"],
                "imd_like": [40.0 + shift, 35.0 + shift, 30.0 + shift],
                "n_left_behind": [5, 1, 6],
            }
        )

    by_run = {"a": groups(0.0), "b": groups(10.0)}
    gaps = ens.group_gap_bands(by_run)
    row = gaps[(gaps["measure"] == "imd_like") & (gaps["reference"] == "england")].iloc[0]
    assert row["p05"] == row["p95"] == 10.0
    levels = ens.group_bands(by_run)
    lb = levels[(levels["group"] == "left_behind") & (levels["measure"] == "imd_like")]
    assert lb.iloc[0]["p95"] - lb.iloc[0]["p05"] == pytest.approx(9.0)
    with pytest.raises(ValueError, match="at least one run"):
        ens.group_bands({})


def test_variants_sort_numbers_as_numbers() -> None:
    from lbn_sim.plots.variants import natural_key

    labels = ["best case, award_years=12", "best case, award_years=2", "best case, rate=-0.5"]
    assert sorted(labels, key=natural_key) == [
        "best case, award_years=2",
        "best case, award_years=12",
        "best case, rate=-0.5",
    ]


def test_ward_bands_name_wards_when_only_some_runs_have_their_authority() -> None:
    """A run made before la_name was written, compared with a newer one: each ward keeps
    the authority the newer run gives it, and its label is never 'nan'."""
    from lbn_sim.analysis.ensemble import ward_end_bands
    from lbn_sim.plots.parts import ward_labels

    def summary(with_la: bool) -> pd.DataFrame:
        frame = pd.DataFrame(
            {
                "ward_code": ["W1", "W2"],
                "ward_name": ["Pier", "College"],
                "la_code": ["E1", "E2"],
                "start_group": ["left_behind", "rest"],
                "imd_gap_start": [20.0, -5.0],
                "imd_gap_end": [15.0, -4.0],
                "left_behind_end": [True, False],
            }
        )
        if with_la:
            frame.insert(3, "la_name", ["Blackpool", "Durham"])
        return frame

    bands = ward_end_bands({"old": summary(False), "new": summary(True)})
    names = bands.drop_duplicates("ward_code").set_index("ward_code")["la_name"]
    assert names.to_dict() == {"W1": "Blackpool", "W2": "Durham"}
    assert ward_labels(bands).to_dict() == {"W1": "Pier, Blackpool", "W2": "College, Durham"}


def test_variants_ending_in_different_years_are_each_read_at_their_horizon() -> None:
    """A sweep over the horizon: each line of the side-by-side table is read in its own
    last year, none is dropped."""
    from lbn_sim.plots.variants import variant_summary

    rows_gap, rows_count = [], []
    for horizon in (2040, 2050):
        for year in range(2019, horizon + 1):
            key = {"scenario": "best_case", "horizon": str(horizon), "year": year, "n_runs": 2}
            for measure in ("imd_like", "cni_like"):
                value = float(horizon - year)  # 0 in the variant's own last year
                rows_gap.append(
                    key
                    | {"measure": measure, "reference": "england", "median": value}
                    | {"p05": value, "p95": value}
                )
            for measure in ("n_still_left_behind", "n_left_behind"):
                value = float(year - 2000)
                rows_count.append(
                    key | {"measure": measure, "median": value, "p05": value, "p95": value}
                )
    summary = variant_summary(pd.DataFrame(rows_gap), pd.DataFrame(rows_count), ["horizon"])
    assert list(summary["line"]) == ["best case, horizon=2040", "best case, horizon=2050"]
    assert list(summary["year"]) == [2040, 2050]
    assert list(summary["imd_gap_median"]) == [0.0, 0.0]
    assert list(summary["left_behind_median"]) == [40.0, 50.0]


def test_a_sweep_over_part_of_a_phase_is_a_variant_with_a_short_folder_name() -> None:
    # Phases are a list, kept as one key (JSON text); an override of one field sets it.
    phases = {
        year: json.dumps([{"from_year": year, "levers": {"capacity_building_per_head": 0.0}}])
        for year in (2027, 2030)
    }
    runs = [
        _info(
            f"r{year}",
            "best_case",
            0,
            ["scenario=best_case", f"scenario.phases.0.from_year={year}"],
            **{"scenario.phases": text},
        )
        for year, text in phases.items()
    ]
    plan = plan_comparison(runs)
    assert plan.dims == ("scenario.phases",)
    # Long list values make folder names that file systems refuse: cut, and kept apart.
    slugs = {variant_slug([("scenario.phases", text * 4)]) for text in phases.values()}
    assert len(slugs) == 2 and all(len(s) <= MAX_SLUG for s in slugs)
    assert variant_slug([("seed", 1)]) == "seed-1"


def test_runs_made_before_phases_existed_compare_with_runs_without_phases(tmp_path: Path) -> None:
    for i, phases in enumerate((None, [])):
        run = tmp_path / str(i)
        (run / ".hydra").mkdir(parents=True)
        scenario: dict[str, object] = {"name": "best_case"}
        if phases is not None:
            scenario["phases"] = phases
        (run / ".hydra" / "config.yaml").write_text(json.dumps({"seed": i, "scenario": scenario}))
    old, new = (load_run_info(tmp_path / str(i)) for i in range(2))
    assert old.config["scenario.phases"] == new.config["scenario.phases"] == "[]"


def test_job_folders_named_from_overrides_sort_by_their_numbers() -> None:
    from lbn_sim.compare.runs import natural_key

    folders = [Path(f"/s/scenario=base_case,seed={s}") for s in (10, 2, 1)]
    folders += [Path("/s/10"), Path("/s/9")]
    assert [p.name for p in sorted(folders, key=natural_key)] == [
        "9",
        "10",
        "scenario=base_case,seed=1",
        "scenario=base_case,seed=2",
        "scenario=base_case,seed=10",
    ]


def write_draw_sweep(root: Path, draws: range = range(3), seeds: range = range(2)) -> Path:
    """Fake runs of a ``param_draw`` sweep: two futures x ``draws`` x ``seeds``; each vector
    ``d`` moves the left-behind wards' IMD-like score by ``3 d`` points from the policy start
    (the seeds' noise is the fake runs' own)."""
    for scenario in ("worst_case", "best_case"):
        for d in draws:
            for seed in seeds:
                path = root / f"param_draw={d},scenario={scenario},seed={seed}"
                overrides = [f"param_draw={d}", f"scenario={scenario}", f"seed={seed}"]
                write_run(path, scenario, seed, overrides=overrides, indicators=FEW)
                config = yaml.safe_load((path / ".hydra" / "config.yaml").read_text())
                (path / ".hydra" / "config.yaml").write_text(
                    yaml.safe_dump(config | {"param_draw": d})
                )
                groups = pd.read_parquet(path / "groups.parquet")
                moved = (groups["group"] == "left_behind") & (groups["year"] >= POLICY)
                groups.loc[moved, "imd_like"] += 3.0 * d
                groups.to_parquet(path / "groups.parquet")
    return root


@pytest.mark.usefixtures("no_figures")
def test_pooled_parameter_vectors_split_each_headline_between_parameters_and_seeds(
    tmp_path: Path,
) -> None:
    from lbn_sim.analysis.uncertainty import variance_split

    sweep = write_draw_sweep(tmp_path / "sweep")
    out = run_comparison([sweep], log=lambda _m: None, pool=["param_draw"])
    report = (out / "report.md").read_text()
    assert "they leave out the uncertainty in the model's own parameters" not in report
    assert "in the model's own parameters: each run takes one of 3 parameter vectors" in report
    assert "| future | figure | from parameters (sd) | from seeds (sd) |" in report
    assert f"| worst case | IMD-like gap to England in {HORIZON} (points) |" in report
    assert f"| best case | still left behind in {HORIZON} (wards) |" in report
    split = pd.read_csv(out / "tables" / "spread_split.csv").set_index(["scenario", "measure"])
    assert set(split.index.get_level_values("measure")) == {"gap_end", "still_left_behind"}
    # The split is the one-way analysis of variance of the runs' own 2030 gaps.
    rows = []
    for path in sorted(sweep.glob("param_draw=*")):
        config = yaml.safe_load((path / ".hydra" / "config.yaml").read_text())
        gaps = dv.group_gaps(pd.read_parquet(path / "groups.parquet"))
        end = gaps[(gaps["year"] == HORIZON) & (gaps["measure"] == "imd_like")]
        rows.append(
            {
                "scenario": config["scenario"]["name"],
                "draw": config["param_draw"],
                "seed": config["seed"],
                "gap_end": float(end["gap_england"].iloc[0]),
            }
        )
    runs = pd.DataFrame(rows)
    for scenario, sub in runs.groupby("scenario"):
        want = variance_split(sub, "gap_end")
        got = split.loc[(scenario, "gap_end")]
        assert got["param_sd"] == pytest.approx(np.sqrt(want["param_var"]))
        assert got["seed_sd"] == pytest.approx(np.sqrt(want["seed_var"]))
        assert got["n_draws"] == 3
        assert got["param_share"] > 0.9  # 3 points a vector against the seeds' noise
    # The bands pool every run of a future: six each.
    counts = pd.read_csv(out / "tables" / "left_behind_count_bands.csv")
    assert set(counts["n_runs"]) == {6}
    assert sorted(set(pd.read_csv(out / "runs.csv")["param_draw"])) == [0, 1, 2]


@pytest.mark.usefixtures("no_figures")
def test_parameter_vectors_not_pooled_are_variants_and_the_report_keeps_its_sentence(
    tmp_path: Path,
) -> None:
    sweep = write_draw_sweep(tmp_path / "sweep", draws=range(2), seeds=range(1))
    report = (run_comparison([sweep], log=lambda _m: None) / "report.md").read_text()
    assert "## param_draw=0" in report and "## param_draw=1" in report
    assert "they leave out the uncertainty in the model's own parameters" in report
    assert "from parameters (sd)" not in report


def test_the_bands_sentence_is_true_for_what_was_pooled() -> None:
    from lbn_sim.compare.report import bands_sentence

    assert "leave out the uncertainty in the model's own parameters" in bands_sentence(())
    assert "leave out the uncertainty" in bands_sentence(["households.sample_rate"])
    some = bands_sentence(["params.agglomeration"])
    assert "carry the uncertainty in `params.agglomeration` but leave out" in some
    every = bands_sentence(["param_draw", "params.agglomeration"], 50)
    assert "one of 50 parameter vectors" in every and "`params.agglomeration`" in every
    assert "leave out" not in every
