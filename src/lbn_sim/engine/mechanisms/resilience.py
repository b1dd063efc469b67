"""Resilience (mechanism 10): shocks hit harder where resilience is low, and heal slower.

Resilience acts only through shocks: how hard a recession hits labour demand and job
loss, how far a price spike adds to budgets' pressure (:mod:`.cost_of_living`), and how
fast a recession's scar heals. Switched off (``mechanisms.resilience=false``), every
ward has England's mean resilience (no ward more exposed than another).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from lbn_sim.engine.parameters import Params
from lbn_sim.engine.services import Service
from lbn_sim.engine.state import WardState

F64 = NDArray[np.float64]


def resilience(wards: WardState) -> F64:
    """Ward resilience in [0, 1], ``[n_wards]``: community capacity, civic assets, low stress."""
    return (
        wards.capacity + wards.quality[Service.COMMUNITY_SPACES] + (1.0 - wards.agg.stress)
    ) / 3.0


def effective_resilience(wards: WardState, params: Params) -> tuple[F64, float]:
    """``(resilience the rules read [n_wards], England's population-weighted mean)``: each
    ward's own, or England's mean everywhere with the mechanism off."""
    res_ward = resilience(wards)
    res_england = float(np.average(res_ward, weights=wards.agg.people))
    if params.switches.resilience:
        return res_ward, res_england
    return np.full(res_ward.shape[0], res_england), res_england


def scar_after(scar: F64, res: F64, recession: float, params: Params) -> F64:
    """The share of labour demand lost to recessions and not yet recovered, after a year,
    ``[n_wards]`` in [0, 0.95].

    The scar heals at ``recovery_speed * (recovery_resilience_offset + res)`` a year; a
    recession starting this year (``recession`` > 0, its severity) cuts
    ``recession * (recession_hit_offset + (1 - res)) * recession_scar_multiplier`` of what is
    left (at most ``recession_hit_cap``): more where resilience is low. The scar is capped
    at ``scar_cap``.
    """
    p = params
    scar = scar * (1.0 - p.recovery_speed * (p.recovery_resilience_offset + res))
    if recession > 0:
        exposure = recession * (p.recession_hit_offset + (1.0 - res))
        hit = np.clip(exposure * p.recession_scar_multiplier, 0.0, p.recession_hit_cap)
        scar = 1.0 - (1.0 - scar) * (1.0 - hit)
    return np.minimum(scar, p.scar_cap)


def recovery_pace(res_england: float, params: Params) -> float:
    """Share of the gap to its target that labour demand's trend closes in a year (1/yr):
    faster when England as a whole is resilient."""
    return params.recovery_speed * (params.recovery_resilience_offset + res_england)


def job_loss_shock(recession: float, res: F64, params: Params) -> F64 | None:
    """Multiplier of workers' job-loss probability in a recession year, ``[n_wards]``, or
    None in a year without one: ``1 + recession_job_loss * severity *
    recession_severity_scale * (recession_loss_resilience_offset - res)``."""
    if recession <= 0:
        return None
    p = params
    scale = p.recession_job_loss * recession * p.recession_severity_scale
    return 1.0 + scale * (p.recession_loss_resilience_offset - res)
