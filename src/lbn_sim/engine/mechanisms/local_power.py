"""Local power (mechanism 7): where communities decide, money can match local needs and go
further, but only where their organisations are able; running a partnership costs money,
and a partnership without the capacity to run it spends slowly or not at all.

Three rules: a pound decided locally goes further by ``local_power_gain`` at full capacity,
nothing at or below ``partnership_capacity_min`` (:func:`local_power`); a share
``partnership_cost_share`` of locally decided money runs the partnership (staff, governance,
accounts) and buys no service (:func:`local_power`); a community fund whose ward's capacity
is below ``partnership_capacity_min`` spends only that fraction of what is due
(:func:`spend_capability`), the rest waiting, visibly, in the programme's account. Capacity
takes years to build and relaxes back towards its base without support
(:func:`lbn_sim.engine.mechanisms.social_infrastructure.community_capacity`).

Switched off (``mechanisms.local_power=false``), a pound does as much whoever decides, costs
nothing to decide and is spent whatever the capacity.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from lbn_sim.engine.parameters import Params

F64 = NDArray[np.float64]


def capability(capacity: F64, params: Params) -> F64:
    """How able a ward's community organisations are to run a partnership, ``[n_wards]`` in
    [0, 1]: 0 at or below ``partnership_capacity_min``, rising linearly to 1 at full
    capacity (``capacity``: ``[n_wards]`` in [0, 1])."""
    lo = params.partnership_capacity_min
    return np.clip((capacity - lo) / (1.0 - lo), 0.0, 1.0)


def local_power(capacity: F64, devolution_share: float, params: Params) -> tuple[F64, F64]:
    """What a pound buys where communities decide, ``[n_wards]`` each (> 0).

    Returns ``(other money, devolved funds)``:
    ``(1 - partnership_cost_share * d) * (1 + local_power_gain * d * capability)`` with
    ``d`` the devolution share (``scenario.levers.devolution_share``) for the core
    (discretionary) and programme money (not the ring-fenced schools and health grants), and
    ``d = 1`` for devolved community funds. Below 1 where the partnership's running cost
    outweighs what local decisions add (weak capacity), above 1 where capable organisations
    make money go further.
    """
    if not params.switches.local_power:
        ones = np.ones(capacity.shape[0])
        return ones, ones
    gain = params.local_power_gain * capability(capacity, params)
    cost = params.partnership_cost_share
    other = (1.0 - cost * devolution_share) * (1.0 + gain * devolution_share)
    return other, (1.0 - cost) * (1.0 + gain)


def spend_capability(capacity: F64, params: Params) -> F64:
    """Share of a community fund's money due this year that its partnership can spend,
    ``[n_wards]`` in [0, 1]: ``capacity / partnership_capacity_min`` below the threshold, 1
    above it (and 1 with the mechanism off)."""
    if not params.switches.local_power:
        return np.ones(capacity.shape[0])
    return np.clip(capacity / params.partnership_capacity_min, 0.0, 1.0)
