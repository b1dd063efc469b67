"""The vectorised core: one pure function advances every household and ward stock by one year.

``advance(hh, wards, inputs, params, baseline, rng) -> (hh, wards)`` reads
arrays and returns new arrays; nothing is changed in place and every random
draw comes from ``rng``. The Mesa model (``lbn_sim.model``) decides the money
(``YearInputs``); this module turns money and conditions into stocks and
household transitions.

The household rules run over blocks of whole wards (``households.BLOCK_HOUSEHOLDS``
households at a time), so every temporary is the size of a block, not of the
population; each block's results are summed to its wards as it goes (the ward
aggregates), and no household history is kept.

Draws per household-year: two float32 uniforms (employment; demography and
moving: together one 64-bit output of the generator), plus, for each household
that is replaced (a newcomer or a newly formed household, about 7% of
households a year), two beta draws (skills, health), a normal (income) and up
to three uniforms (age band of a newcomer, employment unless retired, size).
Every household's uniforms are drawn (block by block) before any new
household's draws, so which households leave never shifts anyone's uniforms:
futures that share a year's generator share their households' luck.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
from numpy.typing import NDArray

from lbn_sim.households import (
    BLOCK_HOUSEHOLDS,
    INCOME_SPREAD,
    N_BANDS,
    RETIRED_BAND,
    Households,
    base_income,
    segment_sums,
    take_block,
    take_rows,
    ward_segments,
)
from lbn_sim.neighbours import used_quality
from lbn_sim.params import CoreParams
from lbn_sim.services import (
    ADJUST_SPEED,
    CAPITAL_COST,
    CLOSURE_MARGIN,
    CLOSURE_QUALITY,
    CLOSURE_TAKEOVER_CAPACITY,
    COMMUNITY_RUN,
    Service,
    sustainable_quality,
    takeover_share,
)
from lbn_sim.state import (
    SUM_ROWS,
    Baseline,
    WardState,
    aggregates_from_sums,
    sum_terms,
)

F32 = NDArray[np.float32]
F64 = NDArray[np.float64]

#: Relative propensity to move away by age band.
MOVE_BY_BAND = np.array([2.0, 1.0, 0.4, 0.2], dtype=np.float32)


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


def access(quality: F64, params: CoreParams) -> F64:
    """Reach of jobs and services through transport and digital links, ``[n_wards]`` in [0, 1].

    With the connectivity mechanism off, every ward has full reach.
    """
    conn = 0.5 * (quality[Service.TRANSPORT] + quality[Service.DIGITAL])
    if not params.switches.connectivity:
        return np.ones_like(conn)
    w = params.connectivity_weight
    return (1.0 - w) + w * conn


def services_used(quality: F64, params: CoreParams, baseline: Baseline) -> F64:
    """Quality of the services households use, own ward's and neighbours', through the
    ward's reach (:func:`access`); float64 ``[n_services, n_wards]`` in [0, 1].

    ``quality``: the wards' own service quality, ``[n_services, n_wards]``.
    """
    return used_quality(
        quality,
        access(quality, params),
        baseline.neighbours,
        params.switches.neighbour_services,
    )


def leaver_skill(mean: F64) -> F64:
    """Mean skills of the households that move away from a ward, ``[n_wards]``.

    Moving is proportional to ``0.5 + skills``; with skills spread as a beta of
    concentration 8 around the ward's mean ``m`` (variance ``m (1 - m) / 9``),
    leavers' mean skill is ``E[s (0.5 + s)] / E[0.5 + s]``. Newcomers arrive with
    it (less the selectivity of places people leave), so an average ward's skills
    hold still.
    """
    var = mean * (1.0 - mean) / 9.0
    return (0.5 * mean + mean**2 + var) / (0.5 + mean)


def resilience(wards: WardState) -> F64:
    """Ward resilience in [0, 1], ``[n_wards]``: community capacity, civic assets, low stress."""
    return (
        wards.capacity + wards.quality[Service.COMMUNITY_SPACES] + (1.0 - wards.agg.stress)
    ) / 3.0


def employment_support(quality: F64, quality0: F64) -> F64:
    """Job-finding multiplier of employment support relative to the start, ``[n_wards]``.

    ``quality`` and ``quality0`` (at the start): float64 ``[n_services, n_wards]``.
    """
    es = Service.EMPLOYMENT_SUPPORT
    return 1.0 + 0.5 * (quality[es] - quality0[es])


def finding_factor(skills: F32, health: F32, participation: F32, network: float) -> F32:
    """Household part of the yearly job-finding probability, float32 ``[n]`` (dimensionless).

    ``(0.3 + 0.7 skills) (0.4 + 0.6 health) (1 + network (participation - 0.5))``.
    """
    f = np.float32(0.7) * skills
    f += np.float32(0.3)
    g = np.float32(0.6) * health
    g += np.float32(0.4)
    f *= g
    g = np.float32(network) * participation
    g += np.float32(1.0 - 0.5 * network)
    f *= g
    return f


def loss_prob(skills: F32, health: F32, job_loss: float) -> F32:
    """Yearly probability that a worker loses work, float32 ``[n]``, before recessions.

    ``job_loss (1.4 - 0.8 skills) (1.3 - 0.6 health)``.
    """
    p = np.float32(-0.8 * job_loss) * skills
    p += np.float32(1.4 * job_loss)
    g = np.float32(-0.6) * health
    g += np.float32(1.3)
    p *= g
    return p


@dataclass(frozen=True, slots=True)
class Conditions:
    """The year's ward conditions as the household rules read them.

    Tables are float32 ``[n_wards]`` (read once per household) or float64
    ``[n_wards]`` (read only for households that are replaced).

    Attributes:
        find: job-finding scale (per year): the start-year scale times labour
            demand, access and employment support.
        shock: job-loss multiplier of a recession year, or None.
        stress_base: the level stress relaxes to for a household in work and above
            the poverty line (prices and debt advice included).
        stress_deprived: float32 ``[n_wards]``, extra stress target of an income-deprived
            household.
        benefit: value of working-age benefits relative to the start year's (poverty-line
            terms): out-of-work incomes are scaled by it.
        d_health: this year's change of the ward's lagged health effect.
        d_participation: this year's change of the ward's lagged participation effect.
        d_skill: change of working-age skills through adult education, or None
            (mechanism off).
        move: moving propensity (per year) before the age-band and skills factors.
        young_skill: float64, mean skills of a newly formed household (clipped).
        mover_skill: float64, mean skills of a household moving in (clipped).
        new_health: float64, mean health of a new household (clipped).
        new_employment: float64, probability that a newcomer's working-age head is in work.
        new_log_income: float64, centre of a newcomer's log income factor.
        young_employment: float64, the same for a newly formed local household.
        young_log_income: float64, the same for a newly formed local household.
        new_participation: float32, civic participation of a new household.
        age_up: float32 ``[n_wards, 4]``, yearly probability of moving to the next age
            band (the 65+ band: the household dissolves), by ward and band.
    """

    find: F32
    shock: F32 | None
    stress_base: F32
    stress_deprived: F32
    benefit: float
    d_health: F32
    d_participation: F32
    d_skill: F32 | None
    move: F32
    young_skill: F64
    mover_skill: F64
    new_health: F64
    new_employment: F64
    new_log_income: F64
    young_employment: F64
    young_log_income: F64
    new_participation: F32
    age_up: NDArray[np.float32]


def employment_push(employment: F64, population: F64) -> F64:
    """Each ward's employment shortfall against England's, ``[n_wards]`` in [0, 1].

    ``employment``: share of working-age heads in work, ``[n_wards]``; ``population``:
    residents, ``[n_wards]`` (England's rate is their weighted mean). Zero where the
    ward's rate is at or above England's; otherwise the shortfall as a share of
    England's rate.
    """
    england = float(np.average(employment, weights=population))
    return np.maximum(england - employment, 0.0) / max(england, 1e-9)


def stress_target(
    base: F32, deprived_extra: F32, deprived: NDArray[np.bool_], out_of_work: NDArray[np.bool_]
) -> F32:
    """The level a household's financial stress relaxes towards, float32 ``[m]`` in [0, 1].

    ``base``: the ward's level for a household in work above the poverty line (prices and
    advice included; changed in place and returned); ``deprived_extra``: what income below
    the poverty line adds; ``deprived``, ``out_of_work``: bool ``[m]`` (working age and out
    of work adds 0.1). All ``[m]``, one entry per household.
    """
    base += deprived_extra * deprived
    base += np.float32(0.1) * out_of_work
    np.clip(base, np.float32(0.0), np.float32(1.0), out=base)
    return base


def update_stocks(
    wards: WardState, inputs: YearInputs, population: F64, baseline: Baseline, params: CoreParams
) -> tuple[F64, F64, F64, NDArray[np.int16]]:
    """Service quality, community capacity and its legacy after a year's money.

    Returns ``(quality [n_services, n_wards], capacity [n_wards], legacy [n_wards],
    years_funded [n_wards])``, all in [0, 1] but the last.
    """
    sw = params.switches
    spend = inputs.spend
    if sw.social_infrastructure:
        # Where the public money for a community-run service falls below its start, community
        # organisations keep part of it going (volunteers, asset transfer), if they are capable.
        lost = np.maximum(baseline.public_spend - inputs.public_spend, 0.0)
        lost *= COMMUNITY_RUN[:, None]
        spend = spend + takeover_share(wards.capacity, params.community_takeover)[None, :] * lost
    target = sustainable_quality(spend, baseline.spend, baseline.quality)
    quality = wards.quality + ADJUST_SPEED[:, None] * (target - wards.quality)
    lift = inputs.invest / (CAPITAL_COST[:, None] * np.maximum(population, 1.0)[None, :])
    quality = quality + lift * (1.0 - quality)
    # Community spaces close when quality falls too low while their money cannot hold them
    # above the line, unless the community takes them over; a closed space reopens (and
    # grows back from nothing) once its money can hold it above the line again. A ward whose
    # spaces were already near or below the line at the start (the published civic need
    # puts a few there) closes them only when they fall 5% below where they started: the
    # start is a steady state, and the small drifts of money a quiet year brings close
    # nothing.
    spaces = quality[Service.COMMUNITY_SPACES]
    taken_over = sw.social_infrastructure & (wards.capacity >= CLOSURE_TAKEOVER_CAPACITY)
    line = np.minimum(CLOSURE_QUALITY, CLOSURE_MARGIN * baseline.quality[Service.COMMUNITY_SPACES])
    sustained = target[Service.COMMUNITY_SPACES] >= line
    closing = (spaces < line) & ~sustained & ~taken_over
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
    stocks, cond = ward_year(wards, inputs, params, baseline)
    out, sums = household_year(hh, cond, params, stocks.capacity.shape[0], rng)
    return out, stocks.with_(agg=aggregates_from_sums(sums))


def ward_year(
    wards: WardState, inputs: YearInputs, params: CoreParams, baseline: Baseline
) -> tuple[WardState, Conditions]:
    """The wards' part of a year: stocks after the year's money, and the households' conditions.

    Returns ``(stocks, conditions)``: the ward stocks at the end of the year, whose
    ``agg`` is still the start of the year's (the households' year replaces it),
    and the conditions the household rules read (see :func:`household_year`).
    """
    sw = params.switches
    n_wards = wards.capacity.shape[0]
    population = wards.agg.people

    # 1. Ward stocks from the year's money.
    quality, capacity, legacy, years = update_stocks(wards, inputs, population, baseline, params)
    # Resilience acts only through shocks: how hard a recession hits and how fast its scar
    # heals. Switched off, every ward has England's mean resilience (no ward more exposed).
    res_ward = resilience(wards)
    res_england = float(np.average(res_ward, weights=population))
    res = res_ward if sw.resilience else np.full(n_wards, res_england)
    acc = access(quality, params)
    # The services households use: their ward's own, and through their links their
    # neighbours' where those are better (lbn_sim.neighbours). Employment support is read
    # as it stood at the start of the year, as before.
    used, used0 = services_used(quality, params, baseline), baseline.used_quality
    support_used = services_used(wards.quality, params, baseline)

    # 2. Local labour demand = its trend x (1 - the recessions' unhealed scar). The trend
    # follows private investment relative to the start (see institutions) at one speed
    # everywhere; a recession cuts a share of demand, more where resilience is low, and the
    # scar heals more slowly where resilience is low.
    target_jobs = inputs.investment_ratio
    trend = wards.jobs / (1.0 - wards.scar)
    trend = trend + params.recovery_speed * (0.5 + res_england) * (target_jobs - trend)
    scar = wards.scar * (1.0 - params.recovery_speed * (0.5 + res))
    if inputs.recession > 0:
        hit = np.clip(inputs.recession * (0.5 + (1.0 - res)) * 2.0, 0.0, 0.9)
        scar = 1.0 - (1.0 - scar) * (1.0 - hit)
    scar = np.minimum(scar, 0.95)
    # The floor is on the trend, so that next year's trend read back from jobs and scar
    # is the trend itself (a floor on jobs would lift it).
    trend = np.maximum(trend, 0.05)
    jobs = trend * (1.0 - scar)

    # 3-4. Employment, then financial stress (the household rules are in _household_block).
    f32 = np.float32
    find = baseline.job_rate * jobs * acc * employment_support(support_used, used0)
    shock = None
    if inputs.recession > 0:
        shock = 1.0 + params.recession_job_loss * inputs.recession * 10.0 * (1.5 - res)
    # Prices beyond incomes: a steady pressure, and price spikes of their full size at
    # England's mean resilience, more where resilience is lower, less where it is higher.
    pressure = inputs.cost_of_living + inputs.price_shock * (1.0 + res_england - res)
    col = (pressure if sw.cost_of_living else np.zeros(n_wards)) * params.cost_of_living_exposure
    advice = params.debt_advice_effect * (used[Service.DEBT_ADVICE] - used0[Service.DEBT_ADVICE])

    # 5. Health and participation: lagged ward effects of services, civic assets and stress.
    civic_change = used[Service.COMMUNITY_SPACES] - used0[Service.COMMUNITY_SPACES]
    si = 1.0 if sw.social_infrastructure else 0.0
    health_driver = (
        params.health_service_effect * (used[Service.HEALTH] - used0[Service.HEALTH])
        + si * params.civic_health_effect * civic_change
        - params.stress_health_effect * (wards.agg.stress - baseline.agg.stress)
    )
    health_effect = wards.health_effect + 0.2 * (health_driver - wards.health_effect)
    part_driver = si * (0.4 * civic_change + 0.4 * (capacity - baseline.capacity)) + 0.2 * (
        wards.agg.health - baseline.agg.health
    )
    part_effect = wards.participation_effect + 0.3 * (part_driver - wards.participation_effect)

    # 6. Skills: adult education above or below its start level moves adults' skills.
    d_skill = None
    if sw.education_skills:
        adult_ed = used[Service.ADULT_EDUCATION] - used0[Service.ADULT_EDUCATION]
        d_skill = (params.adult_education_effect * adult_ed).astype(f32)

    # 7. Demography and moving; newcomers to places people leave are less skilled and less
    # often in work (selective migration); new young households carry the skills their ward's
    # schools gave them, relative to the start (the long lag of education).
    e_ward = 1.0 - wards.agg.employment_deprivation
    # The push is measured against England's employment now, as the pull is against its
    # labour demand now: a decline England shares pushes no one from one ward to another.
    push = employment_push(e_ward, population)
    move = np.full(n_wards, params.move_rate)
    sel = np.zeros(n_wards)
    if sw.out_migration:
        move = move * (1.0 + params.move_push * push)
        # Newcomers are selected by how far the ward's opportunities have moved since the
        # start, not by where they stand: the start's composition already holds the
        # selection of the years before it (the start is a steady state). Where employment
        # has fallen further behind England's, newcomers are worse off than those who leave;
        # where labour demand has grown more than England's, better off (the pull).
        shift = push - baseline.push
        pull = np.clip(jobs / np.average(jobs, weights=population) - 1.0, 0.0, 1.0)
        sel = params.newcomer_selectivity * (shift - pull)
    school = used[Service.SCHOOLS] - used0[Service.SCHOOLS]
    school_gain = params.school_effect * school if sw.education_skills else 0.0

    cond = Conditions(
        find=find.astype(f32),
        shock=None if shock is None else shock.astype(f32),
        stress_base=(0.1 + 0.3 * col - advice).astype(f32),
        stress_deprived=(0.45 + col).astype(f32),
        benefit=inputs.benefit_level,
        d_health=(health_effect - wards.health_effect).astype(f32),
        d_participation=(part_effect - wards.participation_effect).astype(f32),
        d_skill=d_skill,
        move=move.astype(f32),
        young_skill=np.clip(
            1.0 - baseline.rates["education_deprivation"] + school_gain, 0.02, 0.98
        ),
        # Without selective migration leavers are a random draw, and so are newcomers: the
        # ward's mean skill (not the selected leavers', which is above it).
        mover_skill=np.clip(
            (leaver_skill(wards.agg.skills) if sw.out_migration else wards.agg.skills) - sel,
            0.02,
            0.98,
        ),
        new_health=np.clip(wards.agg.health, 0.02, 0.98),
        new_employment=np.clip(e_ward - sel, 0.0, 1.0),
        new_log_income=baseline.income_centre - 2.0 * sel,
        young_employment=e_ward,
        young_log_income=baseline.income_centre,
        new_participation=wards.agg.participation.astype(f32),
        age_up=baseline.age_up,
    )
    stocks = WardState(
        quality=quality,
        capacity=capacity,
        legacy=legacy,
        jobs=jobs,
        scar=scar,
        health_effect=health_effect,
        participation_effect=part_effect,
        years_funded=years,
        agg=wards.agg,
    )
    return stocks, cond


def household_year(
    hh: Households,
    cond: Conditions,
    params: CoreParams,
    n_wards: int,
    rng: np.random.Generator,
) -> tuple[Households, F64]:
    """Every household's year, a block of whole wards at a time, and the ward sums it leaves.

    Args:
        hh: households at the start of the year (``[n]``; not changed).
        cond: the year's ward conditions.
        params: behavioural parameters and switches.
        n_wards: number of wards.
        rng: the only source of randomness.

    Returns:
        ``(households at the end of the year, ward sums float64 [len(SUM_ROWS), n_wards])``
        (see :func:`lbn_sim.state.ward_sums`). Households not sorted by ward are
        handled in ward order and handed back in their own order.
    """
    seg = ward_segments(hh.ward, n_wards)
    if seg is None:
        order = np.argsort(hh.ward, kind="stable")
        out, sums = household_year(take_rows(hh, order), cond, params, n_wards, rng)
        back = np.empty_like(order)
        back[order] = np.arange(order.shape[0])
        return take_rows(out, back), sums
    n = hh.n
    out = Households(
        ward=hh.ward,
        weight=hh.weight,
        size=np.empty(n, np.int8),
        band=np.empty(n, np.int8),
        employed=np.empty(n, np.bool_),
        skills=np.empty(n, np.float32),
        health=np.empty(n, np.float32),
        stress=np.empty(n, np.float32),
        participation=np.empty(n, np.float32),
        income_factor=np.empty(n, np.float32),
    )
    sums = np.zeros((len(SUM_ROWS), n_wards))
    counts = seg.counts()
    leaving: list[NDArray[np.intp]] = []
    formed: list[NDArray[np.bool_]] = []
    leavers_terms: list[NDArray[np.float32]] = []
    for s, e, w0, w1 in seg.block_rows():
        block = take_block(out, s, e)
        rows, dissolved = _household_block(
            take_block(hh, s, e), block, counts[w0:w1], w0, cond, params, rng
        )
        terms = sum_terms(block, cond.benefit)
        sums[:, w0:w1] = segment_sums(terms, seg.starts[w0 : w1 + 1] - s)
        leaving.append(rows + s)
        formed.append(dissolved)
        leavers_terms.append(terms[:, rows])
    if not leaving:
        return out, sums
    # New households once every household's uniforms are drawn, so who leaves never shifts
    # anyone's uniforms (common random numbers across futures); the ward sums swap the
    # leavers' terms for the new households'.
    rows = np.concatenate(leaving)
    dissolved = np.concatenate(formed)
    before = np.concatenate(leavers_terms, axis=1)
    for i in range(0, rows.shape[0], BLOCK_HOUSEHOLDS):
        chunk = slice(i, i + BLOCK_HOUSEHOLDS)
        new = _place_new_households(out, rows[chunk], dissolved[chunk], cond, rng)
        change = sum_terms(new, cond.benefit).astype(np.float64) - before[:, chunk]
        starts = np.searchsorted(new.ward, np.arange(n_wards + 1, dtype=new.ward.dtype))
        sums += segment_sums(change, starts)
    return out, sums


def _household_block(
    hh: Households,
    out: Households,
    counts: NDArray[np.int64],
    first_ward: int,
    cond: Conditions,
    params: CoreParams,
    rng: np.random.Generator,
) -> tuple[NDArray[np.intp], NDArray[np.bool_]]:
    """The household rules for one block of whole wards, written into ``out`` (the block's rows).

    Returns the rows (in the block) of the households that leave this year, and
    which of them dissolved (the others moved away); ``out`` holds their year's
    end until :func:`_place_new_households` puts new households there.

    ``hh`` holds the block's households at the start of the year (sorted by
    ward, ``counts[i]`` of them in ward ``first_ward + i``); ``out`` has the
    same rows and receives the households at the end of the year.
    """
    sw = params.switches
    f32 = np.float32
    end_ward = first_ward + counts.shape[0]

    def in_ward(table: F32) -> F32:
        """A ward table expanded to the block's households (they are sorted by ward)."""
        return np.repeat(table[first_ward:end_ward], counts)

    m = hh.n
    uv = rng.random(2 * m, dtype=f32)
    u, v = uv[:m], uv[m:]
    band = hh.band
    working_age = band != RETIRED_BAND

    # 3. Employment: one uniform per household. u < 1, so comparing it with a probability
    # above 1 is the same as comparing it with the probability capped at 1.
    net = params.network_effect if sw.social_infrastructure else 0.0
    p_find = finding_factor(hh.skills, hh.health, hh.participation, net)
    p_find *= in_ward(cond.find)
    p_lose = loss_prob(hh.skills, hh.health, params.job_loss)
    if cond.shock is not None:
        p_lose *= in_ward(cond.shock)
    # (Masks, not np.where: np.where on a random mask is many times slower.)
    employed = (hh.employed & (u >= p_lose)) | (~hh.employed & working_age & (u < p_find))

    # 4. Financial stress: relaxes towards a level set by income, work, prices and advice.
    deprived = hh.income_factor * base_income(employed, band, hh.skills, cond.benefit) < 1.0
    target = stress_target(
        in_ward(cond.stress_base), in_ward(cond.stress_deprived), deprived, working_age & ~employed
    )
    stress = out.stress
    np.subtract(target, hh.stress, out=stress)
    stress *= f32(params.stress_speed)
    stress += hh.stress

    # 5. Health and participation: the ward's lagged effects, and stress.
    health = hh.health + in_ward(cond.d_health)
    health -= f32(0.1) * (stress - hh.stress)
    np.clip(health, f32(0.0), f32(1.0), out=out.health)
    participation = hh.participation + in_ward(cond.d_participation)
    np.clip(participation, f32(0.0), f32(1.0), out=out.participation)

    # 6. Skills: adult education moves working-age skills.
    if cond.d_skill is None:
        out.skills[:] = hh.skills
    else:
        skills = in_ward(cond.d_skill)
        skills *= working_age
        skills += hh.skills
        np.clip(skills, f32(0.0), f32(1.0), out=out.skills)

    # 7. Demography and moving: one uniform decides moving away, ageing or neither.
    p_move = MOVE_BY_BAND.take(band)
    p_move *= in_ward(cond.move)
    if sw.out_migration:
        p_move *= f32(0.5) + out.skills
    np.minimum(p_move, f32(0.5), out=p_move)
    moves = v < p_move
    p_move += cond.age_up.ravel().take(hh.ward.astype(np.intp) * N_BANDS + band)
    ages = v < p_move
    ages &= ~moves
    np.add(band, ages & working_age, out=out.band)
    dissolves = ages & ~working_age
    np.logical_and(employed, out.band != RETIRED_BAND, out=out.employed)
    out.size[:] = hh.size
    out.income_factor[:] = hh.income_factor
    rows = np.flatnonzero(moves | dissolves)
    return rows, dissolves[rows]


def _place_new_households(
    out: Households,
    rows: NDArray[np.intp],
    newly_formed: NDArray[np.bool_],
    cond: Conditions,
    rng: np.random.Generator,
) -> Households:
    """Put a newcomer (or, for a dissolved household, a newly formed young one) in freed rows.

    Writes into ``out`` (households being built, not yet handed out) at ``rows``
    (int ``[k]``, in increasing order); ``newly_formed`` (bool ``[k]``) marks the
    rows of dissolved households. Returns the new households (``[k]``).
    """
    k = rows.shape[0]
    ward = out.ward[rows]
    # A newcomer takes the place of the household that left: its age band and size (so the
    # ward's age structure and population stay put unless the rules move them); a newly
    # formed household is young.
    band = np.where(newly_formed, 0, out.band[rows]).astype(np.int8)
    skill_mean = np.where(newly_formed, cond.young_skill[ward], cond.mover_skill[ward])
    skills = rng.beta(skill_mean * 8.0, (1.0 - skill_mean) * 8.0)
    health_mean = cond.new_health[ward]
    health = rng.beta(health_mean * 8.0, (1.0 - health_mean) * 8.0)
    working = np.flatnonzero(band != RETIRED_BAND)
    employed = np.zeros(k, np.bool_)
    # Selective migration marks newcomers only, not households formed in the ward.
    e_new = np.where(newly_formed, cond.young_employment[ward], cond.new_employment[ward])
    employed[working] = rng.random(working.shape[0]) < e_new[working]
    centre = np.where(newly_formed, cond.young_log_income[ward], cond.new_log_income[ward])
    log_income = centre + rng.normal(0.0, INCOME_SPREAD, k)
    size = out.size[rows]
    income_factor = np.exp(log_income).astype(np.float32)
    skills32 = skills.astype(np.float32)
    # A new household's stress starts where its rule would hold it (its income and work, the
    # ward's prices and advice), as every household's did at the start.
    deprived = income_factor * base_income(employed, band, skills32, cond.benefit) < 1.0
    stress = stress_target(
        cond.stress_base[ward],
        cond.stress_deprived[ward],
        deprived,
        (band != RETIRED_BAND) & ~employed,
    )

    new = Households(
        ward=ward,
        weight=out.weight[rows],
        size=size.astype(np.int8),
        band=band,
        employed=employed,
        skills=skills32,
        health=health.astype(np.float32),
        stress=stress,
        participation=cond.new_participation[ward],
        income_factor=income_factor,
    )
    for f in fields(new):
        if f.name not in ("ward", "weight"):
            getattr(out, f.name)[rows] = getattr(new, f.name)
    return new
