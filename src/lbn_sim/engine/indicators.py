"""Ward indicators, the IMD-like and CNI-like composites, ranks and 'left behind' status.

Indicators are on the model's [0, 1] deprivation scale (higher is worse).
Those measured directly from households (income and employment deprivation,
financial stress) are the aggregates themselves; the others start at the
ward's published value and move with the model's drivers (anchor plus change),
so the start year reproduces the data exactly.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from lbn_sim.engine.parameters import Params
from lbn_sim.engine.services import Service
from lbn_sim.engine.state import Baseline, WardState
from lbn_sim.names import CNI_DOMAINS, IMD_DOMAINS, IMD_WEIGHTS

F64 = NDArray[np.float64]
#: The percentiles across wards whose distance sets a domain's IMD points (the IMD's own
#: scale: a domain spans about 100 points across England's wards).
PERCENTILES = (1, 99)


def imd_points_per_unit(p01: F64, p99: F64) -> F64:
    """IMD points per unit change of each domain (model scale), weight included, ``[7]``.

    The IMD turns each domain into a 0 to 100 scale before weighting; moving a
    domain across England's 1st-to-99th percentile range moves it across
    about 100 points. So one unit of a domain is worth ``100 / (p99 - p01)``
    points, times the domain weight.
    """
    return IMD_WEIGHTS * 100.0 / np.maximum(p99 - p01, 1e-6)


def imd_points(rates: dict[str, F64]) -> F64:
    """IMD points per unit change of each IMD domain, ``[7]``, from the start-year rates.

    ``rates``: the model-scale domain rates of every ward (``households.model_rates``),
    each ``[n_wards]``; the 1st and 99th percentiles across wards set the scale
    (:func:`imd_points_per_unit`).
    """
    stacked = np.stack([rates[d] for d in IMD_DOMAINS])
    return imd_points_per_unit(*np.percentile(stacked, PERCENTILES, axis=1))


def compute(wards: WardState, baseline: Baseline, params: Params) -> dict[str, F64]:
    """All indicators for one year, each float64 ``[n_wards]`` in [0, 1] (how the domains the
    model does not measure directly move with its drivers: the ``params`` weights)."""
    r = baseline.rates
    agg, agg0 = wards.agg, baseline.agg
    q, q0 = wards.quality, baseline.quality
    services = q.mean(axis=0) - q0.mean(axis=0)
    p = params
    conn = (q[Service.TRANSPORT] + q[Service.DIGITAL]) / 2
    conn0 = (q0[Service.TRANSPORT] + q0[Service.DIGITAL]) / 2
    engagement = np.clip(
        r["engagement_need"]
        - p.engagement_participation_weight * (agg.participation - agg0.participation)
        - p.engagement_capacity_weight * (wards.capacity - baseline.capacity),
        0.0,
        1.0,
    )
    employment = agg.employment_deprivation
    out = {
        "income_deprivation": agg.income_deprivation,
        "employment_deprivation": employment,
        "education_deprivation": r["education_deprivation"] - (agg.skills - agg0.skills),
        "health_deprivation": r["health_deprivation"] - (agg.health - agg0.health),
        "crime": r["crime"]
        + p.crime_employment_weight * (employment - agg0.employment_deprivation)
        + p.crime_engagement_weight * (engagement - r["engagement_need"])
        + p.crime_stress_weight * (agg.stress - agg0.stress),
        "housing_access_deprivation": r["housing_access_deprivation"]
        - p.housing_connectivity_weight * (conn - conn0)
        - p.housing_services_weight * services,
        "living_environment_deprivation": r["living_environment_deprivation"]
        - p.living_environment_spaces_weight
        * (q[Service.COMMUNITY_SPACES] - q0[Service.COMMUNITY_SPACES])
        - p.living_environment_services_weight * services,
        "civic_assets_need": 1.0 - q[Service.COMMUNITY_SPACES],
        "connectedness_need": 1.0 - conn,
        "engagement_need": engagement,
        "financial_stress": agg.stress,
    }
    return {k: np.clip(v, 0.0, 1.0) for k, v in out.items()}


def composites(ind: dict[str, F64], start: dict[str, F64], baseline: Baseline) -> tuple[F64, F64]:
    """IMD-like and CNI-like scores (points), each ``[n_wards]``.

    ``imd_like = imd_score_0 + sum_d points_d (x_d - x_d0)`` over the seven IMD
    domains; ``cni_like = cni_score_0 + 100 sum_d (x_d - x_d0)`` over the three
    CNI domains (the CNI is the sum of its domains, each 0 to 100). Both equal
    the published scores in the start year.
    """
    imd = baseline.imd_score.copy()
    for d, pts in zip(IMD_DOMAINS, baseline.imd_points, strict=True):
        imd += pts * (ind[d] - start[d])
    cni = baseline.cni_score.copy()
    for d in CNI_DOMAINS:
        cni += 100.0 * (ind[d] - start[d])
    return imd, cni
