"""A per-agent Mesa baseline of the core's household rules: one ``mesa.Agent`` per household.

The household rules of ``lbn_sim.engine.step.advance`` (employment in and out,
financial stress, health and participation, adult skills, moving, ageing and
replacement by a newcomer or a newly formed household), written the way a Mesa
tutorial would: each household is an agent whose ``step()`` reads its ward's
conditions, draws its own random numbers from the model's ``random`` and
updates itself; the model steps them with ``model.agents.shuffle_do("step")``
and then sums them to wards, agent by agent.

The wards' stocks (services, community capacity, labour demand, lagged
effects) move by the core's own ward rules (``lbn_sim.engine.step.ward_year``), so
both are driven by the same ward inputs; everything a household reads is
derived here from those stocks with the formulas of the original core, not
from the vectorised core's folded tables, so an error in either shows.
"""

from __future__ import annotations

import math
from typing import Any

import mesa
import numpy as np

from lbn_sim.engine.households import (
    BENEFIT_BASE,
    EMPLOYED_BASE,
    EMPLOYED_SKILL_PREMIUM,
    INCOME_SPREAD,
    PENSION_BASE,
    RETIRED_BAND,
    Households,
)
from lbn_sim.engine.parameters import CoreParams
from lbn_sim.engine.services import Service
from lbn_sim.engine.state import SUM_ROWS, Baseline, WardState, aggregates_from_sums
from lbn_sim.engine.step import (
    MOVE_BY_BAND,
    YearInputs,
    access,
    employment_push,
    leaver_skill,
    resilience,
    services_used,
    ward_year,
)

#: Age band of a household moving in: cumulative probabilities of bands 0, 1 and 2.


def _clip01(x: float) -> float:
    return 0.0 if x < 0.0 else 1.0 if x > 1.0 else x


class Household(mesa.Agent):
    """One household: a head's age band, work, skills, health, stress, participation, income."""

    model: PerAgentModel

    def __init__(
        self,
        model: PerAgentModel,
        ward: int,
        weight: float,
        size: int,
        band: int,
        employed: bool,
        skills: float,
        health: float,
        stress: float,
        participation: float,
        income_factor: float,
    ) -> None:
        super().__init__(model)
        self.ward = ward
        self.weight = weight
        self.size = size
        self.band = band
        self.employed = employed
        self.skills = skills
        self.health = health
        self.stress = stress
        self.participation = participation
        self.income_factor = income_factor

    def base_income(self) -> float:
        """Income relative to the poverty line before the household's own factor."""
        if self.employed:
            return EMPLOYED_BASE + EMPLOYED_SKILL_PREMIUM * self.skills
        if self.band == RETIRED_BAND:
            return PENSION_BASE
        return BENEFIT_BASE * self.model.benefit

    def step(self) -> None:
        """One year of this household's life."""
        m = self.model
        w = self.ward
        rnd = self.random
        working_age = self.band != RETIRED_BAND
        skills, health = self.skills, self.health

        # Employment: a worker may lose work, a working-age head out of work may find it.
        u = rnd.random()
        if self.employed:
            p_lose = m.job_loss * (1.4 - 0.8 * skills) * (1.3 - 0.6 * health) * m.shock[w]
            self.employed = u >= min(p_lose, 1.0)
        elif working_age:
            p_find = (
                m.find[w]
                * (0.3 + 0.7 * skills)
                * (0.4 + 0.6 * health)
                * (1.0 + m.network * (self.participation - 0.5))
            )
            self.employed = u < min(p_find, 1.0)

        # Financial stress relaxes towards a level set by income, work, prices and advice.
        deprived = 1.0 if self.income_factor * self.base_income() < 1.0 else 0.0
        out_of_work = 0.1 if working_age and not self.employed else 0.0
        target = 0.1 + 0.45 * deprived + out_of_work + m.col[w] * (0.3 + deprived) - m.advice[w]
        old_stress = self.stress
        self.stress = old_stress + m.stress_speed * (_clip01(target) - old_stress)

        # Health and participation follow the ward's lagged effects; stress harms health.
        self.health = _clip01(health + m.d_health[w] - 0.1 * (self.stress - old_stress))
        self.participation = _clip01(self.participation + m.d_participation[w])

        # Adult education moves working-age skills.
        if m.education_skills and working_age:
            self.skills = _clip01(skills + m.d_skill[w])

        # Moving away, ageing into the next band (the last: the household dissolves), or neither.
        v = rnd.random()
        p_move = m.move_rate * MOVE_BY_BAND_PY[self.band]
        if m.out_migration:
            p_move *= (0.5 + self.skills) * m.push_factor[w]
        p_move = min(p_move, 0.5)
        if v < p_move:
            self.renew(newly_formed=False)
        elif v < p_move + m.age_up[w][self.band]:
            if self.band == RETIRED_BAND:
                self.renew(newly_formed=True)
            else:
                self.band += 1
                if self.band == RETIRED_BAND:
                    self.employed = False

    def renew(self, newly_formed: bool) -> None:
        """The household leaves; a newcomer (or a newly formed young household) takes its place."""
        m = self.model
        w = self.ward
        rnd = self.random
        # A newcomer takes the leaving household's age band and size; a new household is young.
        band = 0 if newly_formed else self.band
        mean = m.young_skill[w] if newly_formed else m.mover_skill[w]
        self.skills = rnd.betavariate(mean * 8.0, (1.0 - mean) * 8.0)
        mean = m.new_health[w]
        self.health = rnd.betavariate(mean * 8.0, (1.0 - mean) * 8.0)
        e_new = m.young_employment[w] if newly_formed else m.new_employment[w]
        centre = m.young_log_income[w] if newly_formed else m.new_log_income[w]
        self.employed = band != RETIRED_BAND and rnd.random() < e_new
        self.income_factor = math.exp(centre + rnd.gauss(0.0, INCOME_SPREAD))
        self.band = band
        # A new household's stress starts where its rule would hold it (its income, work,
        # the ward's prices and advice).
        deprived = 1.0 if self.income_factor * self.base_income() < 1.0 else 0.0
        out_of_work = 0.1 if band != RETIRED_BAND and not self.employed else 0.0
        target = 0.1 + 0.45 * deprived + out_of_work + m.col[w] * (0.3 + deprived) - m.advice[w]
        self.stress = _clip01(target)
        self.participation = m.new_participation[w]


MOVE_BY_BAND_PY = [float(x) for x in MOVE_BY_BAND]


class PerAgentModel(mesa.Model):
    """The households of a ward table as Mesa agents, and the ward stocks they live in.

    Args:
        households: the households at the start (one agent each).
        wards: the ward stocks at the start.
        baseline: the start-year anchors (shared with the vectorised core).
        params: behavioural parameters and switches.
        seed: seed of the model's ``random`` (every household draw comes from it).
    """

    def __init__(
        self,
        households: Households,
        wards: WardState,
        baseline: Baseline,
        params: CoreParams,
        seed: int,
    ) -> None:
        super().__init__(rng=seed)
        self.wards = wards
        self.baseline = baseline
        self.params = params
        self.n_wards = wards.capacity.shape[0]
        sw = params.switches
        self.job_loss = params.job_loss
        self.network = params.network_effect if sw.social_infrastructure else 0.0
        self.stress_speed = params.stress_speed
        self.move_rate = params.move_rate
        self.out_migration = sw.out_migration
        self.education_skills = sw.education_skills
        #: Working-age benefits against the poverty line (set each year from the inputs).
        self.benefit = 1.0
        columns = [
            getattr(households, name).tolist()
            for name in (
                "ward",
                "weight",
                "size",
                "band",
                "employed",
                "skills",
                "health",
                "stress",
                "participation",
                "income_factor",
            )
        ]
        for row in zip(*columns, strict=True):
            Household(self, *row)

    def step(self, inputs: YearInputs) -> None:
        """One year: ward stocks from the year's money, every household's year, ward sums."""
        stocks, _ = ward_year(self.wards, inputs, self.params, self.baseline)
        self.set_conditions(inputs, stocks)
        self.agents.shuffle_do("step")
        self.wards = stocks.with_(agg=aggregates_from_sums(self.ward_sums()))

    def set_conditions(self, inputs: YearInputs, stocks: WardState) -> None:
        """What a household reads about its ward this year (Python lists, one value per ward)."""
        p, sw, base, before = self.params, self.params.switches, self.baseline, self.wards
        # Services as households use them: their ward's and their neighbours'.
        q, q0 = services_used(stocks.quality, p, base), base.used_quality
        res_ward = resilience(before)
        res_england = float(np.average(res_ward, weights=before.agg.people))
        res = res_ward if sw.resilience else np.full(self.n_wards, res_england)
        before_used = services_used(before.quality, p, base)
        support = 1.0 + 0.5 * (
            before_used[Service.EMPLOYMENT_SUPPORT] - q0[Service.EMPLOYMENT_SUPPORT]
        )
        reach = access(stocks.quality, p)
        self.find = (base.job_rate * stocks.jobs * reach * support).tolist()
        shock = np.ones(self.n_wards)
        if inputs.recession > 0:
            shock = 1.0 + p.recession_job_loss * inputs.recession * 10.0 * (1.5 - res)
        self.shock = shock.tolist()
        pressure = inputs.cost_of_living + inputs.price_shock * (1.0 + res_england - res)
        col = pressure if sw.cost_of_living else np.zeros(self.n_wards)
        self.col = (col * p.cost_of_living_exposure).tolist()
        debt = Service.DEBT_ADVICE
        self.advice = (p.debt_advice_effect * (q[debt] - q0[debt])).tolist()
        self.d_health = (stocks.health_effect - before.health_effect).tolist()
        self.d_participation = (stocks.participation_effect - before.participation_effect).tolist()
        adult = Service.ADULT_EDUCATION
        self.d_skill = (p.adult_education_effect * (q[adult] - q0[adult])).tolist()
        self.benefit = inputs.benefit_level
        agg = before.agg
        e_ward = 1.0 - agg.employment_deprivation
        push = employment_push(e_ward, agg.people)
        self.push_factor = (1.0 + p.move_push * push).tolist()
        jobs = stocks.jobs
        pull = np.clip(jobs / np.average(jobs, weights=agg.people) - 1.0, 0.0, 1.0)
        shift = push - base.push
        sel = p.newcomer_selectivity * (shift - pull)
        if not sw.out_migration:
            sel = np.zeros(self.n_wards)
        school = q[Service.SCHOOLS] - q0[Service.SCHOOLS]
        school_gain = p.school_effect * school if sw.education_skills else 0.0
        young = 1.0 - base.rates["education_deprivation"] + school_gain
        self.young_skill = np.clip(young, 0.02, 0.98).tolist()
        leavers = leaver_skill(agg.skills) if sw.out_migration else agg.skills
        self.mover_skill = np.clip(leavers - sel, 0.02, 0.98).tolist()
        self.new_health = np.clip(agg.health, 0.02, 0.98).tolist()
        self.new_employment = np.clip(e_ward - sel, 0.0, 1.0).tolist()
        self.new_log_income = (base.income_centre - 2.0 * sel).tolist()
        self.young_employment = e_ward.tolist()
        self.young_log_income = base.income_centre.tolist()
        self.new_participation = agg.participation.tolist()
        self.age_up = base.age_up.tolist()

    def ward_sums(self) -> np.ndarray[Any, np.dtype[np.float64]]:
        """The ward sums of ``lbn_sim.engine.state.ward_sums``, added up agent by agent."""
        sums = [[0.0] * self.n_wards for _ in SUM_ROWS]
        people, deprived, wa, out, skills, health, stress, part = sums
        for a in self.agents:
            w = a.ward
            pw = a.weight * a.size
            people[w] += pw
            if a.income_factor * a.base_income() < 1.0:
                deprived[w] += pw
            if a.band != RETIRED_BAND:
                wa[w] += a.weight
                if not a.employed:
                    out[w] += a.weight
            skills[w] += pw * a.skills
            health[w] += pw * a.health
            stress[w] += pw * a.stress
            part[w] += pw * a.participation
        return np.array(sums)
