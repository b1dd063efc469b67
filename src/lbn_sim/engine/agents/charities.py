"""Charities and community organisations: raise money where community capacity is, and
spend it on community spaces and debt advice.

Donations per resident are ``charity_per_head * capacity / mean capacity`` (England's
population-weighted mean at the start), so charities are scarce where community capacity
is low: less than half as present in the left-behind wards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np
from numpy.typing import NDArray

from lbn_sim.engine.agents.accounts import DONORS
from lbn_sim.engine.ledger import I64, pounds_to_pence
from lbn_sim.engine.parameters import Params
from lbn_sim.engine.services import N_SERVICES, Service

if TYPE_CHECKING:
    from lbn_sim.engine.model import LBNModel

F64 = NDArray[np.float64]


class Charities(mesa.Agent):
    """Every ward's charities and community organisations, deciding together.

    Args:
        capacity0: float64 ``[n_wards]``, community capacity at the start.
        population0: float64 ``[n_wards]``, residents at the start.
        params: the behavioural parameters.
    """

    model: LBNModel

    def __init__(self, model: mesa.Model, capacity0: F64, population0: F64, params: Params) -> None:
        super().__init__(model)
        self.scale = charity_scale(capacity0, population0, params)
        self.params = params

    def step(self) -> None:
        """Raise this year's money in every ward and record it."""
        m, now = self.model, self.model.now
        charity = self.raise_money(m.wards.capacity, m.wards.agg.people)
        m.ledger.record(now.year, DONORS, m.codes, "charity", "charity", charity)
        now.charity = charity

    def raise_money(self, capacity: F64, population: F64) -> I64:
        """Pence raised per ward this year, int64 ``[n_wards]`` (``capacity``, ``population``:
        ``[n_wards]``)."""
        return raise_money(self.scale, capacity, population)

    def running(self, pence: I64) -> F64:
        """Running money by service, float64 ``[n_services, n_wards]`` (GBP/yr)."""
        return running(pence, self.params)


def charity_scale(capacity0: F64, population0: F64, params: Params) -> float:
    """Donations per resident per unit of capacity (GBP/yr): ``charity_per_head`` over
    England's population-weighted mean capacity at the start (``[n_wards]`` each)."""
    return params.charity_per_head / max(float(np.average(capacity0, weights=population0)), 1e-9)


def raise_money(scale: float, capacity: F64, population: F64) -> I64:
    """Pence raised per ward in a year, int64 ``[n_wards]``: ``scale * capacity * population``."""
    return pounds_to_pence(scale * capacity * population, "charities' money")


def running(pence: I64, params: Params) -> F64:
    """Charities' money (pence, ``[n_wards]``) as running money by service, float64
    ``[n_services, n_wards]`` GBP/yr: ``charity_share_community_spaces`` on community
    spaces, the rest on debt advice."""
    spaces = params.charity_share_community_spaces
    out = np.zeros((N_SERVICES, pence.shape[0]))
    out[Service.COMMUNITY_SPACES] = spaces * pence / 100.0
    out[Service.DEBT_ADVICE] = (1.0 - spaces) * pence / 100.0
    return out
