"""Convergence statistics on small hand-made tables whose answers are known by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from lbn_sim.analysis import convergence as cg


def _levels_wards(x0: np.ndarray, x1: np.ndarray, t1: int = 2020, t2: int = 2030) -> pd.DataFrame:
    """One row per ward and end year: ``imd_like`` is ``x0`` in ``t1`` and ``x1`` in
    ``t2``; wards ``W3`` onwards are left behind; population ``100 + 50 i``."""
    rows = []
    for year, xs in ((t1, x0), (t2, x1)):
        for i, x in enumerate(xs):
            rows.append(
                {
                    "year": year,
                    "ward_code": f"W{i}",
                    "start_group": "left_behind" if i >= 3 else "rest",
                    "population": 100.0 + 50 * i,
                    "imd_like": float(x),
                }
            )
    return pd.DataFrame(rows)


def _converging_wards() -> pd.DataFrame:
    """Five wards over 10 years, exact beta convergence in levels: the yearly change
    is 1.0 - 0.02 x0 (points), so x1 = 10 + 0.8 x0 (the spread shrinks too). One
    ward starts below zero, as the least deprived can under the linear composite."""
    x0 = np.array([-2.0, 10.0, 20.0, 40.0, 80.0])
    return _levels_wards(x0, x0 + 10 * (1.0 - 0.02 * x0))


def test_beta_convergence_recovers_a_planted_levels_slope_exactly() -> None:
    result = cg.beta_convergence(_converging_wards(), "imd_like")
    assert result.slope == pytest.approx(-0.02, abs=1e-12)
    assert result.intercept == pytest.approx(1.0, abs=1e-12)
    assert result.r2 == pytest.approx(1.0)
    assert result.n == 5 and result.n_dropped == 0  # the negative start score is kept
    # x1 = alpha T + (1 + beta T) x0 exactly, so lambda = -ln(0.8) / 10
    assert result.speed == pytest.approx(-math.log(1 - 0.2) / 10)
    assert result.half_life == pytest.approx(math.log(2) / result.speed)
    weighted = cg.beta_convergence(_converging_wards(), "imd_like", weighted=True)
    assert weighted.slope == pytest.approx(-0.02, abs=1e-12)
    assert result.as_dict()["measure"] == "imd_like"


def test_beta_weights_change_the_fit_when_the_relation_is_not_exact() -> None:
    # Three wards: the heavy one (pop 200) sits off the line through the light two.
    x0 = np.array([0.0, 10.0, 20.0])
    wards = _levels_wards(x0, np.array([0.0, 10.0, 10.0]))  # changes 0, 0, -1 per year
    plain = cg.beta_convergence(wards, "imd_like")
    heavy = cg.beta_convergence(wards, "imd_like", weighted=True)
    assert plain.slope == pytest.approx(-0.05)  # OLS of (0, 0, -1) on (0, 10, 20)
    # weights 100, 150, 200 (W = 450): mean x = 5500 / 450, mean y = -200 / 450;
    # S_xy = -4000 + 5500 * 200 / 450 = -1555.6, S_xx = 95000 - 5500^2 / 450 = 27777.8
    assert heavy.slope == pytest.approx(-0.056)
    assert heavy.slope != pytest.approx(plain.slope)


def test_beta_in_levels_sees_divergence_the_log_form_mistook_for_catch_up() -> None:
    """Deprived wards rise faster in points (change = 0.1 + 0.02 x0), but the least
    deprived start near or below zero: in logs their small rises are huge growth rates
    (and the negative one is dropped), so a log regression reports catch-up."""
    x0 = np.array([-3.0, 0.5, 1.0, 2.0, 20.0, 40.0, 60.0])
    x1 = x0 + 10 * (0.1 + 0.02 * x0)
    # the trap is real: the old specification (logs, positive values only) has beta < 0
    pos = (x0 > 0) & (x1 > 0)
    log_beta = np.polyfit(np.log(x0[pos]), np.log(x1[pos] / x0[pos]) / 10, 1)[0]
    assert log_beta < 0
    result = cg.beta_convergence(_levels_wards(x0, x1), "imd_like")
    assert result.slope == pytest.approx(0.02)
    assert result.intercept == pytest.approx(0.1)
    assert result.n == 7 and result.n_dropped == 0
    assert result.speed == pytest.approx(-math.log(1.2) / 10)  # negative: no catch-up
    assert result.half_life == math.inf  # the gap never halves


def test_beta_overshoot_has_no_speed() -> None:
    x0 = np.array([10.0, 20.0, 40.0])
    result = cg.beta_convergence(_levels_wards(x0, x0 - 10 * 0.15 * x0), "imd_like")
    assert result.slope == pytest.approx(-0.15)  # 1 + beta T = -0.5: the order flips
    assert math.isnan(result.speed) and math.isnan(result.half_life)


def test_beta_drops_only_non_finite_values_and_bad_weights() -> None:
    wards = _converging_wards()
    start = wards["year"] == 2020
    wards.loc[start & (wards["ward_code"] == "W1"), "imd_like"] = 0.0  # zero is a value
    zero_kept = cg.beta_convergence(wards, "imd_like")
    assert zero_kept.n == 5 and zero_kept.n_dropped == 0
    wards = _converging_wards()
    wards.loc[start & (wards["ward_code"] == "W1"), "imd_like"] = np.nan
    wards.loc[~start & (wards["ward_code"] == "W2"), "imd_like"] = np.inf
    wards.loc[start & (wards["ward_code"] == "W3"), "population"] = 0.0
    result = cg.beta_convergence(wards, "imd_like")
    assert result.n == 3 and result.n_dropped == 2
    assert result.slope == pytest.approx(-0.02)
    weighted = cg.beta_convergence(wards, "imd_like", weighted=True)
    assert weighted.n == 2 and weighted.n_dropped == 3
    assert math.isnan(weighted.slope_se)  # two wards: no standard error
    with pytest.raises(ValueError, match="year_to > year_from"):
        cg.beta_convergence(wards, "imd_like", 2030, 2020)


def test_sigma_convergence_by_hand() -> None:
    rows = [
        {"year": y, "ward_code": f"W{i}", "population": 1.0, "imd_like": v}
        for y, values in ((2019, (10.0, 20.0, 30.0)), (2020, (15.0, 20.0, 25.0)))
        for i, v in enumerate(values)
    ]
    sigma = cg.sigma_convergence(pd.DataFrame(rows)).set_index("year")
    assert sigma.loc[2019, "sd"] == pytest.approx(math.sqrt(200 / 3))
    assert sigma.loc[2020, "sd"] == pytest.approx(math.sqrt(50 / 3))
    assert sigma.loc[2020, "mean"] == pytest.approx(20.0)
    assert "cv" not in sigma.columns  # no fixed zero: a ratio to the mean means nothing
    assert sigma.loc[2019, "n_wards"] == 3


def test_sigma_is_population_weighted_and_converges_with_beta() -> None:
    rows = pd.DataFrame(
        {
            "year": 2019,
            "ward_code": ["a", "b", "c"],
            "population": [1.0, 1.0, 2.0],
            "imd_like": [0.0, 0.0, 4.0],
        }
    )
    sigma = cg.sigma_convergence(rows)
    assert sigma.loc[0, "mean"] == pytest.approx(2.0)
    assert sigma.loc[0, "sd"] == pytest.approx(2.0)
    conv = cg.sigma_convergence(_converging_wards()).set_index("year")
    sd = conv["sd"].astype(float)
    assert sd[2030] < sd[2020]
    lb_only = cg.sigma_convergence(_converging_wards(), start_groups=["left_behind"])
    assert set(lb_only["n_wards"]) == {2}


def test_half_life_band_counts_runs_without_catch_up() -> None:
    """A run without catch-up never halves its gaps: the half-life band reads the speed band
    through ln 2 / speed (inf where the speed is not above 0), leaving no run out."""
    from lbn_sim.analysis.ensemble import beta_bands

    def run(slope: float) -> pd.DataFrame:
        speed = -math.log(1 + slope * 10) / 10
        row = {"measure": "imd_like", "year_from": 2025, "year_to": 2035, "slope": slope}
        row |= {"slope_se": 0.001, "r2": 0.5, "speed": speed, "n": 10, "n_dropped": 0}
        row["half_life"] = math.log(2) / speed if speed > 0 else math.inf
        return pd.DataFrame([row])

    bands = beta_bands({"a": run(0.002), "b": run(-0.01), "c": run(-0.03)})
    by = bands.set_index("statistic")
    speed, half = by.loc["speed"], by.loc["half_life"]
    assert half["n_runs"] == 3 and math.isnan(half["mean"])
    assert half["median"] == pytest.approx(math.log(2) / speed["median"])
    assert half["p05"] == pytest.approx(math.log(2) / speed["p95"])
    assert speed["p05"] < 0 and half["p95"] == math.inf
    assert by.loc["n", "median"] == 10 and by.loc["n_dropped", "median"] == 0
