"""Local power (mechanism 7): where communities decide, money matches local needs and each
pound does more; where Whitehall decides, less.

Switched off (``mechanisms.local_power=false``), a pound does as much whoever decides.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from lbn_sim.engine.parameters import Params

F64 = NDArray[np.float64]


def local_power(capacity: F64, devolution_share: float, params: Params) -> tuple[F64, F64]:
    """How much further a pound goes where communities decide, ``[n_wards]`` each (>= 1).

    Returns ``(other money, devolved funds)``: ``1 + local_power_gain * d * capacity``
    with ``d`` the devolution share (``scenario.levers.devolution_share``) for the core
    (discretionary) and programme money (not the ring-fenced schools and health grants)
    and 1 for devolved community funds. Local decisions match money to needs, and
    capable organisations (``capacity``, ``[n_wards]``) make it go further.
    """
    if not params.switches.local_power:
        ones = np.ones(capacity.shape[0])
        return ones, ones
    gain = params.local_power_gain * capacity
    return 1.0 + gain * devolution_share, 1.0 + gain
