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

from lbn_sim.core import access, employment_support, finding_factor, loss_prob
from lbn_sim.households import (
    N_BANDS,
    RETIRED_BAND,
    Households,
    base_income,
    segment_sums,
    solve_income_shift,
    take_block,
    take_rows,
    ward_segments,
)
from lbn_sim.params import CoreParams

F64 = NDArray[np.float64]


def stationary_employment(
    hh: Households,
    quality: F64,
    target_rate: F64,
    params: CoreParams,
    rng: np.random.Generator,
    iterations: int = 30,
) -> tuple[F64, NDArray[np.bool_], NDArray[np.float32]]:
    """Job-finding scale per ward and a stationary draw of who is in work.

    Args:
        hh: households (their employment is redrawn).
        quality: float64 ``[n_services, n_wards]`` service quality at the start.
        target_rate: float64 ``[n_wards]`` employment rate of working-age heads (share).
        params: the core's parameters (the same rules the core applies).
        rng: the model's generator.

    Returns:
        ``(job_rate [n_wards] per year, employed [n] bool, p_employed [n] float32)``:
        the last is each household's stationary probability of being in work (0 if retired).
    """
    n_wards = target_rate.shape[0]
    seg = ward_segments(hh.ward, n_wards)
    if seg is None:  # put the households in ward order, and the draws back in theirs
        order = np.argsort(hh.ward, kind="stable")
        job_rate, employed, p_emp = stationary_employment(
            take_rows(hh, order), quality, target_rate, params, rng, iterations
        )
        back = np.empty_like(employed)
        back[order] = employed
        p_back = np.empty_like(p_emp)
        p_back[order] = p_emp
        return job_rate, back, p_back
    support = employment_support(quality, quality)
    net = params.network_effect if params.switches.social_infrastructure else 0.0
    ward_factor = support * access(quality, params)
    job_rate = np.empty(n_wards)
    employed = np.empty(hh.n, dtype=np.bool_)
    p_employed = np.empty(hh.n, dtype=np.float32)
    # A block of whole wards at a time: the bisection's passes stay in the processor's cache.
    for s, e, w0, w1 in seg.block_rows(skip_empty=False):
        block = take_block(hh, s, e)
        starts = seg.starts[w0 : w1 + 1] - s
        counts = np.diff(starts)
        factor = finding_factor(block.skills, block.health, block.participation, net)
        factor = factor * np.repeat(ward_factor[w0:w1], counts)
        lose = loss_prob(block.skills, block.health, params.job_loss).astype(np.float64)
        working_age = block.band != RETIRED_BAND
        w = block.weight * working_age
        total = np.maximum(segment_sums(w, starts), 1e-12)
        target = target_rate[w0:w1]
        lo = np.zeros(w1 - w0)
        hi = np.full(w1 - w0, 20.0)
        for _ in range(iterations):
            mid = 0.5 * (lo + hi)
            p_find = np.minimum(np.repeat(mid, counts) * factor, 1.0)
            rate = segment_sums(w * (p_find / (p_find + lose)), starts) / total
            low = rate < target
            lo = np.where(low, mid, lo)
            hi = np.where(low, hi, mid)
        job_rate[w0:w1] = 0.5 * (lo + hi)
        p_find = np.minimum(np.repeat(job_rate[w0:w1], counts) * factor, 1.0)
        p_emp = working_age * (p_find / (p_find + lose))
        p_employed[s:e] = p_emp
        employed[s:e] = rng.random(e - s) < p_emp
    return job_rate, employed, p_employed


#: Mean years a head spends in each age band (the last: until the household dissolves).
BAND_YEARS = np.array([14.0, 20.0, 15.0, 15.0])


def ageing_rates(hh: Households, n_wards: int) -> NDArray[np.float32]:
    """Yearly probability of moving to the next age band, per ward and band, ``[n_wards, 4]``.

    Each ward's rates make its start-year age structure a steady state:
    households flow through the bands at one rate ``F`` (``N_b * a_b = F`` for
    every band ``b``, the 65+ band dissolving into a new young household), with
    ``F = N / sum(BAND_YEARS)``, the turnover of a ward whose bands last
    :data:`BAND_YEARS`. Rates are capped to [0.01, 0.5].
    """
    counts = np.zeros((n_wards, N_BANDS))
    np.add.at(counts, (hh.ward, hh.band), hh.weight.astype(np.float64))
    flow = counts.sum(axis=1, keepdims=True) / BAND_YEARS.sum()
    rates = np.where(counts > 0, flow / np.maximum(counts, 1e-9), 1.0 / BAND_YEARS[None, :])
    return np.clip(rates, 0.01, 0.5).astype(np.float32)


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
    job_rate, employed, p_emp = stationary_employment(
        hh, quality, 1.0 - rates["employment_deprivation"], params, rng
    )
    hh = hh.with_(employed=employed)
    # Solve incomes on each household's expected situation (in work with its stationary
    # probability), not on this year's draw: a ward whose draw happened to find more people
    # in work would otherwise get incomes too low, and drift once employment regresses.
    both = np.concatenate
    weight = hh.weight.astype(np.float64)
    shift = solve_income_shift(
        both([hh.ward, hh.ward]),
        both([weight * p_emp, weight * (1.0 - p_emp)]).astype(np.float32),
        both([hh.size, hh.size]),
        both([np.ones(hh.n, np.bool_), np.zeros(hh.n, np.bool_)]),
        both([hh.band, hh.band]),
        both([hh.skills, hh.skills]),
        both([hh.income_factor, hh.income_factor]),
        rates["income_deprivation"],
    )
    income_factor = (hh.income_factor * np.exp(shift)[hh.ward]).astype(np.float32)
    # Stress at the level the core's rule holds it for each household's situation.
    deprived = income_factor * base_income(hh.employed, hh.band, hh.skills) < 1.0
    out_of_work = (hh.band != RETIRED_BAND) & ~hh.employed
    noise = rng.normal(0.0, 0.03, hh.n)
    stress = np.clip(0.1 + 0.45 * deprived + 0.1 * out_of_work + noise, 0.0, 1.0)
    hh = hh.with_(income_factor=income_factor, stress=stress.astype(np.float32))
    n_wards = job_rate.shape[0]
    counts = np.maximum(np.bincount(hh.ward, minlength=n_wards), 1)
    centre = np.bincount(hh.ward, weights=np.log(income_factor), minlength=n_wards) / counts
    return hh, job_rate, centre
