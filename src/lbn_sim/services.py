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

#: Half-saturation running cost (GBP per resident per year) by service.
HALF_COST = np.array([450.0, 600.0, 25.0, 60.0, 30.0, 20.0, 20.0, 6.0])
#: Share of the gap to sustainable quality closed each year (1/yr): the lag.
ADJUST_SPEED = np.array([0.10, 0.15, 0.20, 0.15, 0.10, 0.25, 0.30, 0.30])
#: Capital cost of lifting quality from 0 to 1 (GBP per resident).
CAPITAL_COST = np.array([1500.0, 1500.0, 150.0, 600.0, 300.0, 100.0, 100.0, 30.0])
#: Quality below which a community space closes unless the community takes it over.
CLOSURE_QUALITY = 0.08

#: How programme money is split across services by purpose (rows: purposes).
PURPOSES = ("capacity_building", "education", "health", "connectivity", "jobs", "general")


def sustainable_quality(
    spend: NDArray[np.float64], population: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Quality that a year's spending sustains, shape ``[n_services, n_wards]`` in [0, 1).

    Args:
        spend: float64 ``[n_services, n_wards]``, GBP per year.
        population: float64 ``[n_wards]``, residents.
    """
    per_head = spend / np.maximum(population, 1.0)[None, :]
    return per_head / (per_head + HALF_COST[:, None])


def baseline_spend(
    quality: NDArray[np.float64], population: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Spending that sustains ``quality`` exactly, shape ``[n_services, n_wards]`` (GBP/yr).

    The inverse of :func:`sustainable_quality`: ``s = h q / (1 - q)`` per resident.
    """
    q = np.clip(quality, 0.0, 0.97)
    return HALF_COST[:, None] * q / (1.0 - q) * population[None, :]
