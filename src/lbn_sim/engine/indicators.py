"""Ward indicators on the model's [0, 1] deprivation scale (higher is worse), and the
IMD-like and CNI-like composites read from them.

Every domain starts at the ward's published value and moves by the change of what the model
simulates for it (anchor plus change, approaching the bounds smoothly), so the start year
reproduces the data exactly and sampling error in a ward's level never reaches it:

- income and employment deprivation move by the simulated households' shares (counts of
  people, as the IMD counts claimants: uprating benefits changes what claimants receive,
  not who claims, so it does not move income deprivation);
- education moves by residents' skills (cohorts moving in and out, adult learning), health
  by residents' health, crime by worklessness, engagement and financial stress;
- the CNI domains move by community spaces, connectivity and engagement.

Barriers to housing and services (road distances to a GP, school, shop and post office;
overcrowding, homelessness, affordability) and the living environment (housing condition,
central heating, air quality, road accidents) are held at their published values: the model
simulates none of their indicators.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from lbn_sim.engine.bounded import approach
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
    """IMD points per unit change of each IMD domain, ``[7]``, from the start-year rates: a
    linear approximation the composites no longer use (:mod:`lbn_sim.engine.composites`),
    kept for ``scripts/calibrate_history.py``'s 2015-2019 reading until issue 20 redoes it.

    ``rates``: the model-scale domain rates of every ward (``households.model_rates``),
    each ``[n_wards]``; the 1st and 99th percentiles across wards set the scale
    (:func:`imd_points_per_unit`).
    """
    stacked = np.stack([rates[d] for d in IMD_DOMAINS])
    return imd_points_per_unit(*np.percentile(stacked, PERCENTILES, axis=1))


def compute(wards: WardState, baseline: Baseline, params: Params) -> dict[str, F64]:
    """All indicators for one year, each float64 ``[n_wards]`` in [0, 1]: each domain's
    published start value moved by the change of what the model simulates for it (see the
    module docstring; ``params``: the weights of crime and engagement's drivers)."""
    r = baseline.rates
    agg, agg0 = wards.agg, baseline.agg
    q, q0 = wards.quality, baseline.quality
    p = params
    power = p.indicator_saturation_power
    conn = (q[Service.TRANSPORT] + q[Service.DIGITAL]) / 2
    conn0 = (q0[Service.TRANSPORT] + q0[Service.DIGITAL]) / 2
    engagement = approach(
        r["engagement_need"],
        -p.engagement_participation_weight * (agg.participation - agg0.participation)
        - p.engagement_capacity_weight * (wards.capacity - baseline.capacity),
        power,
    )
    employment = approach(
        r["employment_deprivation"],
        agg.employment_deprivation - agg0.employment_deprivation,
        power,
    )
    return {
        "income_deprivation": approach(
            r["income_deprivation"], agg.income_deprivation - agg0.income_deprivation, power
        ),
        "employment_deprivation": employment,
        "education_deprivation": approach(
            r["education_deprivation"], -(agg.skills - agg0.skills), power
        ),
        "health_deprivation": approach(r["health_deprivation"], -(agg.health - agg0.health), power),
        "crime": approach(
            r["crime"],
            p.crime_employment_weight * (employment - r["employment_deprivation"])
            + p.crime_engagement_weight * (engagement - r["engagement_need"])
            + p.crime_stress_weight * (agg.stress - agg0.stress),
            power,
        ),
        "housing_access_deprivation": r["housing_access_deprivation"].copy(),
        "living_environment_deprivation": r["living_environment_deprivation"].copy(),
        "civic_assets_need": approach(
            r["civic_assets_need"],
            q0[Service.COMMUNITY_SPACES] - q[Service.COMMUNITY_SPACES],
            power,
        ),
        "connectedness_need": approach(r["connectedness_need"], conn0 - conn, power),
        "engagement_need": engagement,
        "financial_stress": agg.stress.copy(),
    }


def composites(ind: dict[str, F64], baseline: Baseline) -> tuple[F64, F64, F64]:
    """IMD-like and CNI-like scores (points), each ``[n_wards]``, built as the published
    indices are (:mod:`lbn_sim.engine.composites`) from each domain's change since the start
    (model scale), and the IMD-like score read on the start year's distribution (an absolute
    line: :meth:`~lbn_sim.engine.composites.Composite.score_on_start_scale`)."""
    r = baseline.rates
    imd_change = np.stack([ind[d] - r[d] for d in IMD_DOMAINS])
    imd = baseline.imd.score(imd_change)
    cni = baseline.cni.score(np.stack([ind[d] - r[d] for d in CNI_DOMAINS]))
    return imd, cni, baseline.imd.score_on_start_scale(imd_change)
