"""Private investors: investment in local jobs follows skills, connectivity and demand.

Investment per resident is ``private_per_head * skills_ratio ** a * access_ratio ** b *
income_ratio ** c`` (ratios to the ward's start; ``a``, ``b``, ``c``: the
``investment_*_elasticity`` parameters), times England's compounded growth relative to its
trend (``trend_growth``), times the ward's agglomeration premium (``exp(premium)``,
:func:`lbn_sim.engine.mechanisms.connectivity.agglomerate`) and its regional index
(``exp(regional)``, :func:`regionalise`): investors go where workers are skilled, links are
good and people have money to spend, and hold back when the economy stagnates; growth
itself goes more to the wards with better reach than England's, and to the regions whose
economies grow faster (an exogenous condition, ``macro.regional_growth``). With the
connectivity mechanism off, access does not matter and there is no agglomeration premium.
Local labour demand follows the investment ratio (:mod:`lbn_sim.engine.labour_market`).

Each ward also has its own fortune (:func:`fortune_after`: an AR(1) of independent yearly
shocks, a plant opening or closing, a new employer, sized on the 2015-2019 record), which
multiplies its residents' job finding directly (``YearInputs.local_fortune``) rather than
through the trend, which follows investment only slowly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np
from numpy.typing import NDArray

from lbn_sim.config import ConfigError, MacroConditions
from lbn_sim.engine.agents.accounts import INVESTORS
from lbn_sim.engine.ledger import I64, MAX_PENCE, pounds_to_pence
from lbn_sim.engine.mechanisms.connectivity import (
    access,
    agglomerate,
    investment_access_factor,
    recentre,
)
from lbn_sim.engine.parameters import Params

if TYPE_CHECKING:
    from lbn_sim.engine.model import LBNModel

F64 = NDArray[np.float64]

#: The random stream of the local fortunes (:meth:`LBNModel.year_rng`): every future draws
#: the same shocks in the same year.
LOCAL_FORTUNE_STREAM = 2
#: Room (a factor) left under :data:`~lbn_sim.engine.ledger.MAX_PENCE` for what the up-front
#: check cannot know: the skills, access and income ratios and the agglomeration premium.
ROOM = 64


class PrivateInvestors(mesa.Agent):
    """Private investment in every ward's jobs, decided together.

    Args:
        population0: float64 ``[n_wards]``, residents at the start.
        params: the behavioural parameters.
    """

    model: LBNModel

    def __init__(self, model: mesa.Model, population0: F64, params: Params) -> None:
        super().__init__(model)
        self.params = params
        self.per_head0 = np.full(population0.shape[0], params.private_per_head)
        #: Agglomeration premium by ward (log, 0 at the start), ``[n_wards]``.
        self.premium = np.zeros(population0.shape[0])
        #: Regional index by ward (log, 0 at the start), ``[n_wards]``.
        self.regional = np.zeros(population0.shape[0])
        #: England's compounded growth of investment per resident since the start.
        self.growth_index = 1.0
        #: Each ward's own fortune (log, 0 at the start), ``[n_wards]``: an AR(1) of
        #: independent yearly shocks (:func:`fortune_after`).
        self.fortune = np.zeros(population0.shape[0])

    def step(self) -> None:
        """Move growth, the agglomeration premium and the regional index on, then invest."""
        m, now = self.model, self.model.now
        macro, people = now.regime.macro, m.wards.agg.people
        g = macro.real_wage_growth
        self.growth_index *= growth_factor(g, self.params)
        agg, agg0 = m.wards.agg, m.baseline.agg
        reach = access(m.wards.quality, self.params)
        self.premium = agglomerate(
            self.premium, g, reach / np.average(reach, weights=people), self.params, people
        )
        self.regional = regionalise(self.regional, g, now.regime.differential, people)
        if self.params.local_fortune_sd > 0.0:
            rng = m.year_rng(now.year, LOCAL_FORTUNE_STREAM)
            shocks: F64 = rng.standard_normal(size=(people.shape[0],))
            self.fortune = fortune_after(self.fortune, shocks, self.params, people)
            now.local_fortune = np.exp(self.fortune)
        private, now.investment_ratio = self.invest(
            skills_ratio=agg.skills / np.maximum(agg0.skills, 1e-9),
            access_ratio=reach / m.access0,
            income_ratio=(1.0 - agg.income_deprivation)
            / np.maximum(1.0 - agg0.income_deprivation, 1e-9),
            population=people,
        )
        m.ledger.record(now.year, INVESTORS, m.codes, "jobs", "private", private)
        now.private = private

    def invest(
        self, skills_ratio: F64, access_ratio: F64, income_ratio: F64, population: F64
    ) -> tuple[I64, F64]:
        """Pence invested per ward this year, and investment per resident relative to the
        start, ``[n_wards]`` each (the ratios and ``population``: ``[n_wards]``)."""
        p = self.params
        ratio = (
            np.maximum(skills_ratio, 1e-6) ** p.investment_skill_elasticity
            * investment_access_factor(access_ratio, p)
            * np.maximum(income_ratio, 1e-6) ** p.investment_income_elasticity
            * self.growth_index
            * np.exp(self.premium + self.regional)
        )
        return pounds_to_pence(self.per_head0 * ratio * population, "private investment"), ratio


def fortune_after(fortune: F64, shocks: F64, params: Params, population: F64) -> F64:
    """Next year's local fortunes, ``[n_wards]`` (log of the multiplier of job finding from
    each ward's own luck): ``persistence x fortune + sd x shock``, then shifted so that
    England's population-weighted mean of ``exp(fortune)`` is 1 (luck moves job finding
    between wards; England's total only approximately, since finds are counted over the
    jobless and capped at certainty). ``shocks``: standard normal draws, ``[n_wards]``;
    ``population``: residents, ``[n_wards]``."""
    step = params.local_fortune_persistence * fortune + params.local_fortune_sd * shocks
    return recentre(step, population)


def growth_factor(real_wage_growth: float, params: Params) -> float:
    """This year's change of England's investment per resident (dimensionless): growth
    above or below the trend."""
    return (1.0 + real_wage_growth) / (1.0 + params.trend_growth)


def check_bounded(
    spans: list[tuple[str, MacroConditions, int]], residents: float, params: Params
) -> None:
    """Refuse growth whose compounding would carry private investment beyond the ledger.

    ``spans``: each regime's name, conditions and number of years it is applied;
    ``residents``: the most residents in any ward. A ward's investment is taken as
    ``private_per_head`` x its residents x England's compounded growth factor, which
    must stay ``ROOM`` times below :data:`~lbn_sim.engine.ledger.MAX_PENCE` (10% growth a
    year for 250 years would pass it). Regional growth is left out: it moves investment
    between wards, never England's total, so it cannot carry a ward past England's
    whole investment. A run that passes and still grows beyond the limit stops with a
    :class:`~lbn_sim.engine.ledger.MoneyRangeError` naming the year.

    Raises:
        ConfigError: naming every regime's growth up to the one that passes the limit.
    """
    log_pence = np.log(max(params.private_per_head * 100.0 * residents, 1.0))
    limit = np.log(MAX_PENCE / ROOM)
    told: list[str] = []
    for name, macro, years in spans:
        g = macro.real_wage_growth
        log_pence += years * max(np.log(growth_factor(g, params)), 0.0)
        told.append(f"{name}.macro.real_wage_growth={g} over {years} years")
        if log_pence > limit:
            raise ConfigError(
                f"{' then '.join(told)} make private investment beyond what the ledger "
                "counts to the penny (GBP 11 trillion in a flow); use smaller growth or a "
                "shorter horizon"
            )


def regionalise(regional: F64, real_wage_growth: float, differential: F64, population: F64) -> F64:
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
