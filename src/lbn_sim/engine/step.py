"""The yearly step of the vectorised core: one pure function advances every household and
ward stock by one year.

``advance(hh, wards, inputs, params, baseline, rng) -> (hh, wards)`` reads arrays and
returns new arrays; nothing is changed in place and every random draw comes from ``rng``
(in the calling thread, whatever ``threads`` the households' blocks run on).
The agents (:mod:`lbn_sim.engine.agents`) decide the money (:class:`YearInputs`); this
module turns money and conditions into stocks and the conditions the households' rules
read (:func:`ward_year`, a list of named stages, each a mechanism's or a module's rule),
then runs the households' year (:func:`lbn_sim.engine.household_year.household_year`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from lbn_sim.engine import labour_market, services
from lbn_sim.engine.conditions import Conditions
from lbn_sim.engine.household_year import household_year
from lbn_sim.engine.households import Households, IncomeRule
from lbn_sim.engine.mechanisms import (
    connectivity,
    cost_of_living,
    education_skills,
    long_term_money,
    out_migration,
    resilience,
    social_infrastructure,
)
from lbn_sim.engine.parameters import Params
from lbn_sim.engine.services import Service
from lbn_sim.engine.state import Baseline, WardState, aggregates_from_sums

F64 = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class YearInputs:
    """What the institutions decided for one year.

    Attributes:
        year: calendar year being simulated.
        spend: float64 ``[n_services, n_wards]``, running spending, GBP/yr
            (already multiplied by the local-power effect).
        public_spend: float64 ``[n_services, n_wards]``, the public part of the running
            money (local authority and programmes, before the local-power effect), GBP/yr:
            what community organisations make up for when it falls.
        invest: float64 ``[n_services, n_wards]``, capital investment, GBP/yr
            (already multiplied by the local-power effect).
        capacity_support: float64 ``[n_wards]``, GBP/yr for community organisations.
        community_funded: bool ``[n_wards]``, community-controlled money this year.
        cost_of_living: pressure on household budgets, [0, 1].
        price_shock: size of a price spike this year (0: none), [0, 1]: extra pressure at
            England's mean resilience (times ``1 + mean - resilience`` in a ward).
        recession: severity of a recession starting this year (0: none).
        investment_ratio: float64 ``[n_wards]``, private investment per resident
            relative to the start year (local labour demand follows it).
        benefit_level: value of working-age benefits relative to the poverty line,
            as a multiple of the start year's (1: kept pace since the start).
        local_fortune: float64 ``[n_wards]``, each ward's own fortune as a multiplier of
            its job finding (a plant opening or closing), or None (1 everywhere).
    """

    year: int
    spend: F64
    public_spend: F64
    invest: F64
    capacity_support: F64
    community_funded: NDArray[np.bool_]
    cost_of_living: float
    recession: float
    investment_ratio: F64
    benefit_level: float
    price_shock: float = 0.0
    local_fortune: F64 | None = None


def advance(
    hh: Households,
    wards: WardState,
    inputs: YearInputs,
    params: Params,
    baseline: Baseline,
    rng: np.random.Generator,
    threads: int = 1,
) -> tuple[Households, WardState]:
    """Advance households and ward stocks by one year.

    Args:
        hh: households at the start of the year (arrays ``[n]``).
        wards: ward stocks at the start of the year (arrays ``[n_wards]``).
        inputs: the year's money and conditions.
        params: behavioural parameters and mechanism switches.
        baseline: start-year values (anchors of the lagged effects).
        rng: the year's generator (the only source of randomness).
        threads: threads the households' blocks run on (the same bytes on any number).

    Returns:
        The households and ward stocks at the end of the year.
    """
    stocks, cond = ward_year(wards, inputs, params, baseline)
    out, sums = household_year(hh, cond, params, stocks.capacity.shape[0], rng, threads)
    return out, stocks.with_(agg=aggregates_from_sums(sums))


def update_stocks(
    wards: WardState, inputs: YearInputs, baseline: Baseline, params: Params
) -> WardState:
    """1. Service quality, community capacity and its legacy after a year's money: the ward
    stocks at the end of the year, ``agg`` still the start of the year's (each in [0, 1]
    but ``years_funded``)."""
    population = wards.agg.people
    spend = social_infrastructure.community_takeover(
        inputs.spend, inputs.public_spend, baseline.public_spend, wards.capacity, params
    )
    target = services.sustainable_quality(spend, baseline.spend, baseline.quality, params)
    quality = services.service_quality(wards.quality, target, inputs.invest, population, params)
    spaces0 = baseline.quality[Service.COMMUNITY_SPACES]
    social_infrastructure.close_spaces(quality, target, wards.capacity, spaces0, params)
    social_infrastructure.space_turnover(
        quality, wards.quality[Service.COMMUNITY_SPACES], spaces0, params
    )
    quality = np.clip(quality, 0.0, 1.0)
    years = long_term_money.funded_years(wards.years_funded, inputs.community_funded)
    legacy = long_term_money.legacy_after(wards.legacy, years, wards.capacity, params)
    support = inputs.capacity_support / np.maximum(population, 1.0)
    boost = long_term_money.compounding(years, params)
    capacity = social_infrastructure.community_capacity(
        wards, baseline, legacy, support, boost, params
    )
    return wards.with_(
        quality=quality, capacity=capacity, legacy=np.clip(legacy, 0.0, 1.0), years_funded=years
    )


def ward_year(
    wards: WardState, inputs: YearInputs, params: Params, baseline: Baseline
) -> tuple[WardState, Conditions]:
    """The wards' part of a year: stocks after the year's money, and the households' conditions.

    Returns ``(stocks, conditions)``: the ward stocks at the end of the year, whose
    ``agg`` is still the start of the year's (the households' year replaces it),
    and the conditions the household rules read (see :class:`Conditions`).
    """
    stocks = update_stocks(wards, inputs, baseline, params)
    res, res_england = resilience.effective_resilience(wards, params)
    # The services households use: their ward's own, and through their links their
    # neighbours' where those are better. Employment support is read as it stood at the
    # start of the year.
    used = connectivity.services_used(stocks.quality, params, baseline)
    used0 = baseline.used_quality
    support_used = connectivity.services_used(wards.quality, params, baseline)
    jobs, scar = labour_market.labour_demand(
        wards.jobs,
        wards.scar,
        inputs.investment_ratio,
        inputs.recession,
        res,
        res_england,
        params,
    )
    stocks = stocks.with_(jobs=jobs, scar=scar)
    reach = connectivity.access(stocks.quality, params)
    support = labour_market.employment_support(support_used, used0, params)
    luck = 1.0 if inputs.local_fortune is None else inputs.local_fortune
    find = baseline.job_rate * jobs * reach * support * luck
    shock = resilience.job_loss_shock(inputs.recession, res, params)
    col = cost_of_living.price_pressure(
        inputs.cost_of_living, inputs.price_shock, res, res_england, params
    )
    stress_base, stress_deprived = cost_of_living.stress_levels(col, used, used0, params)
    stocks = lagged_effects(stocks, wards, used, used0, baseline, params)
    cond = Conditions(
        find=find.astype(np.float32),
        shock=None if shock is None else shock.astype(np.float32),
        stress_base=stress_base,
        stress_deprived=stress_deprived,
        benefit=inputs.benefit_level,
        d_health=(stocks.health_effect - wards.health_effect).astype(np.float32),
        d_participation=(stocks.participation_effect - wards.participation_effect).astype(
            np.float32
        ),
        d_skill=education_skills.adult_skill_change(
            wards.adult_learning, stocks.adult_learning, params
        ),
        young_skill=education_skills.young_skill(
            baseline.rates["education_deprivation"], used, used0, params
        ),
        new_health=np.clip(wards.agg.health, params.beta_mean_min, params.beta_mean_max),
        new_participation=wards.agg.participation.astype(np.float32),
        age_up=baseline.age_up,
        income=IncomeRule.from_params(params),
        **migration(wards, jobs, baseline, params),  # type: ignore[arg-type]
    )
    return stocks, cond


def lagged_effects(
    stocks: WardState,
    wards: WardState,
    used: F64,
    used0: F64,
    baseline: Baseline,
    params: Params,
) -> WardState:
    """5. Health, participation and adult learning: the wards' lagged effects of services,
    civic assets and stress move towards where their drivers head, and the skill uplift
    adult learning leaves moves by its learners and its fading
    (:func:`~lbn_sim.engine.mechanisms.education_skills.adult_learning_after`) (``stocks``
    with them; ``used``, ``used0``: services used this year and at the start,
    ``[n_services, n_wards]``)."""
    p = params
    civic = social_infrastructure.civic_change(used, used0)
    health_driver = (
        p.health_service_effect * (used[Service.HEALTH] - used0[Service.HEALTH])
        + social_infrastructure.civic_health(civic, p)
        - p.stress_health_effect * (wards.agg.stress - baseline.agg.stress)
    )
    health = wards.health_effect + p.health_effect_speed * (health_driver - wards.health_effect)
    part_driver = social_infrastructure.participation_driver(
        civic, stocks.capacity, wards, baseline, p
    )
    part = wards.participation_effect + p.participation_effect_speed * (
        part_driver - wards.participation_effect
    )
    learning = education_skills.adult_learning_after(wards.adult_learning, used, used0, p)
    return stocks.with_(health_effect=health, participation_effect=part, adult_learning=learning)


def migration(
    wards: WardState, jobs: F64, baseline: Baseline, params: Params
) -> dict[str, NDArray[np.generic]]:
    """7. Demography and moving: the moving propensity and the newcomers' and new young
    households' skills, work and income (fields of :class:`Conditions`); newcomers to
    places people leave are less skilled and less often in work (selective migration)."""
    population = wards.agg.people
    e_ward = 1.0 - wards.agg.employment_deprivation
    # The push is measured against England's employment now, as the pull is against its
    # labour demand now: a decline England shares pushes no one from one ward to another.
    push = out_migration.employment_push(e_ward, population)
    sel = out_migration.newcomer_selection(push, baseline.push, jobs, population, params)
    return {
        "move": out_migration.move_propensity(push, params).astype(np.float32),
        "mover_skill": out_migration.mover_skill(wards.agg.skills, sel, params),
        "new_employment": out_migration.newcomer_employment(e_ward, sel),
        "new_log_income": out_migration.newcomer_log_income(baseline.income_centre, sel, params),
        "young_employment": e_ward,
        "young_log_income": baseline.income_centre,
    }
