"""Central government: settles the local authorities and uprates benefits.

Two streams go to every local authority each year, in whole pence: the core settlement
(``la_settlement``), which pays for the discretionary services (community spaces,
transport, digital, adult education, employment support, debt advice), changing by
``la_real_growth + la_deprivation_gradient * z`` (the austerity gradient,
:mod:`lbn_sim.engine.mechanisms.austerity_gradient`); and ring-fenced grants for schools
and health (``ring_fenced``), changing by ``ring_fenced_growth`` everywhere. National
programmes are funded by :class:`~.programmes.Programmes`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np
from numpy.typing import NDArray

from lbn_sim.config import ConfigError, PolicyLevers
from lbn_sim.engine.agents.accounts import CENTRAL
from lbn_sim.engine.ledger import I64, MAX_PENCE
from lbn_sim.engine.mechanisms.austerity_gradient import settlement_factors
from lbn_sim.engine.parameters import Params

if TYPE_CHECKING:
    from lbn_sim.engine.model import LBNModel

F64 = NDArray[np.float64]


class CentralGovernment(mesa.Agent):
    """Funds local authorities (core settlement and ring-fenced grants); sets benefits.

    Args:
        core0: int64 pence ``[n_las]``, the start year's core settlement.
        ring_fenced0: int64 pence ``[n_las]``, the start year's ring-fenced grants.
        la_deprivation_z: float64 ``[n_las]``, each authority's deprivation z-score.
        params: the behavioural parameters.
    """

    model: LBNModel

    def __init__(
        self,
        model: mesa.Model,
        core0: I64,
        ring_fenced0: I64,
        la_deprivation_z: F64,
        params: Params,
    ) -> None:
        super().__init__(model)
        self.core = core0.astype(np.int64)
        self.ring_fenced = ring_fenced0.astype(np.int64)
        self.la_z = la_deprivation_z
        self.params = params
        #: Value of working-age benefits against the poverty line, relative to the start year.
        self.benefit_level = 1.0

    def step(self) -> None:
        """Settle this year's core settlement and ring-fenced grants, and uprate benefits."""
        now = self.model.now
        core, ring_fenced = self.settle(now.regime.levers)
        las = self.model.la_list
        ledger = self.model.ledger
        ledger.record(now.year, CENTRAL, las, "la_settlement", "settlement", core)
        ledger.record(now.year, CENTRAL, las, "ring_fenced", "settlement", ring_fenced)
        now.settlement, now.ring_settlement = core, ring_fenced
        # Working-age benefits against the poverty line (transfers to households, outside
        # the place-based funding flows the ledger follows).
        self.benefit_level *= 1.0 + now.regime.levers.benefit_uprating

    def settle(self, levers: PolicyLevers) -> tuple[I64, I64]:
        """Next year's ``(core settlement, ring-fenced grants)`` per LA, int64 pence ``[n_las]``.

        Each year's settlement is the year before's changed by that year's levers: the first
        simulated year's is the start year's changed once.
        """
        factor, ring = settlement_factors(levers, self.la_z, self.params)
        self.core = np.rint(self.core * factor).astype(np.int64)
        self.ring_fenced = np.rint(self.ring_fenced * ring).astype(np.int64)
        return self.core, self.ring_fenced

    def check_bounded(self, spans: list[tuple[str, PolicyLevers, int]]) -> None:
        """Refuse levers whose compounding would outgrow the ledger's whole pence.

        ``spans``: each regime's name, levers and number of years it is applied. The
        largest authority's settlement and grants after them, times the years (its reserves
        hold at most every settlement it has had), must stay below
        :data:`~lbn_sim.engine.ledger.MAX_PENCE` (about GBP 11 trillion, where pence stop
        being counted exactly): growth of 20% a year for a century would pass it.

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
            core, ring = settlement_factors(levers, self.la_z, self.params)
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


def la_deprivation_z(la_index: NDArray[np.int64], imd_score: F64, population: F64) -> F64:
    """Population-weighted IMD score per LA as a z-score across LAs, ``[n_las]``.

    ``la_index``: each ward's authority, ``[n_wards]``; ``imd_score`` (points) and
    ``population`` (residents): ``[n_wards]``.
    """
    n_las = int(la_index.max()) + 1
    pop = np.bincount(la_index, weights=population, minlength=n_las)
    mean = np.bincount(la_index, weights=population * imd_score, minlength=n_las) / np.maximum(
        pop, 1e-9
    )
    return (mean - mean.mean()) / max(float(mean.std()), 1e-9)
