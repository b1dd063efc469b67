"""Ward services: every ward spends what reached it this year; where communities decide,
running the partnership costs a share and capable organisations make the rest go further
(local power).

Money by route becomes running money, capital and support for community organisations
(:func:`ward_money`: each award's capital part, the scenario's ``capital_share`` when it
was made, buys capital and the rest runs services, whatever the allocation mechanism);
the local-power multipliers (:func:`lbn_sim.engine.mechanisms.local_power.local_power`)
act on the core and programme money by the devolution share and on devolved community
funds fully, never on the ring-fenced schools and health grants. The result is the
year's inputs to the core
(:class:`lbn_sim.engine.step.YearInputs`); the ledger records every pound delivered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import mesa
import numpy as np
from numpy.typing import NDArray

from lbn_sim.engine.ledger import DELIVERED, I64
from lbn_sim.engine.mechanisms.local_power import local_power
from lbn_sim.engine.parameters import Params
from lbn_sim.engine.services import N_SERVICES, Service
from lbn_sim.engine.step import YearInputs

if TYPE_CHECKING:
    from lbn_sim.engine.agents.charities import Charities
    from lbn_sim.engine.model import LBNModel

F64 = NDArray[np.float64]

#: Purposes of programme money and the services each buys (equal split within a purpose).
PURPOSE_SERVICES: dict[str, tuple[Service, ...]] = {
    "general": (Service.COMMUNITY_SPACES, Service.TRANSPORT, Service.EMPLOYMENT_SUPPORT),
    "education": (Service.SCHOOLS, Service.ADULT_EDUCATION),
    "health": (Service.HEALTH,),
    "connectivity": (Service.TRANSPORT, Service.DIGITAL),
    "jobs": (Service.EMPLOYMENT_SUPPORT, Service.DEBT_ADVICE),
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


def ward_money(
    la_running: F64,
    programme_pence: dict[tuple[str, str], I64],
    capital_pence: dict[tuple[str, str], I64],
    population: F64,
    funded_per_head: float,
) -> WardMoney:
    """Turn money received by each ward into running money, capital and capacity support.

    Args:
        la_running: float64 ``[n_services, n_wards]``, GBP/yr of running money from
            the local authority's core settlement, by service (the ring-fenced grants
            are kept apart: local power does not stretch them).
        programme_pence: int64 ``[n_wards]`` per (purpose, mechanism).
        capital_pence: int64 ``[n_wards]`` per (purpose, mechanism): the part of
            ``programme_pence`` that buys capital (the award's share
            ``levers.capital_share`` when it was made; a key missing: none); the rest
            runs services.
        population: float64 ``[n_wards]`` residents; a ward counts as funded by a
            programme when it receives at least ``funded_per_head`` GBP per resident.
    """
    n = la_running.shape[1]
    running = la_running.copy()
    capital = np.zeros((N_SERVICES, n))
    support = np.zeros(n)
    funded = np.zeros(n, dtype=bool)
    for key, pence in programme_pence.items():
        purpose = key[0]
        pounds = pence / 100.0
        funded |= pounds >= funded_per_head * population
        if purpose == "capacity_building":
            support += pounds
            continue
        services = PURPOSE_SERVICES[purpose]
        built = capital_pence[key] / 100.0 if key in capital_pence else np.zeros(n)
        for s in services:
            capital[s] += built / len(services)
            running[s] += (pounds - built) / len(services)
    return WardMoney(running, capital, support, funded)


class WardServices(mesa.Agent):
    """Every ward's services, spending what reached them.

    Args:
        charities: the charities, whose money the wards' services run on too.
        funding0: float64 ``[n_wards]``, the start year's money per ward (GBP/yr).
        params: the behavioural parameters.
    """

    model: LBNModel

    def __init__(
        self, model: mesa.Model, charities: Charities, funding0: F64, params: Params
    ) -> None:
        super().__init__(model)
        self.charities = charities
        self.params = params
        #: This year's money per ward (GBP/yr): public and charity, ``[n_wards]``.
        self.funding = funding0
        #: This year's money by route (core and programmes, devolved, charity, ring-fenced).
        self.delivered: tuple[WardMoney, WardMoney, F64, F64] | None = None

    def step(self) -> None:
        """Record the money delivered, and turn it into the year's inputs to the core."""
        m, now = self.model, self.model.now
        n_wards = m.n_wards
        public = (
            now.core_pence
            + now.ring_pence
            + sum(now.paid.values(), np.zeros(n_wards, dtype=np.int64))
        )
        m.ledger.record(now.year, m.codes, DELIVERED, "services", "delivery", public + now.charity)
        m.ledger.record(now.year, m.codes, DELIVERED, "jobs", "private", now.private)
        self.funding = (public + now.charity) / 100.0
        now.inputs = self.inputs()

    def inputs(self) -> YearInputs:
        """The year's money and conditions as the core reads them (``model.now`` filled by
        the agents that acted before)."""
        m, now = self.model, self.model.now
        people = m.wards.agg.people
        devolved = {k: v for k, v in now.paid.items() if k[1] == "devolved"}
        other = {k: v for k, v in now.paid.items() if k[1] != "devolved"}
        per_head = self.params.funded_per_head
        levers, macro = now.regime.levers, now.regime.macro
        built = now.capital_paid
        m_other = ward_money(now.core_running, other, built, people, per_head)
        m_dev = ward_money(np.zeros_like(now.core_running), devolved, built, people, per_head)
        p_other, p_dev = local_power(m.wards.capacity, levers.devolution_share, self.params)
        charity = self.charities.running(now.charity)
        self.delivered = m_other, m_dev, charity, now.ring_running
        year = now.year
        return YearInputs(
            year=year,
            spend=(m_other.running + charity) * p_other[None, :]
            + now.ring_running
            + m_dev.running * p_dev[None, :],
            public_spend=m_other.running + now.ring_running + m_dev.running,
            invest=m_other.capital * p_other[None, :] + m_dev.capital * p_dev[None, :],
            capacity_support=m_other.capacity_support * p_other + m_dev.capacity_support * p_dev,
            community_funded=m_other.community_funded | m_dev.community_funded,
            cost_of_living=macro.cost_of_living_pressure,
            recession=macro.recession_severity if year in macro.recession_years else 0.0,
            price_shock=macro.price_shock_size if year in macro.price_shock_years else 0.0,
            investment_ratio=now.investment_ratio,
            local_fortune=now.local_fortune,
            benefit_level=m.government.benefit_level,
        )
