"""Each ward's income shift: the log-shift of its households' income factors at which the
weighted share of its people below the poverty line is a target (the published
income-deprivation rate), by bisection over blocks of whole wards.

:func:`lbn_sim.engine.synthesis.synthesise` solves it on the drawn households,
:func:`lbn_sim.engine.expected_income.expected_income_shift` on their expected situations.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from lbn_sim.engine.blocks import map_blocks
from lbn_sim.engine.households import IncomeRule, base_income, segment_sums, ward_segments

F32 = NDArray[np.float32]

#: Distance (log income) from the line of a step with no household beyond it (a solver's
#: setting, not behaviour).
_OPEN_STEP = 0.05
#: The bisection's bracket of the log-shift, [-SHIFT_BRACKET, SHIFT_BRACKET] (a solver's
#: setting: a factor of e**4, about 55, either way).
SHIFT_BRACKET = 4


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
    upper = np.where(np.isfinite(nxt), (hi + nxt) / 2, hi + _OPEN_STEP)
    lower = np.where(np.isfinite(prev), (prev + lo) / 2, lo - _OPEN_STEP)
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
    rule: IncomeRule,
    iterations: int = 30,
    threads: int = 1,
) -> NDArray[np.float64]:
    """Log-shift of each ward's income factors that hits its income-deprivation rate, ``[n_wards]``.

    Bisection on ``d`` in [-SHIFT_BRACKET, SHIFT_BRACKET] so that the weighted share of people with
    ``income_factor * exp(d) * base_income < 1`` equals ``target`` (a share).
    The share falls as ``d`` rises, so bisection converges for every ward at once.

    The share is a step function of ``d``: bisection ends on the edge between
    two steps, with one household exactly on the poverty line, where the
    smallest change would tip it over. The shift returned is the middle of
    whichever of the two steps has the share nearer the target (see
    :func:`_middle_of_step`), so no household starts on the line; in a sampled
    ward of 200 households one such household is 0.5% of its residents. ``threads``: threads
    the blocks' bisections run on (each ward's shift is its own rows' alone: the same bytes
    on any number).
    """
    n_wards = target.shape[0]
    seg = ward_segments(ward, n_wards)
    if seg is None:  # put the households in ward order (the shift is per ward)
        o = np.argsort(ward, kind="stable")
        cols = (weight[o], size[o], employed[o], band[o], skills[o], income_factor[o])
        return solve_income_shift(ward[o], *cols, target, rule, iterations, threads)
    shift = np.empty(n_wards)

    def block_shift(block: tuple[int, int, int, int]) -> None:
        """One block's wards' shifts, written into their part of ``shift``."""
        s, e, w0, w1 = block
        shift[w0:w1] = shift_of_wards(
            weight[s:e],
            size[s:e],
            employed[s:e],
            band[s:e],
            skills[s:e],
            income_factor[s:e],
            seg.starts[w0 : w1 + 1] - s,
            target[w0:w1],
            rule,
            iterations,
        )

    # A block of whole wards at a time: the bisection's passes stay in the processor's cache.
    map_blocks(block_shift, seg.block_rows(skip_empty=False), threads)
    return shift


def shift_of_wards(
    weight: F32,
    size: NDArray[np.int8],
    employed: NDArray[np.bool_],
    band: NDArray[np.int8],
    skills: F32,
    income_factor: F32,
    starts: NDArray[np.int64],
    target: NDArray[np.float64],
    rule: IncomeRule,
    iterations: int,
) -> NDArray[np.float64]:
    """:func:`solve_income_shift` of ``k`` consecutive wards, ``[k]``: their households
    (``[m]`` each, sorted by ward; ward ``i`` holds rows ``starts[i]:starts[i + 1]``,
    ``starts`` ``[k + 1]``) and each ward's target share. Each ward's shift depends on its
    own rows only (in their order), not on which wards share its block."""
    people_w = weight * size
    log_income = np.log(income_factor * base_income(employed, band, skills, 1.0, rule)).astype(
        np.float64
    )
    lo, hi = _bisect_shift(log_income, people_w, starts, target, iterations)
    return _middle_of_step(lo, hi, -log_income, people_w, starts, target)


def _bisect_shift(
    log_income: NDArray[np.float64],
    people_w: F32,
    starts: NDArray[np.int64],
    target: NDArray[np.float64],
    iterations: int,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The bisection's final bracket ``(lo, hi)`` of each ward's log-shift, ``[k]`` each, for
    ``k`` consecutive wards (rows ``starts``, ``[k + 1]``; ``log_income``, ``people_w``:
    ``[m]``): the share below the line is above ``target`` at ``lo``, at or below it at
    ``hi``."""
    counts = np.diff(starts)
    people = np.maximum(segment_sums(people_w, starts), 1e-12)
    k = counts.shape[0]
    lo = np.full(k, -SHIFT_BRACKET, dtype=np.float64)
    hi = np.full(k, SHIFT_BRACKET, dtype=np.float64)
    for _ in range(iterations):
        mid = (lo + hi) / 2
        below = log_income + np.repeat(mid, counts) < 0.0
        share = segment_sums(people_w * below, starts) / people
        too_many = share > target
        lo = np.where(too_many, mid, lo)
        hi = np.where(too_many, hi, mid)
    return lo, hi
