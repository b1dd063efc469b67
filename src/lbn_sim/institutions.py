"""Institutional agents: central government, local authorities and ward services.

They are ``mesa.Agent`` subclasses with a handful of instances (one central
government, about 320 local authorities, one ward-services agent per ward).
Their decisions are vectorised where they act on many wards at once: a local
authority decides how much to spend; the split of that money across its wards
is one array operation for all authorities.

Money moves in whole pence through :class:`lbn_sim.ledger.Ledger`:

* central government -> local authority, two streams:

  - the core settlement (``la_settlement``), which pays for the discretionary
    services (community spaces, transport, digital, adult education,
    employment support, debt advice), growing each year by ``la_real_growth +
    la_deprivation_gradient * z`` with ``z`` the authority's deprivation
    z-score (the austerity gradient);
  - ring-fenced grants for schools and health (``ring_fenced``), growing by
    ``ring_fenced_growth`` everywhere: protected nationally, as in the 2010s;

* local authority -> ward services: running money, the core settlement's
  (``services``) with the authority keeping ``1 - la_spend_share`` of what it
  holds as reserves, the ring-fenced grants (``ring_fenced``) passed on whole;
* central government -> national programme -> ward services: programme money
  allocated by the scenario's mechanism (``competitive``, ``formula`` or
  ``devolved``), paid over ``award_years``; committed money waits in the
  programme's account;
* ward services -> ``service_delivery``: every pound a ward receives is spent
  on its services that year.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

import mesa
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from lbn_sim.config import ConfigError, MacroConditions, MechanismsConfig, PolicyLevers
from lbn_sim.ledger import DELIVERED, I64, MAX_PENCE, Ledger, pounds_to_pence, split_pence
from lbn_sim.services import N_SERVICES, Service

F64 = NDArray[np.float64]
CENTRAL = "central_government"
DONORS = "donors"
INVESTORS = "private_investors"
#: Sources outside the model's accounts: they send money without receiving it.
EXTERNAL_SOURCES = frozenset({CENTRAL, DONORS, INVESTORS, "opening_reserves"})
#: Programme money per resident a year (GBP) below which a ward does not count as funded.
FUNDED_PER_HEAD = 1.0
#: Share of wards (most deprived by the IMD-like score) eligible for national programmes.
PROGRAMME_ELIGIBLE_SHARE = 0.3
#: Share of eligible wards winning a competitive round each year.
COMPETITIVE_WIN_SHARE = 0.15

#: Purposes of programme money and the services each buys (equal split within a purpose).
PURPOSE_SERVICES: dict[str, tuple[Service, ...]] = {
    "general": (Service.COMMUNITY_SPACES, Service.TRANSPORT, Service.EMPLOYMENT_SUPPORT),
    "education": (Service.SCHOOLS, Service.ADULT_EDUCATION),
    "health": (Service.HEALTH,),
    "connectivity": (Service.TRANSPORT, Service.DIGITAL),
    "jobs": (Service.EMPLOYMENT_SUPPORT, Service.DEBT_ADVICE),
}


def programme_per_head(levers: PolicyLevers) -> dict[str, float]:
    """Programme money per English resident by purpose (GBP per year)."""
    return {
        "general": levers.programme_per_head,
        "capacity_building": levers.capacity_building_per_head,
        "education": levers.education_per_head,
        "health": levers.health_per_head,
        "connectivity": levers.connectivity_per_head,
        "jobs": levers.jobs_per_head,
    }


@dataclass(frozen=True, slots=True)
class WardMoney:
    """Money reaching wards in one year.

    Attributes:
        running: float64 ``[n_services, n_wards]`` GBP/yr for running services.
        capital: float64 ``[n_services, n_wards]`` GBP/yr of capital investment.
        capacity_support: float64 ``[n_wards]`` GBP/yr for community organisations.
        community_funded: bool ``[n_wards]``: programme money arrived this year.
    """

    running: F64
    capital: F64
    capacity_support: F64
    community_funded: NDArray[np.bool_]


class CentralGovernment(mesa.Agent):
    """Funds local authorities (core settlement and ring-fenced grants) and national programmes.

    Args:
        core0: int64 pence ``[n_las]``, the start year's core settlement.
        ring_fenced0: int64 pence ``[n_las]``, the start year's ring-fenced grants.
        la_deprivation_z: float64 ``[n_las]``, each authority's deprivation z-score.
    """

    def __init__(
        self, model: mesa.Model, core0: I64, ring_fenced0: I64, la_deprivation_z: F64
    ) -> None:
        super().__init__(model)
        self.core = core0.astype(np.int64)
        self.ring_fenced = ring_fenced0.astype(np.int64)
        self.la_z = la_deprivation_z

    def factors(self, levers: PolicyLevers, mech: MechanismsConfig) -> tuple[F64, float]:
        """One year's growth factors: core settlement per LA ``[n_las]``, ring-fenced grants."""
        gradient = levers.la_deprivation_gradient if mech.austerity_gradient else 0.0
        core = np.clip(1.0 + levers.la_real_growth + gradient * self.la_z, 0.5, 1.5)
        return core, 1.0 + levers.ring_fenced_growth

    def check_bounded(
        self, spans: list[tuple[str, PolicyLevers, int]], mech: MechanismsConfig
    ) -> None:
        """Refuse levers whose compounding would outgrow the ledger's whole pence.

        ``spans``: each regime's name, levers and number of years it is applied. The
        largest authority's settlement and grants after them, times the years (its reserves
        hold at most every settlement it has had), must stay below
        :data:`~lbn_sim.ledger.MAX_PENCE` (about GBP 11 trillion, where pence stop being
        counted exactly): growth of 20% a year for a century would pass it.

        Raises:
            ConfigError: naming every regime's levers up to the one that passes the limit.
        """
        # An authority's reserves hold at most every settlement it has had, so what it can
        # spend in a year is at most the settlement times the years so far.
        limit = np.log(float(MAX_PENCE)) - np.log(1.0 + sum(years for _, _, years in spans))
        log_core = np.log(np.maximum(self.core.astype(np.float64), 1.0))
        log_ring = np.log(max(float(self.ring_fenced.max(initial=0)), 1.0))
        told: list[str] = []
        for name, levers, years in spans:
            core, ring = self.factors(levers, mech)
            log_core = log_core + years * np.log(core)
            log_ring = log_ring + years * np.log(ring)
            told.append(
                f"{name}.levers la_real_growth={levers.la_real_growth}, "
                f"la_deprivation_gradient={levers.la_deprivation_gradient} and "
                f"ring_fenced_growth={levers.ring_fenced_growth} over {years} years"
            )
            if log_core.max() > limit or log_ring > limit:
                raise ConfigError(
                    f"{' then '.join(told)} make a settlement (with the reserves an authority "
                    "may hold) beyond GBP 11 trillion, the most the ledger counts to the "
                    "penny; use smaller growth or a shorter horizon"
                )

    def settle(self, levers: PolicyLevers, mech: MechanismsConfig) -> tuple[I64, I64]:
        """Next year's ``(core settlement, ring-fenced grants)`` per LA, int64 pence ``[n_las]``.

        Each year's settlement is the year before's changed by that year's levers: the first
        simulated year's is the start year's changed once.
        """
        factor, ring = self.factors(levers, mech)
        self.core = np.rint(self.core * factor).astype(np.int64)
        self.ring_fenced = np.rint(self.ring_fenced * ring).astype(np.int64)
        return self.core, self.ring_fenced


class LocalAuthority(mesa.Agent):
    """A local authority: receives the settlement, funds its wards' services, holds reserves.

    Its decision (spend a share of what it holds, keep the rest) is taken for
    all authorities at once by ``LBNModel.la_budgets``; the agent is a view on
    the model's arrays.
    """

    def __init__(self, model: mesa.Model, index: int, code: str) -> None:
        super().__init__(model)
        self.index = index
        self.code = code

    @property
    def reserves(self) -> int:
        """Pence held in reserve at the end of the last year."""
        return int(self.model.la_reserves[self.index])


class WardServices(mesa.Agent):
    """The services of one ward; a view on the model's ward arrays."""

    def __init__(self, model: mesa.Model, index: int, code: str) -> None:
        super().__init__(model)
        self.index = index
        self.code = code

    def quality(self) -> NDArray[np.float64]:
        """Quality of each service in this ward, ``[n_services]``."""
        return self.model.wards.quality[:, self.index]


def recentre(log_index: F64, population: F64) -> F64:
    """``log_index`` (``[n_wards]``) shifted so that England's population-weighted mean of
    its ``exp`` is 1 (``population``: residents, ``[n_wards]``): an index that moves
    investment between wards, never England's total."""
    return log_index - np.log(np.average(np.exp(log_index), weights=population))


class PrivateInvestors(mesa.Agent):
    """Private investment in local jobs: follows skills, connectivity and demand.

    Investment per resident is ``PRIVATE_PER_HEAD * skills_ratio ** 0.8 *
    access_ratio ** 0.5 * income_ratio ** 0.3`` (ratios to the ward's start),
    times the compounded growth of the economy relative to a 1% trend, times
    the ward's agglomeration premium (``exp(premium)``, see :meth:`agglomerate`)
    and its regional index (``exp(regional)``, see :meth:`regionalise`):
    investors go where workers are skilled, links are good and people have
    money to spend, and hold back when the economy stagnates; growth itself
    goes more to the wards with better reach than England's, and to the regions
    whose economies grow faster (an exogenous condition,
    ``macro.regional_growth``). With the connectivity mechanism off, access does
    not matter and there is no agglomeration premium.
    """

    PRIVATE_PER_HEAD = 400.0  # GBP per resident per year at the start (business investment)
    TREND_GROWTH = 0.01  # real growth per year at which investment per resident holds steady
    #: Share of a ward's premium (or discount) that closes each year: about 2% a year, the
    #: classic estimate of convergence between regions (Barro and Sala-i-Martin, 1991-2004).
    CONVERGENCE = 0.02

    #: Room (a factor) left under :data:`~lbn_sim.ledger.MAX_PENCE` for what the up-front check
    #: cannot know: the skills, access and income ratios and the agglomeration premium.
    ROOM = 64.0

    @classmethod
    def check_bounded(cls, spans: list[tuple[str, MacroConditions, int]], residents: float) -> None:
        """Refuse growth whose compounding would carry private investment beyond the ledger.

        ``spans``: each regime's name, conditions and number of years it is applied;
        ``residents``: the most residents in any ward. A ward's investment is taken as
        ``PRIVATE_PER_HEAD`` x its residents x England's compounded growth factor, which
        must stay ``ROOM`` times below :data:`~lbn_sim.ledger.MAX_PENCE` (10% growth a year
        for 250 years would pass it). Regional growth is left out: it moves investment
        between wards, never England's total, so it cannot carry a ward past England's
        whole investment. A run that passes and still grows beyond the limit stops with a
        :class:`~lbn_sim.ledger.MoneyRangeError` naming the year.

        Raises:
            ConfigError: naming every regime's growth up to the one that passes the limit.
        """
        log_pence = np.log(max(cls.PRIVATE_PER_HEAD * 100.0 * residents, 1.0))
        limit = np.log(MAX_PENCE / cls.ROOM)
        told: list[str] = []
        for name, macro, years in spans:
            g = macro.real_wage_growth
            log_pence += years * max(np.log(cls.growth_factor(g)), 0.0)
            told.append(f"{name}.macro.real_wage_growth={g} over {years} years")
            if log_pence > limit:
                raise ConfigError(
                    f"{' then '.join(told)} make private investment beyond what the ledger "
                    "counts to the penny (GBP 11 trillion in a flow); use smaller growth or a "
                    "shorter horizon"
                )

    @classmethod
    def growth_factor(cls, real_wage_growth: float) -> float:
        """This year's change of England's investment per resident (dimensionless): growth
        above or below the 1% trend."""
        return (1.0 + real_wage_growth) / (1.0 + cls.TREND_GROWTH)

    @classmethod
    def agglomerate(
        cls,
        premium: F64,
        real_wage_growth: float,
        reach: F64,
        strength: float,
        population: F64,
    ) -> F64:
        """Next year's agglomeration premium by ward, ``[n_wards]`` (log of investment per
        resident relative to England's, from this mechanism alone).

        Growth goes more to the wards with better reach of jobs and markets:
        ``premium' = (1 - CONVERGENCE) premium + strength * max(g, 0) * (reach - 1)``,
        then shifted so that England's population-weighted mean of ``exp(premium)`` is 1
        (the premium moves investment between wards, never England's total per
        resident). ``g``: the year's real growth; ``reach`` (``[n_wards]``): each ward's
        access over England's population-weighted mean (1 everywhere with the
        connectivity mechanism off); ``population``: residents, ``[n_wards]``. The
        convergence term bounds the premium: at steady reach and growth it settles at
        ``f - log(average(exp(f)))``, ``f = strength * g * (reach - 1) / CONVERGENCE``
        (population-weighted average).
        """
        spread = strength * max(real_wage_growth, 0.0) * (reach - 1.0)
        return recentre((1.0 - cls.CONVERGENCE) * premium + spread, population)

    @staticmethod
    def differentials(
        regional_growth: Mapping[str, float],
        la_of_ward: NDArray[np.str_],
        where: str = "macro.regional_growth",
    ) -> F64:
        """Each ward's growth differential (fraction/yr), ``[n_wards]``: the value of the
        longest key of ``regional_growth`` its local authority's code (``la_of_ward``,
        ``[n_wards]``) starts with, 0 where none does. ``where`` names the setting in errors.

        Raises:
            ConfigError: a key matches no local authority (a misspelt code would
                otherwise silently change nothing).
        """
        out = np.zeros(la_of_ward.shape[0])
        for key in sorted(regional_growth, key=len):
            hit = np.char.startswith(la_of_ward, key)
            if not hit.any():
                raise ConfigError(
                    f"{where} key {key!r} matches no local authority code in the ward table "
                    f"(its codes look like {str(la_of_ward[0])!r}); a key is the start of an "
                    "LA code in the data used: the real data (data=england_2019) has English "
                    "codes such as 'E09' (London's boroughs), the synthetic data 'SLA001'"
                )
            out[hit] = regional_growth[key]
        return out

    @staticmethod
    def regionalise(
        regional: F64, real_wage_growth: float, differential: F64, population: F64
    ) -> F64:
        """Next year's regional index by ward, ``[n_wards]`` (log of investment per resident
        relative to England's, from regional growth alone).

        ``regional' = regional + log((1 + g + d) / (1 + g))``, then shifted so that England's
        population-weighted mean of ``exp(regional)`` is 1: each ward's economy grows at
        England's ``g`` plus its differential ``d`` (``[n_wards]``, see
        :meth:`differentials`) less the population-weighted mean differential, so
        England's growth and total investment per resident are unchanged.
        ``population``: residents, ``[n_wards]``.
        """
        # Relative to England's growth, so no differential adds exactly 0.
        step = np.log1p(real_wage_growth + differential) - np.log1p(real_wage_growth)
        return recentre(regional + step, population)

    def __init__(self, model: mesa.Model, population0: F64) -> None:
        super().__init__(model)
        self.per_head0 = np.full(population0.shape[0], self.PRIVATE_PER_HEAD)
        #: Agglomeration premium by ward (log, 0 at the start), ``[n_wards]``.
        self.premium = np.zeros(population0.shape[0])
        #: Regional index by ward (log, 0 at the start), ``[n_wards]``.
        self.regional = np.zeros(population0.shape[0])

    def follow_growth(
        self, real_wage_growth: float, reach: F64, strength: float, population: F64
    ) -> None:
        """Move this year's agglomeration premium on (see :meth:`agglomerate`)."""
        self.premium = self.agglomerate(self.premium, real_wage_growth, reach, strength, population)

    def follow_regions(self, real_wage_growth: float, differential: F64, population: F64) -> None:
        """Move this year's regional index on (see :meth:`regionalise`)."""
        self.regional = self.regionalise(self.regional, real_wage_growth, differential, population)

    def invest(
        self,
        skills_ratio: F64,
        access_ratio: F64,
        income_ratio: F64,
        connectivity: bool,
        growth: float,
        population: F64,
    ) -> tuple[I64, F64]:
        """Pence invested per ward this year, and investment per resident relative to the start.

        ``growth``: England's compounded growth factor; the ward's agglomeration
        premium (``self.premium``, see :meth:`follow_growth`) and regional index
        (``self.regional``, see :meth:`follow_regions`) multiply it.
        """
        ratio = (
            np.maximum(skills_ratio, 1e-6) ** 0.8
            * (np.maximum(access_ratio, 1e-6) ** 0.5 if connectivity else 1.0)
            * np.maximum(income_ratio, 1e-6) ** 0.3
            * growth
            * np.exp(self.premium + self.regional)
        )
        return pounds_to_pence(self.per_head0 * ratio * population, "private investment"), ratio


class Charities(mesa.Agent):
    """Charities and community organisations: raise money where capacity is, run assets.

    Donations per resident are ``CHARITY_PER_HEAD * capacity / mean capacity``
    at the start (so charities are scarce where community capacity is low:
    less than half as present in the left-behind wards), spent on community
    spaces (60%) and debt advice (40%).
    """

    CHARITY_PER_HEAD = 10.0  # GBP per resident per year, England average
    SPLIT: ClassVar[dict[Service, float]] = {
        Service.COMMUNITY_SPACES: 0.6,
        Service.DEBT_ADVICE: 0.4,
    }

    def __init__(self, model: mesa.Model, capacity0: F64, population0: F64) -> None:
        super().__init__(model)
        self.scale = self.CHARITY_PER_HEAD / max(
            float(np.average(capacity0, weights=population0)), 1e-9
        )

    def raise_money(self, capacity: F64, population: F64) -> I64:
        """Pence raised per ward this year."""
        return pounds_to_pence(self.scale * capacity * population, "charities' money")

    def running(self, pence: I64) -> F64:
        """Running money by service, float64 ``[n_services, n_wards]`` (GBP/yr)."""
        out = np.zeros((N_SERVICES, pence.shape[0]))
        for s, share in self.SPLIT.items():
            out[s] = share * pence / 100.0
        return out


class Programmes:
    """National programmes: allocation by mechanism, commitments paid over the award years.

    Not an agent of its own: central government runs it. It keeps one account
    per mechanism (``programme:<mechanism>``) holding committed money not yet paid.
    """

    def __init__(self, n_wards: int) -> None:
        self.n_wards = n_wards
        #: Live awards: (purpose, mechanism, pence still to pay [n_wards], years left).
        self.awards: list[tuple[str, str, I64, int]] = []
        self.balance: dict[str, int] = {}

    def allocate(
        self,
        year: int,
        levers: PolicyLevers,
        mech: MechanismsConfig,
        national_population: float,
        imd_like: F64,
        cni_like: F64,
        population: F64,
        capacity: F64,
        rng: np.random.Generator,
        ledger: Ledger,
    ) -> None:
        """Fund this year's round and commit it to wards by the scenario's mechanism."""
        mechanism = levers.allocation
        account = f"programme:{mechanism}"
        weights = self.weights(
            mechanism, levers, mech, imd_like, cni_like, population, capacity, rng
        )
        for purpose, per_head in programme_per_head(levers).items():
            pot = int(pounds_to_pence(per_head * national_population, "a programme pot"))
            if pot <= 0:
                continue
            ledger.record(
                year, CENTRAL, account, f"programme_{purpose}", mechanism, np.array([pot])
            )
            self.balance[account] = self.balance.get(account, 0) + pot
            award = split_pence(np.array([pot]), np.zeros(self.n_wards, dtype=np.int64), weights)
            self.awards.append((purpose, mechanism, award, levers.award_years))

    @staticmethod
    def weights(
        mechanism: str,
        levers: PolicyLevers,
        mech: MechanismsConfig,
        imd_like: F64,
        cni_like: F64,
        population: F64,
        capacity: F64,
        rng: np.random.Generator,
    ) -> F64:
        """Allocation weights over wards, float64 ``[n_wards]`` (>= 0, not all zero).

        * ``competitive``: the most deprived 30% of wards (IMD-like) may bid;
          15% of them win, drawn with probability proportional to
          ``population * capacity ** elasticity`` (the capacity trap; with the
          trap off, to population alone); winners share by population.
        * ``formula`` and ``devolved`` ('least first'): ``least_first_share`` of
          the money goes to the most deprived 10% by IMD-like score, by
          ``population * cni_like`` (need on both indices); the rest to all
          eligible wards by ``population * imd_like``.
        """
        n = imd_like.shape[0]
        eligible_n = max(1, round(PROGRAMME_ELIGIBLE_SHARE * n))
        order = np.argsort(-imd_like, kind="stable")
        eligible = np.zeros(n, dtype=bool)
        eligible[order[:eligible_n]] = True
        if mechanism == "competitive":
            beta = mech.bid_capacity_elasticity if mech.capacity_trap else 0.0
            score = population * np.maximum(capacity, 1e-6) ** beta
            k = max(1, round(COMPETITIVE_WIN_SHARE * eligible_n))
            # Weighted sampling without replacement (Gumbel top-k), eligible wards only.
            keys = np.where(
                eligible, np.log(np.maximum(score, 1e-300)) + rng.gumbel(size=n), -np.inf
            )
            winners = np.argsort(-keys, kind="stable")[:k]
            w = np.zeros(n)
            w[winners] = population[winners]
            return w
        top_n = max(1, round(0.1 * n))
        top = np.zeros(n, dtype=bool)
        top[order[:top_n]] = True
        need_top = population * np.maximum(cni_like, 1e-6) * top
        need_all = population * np.maximum(imd_like, 1e-6) * eligible
        s = levers.least_first_share
        return s * need_top / need_top.sum() + (1 - s) * need_all / need_all.sum()

    def pay(self, year: int, codes: NDArray[np.str_], ledger: Ledger) -> dict[tuple[str, str], I64]:
        """Pay this year's instalments; returns pence per ward by (purpose, mechanism).

        Each award pays ``remaining // years_left`` a year, the last year the rest,
        so an award is paid in full, to the penny, over its years.
        """
        paid: dict[tuple[str, str], I64] = {}
        live: list[tuple[str, str, I64, int]] = []
        for purpose, mechanism, remaining, years_left in self.awards:
            instalment = remaining // years_left if years_left > 1 else remaining
            key = (purpose, mechanism)
            paid[key] = paid[key] + instalment if key in paid else instalment
            if years_left > 1:
                live.append((purpose, mechanism, remaining - instalment, years_left - 1))
        self.awards = live
        for (purpose, mechanism), pence in paid.items():
            account = f"programme:{mechanism}"
            ledger.record(year, account, codes, f"programme_{purpose}", mechanism, pence)
            self.balance[account] -= int(pence.sum())
        return paid


def ward_money(
    la_running: F64,
    programme_pence: dict[tuple[str, str], I64],
    population: F64,
) -> WardMoney:
    """Turn money received by each ward into running money, capital and capacity support.

    Args:
        la_running: float64 ``[n_services, n_wards]``, GBP/yr of running money from
            the local authority's core settlement, by service (the model keeps the
            ring-fenced grants apart: local power does not stretch them).
        programme_pence: int64 ``[n_wards]`` per (purpose, mechanism).
        population: float64 ``[n_wards]`` residents; a ward counts as funded by a
            programme when it receives at least ``FUNDED_PER_HEAD`` per resident.
    """
    n = la_running.shape[1]
    running = la_running.copy()
    capital = np.zeros((N_SERVICES, n))
    support = np.zeros(n)
    funded = np.zeros(n, dtype=bool)
    for (purpose, mechanism), pence in programme_pence.items():
        pounds = pence / 100.0
        funded |= pounds >= FUNDED_PER_HEAD * population
        if purpose == "capacity_building":
            support += pounds
            continue
        services = PURPOSE_SERVICES[purpose]
        # Competitive pots buy capital projects; formula and devolved money runs services.
        target = capital if mechanism == "competitive" else running
        for s in services:
            target[s] += pounds / len(services)
    return WardMoney(running, capital, support, funded)


def la_deprivation_z(la_index: NDArray[np.int64], imd_score: F64, population: F64) -> F64:
    """Population-weighted IMD score per LA as a z-score across LAs, ``[n_las]``."""
    n_las = int(la_index.max()) + 1
    pop = np.bincount(la_index, weights=population, minlength=n_las)
    mean = np.bincount(la_index, weights=population * imd_score, minlength=n_las) / np.maximum(
        pop, 1e-9
    )
    return (mean - mean.mean()) / max(float(mean.std()), 1e-9)


def la_codes(wards: pd.DataFrame) -> tuple[NDArray[np.int64], list[str]]:
    """LA index of each ward ``[n_wards]`` and the LA codes in index order."""
    codes, uniques = pd.factorize(wards["la_code"], sort=True)
    return codes.astype(np.int64), [str(u) for u in uniques]


__all__ = [
    "CENTRAL",
    "DELIVERED",
    "DONORS",
    "EXTERNAL_SOURCES",
    "INVESTORS",
    "CentralGovernment",
    "Charities",
    "LocalAuthority",
    "PrivateInvestors",
    "Programmes",
    "WardMoney",
    "WardServices",
    "la_codes",
    "la_deprivation_z",
    "ward_money",
]
