"""Synthetic households, held column-wise in NumPy arrays.

One row per simulated household; ``weight`` says how many real households it
stands for. Never one Python object per household.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.special import ndtr

from lbn_sim.config import HouseholdConfig

F32 = NDArray[np.float32]

#: Head-of-household age bands (codes held in ``Households.band``).
AGE_BANDS = ("16_29", "30_49", "50_64", "65_plus")
N_BANDS = len(AGE_BANDS)
RETIRED_BAND = 3

#: Poverty line: 60% of median equivalised income, 2019 (GBP per year).
POVERTY_LINE_2019 = 15_000.0
#: Household income relative to the poverty line by situation (before each household's factor).
EMPLOYED_BASE = 0.9  # plus EMPLOYED_SKILL_PREMIUM * skills
EMPLOYED_SKILL_PREMIUM = 1.2
PENSION_BASE = 1.1
BENEFIT_BASE = 0.6
#: Base income out of work by head's age band (benefits; the 65+ band: pension).
OUT_OF_WORK_INCOME = np.array([BENEFIT_BASE] * 3 + [PENSION_BASE], dtype=np.float32)


@dataclass(frozen=True, slots=True)
class Households:
    """All simulated households, one array per attribute, each of shape ``[n]``.

    Households are kept in ward order (:func:`synthesise` makes them so and the
    core never reorders them), so each ward's households are one contiguous
    segment (:func:`ward_segments`), which the blocked passes over households
    use; households in any other order are handled too, more slowly.

    Attributes:
        ward: int32, index of the household's ward in the ward table.
        weight: float32, real households represented (>= 1).
        size: int8, people in the household (1 to 8).
        band: int8, head's age band (index into :data:`AGE_BANDS`).
        employed: bool, head in work (always False in the 65+ band).
        skills: float32, skills in [0, 1].
        health: float32, health in [0, 1] (1 is good health).
        stress: float32, financial stress in [0, 1] (debt, fuel poverty).
        participation: float32, civic participation in [0, 1].
        income_factor: float32, the household's income relative to the
            base income of its situation (dimensionless, > 0).
    """

    ward: NDArray[np.int32]
    weight: F32
    size: NDArray[np.int8]
    band: NDArray[np.int8]
    employed: NDArray[np.bool_]
    skills: F32
    health: F32
    stress: F32
    participation: F32
    income_factor: F32

    @property
    def n(self) -> int:
        """Number of simulated households."""
        return int(self.ward.shape[0])

    def nbytes(self) -> int:
        """Memory held by the arrays (bytes)."""
        return sum(getattr(self, f.name).nbytes for f in fields(self))

    def with_(self, **changes: Any) -> Households:
        """A copy with some arrays replaced."""
        return replace(self, **changes)


#: Households handled together by the blocked passes over households (the core's year and
#: the aggregation to wards). A float32 column of a block is 512 KiB, so the temporaries of a
#: block stay in the processor's cache instead of streaming the population through memory.
BLOCK_HOUSEHOLDS = 131_072


@dataclass(frozen=True, slots=True)
class WardSegments:
    """Where each ward's households are, for households sorted by ward.

    Attributes:
        starts: int64 ``[n_wards + 1]``, first row of each ward; ward ``w`` holds
            rows ``starts[w]:starts[w + 1]`` and ``starts[-1]`` is the number of households.
        blocks: int64 ``[n_blocks + 1]``, ward boundaries of the blocks: block ``b``
            holds wards ``blocks[b]:blocks[b + 1]``, about :data:`BLOCK_HOUSEHOLDS`
            households (a ward is never split, so one large ward may make a larger block).
    """

    starts: NDArray[np.int64]
    blocks: NDArray[np.int64]

    def counts(self) -> NDArray[np.int64]:
        """Households per ward, int64 ``[n_wards]``."""
        return np.diff(self.starts)

    def block_rows(self, skip_empty: bool = True) -> Iterator[tuple[int, int, int, int]]:
        """``(first_row, end_row, first_ward, end_ward)`` of each block, in order.

        Blocks without households are skipped unless ``skip_empty`` is False.
        """
        for b in range(self.blocks.shape[0] - 1):
            w0, w1 = int(self.blocks[b]), int(self.blocks[b + 1])
            s, e = int(self.starts[w0]), int(self.starts[w1])
            if e > s or not skip_empty:
                yield s, e, w0, w1


def is_sorted_by_ward(ward: NDArray[np.int32]) -> bool:
    """Whether ``ward`` (int32 ``[n]``) never decreases (checked a block at a time)."""
    n = ward.shape[0]
    for s in range(0, max(n - 1, 0), BLOCK_HOUSEHOLDS):
        e = min(s + BLOCK_HOUSEHOLDS, n - 1)
        if not bool(np.all(ward[s + 1 : e + 1] >= ward[s:e])):
            return False
    return True


def ward_segments(
    ward: NDArray[np.int32], n_wards: int, block: int = BLOCK_HOUSEHOLDS
) -> WardSegments | None:
    """The ward segments of households sorted by ward, or None when they are not sorted.

    Args:
        ward: int32 ``[n]``, each household's ward index.
        n_wards: number of wards (some may hold no household).
        block: households per block (about).
    """
    n = ward.shape[0]
    if not is_sorted_by_ward(ward):
        return None
    if n and (int(ward[0]) < 0 or int(ward[-1]) >= n_wards):
        raise ValueError(f"ward indices must be in [0, {n_wards}), got {ward[0]}..{ward[-1]}")
    starts = np.searchsorted(ward, np.arange(n_wards + 1, dtype=ward.dtype)).astype(np.int64)
    # Each block ends at the last ward boundary at or before a multiple of `block`.
    cuts = np.searchsorted(starts, np.arange(block, n, block, dtype=np.int64), side="right") - 1
    blocks = np.unique(np.concatenate([[0], cuts, [n_wards]])).astype(np.int64)
    return WardSegments(starts=starts, blocks=blocks)


def segment_sums(values: NDArray[Any], starts: NDArray[np.int64]) -> NDArray[np.float64]:
    """Sums over consecutive segments of the last axis, accumulated in float64.

    Args:
        values: ``[..., m]``, any numeric or bool dtype.
        starts: int64 ``[k + 1]``, segment ``i`` is ``starts[i]:starts[i + 1]``,
            ``starts[0] == 0`` and ``starts[-1] == m``.

    Returns:
        float64 ``[..., k]`` (an empty segment sums to 0).
    """
    k = starts.shape[0] - 1
    first = starts[:-1]
    filled = first < starts[1:]
    if k and filled.all():
        return np.add.reduceat(values, first, axis=-1, dtype=np.float64)
    out = np.zeros((*values.shape[:-1], k))
    if filled.any():  # reduceat cannot hold an empty segment: sum the others
        out[..., filled] = np.add.reduceat(values, first[filled], axis=-1, dtype=np.float64)
    return out


def take_rows(hh: Households, rows: NDArray[np.intp]) -> Households:
    """The households at ``rows`` (int ``[k]``), in that order."""
    return Households(**{f.name: getattr(hh, f.name)[rows] for f in fields(hh)})


def take_block(hh: Households, start: int, end: int) -> Households:
    """Rows ``start:end`` of the households (views of the same arrays, no copy)."""
    return Households(**{f.name: getattr(hh, f.name)[start:end] for f in fields(hh)})


def base_income(
    employed: NDArray[np.bool_], band: NDArray[np.int8], skills: F32, benefit: float = 1.0
) -> F32:
    """Base household income relative to the poverty line, shape ``[n]`` (dimensionless).

    In work: ``0.9 + 1.2 * skills``; retired: 1.1 (state pension and savings);
    working age out of work: ``0.6 * benefit`` (benefits; ``benefit`` is their value
    relative to the start year's, against the poverty line).
    """
    # Selection by multiplying with the masks (exact: one term is zero), many times faster
    # than np.where on a random mask.
    working = np.float32(EMPLOYED_SKILL_PREMIUM) * skills
    working += np.float32(EMPLOYED_BASE)
    working *= employed
    table = OUT_OF_WORK_INCOME
    if benefit != 1.0:
        table = table.copy()
        table[:RETIRED_BAND] *= np.float32(benefit)
    out_of_work = table.take(band)
    out_of_work *= ~employed
    working += out_of_work
    return working


def model_rates(wards: pd.DataFrame) -> dict[str, NDArray[np.float64]]:
    """Map the ward table's published scores to the model's [0, 1] deprivation scale.

    Returns arrays of shape ``[n_wards]``: income and employment are already
    shares; scores in points (0 to 100) are divided by 100; z-like scores
    (health, crime) go through the standard normal CDF.
    """
    return {
        "income_deprivation": wards["income"].to_numpy(np.float64).clip(0, 1),
        "employment_deprivation": wards["employment"].to_numpy(np.float64).clip(0, 1),
        "education_deprivation": (wards["education"].to_numpy(np.float64) / 100).clip(0, 1),
        "health_deprivation": ndtr(wards["health"].to_numpy(np.float64)),
        "crime": ndtr(wards["crime"].to_numpy(np.float64)),
        "housing_access_deprivation": (wards["housing_access"].to_numpy(np.float64) / 100).clip(
            0, 1
        ),
        "living_environment_deprivation": (
            wards["living_environment"].to_numpy(np.float64) / 100
        ).clip(0, 1),
        "civic_assets_need": (wards["civic_assets"].to_numpy(np.float64) / 100).clip(0, 1),
        "connectedness_need": (wards["connectedness"].to_numpy(np.float64) / 100).clip(0, 1),
        "engagement_need": (wards["engaged_community"].to_numpy(np.float64) / 100).clip(0, 1),
    }


def households_per_ward(
    wards: pd.DataFrame, cfg: HouseholdConfig
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Simulated households per ward and real mean household size.

    Returns ``(n_sim [n_wards] int64, mean_size [n_wards] float64 persons)``.
    The mean size rises with the share of children (about 2.4 persons in
    England).
    """
    mean_size = 1.75 + 3.2 * wards["share_0_15"].to_numpy(np.float64)
    real = wards["population"].to_numpy(np.float64) / mean_size
    rate = np.where(
        wards["left_behind"].to_numpy(bool), cfg.left_behind_sample_rate, cfg.sample_rate
    )
    n_sim = np.maximum(np.rint(real * rate), cfg.min_per_ward)
    n_sim = np.minimum(n_sim, np.maximum(np.ceil(real), 1))
    return n_sim.astype(np.int64), mean_size


def _beta_around(rng: np.random.Generator, mean: NDArray[np.float64], concentration: float) -> F32:
    m = np.clip(mean, 0.02, 0.98)
    return rng.beta(m * concentration, (1 - m) * concentration).astype(np.float32)


def synthesise(wards: pd.DataFrame, cfg: HouseholdConfig, rng: np.random.Generator) -> Households:
    """Draw households consistent with each ward's indicators.

    Consistency (in expectation, exactly up to sampling noise):

    * the population-weighted sum of household sizes equals the ward's
      population (weights are set so);
    * the weighted share of working-age heads out of work equals the ward's
      employment-deprivation rate;
    * the weighted share of people in income-deprived households (income
      below the poverty line) equals the ward's income-deprivation rate;
    * mean skills are ``1 - education_deprivation``, mean health is
      ``1 - health_deprivation``, mean participation falls with the CNI's
      engaged-community need.
    """
    n_sim, mean_size = households_per_ward(wards, cfg)
    n_wards = len(wards)
    ward = np.repeat(np.arange(n_wards, dtype=np.int32), n_sim)
    n = ward.shape[0]
    rates = model_rates(wards)

    def in_ward(values: NDArray[np.float64]) -> NDArray[np.float64]:
        """A ward value for each household (households are in ward order)."""
        return np.repeat(values, n_sim)

    # Head's age band from the adult age shares of the ward.
    adult = wards[["share_16_29", "share_30_49", "share_50_64", "share_65_plus"]].to_numpy(
        np.float64
    )
    # Heads are spread over the bands like adults, with fewer very young heads.
    adult = adult * np.array([0.7, 1.1, 1.1, 1.0])
    cum = np.cumsum(adult / adult.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(n)
    band = np.zeros(n, dtype=np.int8)
    for j in range(N_BANDS - 1):
        band += u > in_ward(cum[:, j])
    del u

    # Size: 1 + Poisson, matched to the ward's mean size. Not tied to the head's age band:
    # a household keeps its size as its head ages and a newcomer takes the size of the
    # household it replaces, so a size tied to the band at the start would drift (retired
    # households, more often poor, would slowly grow and move income deprivation with them).
    lam = in_ward(mean_size - 1.0)
    size = np.minimum(1 + rng.poisson(np.maximum(lam, 0.0)), 8).astype(np.int8)
    del lam

    # Employment: working-age heads out of work at the ward's employment-deprivation rate.
    working_age = band != RETIRED_BAND
    employed = working_age & (rng.random(n) >= in_ward(rates["employment_deprivation"]))

    # Workers a little more skilled than the ward's average, the out-of-work a little less,
    # the ward's mean unchanged.
    e_rate = 1.0 - in_ward(rates["employment_deprivation"])
    skill_mean = 1.0 - in_ward(rates["education_deprivation"]) + 0.05 * (employed - e_rate)
    skills = _beta_around(rng, skill_mean, 8.0)
    health = _beta_around(rng, 1.0 - in_ward(rates["health_deprivation"]), 8.0)
    participation = _beta_around(rng, 0.15 + 0.5 * (1.0 - in_ward(rates["engagement_need"])), 6.0)

    # Weights: the ward's population over the simulated people.
    starts = np.concatenate([[0], np.cumsum(n_sim)])
    people = segment_sums(size, starts)
    weight = in_ward(wards["population"].to_numpy(np.float64) / people).astype(np.float32)

    # Income: a log-normal factor per household, its ward's centre solved so the weighted
    # share of people below the poverty line is the ward's income-deprivation rate.
    log_factor = rng.normal(0.0, INCOME_SPREAD, n).astype(np.float32)
    income_factor = np.exp(log_factor).astype(np.float32)
    shift = solve_income_shift(
        ward, weight, size, employed, band, skills, income_factor, rates["income_deprivation"]
    )
    income_factor *= np.exp(shift).astype(np.float32).repeat(n_sim)
    deprived = income_factor * base_income(employed, band, skills) < 1.0
    out = working_age & ~employed

    stress = np.clip(0.1 + 0.45 * deprived + 0.1 * out + rng.normal(0.0, 0.05, n), 0.0, 1.0).astype(
        np.float32
    )

    return Households(
        ward=ward,
        weight=weight,
        size=size,
        band=band,
        employed=employed,
        skills=skills,
        health=health,
        stress=stress,
        participation=participation,
        income_factor=income_factor,
    )


def income_deprived(hh: Households, benefit: float = 1.0) -> NDArray[np.bool_]:
    """Households whose income is below the poverty line, shape ``[n]``.

    Incomes are relative to the poverty line, which is uprated with earnings,
    so the test is ``income_factor * base_income < 1``; ``benefit`` is the value
    of working-age benefits relative to the start year's (see :func:`base_income`).
    """
    return hh.income_factor * base_income(hh.employed, hh.band, hh.skills, benefit) < 1.0


#: Distance (log income) from the line of a step with no household beyond it.
_OPEN_STEP = 0.05


def _middle_of_step(
    lo: NDArray[np.float64],
    hi: NDArray[np.float64],
    crit: NDArray[np.float64],
    people_w: NDArray[np.float32],
    starts: NDArray[np.int64],
    target: NDArray[np.float64],
) -> NDArray[np.float64]:
    """The middle of the step (of the share as a function of the shift) nearer the target.

    ``lo``/``hi`` ``[k]``: the bisection's bracket (share above the target at ``lo``, at or
    below it at ``hi``); ``crit`` ``[m]``: the shift at which each row leaves poverty
    (below the line iff ``shift < crit``); ``people_w`` ``[m]`` its weight (rows of no
    weight do not count); ``starts`` ``[k + 1]`` the wards' rows; ``target`` ``[k]``.
    The step below is ``(prev, lo]``, the step above ``[hi, nxt)``; a step with no
    household beyond it is given width ``2 * _OPEN_STEP``.
    """
    counts = np.diff(starts)
    people = np.maximum(segment_sums(people_w, starts), 1e-12)
    weighted = people_w > 0
    rep_lo, rep_hi = np.repeat(lo, counts), np.repeat(hi, counts)
    share_lo = segment_sums(people_w * (rep_lo < crit), starts) / people
    share_hi = segment_sums(people_w * (rep_hi < crit), starts) / people
    has = counts > 0
    first = starts[:-1][has]
    nxt = np.full(lo.shape[0], np.inf)
    prev = np.full(lo.shape[0], -np.inf)
    nxt[has] = np.minimum.reduceat(np.where(weighted & (crit > rep_hi), crit, np.inf), first)
    prev[has] = np.maximum.reduceat(np.where(weighted & (crit <= rep_lo), crit, -np.inf), first)
    upper = np.where(np.isfinite(nxt), 0.5 * (hi + nxt), hi + _OPEN_STEP)
    lower = np.where(np.isfinite(prev), 0.5 * (prev + lo), lo - _OPEN_STEP)
    below_nearer = np.abs(share_lo - target) < np.abs(share_hi - target)
    return np.where(below_nearer, lower, upper)


def solve_income_shift(
    ward: NDArray[np.int32],
    weight: F32,
    size: NDArray[np.int8],
    employed: NDArray[np.bool_],
    band: NDArray[np.int8],
    skills: F32,
    income_factor: F32,
    target: NDArray[np.float64],
    iterations: int = 30,
) -> NDArray[np.float64]:
    """Log-shift of each ward's income factors that hits its income-deprivation rate, ``[n_wards]``.

    Bisection on ``d`` in [-4, 4] so that the weighted share of people with
    ``income_factor * exp(d) * base_income < 1`` equals ``target`` (a share).
    The share falls as ``d`` rises, so bisection converges for every ward at once.

    The share is a step function of ``d``: bisection ends on the edge between
    two steps, with one household exactly on the poverty line, where the
    smallest change would tip it over. The shift returned is the middle of
    whichever of the two steps has the share nearer the target (see
    :func:`_middle_of_step`), so no household starts on the line; in a sampled
    ward of 200 households one such household is 0.5% of its residents.
    """
    n_wards = target.shape[0]
    seg = ward_segments(ward, n_wards)
    if seg is None:  # put the households in ward order (the shift is per ward)
        o = np.argsort(ward, kind="stable")
        return solve_income_shift(
            ward[o],
            weight[o],
            size[o],
            employed[o],
            band[o],
            skills[o],
            income_factor[o],
            target,
            iterations,
        )
    shift = np.empty(n_wards)
    # A block of whole wards at a time: the bisection's passes stay in the processor's cache.
    for s, e, w0, w1 in seg.block_rows(skip_empty=False):
        starts = seg.starts[w0 : w1 + 1] - s
        counts = np.diff(starts)
        people_w = weight[s:e] * size[s:e]
        people = np.maximum(segment_sums(people_w, starts), 1e-12)
        log_income = np.log(
            income_factor[s:e] * base_income(employed[s:e], band[s:e], skills[s:e])
        ).astype(np.float64)
        lo = np.full(w1 - w0, -4.0)
        hi = np.full(w1 - w0, 4.0)
        for _ in range(iterations):
            mid = 0.5 * (lo + hi)
            below = log_income + np.repeat(mid, counts) < 0.0
            share = segment_sums(people_w * below, starts) / people
            too_many = share > target[w0:w1]
            lo = np.where(too_many, mid, lo)
            hi = np.where(too_many, hi, mid)
        shift[w0:w1] = _middle_of_step(lo, hi, -log_income, people_w, starts, target[w0:w1])
    return shift


#: Spread (standard deviation of the log) of household income factors within a ward.
INCOME_SPREAD = 0.45
