"""Households at the start are consistent with their wards' indicators."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from lbn_sim.config import Config
from lbn_sim.data.synthetic import generate_wards
from lbn_sim.engine.households import IncomeRule, base_income
from lbn_sim.engine.income_shift import solve_income_shift
from lbn_sim.engine.model import LBNModel
from lbn_sim.engine.parameters import Params
from lbn_sim.engine.synthesis import model_rates

#: The income rule at the parameters' defaults.
RULE = IncomeRule.from_params(Params())


@pytest.fixture(scope="module")
def model(request: pytest.FixtureRequest) -> LBNModel:
    from tests.conftest import compose_cfg

    cfg = compose_cfg(
        ["data.n_wards=300", "households.sample_rate=0.2", "households.left_behind_sample_rate=0.5"]
    )
    return LBNModel(cfg, generate_wards(n_wards=300, seed=0))


def test_population_is_exact(model: LBNModel) -> None:
    pop = model.ward_table["population"].to_numpy()
    np.testing.assert_allclose(model.baseline.agg.people, pop, rtol=1e-5)


def test_rates_match_ward_indicators(model: LBNModel) -> None:
    rates = model_rates(model.ward_table)
    agg = model.baseline.agg
    pop = model.ward_table["population"].to_numpy()
    # Income deprivation is solved per ward: weighted share of people in deprived households.
    err = np.abs(agg.income_deprivation - rates["income_deprivation"])
    assert np.average(err, weights=pop) < 0.01
    # Employment is a stationary draw per household: right on average, noisy per ward.
    err = agg.employment_deprivation - rates["employment_deprivation"]
    assert abs(np.average(err, weights=pop)) < 0.01
    assert np.corrcoef(agg.employment_deprivation, rates["employment_deprivation"])[0, 1] > 0.8
    assert np.corrcoef(agg.skills, 1 - rates["education_deprivation"])[0, 1] > 0.9
    assert np.corrcoef(agg.health, 1 - rates["health_deprivation"])[0, 1] > 0.9


def test_household_arrays_are_columns_not_objects(model: LBNModel) -> None:
    hh = model.households
    assert hh.skills.dtype == np.float32 and hh.ward.dtype == np.int32
    assert hh.size.min() >= 1 and hh.weight.min() >= 1.0
    assert np.bincount(hh.ward, minlength=model.n_wards).min() >= 20


#: Every sampling rate: the left-behind wards', those near the cut and the rest.
RATES = ("sample_rate", "left_behind_sample_rate", "near_cut_sample_rate")


def test_sample_rate_scales_households_and_weights(toy_cfg: Callable[..., Config]) -> None:
    wards = generate_wards(n_wards=120, seed=0)
    small = LBNModel(toy_cfg(*(f"households.{k}=0.02" for k in RATES)), wards)
    big = LBNModel(toy_cfg(*(f"households.{k}=0.08" for k in RATES)), wards)
    assert big.households.n > 2 * small.households.n
    np.testing.assert_allclose(small.baseline.agg.people, big.baseline.agg.people, rtol=1e-5)


def test_benefit_level_scales_out_of_work_income_only() -> None:
    employed = np.array([True, False, False, True])
    band = np.array([1, 1, 3, 0], dtype=np.int8)  # the last but one is retired
    skills = np.full(4, 0.5, dtype=np.float32)
    full = base_income(employed, band, skills, 1.0, RULE)
    cut = base_income(employed, band, skills, 0.8, RULE)
    np.testing.assert_allclose(cut, full * np.array([1.0, 0.8, 1.0, 1.0]), rtol=1e-6)
    np.testing.assert_allclose(full[1], 0.6, rtol=1e-6)


def test_no_household_starts_on_the_poverty_line(model: LBNModel) -> None:
    """The income solve ends mid-step: the smallest change must not tip a household under.

    Ending on the step's edge left one household per ward within 1e-8 of the line (300 of
    them here); mid-step the nearest is about 1e-6 away (float32 incomes).
    """
    hh = model.households
    rule = IncomeRule.from_params(model.params)
    for employed in (np.ones(hh.n, np.bool_), np.zeros(hh.n, np.bool_)):
        income = hh.income_factor.astype(np.float64) * base_income(
            employed, hh.band, hh.skills, 1.0, rule
        )
        assert np.abs(np.log(income)).min() > 5e-7


def test_income_solve_hits_the_nearest_step_off_the_line() -> None:
    """Wards of 20 equal households, targets from below one household's share to a half:
    the share lands within half a household of the target, and no household sits on the
    line, even where the target is under one household's share."""
    rng = np.random.default_rng(0)
    n_wards, per = 50, 20
    n = n_wards * per
    ward = np.repeat(np.arange(n_wards), per).astype(np.int32)
    employed = rng.random(n) < 0.7
    band = rng.integers(0, 4, n).astype(np.int8)
    skills = rng.random(n).astype(np.float32)
    factor = np.exp(rng.normal(0.0, 0.45, n)).astype(np.float32)
    target = np.linspace(0.005, 0.5, n_wards)
    shift = solve_income_shift(
        ward,
        np.ones(n, np.float32),
        np.full(n, 2, np.int8),
        employed,
        band,
        skills,
        factor,
        target,
        RULE,
    )
    log_income = np.log(factor * base_income(employed, band, skills, 1.0, RULE)) + shift[ward]
    assert np.abs(log_income).min() > 1e-4
    share = np.bincount(ward, weights=log_income < 0) / per
    assert np.abs(share - target).max() <= 0.5 / per + 1e-9


def test_the_expected_income_shift_is_the_doubled_populations_bit_for_bit() -> None:
    """Households counted in work and out of work, a block of wards at a time, give the
    shifts of the whole doubled population sorted by ward (empty wards and several blocks
    included)."""
    from lbn_sim.engine.expected_income import expected_income_shift
    from lbn_sim.engine.households import Households

    rng = np.random.default_rng(5)
    n_wards = 400
    per = rng.integers(0, 900, n_wards)
    per[[3, 4, 200]] = 0
    n = int(per.sum())
    ward = np.repeat(np.arange(n_wards), per).astype(np.int32)
    hh = Households(
        ward=ward,
        weight=(1.0 + 30.0 * rng.random(n)).astype(np.float32),
        size=rng.integers(1, 6, n).astype(np.int8),
        band=rng.integers(0, 4, n).astype(np.int8),
        employed=rng.random(n) < 0.6,
        skills=rng.random(n).astype(np.float32),
        health=rng.random(n).astype(np.float32),
        stress=rng.random(n).astype(np.float32),
        participation=rng.random(n).astype(np.float32),
        income_factor=np.exp(rng.normal(0.0, 0.45, n)).astype(np.float32),
    )
    p_emp = (rng.random(n) * (hh.band != 3)).astype(np.float32)
    target = rng.random(n_wards) * 0.4
    both = np.concatenate
    weight = hh.weight.astype(np.float64)
    doubled = solve_income_shift(
        both([ward, ward]),
        both([weight * p_emp, weight * (1.0 - p_emp)]).astype(np.float32),
        both([hh.size, hh.size]),
        both([np.ones(n, np.bool_), np.zeros(n, np.bool_)]),
        both([hh.band, hh.band]),
        both([hh.skills, hh.skills]),
        both([hh.income_factor, hh.income_factor]),
        target,
        RULE,
    )
    assert n > 131_072  # more than one block
    assert expected_income_shift(hh, p_emp, target, RULE).tobytes() == doubled.tobytes()
