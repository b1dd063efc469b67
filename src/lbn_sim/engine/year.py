"""One year's decisions, filled in by the agents as they act (``model.now``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from lbn_sim.engine.ledger import I64
from lbn_sim.engine.regimes import Regime

if TYPE_CHECKING:
    from lbn_sim.engine.step import YearInputs

F64 = NDArray[np.float64]
_NONE_I64: I64 = np.zeros(0, dtype=np.int64)
_NONE_F64: F64 = np.zeros(0)


@dataclass(slots=True)
class Year:
    """The year being simulated and what each agent decided in it, in the order they act.

    Attributes:
        year: the calendar year.
        regime: the levers and conditions in force.
        settlement, ring_settlement: int64 pence ``[n_las]``, central government's core
            settlement and ring-fenced grants to each authority.
        core_pence, ring_pence: int64 pence ``[n_wards]``, what each ward receives of them.
        core_running, ring_running: float64 ``[n_services, n_wards]`` GBP/yr, the same by
            service (the authorities' choice of services for the core money).
        paid: int64 pence ``[n_wards]`` by (purpose, mechanism): programme money spent in
            each ward this year.
        capital_paid: int64 pence ``[n_wards]`` by (purpose, mechanism): the part of
            ``paid`` that buys capital (a key missing: none of it).
        charity: int64 pence ``[n_wards]``: charities' money.
        private: int64 pence ``[n_wards]``: private investment.
        investment_ratio: float64 ``[n_wards]``: investment per resident against the start.
        local_fortune: float64 ``[n_wards]``, each ward's own fortune as a multiplier of
            job finding (``exp`` of the investors' AR(1)), or None when the mechanism is off.
        inputs: the year's inputs to the core (:class:`~lbn_sim.engine.step.YearInputs`),
            from the ward services.
    """

    year: int
    regime: Regime
    settlement: I64 = field(default_factory=lambda: _NONE_I64)
    ring_settlement: I64 = field(default_factory=lambda: _NONE_I64)
    core_pence: I64 = field(default_factory=lambda: _NONE_I64)
    ring_pence: I64 = field(default_factory=lambda: _NONE_I64)
    core_running: F64 = field(default_factory=lambda: _NONE_F64)
    ring_running: F64 = field(default_factory=lambda: _NONE_F64)
    paid: dict[tuple[str, str], I64] = field(default_factory=dict)
    capital_paid: dict[tuple[str, str], I64] = field(default_factory=dict)
    charity: I64 = field(default_factory=lambda: _NONE_I64)
    private: I64 = field(default_factory=lambda: _NONE_I64)
    investment_ratio: F64 = field(default_factory=lambda: _NONE_F64)
    local_fortune: F64 | None = None
    inputs: YearInputs | None = None
