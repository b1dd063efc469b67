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
from lbn_sim.engine.blocks import map_blocks
from lbn_sim.engine.households import (
    BAND_NAMES,
    N_BANDS,
    RETIRED_BAND,
    Households,
    IncomeRule,
    base_income,
    segment_sums,
    ward_segments,
)
from lbn_sim.engine.parameters import Params
from lbn_sim.names import LEFT_BEHIND_SHARE

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
    reach = 2 * int(np.floor(LEFT_BEHIND_SHARE * len(wards)))
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
#: Distance (log income) from the line of a step with no household beyond it (a solver's
#: setting, not behaviour).
_OPEN_STEP = 0.05
#: The bisection's bracket of the log-shift, [-SHIFT_BRACKET, SHIFT_BRACKET] (a solver's
#: setting: a factor of e**4, about 55, either way).
SHIFT_BRACKET = 4


def _middle_of_step(
    lo: NDArray[np.float64],
    hi: NDArray[np.float64],
    crit: NDArray[np.float64],
    people_w: NDArray[np.float32],
    starts: NDArray[np.int64],
    target: NDArray[np.float64],
) -> NDArray[np.float64]:
    """The middle of the step (of the share as a function of the shift) nearer the target.

    ``lo``/``hi`` ``[k]``: the bisection's bracket (share above the target at ``lo``, at or
    below it at ``hi``); ``crit`` ``[m]``: the shift at which each row leaves poverty
    (below the line iff ``shift < crit``); ``people_w`` ``[m]`` its weight (rows of no
    weight do not count); ``starts`` ``[k + 1]`` the wards' rows; ``target`` ``[k]``.
    The step below is ``(prev, lo]``, the step above ``[hi, nxt)``; a step with no
    household beyond it is given width ``2 * _OPEN_STEP``.
    """
    counts = np.diff(starts)
    people = np.maximum(segment_sums(people_w, starts), 1e-12)
    weighted = people_w > 0
    rep_lo, rep_hi = np.repeat(lo, counts), np.repeat(hi, counts)
    share_lo = segment_sums(people_w * (rep_lo < crit), starts) / people
    share_hi = segment_sums(people_w * (rep_hi < crit), starts) / people
    has = counts > 0
    first = starts[:-1][has]
    nxt = np.full(lo.shape[0], np.inf)
    prev = np.full(lo.shape[0], -np.inf)
    nxt[has] = np.minimum.reduceat(np.where(weighted & (crit > rep_hi), crit, np.inf), first)
    prev[has] = np.maximum.reduceat(np.where(weighted & (crit <= rep_lo), crit, -np.inf), first)
    upper = np.where(np.isfinite(nxt), (hi + nxt) / 2, hi + _OPEN_STEP)
    lower = np.where(np.isfinite(prev), (prev + lo) / 2, lo - _OPEN_STEP)
    below_nearer = np.abs(share_lo - target) < np.abs(share_hi - target)
    return np.where(below_nearer, lower, upper)


def solve_income_shift(
    ward: NDArray[np.int32],
    weight: F32,
    size: NDArray[np.int8],
    employed: NDArray[np.bool_],
    band: NDArray[np.int8],
    skills: F32,
    income_factor: F32,
    target: NDArray[np.float64],
    rule: IncomeRule,
    iterations: int = 30,
    threads: int = 1,
) -> NDArray[np.float64]:
    """Log-shift of each ward's income factors that hits its income-deprivation rate, ``[n_wards]``.

    Bisection on ``d`` in [-SHIFT_BRACKET, SHIFT_BRACKET] so that the weighted share of people with
    ``income_factor * exp(d) * base_income < 1`` equals ``target`` (a share).
    The share falls as ``d`` rises, so bisection converges for every ward at once.

    The share is a step function of ``d``: bisection ends on the edge between
    two steps, with one household exactly on the poverty line, where the
    smallest change would tip it over. The shift returned is the middle of
    whichever of the two steps has the share nearer the target (see
    :func:`_middle_of_step`), so no household starts on the line; in a sampled
    ward of 200 households one such household is 0.5% of its residents. ``threads``: threads
    the blocks' bisections run on (each ward's shift is its own rows' alone: the same bytes
    on any number).
    """
    n_wards = target.shape[0]
    seg = ward_segments(ward, n_wards)
    if seg is None:  # put the households in ward order (the shift is per ward)
        o = np.argsort(ward, kind="stable")
        return solve_income_shift(
            ward[o],
            weight[o],
            size[o],
            employed[o],
            band[o],
            skills[o],
            income_factor[o],
            target,
            rule,
            iterations,
            threads,
        )
    shift = np.empty(n_wards)

    def block_shift(block: tuple[int, int, int, int]) -> None:
        """One block's wards' shifts, written into their part of ``shift``."""
        s, e, w0, w1 = block
        shift[w0:w1] = shift_of_wards(
            weight[s:e],
            size[s:e],
            employed[s:e],
            band[s:e],
            skills[s:e],
            income_factor[s:e],
            seg.starts[w0 : w1 + 1] - s,
            target[w0:w1],
            rule,
            iterations,
        )

    # A block of whole wards at a time: the bisection's passes stay in the processor's cache.
    map_blocks(block_shift, seg.block_rows(skip_empty=False), threads)
    return shift


def shift_of_wards(
    weight: F32,
    size: NDArray[np.int8],
    employed: NDArray[np.bool_],
    band: NDArray[np.int8],
    skills: F32,
    income_factor: F32,
    starts: NDArray[np.int64],
    target: NDArray[np.float64],
    rule: IncomeRule,
    iterations: int,
) -> NDArray[np.float64]:
    """:func:`solve_income_shift` of ``k`` consecutive wards, ``[k]``: their households
    (``[m]`` each, sorted by ward; ward ``i`` holds rows ``starts[i]:starts[i + 1]``,
    ``starts`` ``[k + 1]``) and each ward's target share. Each ward's shift depends on its
    own rows only (in their order), not on which wards share its block."""
    people_w = weight * size
    log_income = np.log(income_factor * base_income(employed, band, skills, 1.0, rule)).astype(
        np.float64
    )
    lo, hi = _bisect_shift(log_income, people_w, starts, target, iterations)
    return _middle_of_step(lo, hi, -log_income, people_w, starts, target)


def _bisect_shift(
    log_income: NDArray[np.float64],
    people_w: F32,
    starts: NDArray[np.int64],
    target: NDArray[np.float64],
    iterations: int,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The bisection's final bracket ``(lo, hi)`` of each ward's log-shift, ``[k]`` each, for
    ``k`` consecutive wards (rows ``starts``, ``[k + 1]``; ``log_income``, ``people_w``:
    ``[m]``): the share below the line is above ``target`` at ``lo``, at or below it at
    ``hi``."""
    counts = np.diff(starts)
    people = np.maximum(segment_sums(people_w, starts), 1e-12)
    k = counts.shape[0]
    lo = np.full(k, -SHIFT_BRACKET, dtype=np.float64)
    hi = np.full(k, SHIFT_BRACKET, dtype=np.float64)
    for _ in range(iterations):
        mid = (lo + hi) / 2
        below = log_income + np.repeat(mid, counts) < 0.0
        share = segment_sums(people_w * below, starts) / people
        too_many = share > target
        lo = np.where(too_many, mid, lo)
        hi = np.where(too_many, hi, mid)
    return lo, hi
