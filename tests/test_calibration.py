"""The history calibration (``scripts/calibrate_history.py``): the observed 2015-2019 figures
computed from the files (and the targets that quote them), the measures the model's drift is
read by, and the history matching end to end at toy size.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scripts.calibrate_history import (
    CNI_DOMAINS,
    chosen_in_2015,
    cni_gradients,
    drift_measures,
    london_domains,
    observed,
    observed_persistence,
    observed_targets,
    period_config,
    rank_mapped,
)
from tests.conftest import compose_cfg

SCORES = np.array([60.0, 45.0, 30.0, 20.0, 10.0, 5.0])
POPULATION = np.array([1.0, 2.0, 1.0, 3.0, 2.0, 1.0])
GROUP = np.array([True, True, False, False, False, False])


def test_measures_are_zero_without_change() -> None:
    for value in drift_measures(SCORES, SCORES, POPULATION, GROUP).values():
        assert value == pytest.approx(0.0, abs=1e-12)


def test_a_change_every_ward_shares_does_not_show_in_ranks() -> None:
    scaled = drift_measures(SCORES, 1.1 * SCORES, POPULATION, GROUP)
    assert scaled["absolute"] == pytest.approx(0.0, abs=1e-12)
    assert scaled["ranks"] == pytest.approx(0.0, abs=1e-12)
    assert scaled["points"] > 0.01  # an additive reading sees a proportional change as drift
    shifted = drift_measures(SCORES, SCORES + 3.0, POPULATION, GROUP)
    assert shifted["points"] == pytest.approx(0.0, abs=1e-12)
    assert shifted["ranks"] == pytest.approx(0.0, abs=1e-12)
    assert shifted["absolute"] < -0.01  # the group's ratio falls as everyone gains 3 points


def test_overtaking_shows_in_ranks() -> None:
    end = SCORES.copy()
    end[2] = 70.0  # a ward outside the group becomes the most deprived
    m = drift_measures(SCORES, end, POPULATION, GROUP)
    assert m["ranks"] < -0.05
    np.testing.assert_array_equal(rank_mapped(end, np.sort(SCORES)[::-1]), [45, 30, 60, 20, 10, 5])


@pytest.mark.slow
def test_observed_drift_from_the_files(data_dir: Path) -> None:
    obs = observed(str(data_dir))
    assert obs["published"] == pytest.approx(0.0405, abs=1e-4)
    assert obs["ranks"] == pytest.approx(0.0555, abs=1e-4)
    # The left-behind wards fell behind even when chosen with the 2015 IMD; wards chosen on
    # the IMD alone rose only when chosen at the end (selection), not when chosen in 2015.
    assert obs["ranks, chosen in 2015"] == pytest.approx(0.0455, abs=1e-4)
    assert obs["published, chosen in 2015"] == pytest.approx(0.0304, abs=1e-4)
    assert obs["IMD top 10%, chosen in 2019"] > 0.02
    assert obs["IMD top 10%, chosen in 2015"] < 0.0
    # London's deprived wards pulled away; outside London most of the rise disappears.
    assert obs["London's own change (points)"] == pytest.approx(-2.20, abs=0.01)
    assert obs["published, outside London"] == pytest.approx(0.0035, abs=1e-4)
    assert obs["ranks, outside London"] == pytest.approx(0.0303, abs=1e-4)
    # Ranked among wards (as the model's ranks are read), all England and outside London.
    assert obs["ward ranks"] == pytest.approx(0.0458, abs=1e-4)
    assert obs["ward ranks, outside London"] == pytest.approx(0.0173, abs=1e-4)
    # Among deprived wards outside London, those with more community need rose more.
    assert obs["gradient, civic_assets"] == pytest.approx(0.131, abs=1e-3)
    assert obs["gradient, connectedness"] == pytest.approx(0.216, abs=1e-3)
    assert obs["gradient, engaged_community"] == pytest.approx(0.232, abs=1e-3)
    # The same over the fifth chosen by 2019 scores (the model's fifth): engagement weaker.
    assert obs["gradient (2019 fifth), civic_assets"] == pytest.approx(0.096, abs=1e-3)
    assert obs["gradient (2019 fifth), connectedness"] == pytest.approx(0.244, abs=1e-3)
    assert obs["gradient (2019 fifth), engaged_community"] == pytest.approx(0.112, abs=1e-3)
    # Their standard errors: each about 0.065, so the gradients are loose targets.
    assert obs["gradient SE, connectedness"] == pytest.approx(0.068, abs=1e-3)
    assert obs["gradient (2019 fifth) SE, connectedness"] == pytest.approx(0.065, abs=1e-3)


@pytest.mark.slow
def test_the_rule_applied_with_imd_2015(data_dir: Path) -> None:
    """The 'left behind' rule with the 2015 IMD picks 201 wards, 196 of them among the 225
    (the CNI is the 2019 one in both)."""
    from lbn_sim.data.england import load_england

    wards = load_england(str(data_dir), imd2015=True)[0]
    codes = chosen_in_2015(wards)
    assert len(codes) == 201
    assert int(wards.set_index("ward_code").loc[codes, "left_behind"].sum()) == 196


def test_outside_london_measures_drop_the_london_wards() -> None:
    outside = np.array([True, True, True, False, True, True])
    end = SCORES.copy()
    end[3] = 0.0  # the London ward improves; nothing else moves
    m = drift_measures(SCORES, end, POPULATION, GROUP, outside)
    assert m["absolute"] > 0.1  # England's mean falls, so the group's ratio rises
    assert m["absolute, outside London"] == pytest.approx(0.0, abs=1e-12)
    assert m["ranks, outside London"] == pytest.approx(0.0, abs=1e-12)


def test_london_domains_split_london_s_change_by_domain() -> None:
    from lbn_sim.names import IMD_DOMAINS

    rng = np.random.default_rng(3)
    n = 300
    start = pd.DataFrame({d: rng.uniform(0.05, 0.6, n) for d in IMD_DOMAINS})
    london = np.arange(n) < 40
    pop = rng.uniform(1.0, 3.0, n)
    points = np.array([70.0, 90.0, 30.0, 25.0, 20.0, 15.0, 18.0])
    end = start.copy()
    end.loc[london, "crime"] -= 0.02  # only London's crime improves
    parts = london_domains(start, end, pop, london, points)
    share = pop[london].sum() / pop.sum()
    assert parts["London: crime (points)"] == pytest.approx(-0.02 * 20.0 * (1 - share))
    others = [v for k, v in parts.items() if k != "London: crime (points)"]
    assert np.allclose(others, 0.0, atol=1e-12)
    # Every domain moving: the parts sum to London's change in the composite less England's.
    end = start + rng.normal(0.0, 0.01, start.shape)
    composite = (end.to_numpy() - start.to_numpy()) @ points
    gap = np.average(composite[london], weights=pop[london]) - np.average(composite, weights=pop)
    assert sum(london_domains(start, end, pop, london, points).values()) == pytest.approx(gap)


def test_cni_gradients_recover_a_planted_slope() -> None:
    rng = np.random.default_rng(0)
    n = 500
    codes = pd.Index([f"W{i}" for i in range(n)])
    domains = pd.DataFrame(rng.normal(size=(n, 3)), index=codes, columns=list(CNI_DOMAINS))
    start = pd.Series(rng.normal(size=n), index=codes)
    conn = domains["connectedness"]
    end = start + 0.5 * (conn - conn.mean()) / conn.std()  # +0.5 points per SD
    g = cni_gradients(start, end, domains)
    # Fitted over the top fifth only, where connectedness's SD differs a little from all.
    assert g["gradient, connectedness"] == pytest.approx(0.5, rel=0.2)
    assert abs(g["gradient, civic_assets"]) < 0.05
    assert abs(g["gradient, engaged_community"]) < 0.05
    assert "gradient SE, connectedness" not in g
    # With noise of SD 1 over the top fifth (100 wards), the slope's standard error is
    # about 1 / sqrt(100).
    noisy = end + pd.Series(rng.normal(size=n), index=codes)
    se = cni_gradients(start, noisy, domains, with_se=True)["gradient SE, connectedness"]
    assert 0.07 < se < 0.15


def test_the_modelled_runs_use_the_period_regime() -> None:
    """The hindcast runs take the 2015-2019 regime, London's faster economy included, on the
    real data with the configured sample (every household with ``full``), four years and
    the policy start after them; a user's override comes last."""
    cfg = period_config(None, 2, ["history.macro.regional_growth.E09=0.02"])
    macro, levers = cfg.history.macro, cfg.history.levers
    assert (cfg.data.name, cfg.seed, cfg.horizon, cfg.policy_start) == (
        "england_2019",
        2,
        2024,
        2024,
    )
    assert macro.real_wage_growth == 0.01 and macro.recession_years == []
    assert levers.la_real_growth == -0.06 and levers.benefit_uprating == -0.03
    assert macro.regional_growth == {"E09": 0.02}
    assert cfg.households.sample_rate < 1.0
    assert period_config(None, 0, []).history.macro.regional_growth == {"E09": 0.01}
    assert period_config(None, 0, [], full=True).households.sample_rate == 1.0
    # The shared history as configured: none of the period's settings.
    shared = period_config(None, 0, [], period=False)
    assert shared.history == compose_cfg(["data=england_2019"]).history
    assert shared.history.macro.recession_years == [2020]
    assert not shared.history.macro.regional_growth
    # A toy England: synthetic wards, the period's regime without London's (no London there).
    toy = period_config(None, 0, [], toy=True)
    assert toy.data.name == "synthetic" and toy.history.levers.la_real_growth == -0.06
    assert not toy.history.macro.regional_growth


@pytest.mark.slow
def test_the_targets_are_the_files_figures(data_dir: Path) -> None:
    """Each target's observed figure is the one the shared files give (to its rounding)."""
    from lbn_sim.analysis.history_match import TARGETS

    again = observed_targets(str(data_dir))
    for t in TARGETS:
        assert t.observed == pytest.approx(again[t.name], abs=1e-4 * max(1.0, abs(t.observed)))
    counts = observed_persistence(str(data_dir))
    assert (counts["n_tenth"], counts["n_both"]) == (742, 201)


@pytest.fixture(scope="module")
def toy_calibration(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The calibration run end to end on a toy England: 6 vectors, 2 replicates."""
    import scripts.calibrate_history as calibrate

    out = tmp_path_factory.mktemp("calibration")
    argv = ["--toy", "--draws", "6", "--replicates", "2", "--out", str(out / "tried")]
    shipped = calibrate.ACCEPTED.read_bytes()
    assert calibrate.main(argv) == 0
    # A toy calibration writes its kept set beside its other files, never over the shipped one.
    assert calibrate.ACCEPTED.read_bytes() == shipped
    return out


def _check_verdicts(tried: pd.DataFrame, replicates: pd.DataFrame, targets: tuple) -> None:
    """The implausibilities are the formula's; kept means every one below the cut, and a
    rejected vector reaches the cut on some target."""
    from lbn_sim.analysis.history_match import CUT

    names = [t.name for t in targets]
    seed_sd = replicates[names].std(ddof=1)
    for t in targets:
        scale = np.sqrt(t.obs_sd**2 + t.discrepancy_sd**2 + seed_sd[t.name] ** 2)
        expect = (tried[t.name] - t.observed).abs() / scale
        np.testing.assert_allclose(tried[f"I_{t.name}"], expect)
    worst = tried[[f"I_{n}" for n in names]].max(axis=1)
    np.testing.assert_allclose(tried["max_implausibility"], worst)
    kept = tried["kept"].astype(bool)
    assert (worst[kept] < CUT).all()
    assert (worst[~kept] >= CUT).all()


def test_history_matching_writes_every_vector_and_the_kept_set(toy_calibration: Path) -> None:
    """Every vector tried is in the table with its figures and implausibilities; the kept
    ones, and only they, are in the accepted set (the values as drawn), its note counts
    them, and says which targets rule vectors out. (The toy England is not England: against
    England's targets it keeps none.)"""
    from lbn_sim.analysis.history_match import CUT, TARGETS
    from lbn_sim.params.draws import latin_hypercube

    tried = pd.read_csv(toy_calibration / "tried" / "tried.csv", index_col="draw")
    replicates = pd.read_csv(toy_calibration / "tried" / "replicates.csv")
    accepted = toy_calibration / "tried" / "accepted_parameters.csv"
    kept_set = pd.read_csv(accepted, index_col="draw")
    meta = json.loads(accepted.with_suffix(".json").read_text())
    assert len(tried) == 6 == meta["tried"]
    assert len(replicates) == 2 and list(replicates["replicate"]) == [0, 1]
    assert len(kept_set) == int(tried["kept"].sum()) == meta["kept"]
    assert set(kept_set.index) == set(tried.index[tried["kept"]])
    _check_verdicts(tried, replicates, TARGETS)
    draws = latin_hypercube(6, 0)
    np.testing.assert_array_equal(tried[list(draws.names)].to_numpy(), draws.values)
    for target in meta["targets"]:
        assert target["ruled_out"] == int((tried[f"I_{target['name']}"] >= CUT).sum())
    assert not (toy_calibration / "tried" / "partial.csv").exists()
    note = (toy_calibration / "tried" / "summary.md").read_text()
    assert "6 parameter vectors tried" in note and f"{meta['kept']} kept" in note


def test_history_matching_keeps_what_its_targets_allow(toy_calibration: Path) -> None:
    """With targets the toy can meet (each its default run's figure, some loose, one tight),
    some vectors are kept and some rejected, each on the formula's verdict."""
    from scripts.calibrate_history import match

    from lbn_sim.analysis.history_match import TARGETS, Target
    from lbn_sim.params.draws import default_names

    tried = pd.read_csv(toy_calibration / "tried" / "tried.csv", index_col="draw")
    replicates = pd.read_csv(toy_calibration / "tried" / "replicates.csv")
    names = [t.name for t in TARGETS]
    # One target tight around the draws' median (half the vectors beyond 3 sd), the rest
    # wide open: some kept, some rejected, whatever the toy's figures.
    tight = "drift_chosen_at_start"
    centre = float(tried[tight].median())
    spread = float((tried[tight] - centre).abs().median()) / 3.0
    targets = tuple(
        Target(
            n,
            centre if n == tight else float(tried[n].median()),
            0.0,
            spread if n == tight else 1e6,
            "toy",
        )
        for n in names
    )
    one_seed = replicates.assign(**{tight: float(replicates[tight].iloc[0])})
    params = tried[list(default_names())]
    again, seed_sd, bind = match(params, tried[names], one_seed, targets)
    assert seed_sd[tight] == 0.0
    _check_verdicts(again, one_seed, targets)
    assert 0 < int(again["kept"].sum()) < len(again)
    assert bind.index[0] == tight and bind.loc[tight, "ruled_out"] == int((~again["kept"]).sum())
