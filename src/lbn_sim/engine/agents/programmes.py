"""National programmes: each year's round allocated by the scenario's mechanism, each award
paid in yearly instalments over its years.

Six budgets (general place-based funds, capacity building, education, health,
connectivity, jobs: ``levers.*_per_head``) are allocated the same way: competitive pots
by bids (:func:`~lbn_sim.engine.mechanisms.capacity_trap.competitive_weights`), formula and
devolved money 'least first'
(:func:`~lbn_sim.engine.mechanisms.capacity_trap.least_first_weights`). Committed money waits
in one account per mechanism (``programme:<mechanism>``) until it is paid.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np
from numpy.typing import NDArray

from lbn_sim.config import PolicyLevers
from lbn_sim.engine.agents.accounts import CENTRAL
from lbn_sim.engine.ledger import I64, Ledger, pounds_to_pence, split_pence
from lbn_sim.engine.mechanisms.capacity_trap import (
    competitive_weights,
    eligible_wards,
    least_first_weights,
)
from lbn_sim.engine.parameters import Params

if TYPE_CHECKING:
    from lbn_sim.engine.model import LBNModel

F64 = NDArray[np.float64]


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


class Programmes(mesa.Agent):
    """National programmes (run by central government), with their awards and accounts.

    Args:
        n_wards: number of wards.
        params: the behavioural parameters.
    """

    model: LBNModel

    def __init__(self, model: mesa.Model, n_wards: int, params: Params) -> None:
        super().__init__(model)
        self.n_wards = n_wards
        self.params = params
        #: Live awards: (purpose, mechanism, pence still to pay [n_wards], years left).
        self.awards: list[tuple[str, str, I64, int]] = []
        #: Pence committed and not yet paid, by account.
        self.balance: dict[str, int] = {}

    def step(self) -> None:
        """Fund this year's round (by last year's composites), then pay instalments due."""
        m, now = self.model, self.model.now
        last = m.history[-1]
        weights = self.weights(
            now.regime.levers,
            np.asarray(last["imd_like"], dtype=np.float64),
            np.asarray(last["cni_like"], dtype=np.float64),
            m.wards.agg.people,
            m.wards.capacity,
            m.year_rng(now.year, 1),
        )
        self.allocate(now.year, now.regime.levers, m.national_population, weights, m.ledger)
        now.paid = self.pay(now.year, m.codes, m.ledger)
        for account, pence in self.balance.items():
            m.ledger.balance(now.year, account, np.array([pence]))

    def weights(
        self,
        levers: PolicyLevers,
        imd_like: F64,
        cni_like: F64,
        population: F64,
        capacity: F64,
        rng: np.random.Generator,
    ) -> F64:
        """Allocation weights over wards by the levers' mechanism, float64 ``[n_wards]``
        (>= 0, not all zero); ``imd_like``, ``cni_like`` (points), ``population``,
        ``capacity``: ``[n_wards]``."""
        eligible, order = eligible_wards(imd_like, self.params)
        if levers.allocation == "competitive":
            return competitive_weights(eligible, capacity, population, self.params, rng)
        return least_first_weights(
            eligible,
            order,
            imd_like,
            cni_like,
            population,
            levers.least_first_share,
            self.params,
        )

    def allocate(
        self,
        year: int,
        levers: PolicyLevers,
        national_population: float,
        weights: F64,
        ledger: Ledger,
    ) -> None:
        """Fund this year's round and commit it to wards by ``weights`` (``[n_wards]``)."""
        mechanism = levers.allocation
        account = f"programme:{mechanism}"
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
