"""The start year's households, drawn to match each ward's published indicators.

:func:`synthesise` draws them; :func:`solve_income_shift` places each ward's incomes so its
share of people below the poverty line is the published income-deprivation rate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.special import ndtr

from lbn_sim.config import HouseholdConfig
from lbn_sim.engine.households import (
    BAND_NAMES,
    N_BANDS,
    RETIRED_BAND,
    Households,
    IncomeRule,
    base_income,
    segment_sums,
)
from lbn_sim.engine.income_shift import solve_income_shift
from lbn_sim.engine.parameters import Params
from lbn_sim.names import left_behind_cut

F32 = NDArray[np.float32]


def model_rates(wards: pd.DataFrame) -> dict[str, NDArray[np.float64]]:
    """Map the ward table's published scores to the model's [0, 1] deprivation scale.

    Returns arrays of shape ``[n_wards]``: income and employment are already
    shares; scores in points (0 to 100) are divided by 100; z-like scores
    (health, crime) go through the standard normal CDF.
    """
    return {
        "income_deprivation": wards["income"].to_numpy(np.float64).clip(0, 1),
        "employment_deprivation": wards["employment"].to_numpy(np.float64).clip(0, 1),
        "education_deprivation": (wards["education"].to_numpy(np.float64) / 100).clip(0, 1),
        "health_deprivation": ndtr(wards["health"].to_numpy(np.float64)),
        "crime": ndtr(wards["crime"].to_numpy(np.float64)),
        "housing_access_deprivation": (wards["housing_access"].to_numpy(np.float64) / 100).clip(
            0, 1
        ),
        "living_environment_deprivation": (
            wards["living_environment"].to_numpy(np.float64) / 100
        ).clip(0, 1),
        "civic_assets_need": (wards["civic_assets"].to_numpy(np.float64) / 100).clip(0, 1),
        "connectedness_need": (wards["connectedness"].to_numpy(np.float64) / 100).clip(0, 1),
        "engagement_need": (wards["engaged_community"].to_numpy(np.float64) / 100).clip(0, 1),
    }


def near_cut(wards: pd.DataFrame) -> NDArray[np.bool_]:
    """Wards in the most deprived fifth (twice the status's tenth) on the IMD or the CNI at
    the start, bool ``[n_wards]``: those whose sampling noise could carry them, or push a
    left-behind ward, across a 10% cut."""
    reach = 2 * left_behind_cut(len(wards))
    imd = wards["imd_score"].rank(ascending=False, method="first").to_numpy()
    cni = wards["cni_score"].rank(ascending=False, method="first").to_numpy()
    return (imd <= reach) | (cni <= reach)


def households_per_ward(
    wards: pd.DataFrame, cfg: HouseholdConfig, params: Params
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Simulated households per ward and real mean household size.

    Returns ``(n_sim [n_wards] int64, mean_size [n_wards] float64 persons)``.
    The mean size rises with the share of children (about 2.4 persons in
    England): ``household_size_intercept + household_size_child_slope * share_0_15``.
    """
    children = wards["share_0_15"].to_numpy(np.float64)
    mean_size = params.household_size_intercept + params.household_size_child_slope * children
    real = wards["population"].to_numpy(np.float64) / mean_size
    rate = np.where(
        near_cut(wards), max(cfg.near_cut_sample_rate, cfg.sample_rate), cfg.sample_rate
    )
    rate = np.where(wards["left_behind"].to_numpy(bool), cfg.left_behind_sample_rate, rate)
    n_sim = np.maximum(np.rint(real * rate), cfg.min_per_ward)
    n_sim = np.minimum(n_sim, np.maximum(np.ceil(real), 1))
    return n_sim.astype(np.int64), mean_size


def _beta_around(
    rng: np.random.Generator, mean: NDArray[np.float64], concentration: float, params: Params
) -> F32:
    """Beta draws of ``concentration`` around ``mean`` (clipped to the registry's beta
    bounds), float32, one per entry of ``mean``."""
    m = np.clip(mean, params.beta_mean_min, params.beta_mean_max)
    return rng.beta(m * concentration, (1 - m) * concentration).astype(np.float32)


def synthesise(
    wards: pd.DataFrame,
    cfg: HouseholdConfig,
    params: Params,
    rng: np.random.Generator,
    threads: int = 1,
) -> Households:
    """Draw households consistent with each ward's indicators.

    Consistency (in expectation, exactly up to sampling noise):

    * the population-weighted sum of household sizes equals the ward's
      population (weights are set so);
    * the weighted share of working-age heads out of work equals the ward's
      employment-deprivation rate;
    * the weighted share of people in income-deprived households (income
      below the poverty line) equals the ward's income-deprivation rate;
    * mean skills are ``1 - education_deprivation``, mean health is
      ``1 - health_deprivation``, mean participation falls with the CNI's
      engaged-community need.

    Draws, in order: age bands, sizes, employment, skills, health, participation,
    income factors, stress noise (all in the calling thread; ``threads``: threads the
    incomes' blocked solver runs on, the same bytes on any number).
    """
    n_sim, mean_size = households_per_ward(wards, cfg, params)
    n_wards = len(wards)
    ward = np.repeat(np.arange(n_wards, dtype=np.int32), n_sim)
    rates = model_rates(wards)
    band, size = _bands_and_sizes(wards, n_sim, mean_size, params, rng)
    employed, skills, health, participation = _traits(rates, n_sim, band, params, rng)
    # Weights: the ward's population over the simulated people.
    starts = np.concatenate([[0], np.cumsum(n_sim)])
    people = segment_sums(size, starts)
    weight = np.repeat(wards["population"].to_numpy(np.float64) / people, n_sim).astype(np.float32)
    hh = Households(
        ward=ward,
        weight=weight,
        size=size,
        band=band,
        employed=employed,
        skills=skills,
        health=health,
        stress=np.zeros(ward.shape[0], dtype=np.float32),
        participation=participation,
        income_factor=np.ones(ward.shape[0], dtype=np.float32),
    )
    return _incomes_and_stress(hh, rates["income_deprivation"], n_sim, params, rng, threads)


def _bands_and_sizes(
    wards: pd.DataFrame,
    n_sim: NDArray[np.int64],
    mean_size: NDArray[np.float64],
    params: Params,
    rng: np.random.Generator,
) -> tuple[NDArray[np.int8], NDArray[np.int8]]:
    """Each household's head's age band and its size, int8 ``[n]`` each (``n_sim``: households
    per ward, ``mean_size``: persons per household, ``[n_wards]`` each)."""
    n = int(n_sim.sum())
    # Head's age band from the adult age shares of the ward.
    adult = wards[["share_16_29", "share_30_49", "share_50_64", "share_65_plus"]].to_numpy(
        np.float64
    )
    # Heads are spread over the bands like adults, with fewer very young heads.
    adult = adult * params.vector("head_band_weight", BAND_NAMES)
    cum = np.cumsum(adult / adult.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(n)
    band = np.zeros(n, dtype=np.int8)
    for j in range(N_BANDS - 1):
        band += u > np.repeat(cum[:, j], n_sim)
    del u
    # Size: 1 + Poisson, matched to the ward's mean size. Not tied to the head's age band:
    # a household keeps its size as its head ages and a newcomer takes the size of the
    # household it replaces, so a size tied to the band at the start would drift (retired
    # households, more often poor, would slowly grow and move income deprivation with them).
    lam = np.repeat(mean_size - 1.0, n_sim)
    largest = int(params.household_size_max)
    size = np.minimum(1 + rng.poisson(np.maximum(lam, 0.0)), largest).astype(np.int8)
    return band, size


def _traits(
    rates: dict[str, NDArray[np.float64]],
    n_sim: NDArray[np.int64],
    band: NDArray[np.int8],
    params: Params,
    rng: np.random.Generator,
) -> tuple[NDArray[np.bool_], F32, F32, F32]:
    """``(employed, skills, health, participation)``, ``[n]`` each, drawn around each ward's
    published rates (``rates``: :func:`model_rates`)."""

    def in_ward(values: NDArray[np.float64]) -> NDArray[np.float64]:
        """A ward value for each household (households are in ward order)."""
        return np.repeat(values, n_sim)

    n = band.shape[0]
    # Employment: working-age heads out of work at the ward's employment-deprivation rate.
    working_age = band != RETIRED_BAND
    employed = working_age & (rng.random(n) >= in_ward(rates["employment_deprivation"]))
    # Workers a little more skilled than the ward's average, the out-of-work a little less,
    # the ward's mean unchanged.
    e_rate = 1.0 - in_ward(rates["employment_deprivation"])
    gap = params.start_skill_work_gap
    skill_mean = 1.0 - in_ward(rates["education_deprivation"]) + gap * (employed - e_rate)
    skills = _beta_around(rng, skill_mean, params.skill_concentration, params)
    health_mean = 1.0 - in_ward(rates["health_deprivation"])
    health = _beta_around(rng, health_mean, params.health_concentration, params)
    engaged = 1.0 - in_ward(rates["engagement_need"])
    part_mean = params.participation_intercept + params.participation_need_slope * engaged
    participation = _beta_around(rng, part_mean, params.participation_concentration, params)
    return employed, skills, health, participation


def _incomes_and_stress(
    hh: Households,
    target: NDArray[np.float64],
    n_sim: NDArray[np.int64],
    params: Params,
    rng: np.random.Generator,
    threads: int = 1,
) -> Households:
    """``hh`` with income factors and stress: a log-normal factor per household, its ward's
    centre solved so the weighted share of people below the poverty line is the ward's
    income-deprivation rate (``target``, ``[n_wards]``); stress at its rule's level, with
    noise."""
    n = hh.n
    log_factor = rng.normal(0.0, params.income_spread, n).astype(np.float32)
    income_factor = np.exp(log_factor).astype(np.float32)
    rule = IncomeRule.from_params(params)
    shift = solve_income_shift(
        hh.ward,
        hh.weight,
        hh.size,
        hh.employed,
        hh.band,
        hh.skills,
        income_factor,
        target,
        rule,
        threads=threads,
    )
    income_factor *= np.exp(shift).astype(np.float32).repeat(n_sim)
    deprived = income_factor * base_income(hh.employed, hh.band, hh.skills, 1.0, rule) < 1.0
    out = (hh.band != RETIRED_BAND) & ~hh.employed
    level = params.stress_floor + params.stress_income_deprived * deprived
    level = level + params.stress_out_of_work * out
    noise = rng.normal(0.0, STRESS_NOISE, n)
    stress = np.clip(level + noise, 0.0, 1.0).astype(np.float32)
    return hh.with_(income_factor=income_factor, stress=stress)


#: Spread of the start's first stress draw. :func:`lbn_sim.engine.start.calibrate_start` draws
#: every household's stress again, so this changes no result; it is kept (not a behavioural
#: number) so that every later draw from the generator stays as it was.
STRESS_NOISE = 0.05
