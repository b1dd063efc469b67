"""Local authorities: keep reserves, pass the rest of their core settlement to their wards,
and choose its split across their discretionary services under budget pressure.

About 320 authorities decide together (their arrays are indexed by authority); each
ward's share of its authority's money is the start year's. Ring-fenced grants (schools,
health) pass through whole, by each ward's start-year share.

The spending choice: with ``r`` the authority's core spending this year relative to the
start year's, each discretionary service's share of a ward's core money moves from its
start share ``m0`` to ``m0 * r ** (e - 1) / sum(m0 * r ** (e - 1))`` over the
discretionary services, ``e`` the service's budget elasticity
(``params.la_elasticity_<service>``). The elasticities are read against all of a council's
services other than social care (the evidence of the 2010s); the core money here pays for
these six services only and is spent in full, so only their differences count: against the
authority's core spending itself a service's elasticity is ``1 + e - ē``, ``ē`` the six
services' start-share-weighted mean (about 1.15 at the defaults: community spaces 0.95,
transport 1.05, digital 0.85, adult education 0.55, employment support 1.55, debt advice
1.35). With equal elasticities every service keeps its start share (the fixed start-year
mix).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np
from numpy.typing import NDArray

from lbn_sim.engine.ledger import I64, split_pence
from lbn_sim.engine.parameters import Params
from lbn_sim.engine.services import RING_FENCED, SERVICE_NAMES

if TYPE_CHECKING:
    from lbn_sim.engine.model import LBNModel

F64 = NDArray[np.float64]


class LocalAuthorities(mesa.Agent):
    """Every local authority, deciding together.

    Args:
        la_index: int64 ``[n_wards]``, each ward's authority.
        public0: float64 ``[n_services, n_wards]``, the start year's public running money
            (GBP/yr): the ring-fenced grants' and the core settlement's shares of wards and
            services.
        core0: int64 ``[n_las]``, the start year's core money per authority (pence): what
            budget pressure is read against.
        reserves0: int64 ``[n_las]``, pence held in reserve at the start.
        params: the behavioural parameters (the services' budget elasticities).
    """

    model: LBNModel

    def __init__(
        self,
        model: mesa.Model,
        la_index: NDArray[np.int64],
        public0: F64,
        core0: I64,
        reserves0: I64,
        params: Params,
    ) -> None:
        super().__init__(model)
        self.la_index = la_index
        ring = RING_FENCED[:, None]
        #: Each ward's start-year ring-fenced and core money (GBP/yr), ``[n_wards]``.
        self.ring_weight = np.where(ring, public0, 0.0).sum(axis=0)
        self.core_weight = np.where(ring, 0.0, public0).sum(axis=0)
        #: Each service's start share of a ward's stream, ``[n_services, n_wards]``.
        self.ring_mix = np.where(ring, public0, 0.0) / np.maximum(self.ring_weight, 1e-12)
        self.core_mix = np.where(ring, 0.0, public0) / np.maximum(self.core_weight, 1e-12)
        #: Pence held in reserve at the end of the last year, ``[n_las]``.
        self.reserves = reserves0.copy()
        self.core0 = core0.astype(np.float64)
        #: Each service's budget elasticity, ``[n_services]`` (1 for the ring-fenced ones,
        #: which this choice never reaches).
        self.elasticity = np.array(
            [
                1.0 if RING_FENCED[s] else getattr(params, f"la_elasticity_{name}")
                for s, name in enumerate(SERVICE_NAMES)
            ]
        )

    def step(self) -> None:
        """Keep reserves, pass the rest to wards, and split each ward's money by service."""
        m, now = self.model, self.model.now
        spend = self.budgets(now.settlement, now.regime.levers.la_spend_share)
        m.ledger.balance(now.year, m.la_list, self.reserves)
        core_pence = split_pence(spend, self.la_index, self.core_weight)
        ring_pence = split_pence(now.ring_settlement, self.la_index, self.ring_weight)
        m.ledger.record(now.year, m.la_of_ward, m.codes, "services", "la_grant", core_pence)
        m.ledger.record(now.year, m.la_of_ward, m.codes, "ring_fenced", "ring_fenced", ring_pence)
        now.core_pence, now.ring_pence = core_pence, ring_pence
        now.core_running = self.service_mix(spend) * (core_pence / 100.0)[None, :]
        now.ring_running = self.ring_mix * (ring_pence / 100.0)[None, :]

    def budgets(self, settlement: I64, spend_share: float) -> I64:
        """Pence of the core settlement each local authority passes to its wards.

        Every authority spends ``floor(spend_share * (reserves + settlement))``;
        the rest stays in its reserves (ring-fenced grants pass through whole and
        never reach this decision). int64 ``[n_las]``.
        """
        available = self.reserves + settlement
        spend = np.floor(spend_share * available).astype(np.int64)
        self.reserves = available - spend
        return spend

    def service_mix(self, spend: I64) -> F64:
        """Each discretionary service's share of a ward's core money this year,
        ``[n_services, n_wards]`` (0 for the ring-fenced services), given each authority's
        core spending ``spend`` (pence, ``[n_las]``; see the module's rule)."""
        core = ~RING_FENCED
        if np.all(self.elasticity[core] == self.elasticity[core][0]):
            return self.core_mix  # every service keeps its start share, exactly
        # An authority that spends nothing keeps its last shares' direction without dividing
        # by zero: its ratio is floored at one pence against its start.
        ratio = np.maximum(spend, 1.0) / np.maximum(self.core0, 1.0)
        tilt = ratio[self.la_index][None, :] ** (self.elasticity[:, None] - 1.0)
        weighted = self.core_mix * tilt
        return weighted / np.maximum(weighted.sum(axis=0), 1e-300)
