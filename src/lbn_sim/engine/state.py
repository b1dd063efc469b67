"""Ward-level state of the core: stocks that money builds and time erodes, and the baseline.

All arrays are indexed by ward (shape ``[n_wards]``) or by service and ward
(shape ``[n_services, n_wards]``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from lbn_sim.engine.composites import Composite
from lbn_sim.engine.households import (
    RETIRED_BAND,
    Households,
    IncomeRule,
    income_deprived,
    segment_sums,
    take_block,
    take_rows,
    ward_segments,
)
from lbn_sim.engine.neighbours import Neighbours
from lbn_sim.engine.parameters import Params
from lbn_sim.engine.services import N_SERVICES, Service

F64 = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class WardAggregates:
    """Household aggregates per ward, each float64 ``[n_wards]``.

    Attributes:
        people: residents (weighted sum of household sizes, persons).
        income_deprivation: share of residents in income-deprived households.
        employment_deprivation: share of working-age heads out of work (weighted).
        skills, health, stress, participation: resident-weighted means in [0, 1].
    """

    people: F64
    income_deprivation: F64
    employment_deprivation: F64
    skills: F64
    health: F64
    stress: F64
    participation: F64


@dataclass(frozen=True, slots=True)
class WardState:
    """Ward stocks, each in [0, 1] unless stated.

    Attributes:
        quality: ``[n_services, n_wards]`` quality-and-capacity of each service.
        capacity: ``[n_wards]`` community organisations' capacity.
        legacy: ``[n_wards]`` capacity built for good by long-term money.
        jobs: ``[n_wards]`` local labour demand (job-finding index, > 0, 1 = start).
        scar: ``[n_wards]`` in [0, 0.95], share of the labour demand's trend lost to
            recessions and not yet recovered (0 at the start; ``jobs`` includes it).
        health_effect: ``[n_wards]`` lagged effect of services and stress on health.
        participation_effect: ``[n_wards]`` lagged effect on civic participation.
        years_funded: int16 ``[n_wards]`` consecutive years of community-controlled money.
        adult_learning: ``[n_wards]`` the working-age residents' mean skill uplift from
            adult learning against the start's provision (skills scale; negative where
            provision has fallen; 0 at the start).
        agg: the household aggregates at the end of the year.
    """

    quality: F64
    capacity: F64
    legacy: F64
    jobs: F64
    scar: F64
    health_effect: F64
    participation_effect: F64
    years_funded: NDArray[np.int16]
    adult_learning: F64
    agg: WardAggregates

    def with_(self, **changes: object) -> WardState:
        """A copy with some fields replaced."""
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Baseline:
    """Start-year values every year is measured against (each ``[n_wards]`` unless stated).

    Attributes:
        rates: the ward table's indicators on the model's [0, 1] scale.
        quality: ``[n_services, n_wards]`` service quality at the start.
        spend: ``[n_services, n_wards]`` running money in the start year (GBP/yr).
        public_spend: ``[n_services, n_wards]`` its public part, GBP/yr: the local
            authority's (no programme money is running at the start). Each year's public
            money, programmes included, is measured against it.
        capacity: community capacity at the start.
        agg: household aggregates at the start.
        job_rate: job-finding scale at the start (per year), calibrated so the
            start is a steady state of employment.
        income_centre: mean log income factor per ward (newcomers draw around it).
        age_up: float32 ``[n_wards, 4]`` yearly probability of moving to the next age
            band by ward and band (the start's age structure is a steady state).
        imd_score, cni_score: published composites at the start (points).
        imd, cni: the IMD-like and CNI-like composites, built as published
            (:class:`lbn_sim.engine.composites.Composite`).
        neighbours: each ward's neighbours (the other wards of its local authority).
        used_quality: ``[n_services, n_wards]`` quality of the services households used
            at the start, their own ward's and their neighbours'
            (:func:`lbn_sim.engine.neighbours.used_quality`).
        push: each ward's employment shortfall against England's at the start
            (:func:`lbn_sim.engine.mechanisms.out_migration.employment_push`); newcomers are
            selected by its change.
    """

    rates: dict[str, F64]
    quality: F64
    spend: F64
    public_spend: F64
    capacity: F64
    agg: WardAggregates
    job_rate: F64
    income_centre: F64
    age_up: NDArray[np.float32]
    imd_score: F64
    cni_score: F64
    imd: Composite
    cni: Composite
    neighbours: Neighbours
    used_quality: F64
    push: F64


#: Rows of :func:`ward_sums`: weighted sums per ward that the aggregates are made of.
SUM_ROWS = (
    "people",  # residents: sum of weight * size
    "income_deprived",  # residents in income-deprived households
    "working_age",  # working-age heads: sum of weight over heads not in the 65+ band
    "out_of_work",  # working-age heads out of work
    "skills",  # residents times skills (likewise the next three)
    "health",
    "stress",
    "participation",
)


def sum_terms(hh: Households, rule: IncomeRule) -> NDArray[np.float32]:
    """Each household's terms of the ward sums, float32 ``[len(SUM_ROWS), n]`` (see SUM_ROWS).

    ``rule`` decides who is income-deprived: as the IMD's income domain counts people in
    families claiming means-tested benefits, a household counts by its income at the start
    year's benefit rates, so uprating benefits (which changes what claimants receive, not
    who claims) does not move the count; it lowers financial stress instead.
    """
    terms = np.empty((len(SUM_ROWS), hh.n), dtype=np.float32)
    people_w = np.multiply(hh.weight, hh.size, out=terms[0])
    working_age = hh.band != RETIRED_BAND
    np.multiply(people_w, income_deprived(hh, rule), out=terms[1])
    np.multiply(hh.weight, working_age, out=terms[2])
    np.multiply(hh.weight, working_age & ~hh.employed, out=terms[3])
    np.multiply(people_w, hh.skills, out=terms[4])
    np.multiply(people_w, hh.health, out=terms[5])
    np.multiply(people_w, hh.stress, out=terms[6])
    np.multiply(people_w, hh.participation, out=terms[7])
    return terms


def ward_sums(hh: Households, starts: NDArray[np.int64], rule: IncomeRule) -> F64:
    """Weighted sums per ward of households sorted by ward, float64 ``[len(SUM_ROWS), k]``.

    Terms in float32 (one rounding each), sums accumulated in float64.

    Args:
        hh: households of ``k`` consecutive wards, sorted by ward (a block of the population).
        starts: int64 ``[k + 1]``, first row in ``hh`` of each ward (``starts[-1] == hh.n``).
    """
    return segment_sums(sum_terms(hh, rule), starts)


def aggregates_from_sums(sums: F64) -> WardAggregates:
    """Ward aggregates from the ward sums (``[len(SUM_ROWS), n_wards]``, see :func:`ward_sums`)."""
    people = sums[0]
    safe = np.maximum(people, 1e-12)
    wa_total = np.maximum(sums[2], 1e-12)
    return WardAggregates(
        people=people.copy(),
        income_deprivation=np.clip(sums[1] / safe, 0.0, 1.0),
        employment_deprivation=np.clip(sums[3] / wa_total, 0.0, 1.0),
        skills=sums[4] / safe,
        health=sums[5] / safe,
        stress=sums[6] / safe,
        participation=sums[7] / safe,
    )


def aggregate(hh: Households, n_wards: int, rule: IncomeRule) -> WardAggregates:
    """Aggregate households to wards (weighted by residents or by working-age heads).

    One pass over the households, a block of whole wards at a time (households
    not sorted by ward are sorted first).
    """
    seg = ward_segments(hh.ward, n_wards)
    if seg is None:
        hh = take_rows(hh, np.argsort(hh.ward, kind="stable"))
        seg = ward_segments(hh.ward, n_wards)
        assert seg is not None
    sums = np.zeros((len(SUM_ROWS), n_wards))
    for s, e, w0, w1 in seg.block_rows():
        block = take_block(hh, s, e)
        sums[:, w0:w1] = ward_sums(block, seg.starts[w0 : w1 + 1] - s, rule)
    return aggregates_from_sums(sums)


def initial_quality(rates: dict[str, F64], params: Params) -> F64:
    """Start-year service quality from the ward's published indicators, ``[n_services, n_wards]``.

    Community spaces mirror the CNI civic-assets domain, transport and digital
    the connectedness domain, schools and adult education the education
    domain, health services the health domain, employment support and debt
    advice a uniform national offer.
    """
    n = rates["income_deprivation"].shape[0]
    q = np.empty((N_SERVICES, n))
    q[Service.SCHOOLS] = 1.0 - rates["education_deprivation"]
    q[Service.HEALTH] = 1.0 - rates["health_deprivation"]
    q[Service.COMMUNITY_SPACES] = 1.0 - rates["civic_assets_need"]
    q[Service.TRANSPORT] = 1.0 - rates["connectedness_need"]
    q[Service.DIGITAL] = 1.0 - rates["connectedness_need"]
    q[Service.ADULT_EDUCATION] = params.initial_adult_education_ratio * (
        1.0 - rates["education_deprivation"]
    )
    q[Service.EMPLOYMENT_SUPPORT] = params.initial_employment_support_quality
    q[Service.DEBT_ADVICE] = params.initial_debt_advice_quality
    return np.clip(q, params.initial_quality_min, params.initial_quality_max)


def initial_capacity(rates: dict[str, F64], params: Params) -> F64:
    """Community capacity in the start year, ``[n_wards]``, low where engagement need is high."""
    capacity = params.initial_capacity_ratio * (1.0 - rates["engagement_need"])
    return np.clip(capacity, params.initial_capacity_min, params.initial_capacity_max)


def ward_population(wards: pd.DataFrame) -> F64:
    """Residents per ward, float64 ``[n_wards]``."""
    return wards["population"].to_numpy(np.float64)
