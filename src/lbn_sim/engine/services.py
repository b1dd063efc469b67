"""The public and community services a ward's households use.

Each service type has a quality-and-capacity stock in [0, 1] per ward, a running cost
(``params.base_per_head_<service>``), an adjustment speed (the lag between money and
quality, ``adjust_speed_<service>``) and a capital cost (``capital_cost_<service>``).
Quality relaxes each year towards the level its running money can sustain
(:func:`sustainable_quality`); capital lifts it (:func:`service_quality`). Money lifts
quality; its absence lets it decay.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np
from numpy.typing import NDArray

from lbn_sim.engine.parameters import Params

F64 = NDArray[np.float64]


class Service(IntEnum):
    """Service types; the value is the row in ``[n_services, n_wards]`` arrays."""

    SCHOOLS = 0
    HEALTH = 1
    COMMUNITY_SPACES = 2  # community centres, libraries, pubs, halls: the CNI's civic assets
    TRANSPORT = 3
    DIGITAL = 4
    ADULT_EDUCATION = 5
    EMPLOYMENT_SUPPORT = 6
    DEBT_ADVICE = 7


N_SERVICES = len(Service)
SERVICE_NAMES = tuple(s.name.lower() for s in Service)

#: Services paid by ring-fenced grants (schools, health), ``[n_services]`` bool: protected
#: nationally and passed through the LA untouched; the rest is the LA's discretionary
#: (core) spending, where the austerity of the 2010s fell. Schools and health are funded
#: nationally; here they pass through the local authority, beside its core settlement
#: for the other services, so that one funding chain carries every pound.
RING_FENCED = np.zeros(N_SERVICES, dtype=bool)
RING_FENCED[[Service.SCHOOLS, Service.HEALTH]] = True


def baseline_spend(deprivation_z: F64, population: F64, params: Params) -> F64:
    """Start-year running spending, float64 ``[n_services, n_wards]`` (GBP per year).

    ``base_per_head * max(need_floor, 1 + need_gradient * z) * population`` by service,
    with ``z`` the ward's IMD z-score (``[n_wards]``, clipped to [need_z_min, need_z_max]):
    need weighting in the start-year funding (schools' pupil premium, health inequalities,
    advice). ``population``: residents, ``[n_wards]``.
    """
    base = params.vector("base_per_head", SERVICE_NAMES)
    gradient = params.vector("need_gradient", SERVICE_NAMES)
    z = np.clip(deprivation_z, params.need_z_min, params.need_z_max)
    need = np.maximum(params.need_floor, 1.0 + gradient[:, None] * z[None, :])
    return base[:, None] * need * population[None, :]


def sustainable_quality(spend: F64, spend0: F64, quality0: F64, params: Params) -> F64:
    """Quality a year's running money sustains, float64 ``[n_services, n_wards]`` in [0, 1).

    ``logit(q*) = logit(q0) + spend_elasticity * log(spend / spend0)``: the start year's
    money sustains the start year's quality; doubling the money doubles the odds of good
    service (at elasticity 1; diminishing returns near 1); no money, no service.

    Args:
        spend: running money this year, GBP/yr ``[n_services, n_wards]``.
        spend0: running money in the start year, GBP/yr (same shape, > 0).
        quality0: quality in the start year (same shape, in (0, 1)).
        params: the behavioural parameters.
    """
    ratio = np.maximum(spend, 0.0) / spend0
    odds0 = quality0 / (1.0 - quality0)
    odds = odds0 * ratio**params.spend_elasticity
    return odds / (1.0 + odds)


def service_quality(quality: F64, target: F64, invest: F64, population: F64, params: Params) -> F64:
    """Service quality after a year, before closures, ``[n_services, n_wards]``.

    Quality closes ``adjust_speed`` of its gap to ``target`` (what the year's running money
    sustains, :func:`sustainable_quality`), then capital ``invest`` (GBP/yr, same shape)
    lifts it by ``invest / (capital_cost * population)`` of the way to 1.
    ``population``: residents, ``[n_wards]``.
    """
    speed = params.vector("adjust_speed", SERVICE_NAMES)
    cost = params.vector("capital_cost", SERVICE_NAMES)
    quality = quality + speed[:, None] * (target - quality)
    lift = invest / (cost[:, None] * np.maximum(population, 1.0)[None, :])
    return quality + lift * (1.0 - quality)
