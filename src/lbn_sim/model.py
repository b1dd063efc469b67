"""``LBNModel``: the Mesa model that orchestrates institutions around the vectorised core.

A year (``step``): central government settles the local authorities and funds
national programmes; authorities fund their wards' services; programme
instalments arrive; where communities decide, money goes further (local
power); the core advances households and stocks; indicators, composites,
ranks and 'left behind' status are recomputed and recorded.
"""

from __future__ import annotations

from dataclasses import dataclass

import mesa
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from lbn_sim.config import Config, MacroConditions, PolicyLevers
from lbn_sim.core import YearInputs, access, advance, employment_push
from lbn_sim.households import model_rates, synthesise
from lbn_sim.indicators import (
    IMD_DOMAINS,
    RATE_INDICATORS,
    composites,
    compute,
    imd_points,
    left_behind_rule,
    rank_desc,
)
from lbn_sim.institutions import (
    CENTRAL,
    DONORS,
    INVESTORS,
    CentralGovernment,
    Charities,
    LocalAuthority,
    PrivateInvestors,
    Programmes,
    WardServices,
    la_codes,
    la_deprivation_z,
    ward_money,
)
from lbn_sim.ledger import DELIVERED, I64, Ledger, MoneyRangeError, pounds_to_pence, split_pence
from lbn_sim.neighbours import Neighbours, used_quality
from lbn_sim.params import CoreParams
from lbn_sim.services import RING_FENCED, baseline_spend
from lbn_sim.state import (
    Baseline,
    WardState,
    aggregate,
    initial_capacity,
    initial_quality,
)
from lbn_sim.steady import ageing_rates, calibrate_start

F64 = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Regime:
    """The levers and conditions in force in one year, and the conditions' regional growth
    differential by ward (fraction/yr, ``[n_wards]``; see ``macro.regional_growth``)."""

    levers: PolicyLevers
    macro: MacroConditions
    differential: F64


class LBNModel(mesa.Model):
    """Households, services and funding flows in every ward of England.

    Args:
        cfg: the run's config.
        wards: the ward table (see ``docs/contracts.md``). The 1st and 99th
            percentiles of its IMD domains (model scale) set the IMD-like
            composite's points per unit.
    """

    def __init__(self, cfg: Config, wards: pd.DataFrame) -> None:
        super().__init__(rng=cfg.seed)
        self.cfg = cfg
        self.ward_table = wards.reset_index(drop=True)
        self.codes = self.ward_table["ward_code"].to_numpy(str)
        self.n_wards = len(self.ward_table)
        self.population0 = self.ward_table["population"].to_numpy(np.float64)
        self.year = cfg.start_year
        self.params = CoreParams.from_config(cfg.mechanisms)
        self.seed_seq = np.random.SeedSequence(cfg.seed)

        rates = model_rates(self.ward_table)
        q0 = initial_quality(rates)
        cap0 = initial_capacity(rates)
        drawn = synthesise(self.ward_table, cfg.households, self.rng)
        self.households, job_rate, income_centre = calibrate_start(
            drawn, q0, rates, self.params, self.rng
        )
        agg0 = aggregate(self.households, self.n_wards)
        imd0 = self.ward_table["imd_score"].to_numpy(np.float64)
        imd_z = (imd0 - np.average(imd0, weights=agg0.people)) / max(float(imd0.std()), 1e-9)
        # Money: the start year's spending sustains the start year's services.
        self.charities = Charities(self, cap0, agg0.people)
        self.investors = PrivateInvestors(self, agg0.people)
        public0 = baseline_spend(imd_z, agg0.people)
        spend0 = public0 + self.charities.running(self.charities.raise_money(cap0, agg0.people))
        self.la_index, la_list = la_codes(self.ward_table)
        neighbours = Neighbours(self.la_index, agg0.people.copy())
        reach0 = access(q0, self.params)
        self.baseline = Baseline(
            rates=rates,
            quality=q0,
            spend=spend0,
            public_spend=public0,
            capacity=cap0,
            agg=agg0,
            job_rate=job_rate,
            income_centre=income_centre,
            age_up=ageing_rates(self.households, self.n_wards),
            imd_score=imd0,
            cni_score=self.ward_table["cni_score"].to_numpy(np.float64),
            imd_points=imd_points(rates),
            neighbours=neighbours,
            used_quality=used_quality(
                q0, reach0, neighbours, self.params.switches.neighbour_services
            ),
            push=employment_push(1.0 - agg0.employment_deprivation, agg0.people),
        )
        zeros = np.zeros(self.n_wards)
        self.wards = WardState(
            quality=q0.copy(),
            capacity=cap0.copy(),
            legacy=zeros.copy(),
            jobs=np.ones(self.n_wards),
            scar=zeros.copy(),
            health_effect=zeros.copy(),
            participation_effect=zeros.copy(),
            years_funded=np.zeros(self.n_wards, dtype=np.int16),
            agg=agg0,
        )

        pop0 = agg0.people
        # Public money in two streams: ring-fenced grants (schools, health) and the LA's core
        # (discretionary) spending; each ward's share of a stream, and each service's share of
        # a ward's stream, stay those of the start year.
        ring = RING_FENCED[:, None]
        self.ring_weight = np.where(ring, public0, 0.0).sum(axis=0)
        self.core_weight = np.where(ring, 0.0, public0).sum(axis=0)
        self.ring_mix = np.where(ring, public0, 0.0) / np.maximum(self.ring_weight, 1e-12)
        self.core_mix = np.where(ring, 0.0, public0) / np.maximum(self.core_weight, 1e-12)
        self.n_las = len(la_list)
        self.la_list = np.array(la_list, dtype=object)
        self.la_of_ward = self.la_list[self.la_index]  # each ward's LA code
        # The two regimes, with their regional growth differentials by ward, worked out here so
        # a key that matches no local authority fails before the first year.
        codes = self.la_of_ward.astype(str)
        self.regimes = {
            name: Regime(
                part.levers,
                part.macro,
                PrivateInvestors.differentials(
                    part.macro.regional_growth, codes, f"{name}.macro.regional_growth"
                ),
            )
            for name, part in (("history", cfg.history), ("scenario", cfg.scenario))
        }
        # The scenario's phases: its levers changed from a year on, its conditions kept.
        stages = cfg.scenario.levers_by_phase()
        scenario = self.regimes["scenario"]
        self.phases = [
            (year, Regime(levers, scenario.macro, scenario.differential))
            for year, levers in stages[1:]
            if year is not None
        ]

        def per_la(per_ward: F64) -> I64:
            pence = pounds_to_pence(per_ward).astype(np.float64)
            return np.bincount(self.la_index, weights=pence, minlength=self.n_las).astype(np.int64)

        core0 = per_la(self.core_weight)
        share = cfg.history.levers.la_spend_share
        reserves0 = np.floor(core0 * (1.0 - share) / share).astype(np.int64)
        self.ledger = Ledger()
        self.government = CentralGovernment(
            self,
            core0,
            per_la(self.ring_weight),
            la_deprivation_z(self.la_index, self.baseline.imd_score, pop0),
        )
        # Years each regime applies: the history's before the policy start, the scenario's after.
        n_history = max(cfg.policy_start - cfg.start_year - 1, 0)
        first_policy_year = max(cfg.policy_start, cfg.start_year + 1)
        n_scenario = cfg.horizon - first_policy_year + 1
        self.government.check_bounded(
            [
                ("history", cfg.history.levers, n_history),
                *cfg.scenario.stages(first_policy_year, cfg.horizon),
            ],
            cfg.mechanisms,
        )
        PrivateInvestors.check_bounded(
            [
                ("history", cfg.history.macro, n_history),
                ("scenario", cfg.scenario.macro, n_scenario),
            ],
            float(agg0.people.max(initial=0.0)),
        )
        self.la_reserves = reserves0.copy()
        self.authorities = [LocalAuthority(self, i, code) for i, code in enumerate(la_list)]
        self.ward_services = [WardServices(self, i, c) for i, c in enumerate(self.codes)]
        self.programmes = Programmes(self.n_wards)
        self.national_population = float(pop0.sum())
        self.growth_index = 1.0
        #: Value of working-age benefits against the poverty line, relative to the start year.
        self.benefit_level = 1.0
        self.ledger.record(
            cfg.start_year,
            "opening_reserves",
            self.la_list,
            "opening_reserves",
            "settlement",
            reserves0,
        )
        self.ledger.balance(cfg.start_year, self.la_list, reserves0)

        self.start_rates = compute(self.wards, self.baseline)
        #: Each ward's reach of jobs and services at the start, ``[n_wards]`` in [0, 1].
        self.access0 = reach0
        self.left_behind = self.ward_table["left_behind"].to_numpy(bool)
        # Start-year money per ward (GBP/yr): what sustains the start year's services.
        self.funding = spend0.sum(axis=0)
        self.history: list[dict[str, NDArray[np.generic]]] = []
        self.recent: list[tuple[F64, F64]] = []
        self._record()

    # -- set-up -------------------------------------------------------------

    # -- the year ------------------------------------------------------------

    def regime(self, year: int) -> Regime:
        """Levers and conditions in force while simulating ``year``.

        The history regime before ``policy_start``, the scenario's from it on, changed by
        the last of its phases that has begun (``scenario.phases``).
        """
        if year < self.cfg.policy_start:
            return self.regimes["history"]
        current = self.regimes["scenario"]
        for first, regime in self.phases:
            if first <= year:
                current = regime
        return current

    def year_rng(self, year: int, stream: int) -> np.random.Generator:
        """The generator of one consumer (``stream``) in one year, spawned from the run's seed.

        Every future draws the same random numbers in the same year for the
        same purpose (common random numbers: stream 0 for the households,
        1 for programme allocation), so futures differ by their levers, not by
        their luck, and a draw taken by one institution never shifts another's.
        """
        seq = np.random.SeedSequence(self.seed_seq.entropy, spawn_key=(year, stream))
        return np.random.Generator(np.random.PCG64(seq))

    def step(self) -> None:
        """Advance the whole model by one year."""
        year = self.year + 1
        regime = self.regime(year)
        levers, macro, mech = regime.levers, regime.macro, self.cfg.mechanisms
        ledger = self.ledger
        last = self.history[-1]
        people = self.wards.agg.people

        # Central government -> local authorities -> ward services: the core settlement, less
        # what authorities keep in reserve, and the ring-fenced grants, passed on whole.
        core, ring_fenced = self.government.settle(levers, mech)
        ledger.record(year, CENTRAL, self.la_list, "la_settlement", "settlement", core)
        ledger.record(year, CENTRAL, self.la_list, "ring_fenced", "settlement", ring_fenced)
        la_spend = self.la_budgets(core, levers.la_spend_share)
        ledger.balance(year, self.la_list, self.la_reserves)
        core_pence = split_pence(la_spend, self.la_index, self.core_weight)
        ring_pence = split_pence(ring_fenced, self.la_index, self.ring_weight)
        ledger.record(year, self.la_of_ward, self.codes, "services", "la_grant", core_pence)
        ledger.record(year, self.la_of_ward, self.codes, "ring_fenced", "ring_fenced", ring_pence)
        la_pence = core_pence + ring_pence

        # National programmes: this year's round, then instalments due.
        self.programmes.allocate(
            year,
            levers,
            mech,
            self.national_population,
            np.asarray(last["imd_like"], dtype=np.float64),
            np.asarray(last["cni_like"], dtype=np.float64),
            people,
            self.wards.capacity,
            self.year_rng(year, 1),
            ledger,
        )
        paid = self.programmes.pay(year, self.codes, ledger)
        for account, pence in self.programmes.balance.items():
            ledger.balance(year, account, np.array([pence]))

        # Charities raise money where community capacity is; investors follow skills and links.
        charity = self.charities.raise_money(self.wards.capacity, people)
        ledger.record(year, DONORS, self.codes, "charity", "charity", charity)
        self.growth_index *= self.investors.growth_factor(macro.real_wage_growth)
        agg, agg0 = self.wards.agg, self.baseline.agg
        reach = access(self.wards.quality, self.params)
        self.investors.follow_growth(
            macro.real_wage_growth,
            reach / np.average(reach, weights=people),
            mech.agglomeration,
            people,
        )
        self.investors.follow_regions(macro.real_wage_growth, regime.differential, people)
        private, investment_ratio = self.investors.invest(
            skills_ratio=agg.skills / np.maximum(agg0.skills, 1e-9),
            access_ratio=reach / self.access0,
            income_ratio=(1.0 - agg.income_deprivation)
            / np.maximum(1.0 - agg0.income_deprivation, 1e-9),
            connectivity=mech.connectivity,
            growth=self.growth_index,
            population=people,
        )
        ledger.record(year, INVESTORS, self.codes, "jobs", "private", private)
        # Working-age benefits against the poverty line (transfers to households, outside the
        # place-based funding flows the ledger follows).
        self.benefit_level *= 1.0 + levers.benefit_uprating
        public = la_pence + sum(paid.values(), np.zeros(self.n_wards, dtype=np.int64))
        ledger.record(year, self.codes, DELIVERED, "services", "delivery", public + charity)
        ledger.record(year, self.codes, DELIVERED, "jobs", "private", private)
        self.funding = (public + charity) / 100.0

        # Where communities decide, money goes further: devolved funds fully, the rest by
        # the devolution share.
        devolved = {k: v for k, v in paid.items() if k[1] == "devolved"}
        other = {k: v for k, v in paid.items() if k[1] != "devolved"}
        # Ring-fenced schools and health grants are spent as Whitehall sets them: local
        # power does not stretch them.
        core_running = self.core_mix * (core_pence / 100.0)[None, :]
        ring_running = self.ring_mix * (ring_pence / 100.0)[None, :]
        m_other = ward_money(core_running, other, people)
        m_dev = ward_money(np.zeros_like(core_running), devolved, people)
        p_other, p_dev = self.local_power(levers)
        #: This year's money by route (core and programmes, devolved, charity, ring-fenced).
        self.delivered = m_other, m_dev, self.charities.running(charity), ring_running
        inputs = YearInputs(
            year=year,
            spend=(m_other.running + self.delivered[2]) * p_other[None, :]
            + ring_running
            + m_dev.running * p_dev[None, :],
            public_spend=m_other.running + ring_running + m_dev.running,
            invest=m_other.capital * p_other[None, :] + m_dev.capital * p_dev[None, :],
            capacity_support=m_other.capacity_support * p_other + m_dev.capacity_support * p_dev,
            community_funded=m_other.community_funded | m_dev.community_funded,
            cost_of_living=macro.cost_of_living_pressure,
            recession=macro.recession_severity if year in macro.recession_years else 0.0,
            price_shock=macro.price_shock_size if year in macro.price_shock_years else 0.0,
            investment_ratio=investment_ratio,
            benefit_level=self.benefit_level,
        )
        self.households, self.wards = advance(
            self.households, self.wards, inputs, self.params, self.baseline, self.year_rng(year, 0)
        )
        self.year = year
        self._record()

    def la_budgets(self, settlement: I64, spend_share: float) -> I64:
        """Pence of the core settlement each local authority passes to its wards.

        Every authority spends ``floor(spend_share * (reserves + settlement))``;
        the rest stays in its reserves (ring-fenced grants pass through whole and
        never reach this decision). int64 ``[n_las]``.
        """
        available = self.la_reserves + settlement
        spend = np.floor(spend_share * available).astype(np.int64)
        self.la_reserves = available - spend
        return spend

    def local_power(self, levers: PolicyLevers) -> tuple[F64, F64]:
        """How much further a pound goes where communities decide, ``[n_wards]`` each (>= 1).

        Returns ``(other money, devolved funds)``: ``1 + gain * d * capacity``
        with ``d`` the devolution share for the core (discretionary) and programme money
        (not the ring-fenced schools and health grants) and 1 for devolved
        community funds. Local decisions match money to needs, and capable
        organisations make it go further.
        """
        mech = self.cfg.mechanisms
        if not mech.local_power:
            ones = np.ones(self.n_wards)
            return ones, ones
        gain = mech.local_power_gain * self.wards.capacity
        return 1.0 + gain * levers.devolution_share, 1.0 + gain

    # -- recording -------------------------------------------------------------

    def _record(self) -> None:
        ind = compute(self.wards, self.baseline)
        imd, cni = composites(ind, self.start_rates, self.baseline)
        imd_rank, cni_rank = rank_desc(imd), rank_desc(cni)
        self.recent.append((imd, cni))
        if self.year > self.cfg.start_year:
            # Status from the mean of the last few years' composites, as the published indices
            # pool several years of data; it damps the sampling noise of a single year.
            window = self.recent[-self.cfg.left_behind_window :]
            imd_mean = np.mean([r[0] for r in window], axis=0)
            cni_mean = np.mean([r[1] for r in window], axis=0)
            self.left_behind = left_behind_rule(rank_desc(imd_mean), rank_desc(cni_mean))
        people = self.wards.agg.people
        # Residents: the published count at the start, moved by the simulated households since.
        population = self.population0 * people / self.baseline.agg.people
        row: dict[str, NDArray[np.generic]] = {k: ind[k] for k in RATE_INDICATORS}
        row.update(
            year=np.array(self.year),
            population=population,
            funding_per_head=self.funding / np.maximum(people, 1.0),
            labour_demand=self.wards.jobs.copy(),
            agglomeration_premium=np.exp(self.investors.premium),
            regional_index=np.exp(self.investors.regional),
            imd_like=imd,
            cni_like=cni,
            imd_rank=imd_rank,
            cni_rank=cni_rank,
            left_behind=self.left_behind.copy(),
        )
        self.history.append(row)

    def release(self) -> None:
        """Let the finished model be garbage-collected: remove its agents, and its key in
        Mesa's class-level ``Agent._ids``, which otherwise keeps every model ever built
        alive (mesa#3179, fixed upstream by mesa#3180 after mesa 3.3.1; about 0.8 GB a
        run with every household in England). The model cannot be stepped afterwards."""
        for agent in list(self.agents):
            agent.remove()
        ids = getattr(mesa.Agent, "_ids", None)
        if ids is not None:
            ids.pop(self, None)

    def run(self, progress: bool = False, label: str = "") -> None:
        """Step to the horizon, printing progress every five years when asked, each line
        after ``label`` (a sweep's job, so parallel jobs' lines can be told apart)."""
        import sys
        import time

        t0 = time.perf_counter()
        while self.year < self.cfg.horizon:
            try:
                self.step()
            except MoneyRangeError as err:
                raise MoneyRangeError(f"in {self.year + 1}, {err}") from None
            if progress and (self.year % 5 == 0 or self.year == self.cfg.horizon):
                print(
                    f"{label}  {self.year}: {int(self.left_behind.sum())} "
                    f"ward{'' if int(self.left_behind.sum()) == 1 else 's'} left behind "
                    f"({time.perf_counter() - t0:.1f} s)",
                    file=sys.stderr,
                )


__all__ = ["IMD_DOMAINS", "LBNModel", "Regime"]
