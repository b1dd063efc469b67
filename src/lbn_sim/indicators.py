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

from lbn_sim.services import Service
from lbn_sim.state import Baseline, WardState

F64 = NDArray[np.float64]

#: The seven IMD domains (model names) and their IMD 2019 weights.
IMD_DOMAINS = (
    "income_deprivation",
    "employment_deprivation",
    "education_deprivation",
    "health_deprivation",
    "crime",
    "housing_access_deprivation",
    "living_environment_deprivation",
)
IMD_WEIGHTS = np.array([0.225, 0.225, 0.135, 0.135, 0.093, 0.093, 0.093])
#: The three CNI domains (model names).
CNI_DOMAINS = ("civic_assets_need", "connectedness_need", "engagement_need")

#: Indicator columns written for every ward and year, all in [0, 1].
RATE_INDICATORS = (*IMD_DOMAINS, *CNI_DOMAINS, "financial_stress")
#: Share of residents a ward must rank in, on both composites, to count as left behind.
LEFT_BEHIND_SHARE = 0.10


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
    return imd_points_per_unit(*np.percentile(stacked, [1, 99], axis=1))


def compute(wards: WardState, baseline: Baseline) -> dict[str, F64]:
    """All indicators for one year, each float64 ``[n_wards]`` in [0, 1]."""
    r = baseline.rates
    agg, agg0 = wards.agg, baseline.agg
    q, q0 = wards.quality, baseline.quality
    services = q.mean(axis=0) - q0.mean(axis=0)
    conn = 0.5 * (q[Service.TRANSPORT] + q[Service.DIGITAL])
    conn0 = 0.5 * (q0[Service.TRANSPORT] + q0[Service.DIGITAL])
    engagement = np.clip(
        r["engagement_need"]
        - 0.5 * (agg.participation - agg0.participation)
        - 0.5 * (wards.capacity - baseline.capacity),
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
        + 0.5 * (employment - agg0.employment_deprivation)
        + 0.3 * (engagement - r["engagement_need"])
        + 0.2 * (agg.stress - agg0.stress),
        "housing_access_deprivation": r["housing_access_deprivation"]
        - 0.5 * (conn - conn0)
        - 0.2 * services,
        "living_environment_deprivation": r["living_environment_deprivation"]
        - 0.3 * (q[Service.COMMUNITY_SPACES] - q0[Service.COMMUNITY_SPACES])
        - 0.1 * services,
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


def rank_desc(score: F64) -> NDArray[np.int32]:
    """Rank 1 = highest score (most deprived); ties broken by ward order. ``[n_wards]``."""
    order = np.argsort(-score, kind="stable")
    ranks = np.empty(score.shape[0], dtype=np.int32)
    ranks[order] = np.arange(1, score.shape[0] + 1, dtype=np.int32)
    return ranks


def left_behind_rule(imd_rank: NDArray[np.int32], cni_rank: NDArray[np.int32]) -> NDArray[np.bool_]:
    """Wards in the most deprived 10% on both composites, ``[n_wards]``."""
    cut = int(np.floor(LEFT_BEHIND_SHARE * imd_rank.shape[0]))
    return (imd_rank <= cut) & (cni_rank <= cut)
