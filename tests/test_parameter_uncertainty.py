"""The futures under parameter uncertainty (``experiments/parameter_uncertainty.py`` and
:mod:`lbn_sim.analysis.uncertainty`): the spread's split between parameters and seeds, the
futures set against the base case, and the experiment at toy size."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lbn_sim.analysis.uncertainty import against_base, band_rows, bands, variance_split
from lbn_sim.params.draws import latin_hypercube

ROOT = Path(__file__).resolve().parents[1]


def _runs(param_sd: float, seed_sd: float, draws: int = 400, seeds: int = 4) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    effect = rng.normal(0.0, param_sd, draws)
    return pd.DataFrame(
        [
            {"draw": d, "seed": s, "x": 10.0 + effect[d] + rng.normal(0.0, seed_sd)}
            for d in range(draws)
            for s in range(seeds)
        ]
    )


def test_the_split_recovers_the_parameters_and_seeds_parts() -> None:
    s = variance_split(_runs(2.0, 1.0), "x")
    assert s["param_var"] == pytest.approx(4.0, rel=0.2)
    assert s["seed_var"] == pytest.approx(1.0, rel=0.1)
    assert s["param_share"] == pytest.approx(0.8, abs=0.05)
    assert s["n_draws"] == 400
    # Seeds alone: the draws' means vary only by the seeds' noise, so the parameters' part
    # is (about) nothing.
    assert variance_split(_runs(0.0, 1.0), "x")["param_share"] < 0.05
    assert variance_split(_runs(1.0, 0.0), "x")["param_share"] == pytest.approx(1.0)
    # A draw with one defined seed does not count; with fewer than two draws, no split.
    runs = _runs(1.0, 1.0, draws=3, seeds=2)
    runs.loc[runs["draw"] == 0, "x"] = [np.nan, 1.0]
    assert variance_split(runs, "x")["n_draws"] == 2
    runs.loc[runs["draw"] == 1, "x"] = np.nan
    assert np.isnan(variance_split(runs, "x")["param_share"])


def test_futures_are_set_against_the_base_case_of_the_same_draw_and_seed() -> None:
    runs = pd.DataFrame(
        {
            "draw": [0, 0, 0, 1, 1, 1],
            "seed": [0] * 6,
            "scenario": ["worst_case", "base_case", "best_case"] * 2,
            "gap_end": [27.0, 25.0, 15.0, 28.0, 26.0, 27.0],
            "still_left_behind": [210, 190, 60, 212, 195, 199],
            "public_to_lb_bn": [40.0, 42.0, 47.0, 40.0, 42.0, 44.0],
        }
    )
    out = against_base(runs).set_index(["draw", "scenario"])
    assert out.loc[(0, "best_case"), "points_vs_base"] == 10.0
    assert out.loc[(0, "best_case"), "gbp_m_per_point_vs_base"] == pytest.approx(500.0)
    assert out.loc[(0, "best_case"), "gbp_m_per_ward_vs_base"] == pytest.approx(5e3 / 130)
    assert out.loc[(0, "base_case"), "points_vs_base"] == 0.0
    assert np.isnan(out.loc[(0, "base_case"), "gbp_m_per_point_vs_base"])
    # Closing less than the base case, or spending less: no price per point.
    assert np.isnan(out.loc[(1, "best_case"), "gbp_m_per_point_vs_base"])
    assert np.isnan(out.loc[(0, "worst_case"), "gbp_m_per_point_vs_base"])
    cheap = runs.assign(gap_end=[24.0, 25.0, 15.0, 28.0, 26.0, 27.0])  # worst closes more
    cheap = against_base(cheap).set_index(["draw", "scenario"])
    assert cheap.loc[(0, "worst_case"), "points_vs_base"] == 1.0
    assert np.isnan(cheap.loc[(0, "worst_case"), "gbp_m_per_point_vs_base"])
    table = bands(out.reset_index(), ["gbp_m_per_point_vs_base"])
    rows = band_rows(
        table.reindex(["worst_case", "base_case", "best_case"]), ["gbp_m_per_point_vs_base"]
    )
    assert rows == ["| gbp_m_per_point_vs_base | - | - | 500 (500 to 500) |"]


def test_vectors_come_from_the_accepted_set_or_else_the_ranges(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "experiments"))
    from parameter_uncertainty import choose_draws

    accepted = tmp_path / "accepted.csv"
    kept = latin_hypercube(5, seed=3).frame().iloc[[4, 1, 2]]
    kept.assign(max_implausibility=1.0).to_csv(accepted, index=False)

    def args(**kw: object) -> argparse.Namespace:
        base = {"ranges": False, "accepted": accepted, "draws": 2, "draw_seed": 0}
        return argparse.Namespace(**(base | kw))

    draws, ids, origin = choose_draws(args())
    assert ids == [4, 1] and "2 of the 3 vectors the history matching kept" in origin
    np.testing.assert_array_equal(draws.values, kept.iloc[:2, 1:].to_numpy())
    draws, ids, origin = choose_draws(args(draws=10))
    assert ids == [4, 1, 2]  # all of them when the set holds fewer
    draws, ids, origin = choose_draws(args(ranges=True))
    assert ids == [0, 1] and "registry's ranges (--ranges)" in origin
    np.testing.assert_array_equal(draws.values, latin_hypercube(2, 0).values)
    kept.head(0).to_csv(accepted, index=False)
    assert "holds no vector" in choose_draws(args())[2]
    assert "no accepted set" in choose_draws(args(accepted=tmp_path / "none.csv"))[2]


@pytest.mark.slow
def test_the_experiment_runs_at_toy_size(tmp_path: Path) -> None:
    """Two accepted vectors and the defaults, two seeds, the three futures (18 toy runs,
    about 25 s of one core)."""
    accepted = tmp_path / "accepted.csv"
    latin_hypercube(4, seed=1).frame().iloc[[3, 0]].to_csv(accepted, index=False)
    out = tmp_path / "pu.csv"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "experiments" / "parameter_uncertainty.py"),
            "--toy",
            "--draws",
            "2",
            "--seeds",
            "2",
            "--workers",
            "1",
            "--accepted",
            str(accepted),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    runs = pd.read_csv(out)
    assert not list(tmp_path.glob("*.partial.*"))  # the record is gone once the rows are kept
    # Two accepted vectors and the defaults, two seeds, three futures each.
    assert len(runs) == 3 * 2 * 3
    assert sorted(runs["vector"].unique()) == [-1, 0, 3]
    assert set(runs["scenario"]) == {"worst_case", "base_case", "best_case"}
    # The futures of one vector and seed share their history.
    assert (runs.groupby(["draw", "seed"])["gap_before_policy"].nunique() == 1).all()
    # ... and a vector's parameters change the history.
    assert runs.groupby("draw")["gap_before_policy"].first().nunique() == 3
    assert (runs.loc[runs["scenario"] == "base_case", "points_vs_base"] == 0).all()
    assert (runs["public_to_lb_bn"] > 0).all()
    bands_table = pd.read_csv(tmp_path / "pu_bands.csv", index_col=0)
    assert list(bands_table.index) == ["worst_case", "base_case", "best_case"]
    assert (bands_table["gap_end_n"] == 4).all()  # the drawn vectors only, not the defaults
    split = pd.read_csv(tmp_path / "pu_split.csv")
    assert set(split["measure"]) >= {"gap_end", "still_left_behind", "gbp_m_per_point"}
    assert (
        (split["param_share"] >= 0) & (split["param_share"] <= 1) | split["param_share"].isna()
    ).all()
    assert "2 of the 2 vectors the history matching kept" in result.stdout
    assert "spread split" in result.stdout and "| gap_end |" in result.stdout
