"""Ward-level state of the core: stocks that money builds and time erodes, and the baseline.

All arrays are indexed by ward (shape ``[n_wards]``) or by service and ward
(shape ``[n_services, n_wards]``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from lbn_sim.households import Households
from lbn_sim.services import N_SERVICES, Service

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
        health_effect: ``[n_wards]`` lagged effect of services and stress on health.
        participation_effect: ``[n_wards]`` lagged effect on civic participation.
        years_funded: int16 ``[n_wards]`` consecutive years of community-controlled money.
        agg: the household aggregates at the end of the year.
    """

    quality: F64
    capacity: F64
    legacy: F64
    jobs: F64
    health_effect: F64
    participation_effect: F64
    years_funded: NDArray[np.int16]
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
        capacity: community capacity at the start.
        agg: household aggregates at the start.
        job_rate: job-finding scale at the start (per year), calibrated so the
            start is a steady state of employment.
        income_centre: mean log income factor per ward (newcomers draw around it).
        imd_score, cni_score: published composites at the start (points).
        imd_points: ``[7]`` IMD points per unit change of each IMD domain on the
            model scale, already multiplied by the domain weight.
        england_employment: England's employment rate of working-age heads at the start.
    """

    rates: dict[str, F64]
    quality: F64
    spend: F64
    capacity: F64
    agg: WardAggregates
    job_rate: F64
    income_centre: F64
    imd_score: F64
    cni_score: F64
    imd_points: F64
    england_employment: float


def aggregate(hh: Households, n_wards: int) -> WardAggregates:
    """Aggregate households to wards (weighted by residents or by working-age heads)."""
    from lbn_sim.households import RETIRED_BAND, income_deprived

    ward = hh.ward
    people_w = hh.weight.astype(np.float64) * hh.size
    people = np.bincount(ward, weights=people_w, minlength=n_wards).astype(np.float64)
    safe = np.maximum(people, 1e-12)

    def mean(values: NDArray[Any]) -> F64:
        return np.bincount(ward, weights=people_w * values, minlength=n_wards) / safe

    wa = hh.band != RETIRED_BAND
    wa_w = hh.weight.astype(np.float64) * wa
    wa_total = np.maximum(np.bincount(ward, weights=wa_w, minlength=n_wards), 1e-12)
    out = np.bincount(ward, weights=wa_w * ~hh.employed, minlength=n_wards) / wa_total
    return WardAggregates(
        people=people,
        income_deprivation=np.clip(mean(income_deprived(hh)), 0.0, 1.0),
        employment_deprivation=np.clip(out, 0.0, 1.0),
        skills=mean(hh.skills),
        health=mean(hh.health),
        stress=mean(hh.stress),
        participation=mean(hh.participation),
    )


def initial_quality(rates: dict[str, F64]) -> F64:
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
    q[Service.ADULT_EDUCATION] = 0.8 * (1.0 - rates["education_deprivation"])
    q[Service.EMPLOYMENT_SUPPORT] = 0.5
    q[Service.DEBT_ADVICE] = 0.4
    return np.clip(q, 0.03, 0.97)


def initial_capacity(rates: dict[str, F64]) -> F64:
    """Community capacity in the start year, ``[n_wards]``, low where engagement need is high."""
    return np.clip(0.9 * (1.0 - rates["engagement_need"]), 0.03, 0.95)


def ward_population(wards: pd.DataFrame) -> F64:
    """Residents per ward, float64 ``[n_wards]``."""
    return wards["population"].to_numpy(np.float64)
