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
from the vectorised core's folded tables, so an error in either shows. Every
number in the formulas is the run's behavioural parameter
(``lbn_sim.engine.parameters.Params``), read once into plain floats.
"""

from __future__ import annotations

import math
from typing import Any

import mesa
import numpy as np

from lbn_sim.engine.households import RETIRED_BAND, Households
from lbn_sim.engine.mechanisms.connectivity import access, services_used
from lbn_sim.engine.mechanisms.out_migration import employment_push, leaver_skill
from lbn_sim.engine.mechanisms.resilience import resilience
from lbn_sim.engine.parameters import Params
from lbn_sim.engine.services import Service
from lbn_sim.engine.state import SUM_ROWS, Baseline, WardState, aggregates_from_sums
from lbn_sim.engine.step import YearInputs, ward_year


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

    def base_income(self, benefit: float | None = None) -> float:
        """Income relative to the poverty line before the household's own factor, at the
        year's benefit level (or at ``benefit``: 1.0 is the start year's)."""
        p = self.model.p
        if self.employed:
            return p["employed_base"] + p["employed_skill_premium"] * self.skills
        if self.band == RETIRED_BAND:
            return p["pension_base"]
        return p["benefit_base"] * (self.model.benefit if benefit is None else benefit)

    def stress_target(self, deprived: float, out_of_work: bool) -> float:
        """The level this household's stress relaxes towards (income, work, prices, advice)."""
        m, p, w = self.model, self.model.p, self.ward
        return (
            p["stress_floor"]
            + p["stress_income_deprived"] * deprived
            + (p["stress_out_of_work"] if out_of_work else 0.0)
            + m.col[w] * (p["stress_price_weight"] + deprived)
            - m.advice[w]
        )

    def step(self) -> None:
        """One year of this household's life."""
        m, p = self.model, self.model.p
        w = self.ward
        rnd = self.random
        working_age = self.band != RETIRED_BAND
        skills, health = self.skills, self.health

        # Employment: a worker may lose work, a working-age head out of work may find it.
        u = rnd.random()
        if self.employed:
            p_lose = (
                m.job_loss
                * (p["loss_skill_intercept"] - p["loss_skill_weight"] * skills)
                * (p["loss_health_intercept"] - p["loss_health_weight"] * health)
                * m.shock[w]
            )
            self.employed = u >= min(p_lose, 1.0)
        elif working_age:
            p_find = (
                m.find[w]
                * (p["finding_skill_intercept"] + p["finding_skill_weight"] * skills)
                * (p["finding_health_intercept"] + p["finding_health_weight"] * health)
                * (1.0 + m.network * (self.participation - p["finding_network_centre"]))
            )
            self.employed = u < min(p_find, 1.0)

        # Financial stress relaxes towards a level set by income, work, prices and advice.
        deprived = 1.0 if self.income_factor * self.base_income() < 1.0 else 0.0
        target = self.stress_target(deprived, working_age and not self.employed)
        old_stress = self.stress
        self.stress = old_stress + m.stress_speed * (_clip01(target) - old_stress)

        # Health and participation follow the ward's lagged effects; stress harms health.
        stress_harm = p["stress_health_direct"] * (self.stress - old_stress)
        self.health = _clip01(health + m.d_health[w] - stress_harm)
        self.participation = _clip01(self.participation + m.d_participation[w])

        # Adult education moves working-age skills.
        if m.education_skills and working_age:
            self.skills = _clip01(skills + m.d_skill[w])

        # Moving away, ageing into the next band (the last: the household dissolves), or neither.
        v = rnd.random()
        p_move = m.move_rate * m.move_by_band[self.band]
        if m.out_migration:
            p_move *= (p["move_skill_offset"] + self.skills) * m.push_factor[w]
        p_move = min(p_move, p["move_probability_cap"])
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
        m, p = self.model, self.model.p
        w = self.ward
        rnd = self.random
        # A newcomer takes the leaving household's age band and size; a new household is young.
        band = 0 if newly_formed else self.band
        mean = m.young_skill[w] if newly_formed else m.mover_skill[w]
        c = p["skill_concentration"]
        self.skills = rnd.betavariate(mean * c, (1.0 - mean) * c)
        mean = m.new_health[w]
        c = p["health_concentration"]
        self.health = rnd.betavariate(mean * c, (1.0 - mean) * c)
        e_new = m.young_employment[w] if newly_formed else m.new_employment[w]
        centre = m.young_log_income[w] if newly_formed else m.new_log_income[w]
        self.employed = band != RETIRED_BAND and rnd.random() < e_new
        self.income_factor = math.exp(centre + rnd.gauss(0.0, p["income_spread"]))
        self.band = band
        # A new household's stress starts where its rule would hold it (its income, work,
        # the ward's prices and advice).
        deprived = 1.0 if self.income_factor * self.base_income() < 1.0 else 0.0
        self.stress = _clip01(
            self.stress_target(deprived, band != RETIRED_BAND and not self.employed)
        )
        self.participation = m.new_participation[w]


#: The age bands' names in the registry (``move_by_band_<name>``), in band order.
BAND_NAMES = ("young", "middle", "older", "retired")
#: The behavioural parameters a household's rules read (plain floats, by name).
HOUSEHOLD_PARAMETERS = (
    "employed_base",
    "employed_skill_premium",
    "pension_base",
    "benefit_base",
    "income_spread",
    "loss_skill_intercept",
    "loss_skill_weight",
    "loss_health_intercept",
    "loss_health_weight",
    "finding_skill_intercept",
    "finding_skill_weight",
    "finding_health_intercept",
    "finding_health_weight",
    "finding_network_centre",
    "stress_floor",
    "stress_income_deprived",
    "stress_out_of_work",
    "stress_price_weight",
    "stress_health_direct",
    "move_skill_offset",
    "move_probability_cap",
    "skill_concentration",
    "health_concentration",
)


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
        params: Params,
        seed: int,
    ) -> None:
        super().__init__(rng=seed)
        self.wards = wards
        self.baseline = baseline
        self.params = params
        #: The household rules' parameters as plain floats (read once per agent rule).
        self.p = {name: float(getattr(params, name)) for name in HOUSEHOLD_PARAMETERS}
        self.move_by_band = [float(getattr(params, f"move_by_band_{b}")) for b in BAND_NAMES]
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
        support = 1.0 + p.employment_support_effect * (
            before_used[Service.EMPLOYMENT_SUPPORT] - q0[Service.EMPLOYMENT_SUPPORT]
        )
        reach = access(stocks.quality, p)
        luck = 1.0 if inputs.local_fortune is None else inputs.local_fortune
        self.find = (base.job_rate * stocks.jobs * reach * support * luck).tolist()
        shock = np.ones(self.n_wards)
        if inputs.recession > 0:
            severity = inputs.recession * p.recession_severity_scale
            shock = 1.0 + p.recession_job_loss * severity * (
                p.recession_loss_resilience_offset - res
            )
        self.shock = shock.tolist()
        pressure = inputs.cost_of_living + inputs.price_shock * (1.0 + res_england - res)
        col = pressure if sw.cost_of_living else np.zeros(self.n_wards)
        self.col = (col * p.cost_of_living_exposure).tolist()
        debt = Service.DEBT_ADVICE
        self.advice = (p.debt_advice_effect * (q[debt] - q0[debt])).tolist()
        self.d_health = (stocks.health_effect - before.health_effect).tolist()
        self.d_participation = (stocks.participation_effect - before.participation_effect).tolist()
        # Adult learning: the change of the uplift the ward's adults hold (a level effect).
        self.d_skill = (stocks.adult_learning - before.adult_learning).tolist()
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
        lo, hi = p.beta_mean_min, p.beta_mean_max
        self.young_skill = np.clip(young, lo, hi).tolist()
        leavers = leaver_skill(agg.skills, p) if sw.out_migration else agg.skills
        self.mover_skill = np.clip(leavers - sel, lo, hi).tolist()
        self.new_health = np.clip(agg.health, lo, hi).tolist()
        self.new_employment = np.clip(e_ward - sel, 0.0, 1.0).tolist()
        self.new_log_income = (base.income_centre - p.newcomer_income_ratio * sel).tolist()
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
            # Income deprivation counts claimants at the start year's benefit rates, as the
            # core does (lbn_sim.engine.state.sum_terms).
            if a.income_factor * a.base_income(1.0) < 1.0:
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
