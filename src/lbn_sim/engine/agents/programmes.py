"""National programmes: each year's round allocated by the scenario's mechanism, each award
planned in yearly instalments over its years and spent later than planned.

Six budgets (general place-based funds, capacity building, education, health,
connectivity, jobs: ``levers.*_per_head``) are allocated the same way: competitive pots
by bids (:func:`~lbn_sim.engine.mechanisms.capacity_trap.competitive_weights`), formula and
devolved money 'least first'
(:func:`~lbn_sim.engine.mechanisms.capacity_trap.least_first_weights`), both reading the
published indices of the start year (IMD and CNI scores as published), not the model's
moving composites. Committed money waits in one account per mechanism
(``programme:<mechanism>``) until it is spent in its ward: delivery lags
(:mod:`lbn_sim.engine.delivery`) and, for community funds, the partnership's capacity
(:func:`~lbn_sim.engine.mechanisms.local_power.spend_capability`) decide when.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import mesa
import numpy as np
from numpy.typing import NDArray

from lbn_sim.config import PolicyLevers
from lbn_sim.engine import delivery
from lbn_sim.engine.agents.accounts import CENTRAL
from lbn_sim.engine.ledger import I64, Ledger, pounds_to_pence, split_pence
from lbn_sim.engine.mechanisms.capacity_trap import (
    competitive_weights,
    eligible_wards,
    least_first_weights,
)
from lbn_sim.engine.mechanisms.local_power import spend_capability
from lbn_sim.engine.parameters import Params

if TYPE_CHECKING:
    from lbn_sim.engine.model import LBNModel

F64 = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Award:
    """One award's money not yet spent, by ward.

    Each award made is held as two: its capital part and its running part
    (``levers.capital_share`` of it, capacity building apart, is capital), spent at their
    own rates.

    Attributes:
        purpose, mechanism: what the money is for and how it was allocated.
        capital: whether this is the award's capital part (else its running money).
        not_due: int64 ``[n_wards]`` pence the plan has not yet reached.
        backlog: int64 ``[n_wards]`` pence due under the plan and not yet spent.
        plan_left: planned years left (0 once the plan has ended).
        late_left: years after the plan's end before whatever is unspent is spent.
        rate: share of the backlog spent a year (1/yr, :func:`delivery.spend_rate`).
    """

    purpose: str
    mechanism: str
    capital: bool
    not_due: I64
    backlog: I64
    plan_left: int
    late_left: int
    rate: float


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
        #: Live awards, their money not yet spent.
        self.awards: list[Award] = []
        #: Pence committed and not yet paid, by account.
        self.balance: dict[str, int] = {}

    def step(self) -> None:
        """Fund this year's round (by the start year's published indices), then spend what
        the delivery lags allow."""
        m, now = self.model, self.model.now
        weights = self.weights(
            now.regime.levers,
            m.baseline.imd_score,
            m.baseline.cni_score,
            m.wards.agg.people,
            m.wards.capacity,
            m.year_rng(now.year, 1),
        )
        self.allocate(now.year, now.regime.levers, m.national_population, weights, m.ledger)
        now.paid, now.capital_paid = self.pay(now.year, m.codes, m.ledger, m.wards.capacity)
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
        (>= 0, not all zero); ``imd_like``, ``cni_like``: the indices of need targeted
        (points; the published start-year scores in a run), ``population``, ``capacity``:
        ``[n_wards]``."""
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
        late = delivery.years_late_allowed(self.params)
        for purpose, per_head in programme_per_head(levers).items():
            pot = int(pounds_to_pence(per_head * national_population, "a programme pot"))
            if pot <= 0:
                continue
            ledger.record(
                year, CENTRAL, account, f"programme_{purpose}", mechanism, np.array([pot])
            )
            self.balance[account] = self.balance.get(account, 0) + pot
            award = split_pence(np.array([pot]), np.zeros(self.n_wards, dtype=np.int64), weights)
            # Capacity-building money pays people and groups: running money.
            share = 0.0 if purpose == "capacity_building" else levers.capital_share
            capital = delivery.capital_part(award, share)
            for is_capital, part in ((True, capital), (False, award - capital)):
                if not part.any():
                    continue
                self.awards.append(
                    Award(
                        purpose,
                        mechanism,
                        is_capital,
                        part,
                        np.zeros_like(part),
                        levers.award_years,
                        late,
                        delivery.spend_rate(is_capital, self.params),
                    )
                )

    def pay(
        self, year: int, codes: NDArray[np.str_], ledger: Ledger, capacity: F64
    ) -> tuple[dict[tuple[str, str], I64], dict[tuple[str, str], I64]]:
        """Spend this year's share of every award; returns ``(paid, capital)``: pence per
        ward by (purpose, mechanism), all of it and its capital part.

        What the plan brings due joins the award's backlog (:func:`delivery.due_this_year`),
        and its rate of the backlog is spent (:func:`delivery.spent_this_year`); community
        funds (devolved) spend only what their partnership can
        (:func:`spend_capability` of ``capacity``, ``[n_wards]``). An award is spent in
        full, to the penny, by ``delivery_max_years_late`` years after its plan.
        """
        paid: dict[tuple[str, str], I64] = {}
        capital: dict[tuple[str, str], I64] = {}
        live: list[Award] = []
        able = spend_capability(capacity, self.params)
        for a in self.awards:
            due = delivery.due_this_year(a.not_due, a.plan_left) if a.plan_left else 0
            backlog = a.backlog + due
            plan_left = max(a.plan_left - 1, 0)
            late_left = a.late_left if plan_left else a.late_left - 1
            rate = a.rate * able if a.mechanism == "devolved" else a.rate
            spent = delivery.spent_this_year(backlog, rate, plan_left == 0 and late_left < 0)
            key = (a.purpose, a.mechanism)
            paid[key] = paid[key] + spent if key in paid else spent
            if a.capital:
                capital[key] = capital[key] + spent if key in capital else spent
            left = replace(
                a,
                not_due=a.not_due - due,
                backlog=backlog - spent,
                plan_left=plan_left,
                late_left=late_left,
            )
            if plan_left or left.backlog.any():
                live.append(left)
        self.awards = live
        for (purpose, mechanism), pence in paid.items():
            account = f"programme:{mechanism}"
            ledger.record(year, account, codes, f"programme_{purpose}", mechanism, pence)
            self.balance[account] -= int(pence.sum())
        return paid, capital
