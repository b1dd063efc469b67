"""The start year as a steady state: employment and incomes calibrated to the ward table.

Without policy change the model should hold still, so the start must be a
steady state of the household rules, not just a snapshot with the right
averages. Two calibrations per ward, both by vectorised bisection:

* the job-finding scale, so that each working-age head is in work with its
  own stationary probability ``p_find / (p_find + p_lose)`` and the ward's
  expected employment rate is the published one;
* the centre of the household income factors, so that the share of residents
  below the poverty line is the published income-deprivation rate.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from lbn_sim.core import access, job_finding_factor, job_loss_prob
from lbn_sim.households import RETIRED_BAND, Households, solve_income_shift
from lbn_sim.params import CoreParams

F64 = NDArray[np.float64]


class _StartView:
    """Quality at the start, shaped like the parts of ``WardState``/``Baseline`` a rule reads."""

    def __init__(self, quality: F64) -> None:
        self.quality = quality


def stationary_employment(
    hh: Households,
    quality: F64,
    target_rate: F64,
    params: CoreParams,
    rng: np.random.Generator,
    iterations: int = 30,
) -> tuple[F64, NDArray[np.bool_]]:
    """Job-finding scale per ward and a stationary draw of who is in work.

    Args:
        hh: households (their employment is redrawn).
        quality: float64 ``[n_services, n_wards]`` service quality at the start.
        target_rate: float64 ``[n_wards]`` employment rate of working-age heads (share).
        params: the core's parameters (the same rules the core applies).
        rng: the model's generator.

    Returns:
        ``(job_rate [n_wards] per year, employed [n] bool)``.
    """
    n_wards = target_rate.shape[0]
    view = _StartView(quality)
    factor = job_finding_factor(hh, view, view, params).astype(np.float64)  # type: ignore[arg-type]
    factor *= access(quality, params)[hh.ward]
    lose = job_loss_prob(hh, params).astype(np.float64)
    working_age = hh.band != RETIRED_BAND
    w = hh.weight.astype(np.float64) * working_age
    total = np.maximum(np.bincount(hh.ward, weights=w, minlength=n_wards), 1e-12)
    lo = np.zeros(n_wards)
    hi = np.full(n_wards, 20.0)
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        p_find = np.minimum(mid[hh.ward] * factor, 1.0)
        rate = np.bincount(hh.ward, weights=w * p_find / (p_find + lose), minlength=n_wards) / total
        low = rate < target_rate
        lo = np.where(low, mid, lo)
        hi = np.where(low, hi, mid)
    job_rate = 0.5 * (lo + hi)
    p_find = np.minimum(job_rate[hh.ward] * factor, 1.0)
    employed = working_age & (rng.random(hh.n) < p_find / (p_find + lose))
    return job_rate, employed


def calibrate_start(
    hh: Households,
    quality: F64,
    rates: dict[str, F64],
    params: CoreParams,
    rng: np.random.Generator,
) -> tuple[Households, F64, F64]:
    """Households in a steady state that matches the ward table.

    Returns ``(households, job_rate [n_wards], log_income_centre [n_wards])``;
    the last is the mean log income factor of each ward, from which newcomers
    draw theirs.
    """
    job_rate, employed = stationary_employment(
        hh, quality, 1.0 - rates["employment_deprivation"], params, rng
    )
    hh = hh.with_(employed=employed)
    shift = solve_income_shift(
        hh.ward,
        hh.weight,
        hh.size,
        hh.employed,
        hh.band,
        hh.skills,
        hh.income_factor,
        rates["income_deprivation"],
    )
    income_factor = (hh.income_factor * np.exp(shift)[hh.ward]).astype(np.float32)
    hh = hh.with_(income_factor=income_factor)
    n_wards = job_rate.shape[0]
    counts = np.maximum(np.bincount(hh.ward, minlength=n_wards), 1)
    centre = np.bincount(hh.ward, weights=np.log(income_factor), minlength=n_wards) / counts
    return hh, job_rate, centre
