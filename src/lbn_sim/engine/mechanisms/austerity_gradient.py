"""Austerity gradient (mechanism 2): local authority funding changes faster, and in the
2010s fell further, in more deprived places; services decay with it (services' rule).

Switched off (``mechanisms.austerity_gradient=false``), every authority's core settlement
changes at the same rate (``levers.la_real_growth``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from lbn_sim.config import PolicyLevers
from lbn_sim.engine.parameters import Params

F64 = NDArray[np.float64]


def settlement_factors(levers: PolicyLevers, la_z: F64, params: Params) -> tuple[F64, float]:
    """One year's growth factors: the core settlement's per local authority ``[n_las]``
    (``1 + la_real_growth + la_deprivation_gradient * z``, ``z``: each authority's
    deprivation z-score, ``[n_las]``; kept within ``settlement_factor_min`` and ``_max``), and the
    ring-fenced grants' (``1 + ring_fenced_growth``, the same everywhere)."""
    gradient = levers.la_deprivation_gradient if params.switches.austerity_gradient else 0.0
    core = np.clip(
        1.0 + levers.la_real_growth + gradient * la_z,
        params.settlement_factor_min,
        params.settlement_factor_max,
    )
    return core, 1.0 + levers.ring_fenced_growth
