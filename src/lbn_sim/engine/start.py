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

from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from lbn_sim.config import HouseholdConfig
from lbn_sim.data.small_areas import SmallAreaTables
from lbn_sim.engine.agents import charities
from lbn_sim.engine.blocks import map_blocks
from lbn_sim.engine.composites import Composite, build_composites
from lbn_sim.engine.expected_income import expected_income_shift
from lbn_sim.engine.household_year import finding_factor, loss_prob
from lbn_sim.engine.households import (
    BAND_NAMES,
    N_BANDS,
    RETIRED_BAND,
    Households,
    IncomeRule,
    WardSegments,
    base_income,
    segment_sums,
    take_block,
    take_rows,
    ward_segments,
)
from lbn_sim.engine.labour_market import employment_support
from lbn_sim.engine.ledger import I64, pounds_to_pence
from lbn_sim.engine.mechanisms.connectivity import access
from lbn_sim.engine.mechanisms.out_migration import employment_push
from lbn_sim.engine.mechanisms.social_infrastructure import network_strength
from lbn_sim.engine.neighbours import Neighbours, used_quality
from lbn_sim.engine.parameters import Params
from lbn_sim.engine.services import RING_FENCED, baseline_spend
from lbn_sim.engine.state import (
    Baseline,
    WardAggregates,
    WardState,
    aggregate,
    initial_capacity,
    initial_quality,
)
from lbn_sim.engine.synthesis import model_rates, synthesise
from lbn_sim.names import CNI_DOMAINS, IMD_DOMAINS

F64 = NDArray[np.float64]


def stationary_employment(
    hh: Households,
    quality: F64,
    target_rate: F64,
    params: Params,
    rng: np.random.Generator,
    iterations: int = 30,
    threads: int = 1,
) -> tuple[F64, NDArray[np.bool_], NDArray[np.float32]]:
    """Job-finding scale per ward and a stationary draw of who is in work.

    Args:
        hh: households (their employment is redrawn).
        quality: float64 ``[n_services, n_wards]`` service quality at the start.
        target_rate: float64 ``[n_wards]`` employment rate of working-age heads (share).
        params: the core's parameters (the same rules the core applies).
        rng: the model's generator.
        iterations: the bisection's steps.
        threads: threads the blocks' bisections run on (:func:`lbn_sim.engine.blocks.
            map_blocks`); each block's uniforms are drawn in this thread in block order.

    Returns:
        ``(job_rate [n_wards] per year, employed [n] bool, p_employed [n] float32)``:
        the last is each household's stationary probability of being in work (0 if retired).
    """
    n_wards = target_rate.shape[0]
    seg = ward_segments(hh.ward, n_wards)
    if seg is None:  # put the households in ward order, and the draws back in theirs
        order = np.argsort(hh.ward, kind="stable")
        job_rate, employed, p_emp = stationary_employment(
            take_rows(hh, order), quality, target_rate, params, rng, iterations, threads
        )
        back = np.empty_like(employed)
        back[order] = employed
        p_back = np.empty_like(p_emp)
        p_back[order] = p_emp
        return job_rate, back, p_back
    ward_factor = employment_support(quality, quality, params) * access(quality, params)
    found = (np.empty(n_wards), np.empty(hh.n, dtype=np.bool_), np.empty(hh.n, dtype=np.float32))
    block = partial(_block_employment, hh, seg, ward_factor, target_rate, params, iterations, found)
    # A block of whole wards at a time: the bisection's passes stay in the processor's cache.
    # Each block's uniforms are drawn here, in block order (they depend on its size only).
    drawn = ((b, rng.random(b[1] - b[0])) for b in seg.block_rows(skip_empty=False))
    map_blocks(block, drawn, threads)
    return found


def _block_employment(
    hh: Households,
    seg: WardSegments,
    ward_factor: F64,
    target_rate: F64,
    params: Params,
    iterations: int,
    found: tuple[F64, NDArray[np.bool_], NDArray[np.float32]],
    block: tuple[tuple[int, int, int, int], F64],
) -> None:
    """One block's part of :func:`stationary_employment`: its wards' job-finding scales and
    its rows' stationary probabilities and draw of who is in work, written into ``found``
    (``job_rate [n_wards], employed [n], p_employed [n]``). ``block``: its bounds
    ``(first row, end row, first ward, end ward)`` and its uniforms, float64 ``[rows]``;
    ``ward_factor``: each ward's support and access, ``[n_wards]``."""
    (s, e, w0, w1), u = block
    job_rate, employed, p_employed = found
    rows = take_block(hh, s, e)
    starts = seg.starts[w0 : w1 + 1] - s
    counts = np.diff(starts)
    net = network_strength(params)
    factor = finding_factor(rows.skills, rows.health, rows.participation, net, params)
    factor = factor * np.repeat(ward_factor[w0:w1], counts)
    lose = loss_prob(rows.skills, rows.health, params).astype(np.float64)
    working_age = rows.band != RETIRED_BAND
    w = rows.weight * working_age
    job_rate[w0:w1] = _bisect_job_rate(factor, lose, w, starts, target_rate[w0:w1], iterations)
    p_find = np.minimum(np.repeat(job_rate[w0:w1], counts) * factor, 1.0)
    p_emp = working_age * (p_find / (p_find + lose))
    p_employed[s:e] = p_emp
    employed[s:e] = u < p_emp


def _bisect_job_rate(
    factor: NDArray[np.floating],
    lose: F64,
    w: NDArray[np.floating],
    starts: NDArray[np.int64],
    target: F64,
    iterations: int,
) -> F64:
    """The job-finding scale of ``k`` consecutive wards, ``[k]``, at which each ward's expected
    employment rate of working-age heads is ``target`` (``[k]``): heads (rows ``starts``,
    ``[k + 1]``) find work with ``min(scale * factor, 1)`` and lose it with ``lose``
    (``[m]`` each), weighted by ``w`` (``[m]``, 0 for the retired)."""
    counts = np.diff(starts)
    total = np.maximum(segment_sums(w, starts), 1e-12)
    lo = np.zeros(counts.shape[0])
    hi = np.full(counts.shape[0], JOB_RATE_BRACKET, dtype=np.float64)
    for _ in range(iterations):
        mid = (lo + hi) / 2
        p_find = np.minimum(np.repeat(mid, counts) * factor, 1.0)
        rate = segment_sums(w * (p_find / (p_find + lose)), starts) / total
        low = rate < target
        lo = np.where(low, mid, lo)
        hi = np.where(low, hi, mid)
    result: F64 = (lo + hi) / 2
    return result


#: The bisection's bracket of the job-finding scale, [0, JOB_RATE_BRACKET] per year (a
#: solver's setting, not behaviour).
JOB_RATE_BRACKET = 20


def ageing_rates(hh: Households, n_wards: int, params: Params) -> NDArray[np.float32]:
    """Yearly probability of moving to the next age band, per ward and band, ``[n_wards, 4]``.

    Each ward's rates make its start-year age structure a steady state:
    households flow through the bands at one rate ``F`` (``N_b * a_b = F`` for
    every band ``b``, the 65+ band dissolving into a new young household), with
    ``F = N / sum(band_years)``, the turnover of a ward whose bands last the
    ``band_years_*`` parameters. Rates are capped to [``ageing_rate_min``, ``ageing_rate_max``].
    """
    counts = np.zeros((n_wards, N_BANDS))
    np.add.at(counts, (hh.ward, hh.band), hh.weight.astype(np.float64))
    band_years = params.vector("band_years", BAND_NAMES)
    flow = counts.sum(axis=1, keepdims=True) / band_years.sum()
    rates = np.where(counts > 0, flow / np.maximum(counts, 1e-9), 1.0 / band_years[None, :])
    return np.clip(rates, params.ageing_rate_min, params.ageing_rate_max).astype(np.float32)


def calibrate_start(
    hh: Households,
    quality: F64,
    rates: dict[str, F64],
    params: Params,
    rng: np.random.Generator,
    threads: int = 1,
) -> tuple[Households, F64, F64]:
    """Households in a steady state that matches the ward table.

    Returns ``(households, job_rate [n_wards], log_income_centre [n_wards])``;
    the last is the mean log income factor of each ward, from which newcomers
    draw theirs. ``threads``: threads the blocked solvers run on (same bytes on any).
    """
    job_rate, employed, p_emp = stationary_employment(
        hh, quality, 1.0 - rates["employment_deprivation"], params, rng, threads=threads
    )
    hh = hh.with_(employed=employed)
    rule = IncomeRule.from_params(params)
    # Solve incomes on each household's expected situation (in work with its stationary
    # probability), not on this year's draw: a ward whose draw happened to find more people
    # in work would otherwise get incomes too low, and drift once employment regresses.
    shift = expected_income_shift(hh, p_emp, rates["income_deprivation"], rule, threads=threads)
    income_factor = (hh.income_factor * np.exp(shift)[hh.ward]).astype(np.float32)
    # Stress at the level the core's rule holds it for each household's situation.
    deprived = income_factor * base_income(hh.employed, hh.band, hh.skills, 1.0, rule) < 1.0
    out_of_work = (hh.band != RETIRED_BAND) & ~hh.employed
    noise = rng.normal(0.0, params.calibration_stress_noise, hh.n)
    level = params.stress_floor + params.stress_income_deprived * deprived
    level = level + params.stress_out_of_work * out_of_work
    stress = np.clip(level + noise, 0.0, 1.0)
    hh = hh.with_(income_factor=income_factor, stress=stress.astype(np.float32))
    n_wards = job_rate.shape[0]
    counts = np.maximum(np.bincount(hh.ward, minlength=n_wards), 1)
    centre = np.bincount(hh.ward, weights=np.log(income_factor), minlength=n_wards) / counts
    return hh, job_rate, centre


@dataclass(frozen=True, slots=True)
class StartState:
    """The start year: households, the baseline every year is measured against, the ward
    stocks, each ward's reach (``[n_wards]``) and its money (GBP/yr, ``[n_wards]``)."""

    households: Households
    baseline: Baseline
    wards: WardState
    reach: F64
    funding0: F64

    def public_streams(self) -> tuple[F64, F64]:
        """Each ward's start-year public money in two streams, GBP/yr ``[n_wards]`` each:
        ``(ring-fenced grants, core settlement)``."""
        ring = RING_FENCED[:, None]
        public0 = self.baseline.public_spend
        return np.where(ring, public0, 0.0).sum(axis=0), np.where(ring, 0.0, public0).sum(axis=0)


def start_state(
    wards: pd.DataFrame,
    households: HouseholdConfig,
    params: Params,
    la_index: NDArray[np.int64],
    rng: np.random.Generator,
    areas: SmallAreaTables | None = None,
    threads: int = 1,
) -> StartState:
    """Draw and calibrate the start year's households, and the ward stocks and baseline.

    ``la_index``: each ward's authority, ``[n_wards]``; ``rng``: the model's generator
    (synthesis, then calibration); ``areas``: the indices' small areas (real data only);
    ``threads``: threads the blocked solvers run on (the same bytes on any number).
    """
    rates = model_rates(wards)
    q0 = initial_quality(rates, params)
    cap0 = initial_capacity(rates, params)
    drawn = synthesise(wards, households, params, rng, threads)
    hh, job_rate, income_centre = calibrate_start(drawn, q0, rates, params, rng, threads)
    n_wards = len(wards)
    agg0 = aggregate(hh, n_wards, IncomeRule.from_params(params))
    imd0 = wards["imd_score"].to_numpy(np.float64)
    imd, cni = composites_of(wards, rates, areas)
    imd_z = (imd0 - np.average(imd0, weights=agg0.people)) / max(float(imd0.std()), 1e-9)
    # Money: the start year's spending sustains the start year's services.
    scale = charities.charity_scale(cap0, agg0.people, params)
    public0 = baseline_spend(imd_z, agg0.people, params)
    spend0 = public0 + charities.running(charities.raise_money(scale, cap0, agg0.people), params)
    neighbours = Neighbours(la_index, agg0.people.copy())
    reach0 = access(q0, params)
    baseline = Baseline(
        rates=rates,
        quality=q0,
        spend=spend0,
        public_spend=public0,
        capacity=cap0,
        agg=agg0,
        job_rate=job_rate,
        income_centre=income_centre,
        age_up=ageing_rates(hh, n_wards, params),
        imd_score=imd.anchor,
        cni_score=cni.anchor,
        imd=imd,
        cni=cni,
        neighbours=neighbours,
        used_quality=used_quality(q0, reach0, neighbours, params),
        push=employment_push(1.0 - agg0.employment_deprivation, agg0.people),
    )
    return StartState(hh, baseline, start_stocks(q0, cap0, agg0), reach0, spend0.sum(axis=0))


def start_stocks(q0: F64, cap0: F64, agg0: WardAggregates) -> WardState:
    """The wards' stocks at the start: service quality ``q0`` (``[n_services, n_wards]``) and
    community capacity ``cap0`` (``[n_wards]``) as synthesised, labour demand 1, and no
    legacy, scar, lagged effect, funded years or adult-learning uplift yet."""
    n_wards = cap0.shape[0]
    zeros = np.zeros(n_wards)
    return WardState(
        quality=q0.copy(),
        capacity=cap0.copy(),
        legacy=zeros.copy(),
        jobs=np.ones(n_wards),
        scar=zeros.copy(),
        health_effect=zeros.copy(),
        participation_effect=zeros.copy(),
        years_funded=np.zeros(n_wards, dtype=np.int16),
        adult_learning=zeros.copy(),
        agg=agg0,
    )


def composites_of(
    wards: pd.DataFrame, rates: dict[str, F64], areas: SmallAreaTables | None
) -> tuple[Composite, Composite]:
    """The IMD-like and CNI-like composites of the ward table's wards, from their model-scale
    start ``rates`` (see :func:`lbn_sim.engine.composites.build_composites`)."""
    return build_composites(
        np.stack([rates[d] for d in IMD_DOMAINS]),
        np.stack([rates[d] for d in CNI_DOMAINS]),
        wards["population"].to_numpy(np.float64),
        wards["ward_code"].to_numpy(str),
        (wards["imd_score"].to_numpy(np.float64), wards["cni_score"].to_numpy(np.float64)),
        areas,
    )


def la_codes(wards: pd.DataFrame) -> tuple[NDArray[np.int64], list[str]]:
    """LA index of each ward ``[n_wards]`` and the LA codes in index order."""
    codes, uniques = pd.factorize(wards["la_code"], sort=True)
    return codes.astype(np.int64), [str(u) for u in uniques]


def per_la(per_ward: F64, la_index: NDArray[np.int64], n_las: int) -> I64:
    """Pounds per ward (``[n_wards]``) summed to pence per authority, int64 ``[n_las]``."""
    pence = pounds_to_pence(per_ward).astype(np.float64)
    return np.bincount(la_index, weights=pence, minlength=n_las).astype(np.int64)
