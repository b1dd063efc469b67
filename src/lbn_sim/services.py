"""The public and community services a ward's households use.

Each service type has a quality-and-capacity stock in [0, 1] per ward, a
running cost, an adjustment speed (the lag between money and quality) and a
capital cost. Quality relaxes each year towards the level its spending can
sustain, ``q* = s / (s + h)`` with ``s`` the spending per resident and ``h``
the half-saturation cost: the spending per resident at which a service runs
at half quality. Money lifts quality; its absence lets it decay.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np
from numpy.typing import NDArray


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

#: Running spending per resident at average deprivation, 2019 (GBP per resident per year).
#: Schools and health are funded nationally; here they pass through the local authority as
#: ring-fenced grants (``RING_FENCED``), beside its core settlement for the other services,
#: so that one funding chain carries every pound.
BASE_PER_HEAD = np.array([900.0, 1400.0, 20.0, 40.0, 15.0, 15.0, 15.0, 5.0])
#: Services paid by ring-fenced grants (schools, health), ``[n_services]`` bool: protected
#: nationally and passed through the LA untouched; the rest is the LA's discretionary
#: (core) spending, where the austerity of the 2010s fell.
RING_FENCED = np.zeros(N_SERVICES, dtype=bool)
RING_FENCED[[Service.SCHOOLS, Service.HEALTH]] = True
#: Extra spending per resident per unit of the ward's deprivation z-score (fraction): need
#: weighting in the start-year funding (schools' pupil premium, health inequalities, advice).
NEED_GRADIENT = np.array([0.25, 0.3, 0.1, 0.1, 0.0, 0.3, 0.6, 0.6])
#: Elasticity of a service's quality odds to its running money (dimensionless).
SPEND_ELASTICITY = 1.0
#: Share of the gap to sustainable quality closed each year (1/yr): the lag.
ADJUST_SPEED = np.array([0.10, 0.15, 0.20, 0.15, 0.10, 0.25, 0.30, 0.30])
#: Capital cost of lifting quality from 0 to 1 (GBP per resident).
CAPITAL_COST = np.array([3000.0, 3000.0, 200.0, 800.0, 300.0, 150.0, 150.0, 50.0])
#: Quality below which a community space closes unless the community takes it over.
CLOSURE_QUALITY = 0.08
#: Where community spaces start near or below :data:`CLOSURE_QUALITY`, they close only
#: below this share of their start quality (the start is a steady state; a drift of money
#: of a fraction of a percent closes nothing).
CLOSURE_MARGIN = 0.95
#: Services a community organisation can take over when the council's money goes (community
#: asset transfer of libraries and centres, volunteer-run classes, advice and job clubs),
#: ``[n_services]`` bool. Schools, health, buses and broadband need more than volunteers.
COMMUNITY_RUN = np.zeros(N_SERVICES, dtype=bool)
COMMUNITY_RUN[
    [
        Service.COMMUNITY_SPACES,
        Service.ADULT_EDUCATION,
        Service.EMPLOYMENT_SUPPORT,
        Service.DEBT_ADVICE,
    ]
] = True
#: Community capacity below which no organisation can take a service over, and at which the
#: takeover reaches its full strength (the ramp between is linear).
TAKEOVER_CAPACITY = (0.3, 0.5)
#: Community capacity at which a closing community space is taken over: the ramp's middle.
CLOSURE_TAKEOVER_CAPACITY = 0.5 * (TAKEOVER_CAPACITY[0] + TAKEOVER_CAPACITY[1])


def takeover_share(capacity: NDArray[np.float64], strength: float) -> NDArray[np.float64]:
    """Share of a lost pound of community-run services that the community keeps going.

    ``strength * clip((capacity - 0.3) / 0.2, 0, 1)``, ``[n_wards]`` in [0, strength];
    ``strength`` must be in [0, 1] (no community replaces more than was lost).
    """
    if not 0.0 <= strength <= 1.0:
        raise ValueError(f"takeover strength must be in [0, 1], got {strength!r}")
    lo, hi = TAKEOVER_CAPACITY
    return strength * np.clip((capacity - lo) / (hi - lo), 0.0, 1.0)


def baseline_spend(
    deprivation_z: NDArray[np.float64], population: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Start-year running spending, float64 ``[n_services, n_wards]`` (GBP per year).

    ``BASE_PER_HEAD * max(0.3, 1 + NEED_GRADIENT * z) * population`` with ``z``
    the ward's IMD z-score (clipped to [-1.5, 3]).
    """
    z = np.clip(deprivation_z, -1.5, 3.0)
    need = np.maximum(0.3, 1.0 + NEED_GRADIENT[:, None] * z[None, :])
    return BASE_PER_HEAD[:, None] * need * population[None, :]


def sustainable_quality(
    spend: NDArray[np.float64], spend0: NDArray[np.float64], quality0: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Quality a year's running money sustains, float64 ``[n_services, n_wards]`` in [0, 1).

    ``logit(q*) = logit(q0) + SPEND_ELASTICITY * log(spend / spend0)``: the
    start year's money sustains the start year's quality; doubling the money
    doubles the odds of good service (diminishing returns near 1); no money,
    no service.

    Args:
        spend: running money this year, GBP/yr ``[n_services, n_wards]``.
        spend0: running money in the start year, GBP/yr (same shape, > 0).
        quality0: quality in the start year (same shape, in (0, 1)).
    """
    ratio = np.maximum(spend, 0.0) / spend0
    odds0 = quality0 / (1.0 - quality0)
    odds = odds0 * ratio**SPEND_ELASTICITY
    return odds / (1.0 + odds)
