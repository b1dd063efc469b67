"""The vectorised core: one pure function advances every household and ward stock by one year.

``advance(hh, wards, inputs, params, baseline, rng) -> (hh, wards)`` reads
arrays and returns new arrays; nothing is changed in place and every random
draw comes from ``rng``. The Mesa model (``lbn_sim.model``) decides the money
(``YearInputs``); this module turns money and conditions into stocks and
household transitions.

Draws per household-year: two uniforms (employment; demography and moving),
plus about eight for each household that is replaced (a newcomer or a newly
formed household, about 8% of households a year).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from lbn_sim.households import INCOME_SPREAD, RETIRED_BAND, Households, base_income
from lbn_sim.params import CoreParams
from lbn_sim.services import (
    ADJUST_SPEED,
    CAPITAL_COST,
    CLOSURE_QUALITY,
    Service,
    sustainable_quality,
)
from lbn_sim.state import Baseline, WardState, aggregate

F32 = NDArray[np.float32]
F64 = NDArray[np.float64]

#: Probability per year that a head moves to the next age band (the last: household dissolves).
AGE_UP = np.array([1 / 14, 1 / 20, 1 / 15, 1 / 15], dtype=np.float32)
#: Relative propensity to move away by age band.
MOVE_BY_BAND = np.array([2.0, 1.0, 0.4, 0.2], dtype=np.float32)


@dataclass(frozen=True, slots=True)
class YearInputs:
    """What the institutions decided for one year.

    Attributes:
        year: calendar year being simulated.
        spend: float64 ``[n_services, n_wards]``, running spending, GBP/yr
            (already multiplied by the local-power effect).
        invest: float64 ``[n_services, n_wards]``, capital investment, GBP/yr
            (already multiplied by the local-power effect).
        capacity_support: float64 ``[n_wards]``, GBP/yr for community organisations.
        community_funded: bool ``[n_wards]``, community-controlled money this year.
        real_wage_growth: fraction per year.
        cost_of_living: pressure on household budgets, [0, 1].
        recession: severity of a recession starting this year (0: none).
        investment_ratio: float64 ``[n_wards]``, private investment per resident
            relative to the start year (local labour demand follows it).
    """

    year: int
    spend: F64
    invest: F64
    capacity_support: F64
    community_funded: NDArray[np.bool_]
    real_wage_growth: float
    cost_of_living: float
    recession: float
    investment_ratio: F64


def access(quality: F64, params: CoreParams) -> F64:
    """Reach of jobs and services through transport and digital links, ``[n_wards]`` in [0, 1].

    With the connectivity mechanism off, every ward has full reach.
    """
    conn = 0.5 * (quality[Service.TRANSPORT] + quality[Service.DIGITAL])
    if not params.switches.connectivity:
        return np.ones_like(conn)
    w = params.connectivity_weight
    return (1.0 - w) + w * conn


def resilience(wards: WardState) -> F64:
    """Ward resilience in [0, 1], ``[n_wards]``: community capacity, civic assets, low stress."""
    return (
        wards.capacity + wards.quality[Service.COMMUNITY_SPACES] + (1.0 - wards.agg.stress)
    ) / 3.0


def job_finding_factor(
    hh: Households, wards: WardState, baseline: Baseline, params: CoreParams
) -> F32:
    """Household part of the yearly job-finding probability, ``[n]`` (dimensionless).

    ``(0.3 + 0.7 skills) (0.4 + 0.6 health) (1 + network (participation - 0.5))``,
    times the ward's employment support relative to the start.
    """
    net = params.network_effect if params.switches.social_infrastructure else 0.0
    support = 1.0 + 0.5 * (
        wards.quality[Service.EMPLOYMENT_SUPPORT] - baseline.quality[Service.EMPLOYMENT_SUPPORT]
    )
    f = (
        (np.float32(0.3) + np.float32(0.7) * hh.skills)
        * (np.float32(0.4) + np.float32(0.6) * hh.health)
        * (np.float32(1.0) + np.float32(net) * (hh.participation - np.float32(0.5)))
    )
    return (f * support.astype(np.float32)[hh.ward]).astype(np.float32)


def job_loss_prob(hh: Households, params: CoreParams) -> F32:
    """Yearly probability that a worker loses work, ``[n]``, before recessions."""
    return (
        np.float32(params.job_loss)
        * (np.float32(1.4) - np.float32(0.8) * hh.skills)
        * (np.float32(1.3) - np.float32(0.6) * hh.health)
    ).astype(np.float32)


def update_stocks(
    wards: WardState, inputs: YearInputs, population: F64, baseline: Baseline, params: CoreParams
) -> tuple[F64, F64, F64, NDArray[np.int16]]:
    """Service quality, community capacity and its legacy after a year's money.

    Returns ``(quality [n_services, n_wards], capacity [n_wards], legacy [n_wards],
    years_funded [n_wards])``, all in [0, 1] but the last.
    """
    sw = params.switches
    target = sustainable_quality(inputs.spend, baseline.spend, baseline.quality)
    quality = wards.quality + ADJUST_SPEED[:, None] * (target - wards.quality)
    lift = inputs.invest / (CAPITAL_COST[:, None] * np.maximum(population, 1.0)[None, :])
    quality = quality + lift * (1.0 - quality)
    # Community spaces close when quality falls too low, unless the community takes them over.
    spaces = quality[Service.COMMUNITY_SPACES]
    taken_over = wards.capacity >= 0.4
    closing = (spaces < CLOSURE_QUALITY) & ~taken_over
    quality[Service.COMMUNITY_SPACES] = np.where(closing, 0.0, spaces)
    quality = np.clip(quality, 0.0, 1.0)

    years = np.where(inputs.community_funded, wards.years_funded + 1, 0).astype(np.int16)
    per_head = inputs.capacity_support / np.maximum(population, 1.0)
    boost: F64 | float = 1.0
    legacy = wards.legacy
    if sw.long_term_money:
        boost = 1.0 + sw.long_term_compounding * np.minimum(years, 10)
        legacy = legacy + params.legacy_rate * (years >= 3) * (1.0 - wards.capacity)
    part_term = 0.5 * (wards.agg.participation - baseline.agg.participation)
    if not sw.social_infrastructure:
        part_term = np.zeros_like(part_term)
    base_level = np.clip(baseline.capacity + legacy + part_term, 0.0, 1.0)
    gain = params.capacity_support_gain * per_head / (per_head + 10.0) * boost
    capacity = wards.capacity + params.capacity_speed * (base_level - wards.capacity)
    capacity = capacity + gain * (1.0 - capacity)
    return quality, np.clip(capacity, 0.0, 1.0), np.clip(legacy, 0.0, 1.0), years


def advance(
    hh: Households,
    wards: WardState,
    inputs: YearInputs,
    params: CoreParams,
    baseline: Baseline,
    rng: np.random.Generator,
) -> tuple[Households, WardState]:
    """Advance households and ward stocks by one year.

    Args:
        hh: households at the start of the year (arrays ``[n]``).
        wards: ward stocks at the start of the year (arrays ``[n_wards]``).
        inputs: the year's money and conditions.
        params: behavioural parameters and mechanism switches.
        baseline: start-year values (anchors of the lagged effects).
        rng: the model's generator (the only source of randomness).

    Returns:
        The households and ward stocks at the end of the year.
    """
    sw = params.switches
    n_wards = wards.capacity.shape[0]
    population = wards.agg.people
    n = hh.n

    # 1. Ward stocks from the year's money.
    quality, capacity, legacy, years = update_stocks(wards, inputs, population, baseline, params)
    res = resilience(wards) if sw.resilience else np.full(n_wards, 0.5)
    acc = access(quality, params)

    # 2. Local labour demand: follows skills and connectivity; recessions hit, recovery lags.
    # Labour demand follows private investment relative to the start (see institutions).
    target_jobs = inputs.investment_ratio
    jobs = wards.jobs + params.recovery_speed * (0.5 + res) * (target_jobs - wards.jobs)
    if inputs.recession > 0:
        jobs = jobs * (1.0 - inputs.recession * (0.5 + (1.0 - res)) * 2.0)
    jobs = np.maximum(jobs, 0.05)

    # 3. Employment: one uniform per household.
    u = rng.random(n, dtype=np.float32)
    working_age = hh.band != RETIRED_BAND
    p_find = baseline.job_rate[hh.ward] * (jobs * acc)[hh.ward]
    p_find = np.minimum(
        p_find.astype(np.float32) * job_finding_factor(hh, wards, baseline, params), 1.0
    )
    p_lose = job_loss_prob(hh, params)
    if inputs.recession > 0:
        shock = 1.0 + params.recession_job_loss * inputs.recession * 10.0 * (1.5 - res)
        p_lose = np.minimum(p_lose * shock.astype(np.float32)[hh.ward], 1.0)
    employed = np.where(hh.employed, u >= p_lose, working_age & (u < p_find))

    # 4. Financial stress: relaxes towards a level set by income, work, prices and advice.
    deprived = hh.income_factor * base_income(employed, hh.band, hh.skills) < 1.0
    col = inputs.cost_of_living if sw.cost_of_living else 0.0
    advice = params.debt_advice_effect * (
        quality[Service.DEBT_ADVICE] - baseline.quality[Service.DEBT_ADVICE]
    )
    target_stress = (
        np.float32(0.1)
        + np.float32(0.45) * deprived
        + np.float32(0.1) * (working_age & ~employed)
        + np.float32(col * params.cost_of_living_exposure) * (np.float32(0.3) + deprived)
        - advice.astype(np.float32)[hh.ward]
    )
    stress = hh.stress + np.float32(params.stress_speed) * (
        np.clip(target_stress, 0, 1) - hh.stress
    )

    # 5. Health and participation: lagged ward effects of services, civic assets and stress.
    civic_change = quality[Service.COMMUNITY_SPACES] - baseline.quality[Service.COMMUNITY_SPACES]
    si = 1.0 if sw.social_infrastructure else 0.0
    health_driver = (
        params.health_service_effect * (quality[Service.HEALTH] - baseline.quality[Service.HEALTH])
        + si * params.civic_health_effect * civic_change
        - params.stress_health_effect * (wards.agg.stress - baseline.agg.stress)
    )
    health_effect = wards.health_effect + 0.2 * (health_driver - wards.health_effect)
    part_driver = si * (0.4 * civic_change + 0.4 * (capacity - baseline.capacity)) + 0.2 * (
        wards.agg.health - baseline.agg.health
    )
    part_effect = wards.participation_effect + 0.3 * (part_driver - wards.participation_effect)
    d_health = (health_effect - wards.health_effect).astype(np.float32)[hh.ward]
    d_part = (part_effect - wards.participation_effect).astype(np.float32)[hh.ward]
    health = np.clip(hh.health + d_health - np.float32(0.1) * (stress - hh.stress), 0, 1)
    participation = np.clip(hh.participation + d_part, 0, 1)

    # 6. Skills: adult education above or below its start level moves adults' skills.
    skills = hh.skills
    if sw.education_skills:
        adult_ed = quality[Service.ADULT_EDUCATION] - baseline.quality[Service.ADULT_EDUCATION]
        d_skill = (params.adult_education_effect * adult_ed).astype(np.float32)[hh.ward]
        skills = np.clip(skills + d_skill * working_age, 0, 1)

    # 7. Demography and moving: one uniform decides moving away, ageing or neither.
    v = rng.random(n, dtype=np.float32)
    e_ward = 1.0 - wards.agg.employment_deprivation
    push = np.maximum(baseline.england_employment - e_ward, 0.0) / baseline.england_employment
    if sw.out_migration:
        p_move = (
            np.float32(params.move_rate)
            * MOVE_BY_BAND[hh.band]
            * (np.float32(0.5) + skills)
            * (1.0 + params.move_push * push).astype(np.float32)[hh.ward]
        )
    else:
        p_move = np.float32(params.move_rate) * MOVE_BY_BAND[hh.band]
    p_move = np.minimum(p_move, np.float32(0.5))
    moves = v < p_move
    ages = ~moves & (v < p_move + AGE_UP[hh.band])
    band = np.where(ages & (hh.band < RETIRED_BAND), hh.band + 1, hh.band).astype(np.int8)
    employed = employed & (band != RETIRED_BAND)
    dissolves = ages & (hh.band == RETIRED_BAND)
    replaced = moves | dissolves

    out = Households(
        ward=hh.ward,
        weight=hh.weight,
        size=hh.size,
        band=band,
        employed=employed,
        skills=skills.astype(np.float32),
        health=health.astype(np.float32),
        stress=stress.astype(np.float32),
        participation=participation.astype(np.float32),
        income_factor=hh.income_factor,
    )
    out = _replace_households(out, replaced, dissolves, wards, quality, baseline, push, params, rng)
    agg = aggregate(out, n_wards)
    new_wards = WardState(
        quality=quality,
        capacity=capacity,
        legacy=legacy,
        jobs=jobs,
        health_effect=health_effect,
        participation_effect=part_effect,
        years_funded=years,
        agg=agg,
    )
    return out, new_wards


def _replace_households(
    hh: Households,
    replaced: NDArray[np.bool_],
    newly_formed: NDArray[np.bool_],
    wards: WardState,
    quality: F64,
    baseline: Baseline,
    push: F64,
    params: CoreParams,
    rng: np.random.Generator,
) -> Households:
    """Put a newcomer (or, for a dissolved household, a newly formed young one) in each freed slot.

    Newcomers to places that people leave are less skilled and less often in
    work (selective migration). New young households carry the skills their
    ward's schools gave them, relative to the start (the long lag of education).
    """
    idx = np.flatnonzero(replaced)
    m = idx.shape[0]
    if m == 0:
        return hh
    sw = params.switches
    ward = hh.ward[idx]
    young = newly_formed[idx]
    band = np.where(young, 0, rng.choice(4, size=m, p=[0.5, 0.35, 0.1, 0.05])).astype(np.int8)
    sel = params.newcomer_selectivity * push[ward] if sw.out_migration else np.zeros(m)
    school = quality[Service.SCHOOLS] - baseline.quality[Service.SCHOOLS]
    school_gain = params.school_effect * school[ward] if sw.education_skills else 0.0
    skill_mean = np.where(
        young,
        1.0 - baseline.rates["education_deprivation"][ward] + school_gain,
        wards.agg.skills[ward] - sel,
    )
    skill_mean = np.clip(skill_mean, 0.02, 0.98)
    skills = rng.beta(skill_mean * 8.0, (1.0 - skill_mean) * 8.0).astype(np.float32)
    health_mean = np.clip(wards.agg.health[ward], 0.02, 0.98)
    health = rng.beta(health_mean * 8.0, (1.0 - health_mean) * 8.0).astype(np.float32)
    e_rate = 1.0 - wards.agg.employment_deprivation[ward] - sel
    employed = (band != RETIRED_BAND) & (rng.random(m) < e_rate)
    log_income = baseline.income_centre[ward] - 2.0 * sel + rng.normal(0.0, INCOME_SPREAD, m)
    size = np.minimum(1 + rng.poisson(np.where(band == 1, 1.6, 0.7)), 8).astype(np.int8)

    def put(arr: NDArray[np.generic], values: NDArray[np.generic]) -> NDArray[np.generic]:
        new = arr.copy()
        new[idx] = values
        return new

    return hh.with_(
        band=put(hh.band, band),
        size=put(hh.size, size),
        employed=put(hh.employed, employed),
        skills=put(hh.skills, skills),
        health=put(hh.health, health),
        stress=put(hh.stress, np.full(m, 0.2, dtype=np.float32)),
        participation=put(
            hh.participation,
            (0.8 * wards.agg.participation[ward]).astype(np.float32),
        ),
        income_factor=put(hh.income_factor, np.exp(log_income).astype(np.float32)),
    )
