"""The start's incomes solved on each household's expected situation, a block at a time.

:func:`lbn_sim.engine.start.calibrate_start` places each ward's incomes so that its share of
people below the poverty line is the published rate with every household counted twice: in
work, weighted by its stationary probability of being in work, and out of work, by the rest
(a ward whose draw happened to find more people in work would otherwise get incomes too
low, and drift once employment regresses).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from lbn_sim.engine.blocks import map_blocks
from lbn_sim.engine.households import Households, IncomeRule, take_block, ward_segments
from lbn_sim.engine.income_shift import shift_of_wards, solve_income_shift

F64 = NDArray[np.float64]


def expected_income_shift(
    hh: Households,
    p_emp: NDArray[np.float32],
    target: F64,
    rule: IncomeRule,
    iterations: int = 30,
    threads: int = 1,
) -> F64:
    """Each ward's log income shift (:func:`~lbn_sim.engine.income_shift.solve_income_shift`)
    with every household counted twice: in work, weighted by its probability of being in
    work (``p_emp``, float32 ``[n]``), and out of work, by the rest; ``[n_wards]``.

    The doubled households are made a block of whole wards at a time, each ward's rows as
    the doubled population sorted by ward would hold them (its households in work, then the
    same out of work), so the shifts are those of ``solve_income_shift`` on the whole
    doubled population, without holding it and its sorted copy: 2.2 GB with every household
    in England, the run's peak (each ward's shift depends on its own rows only). ``threads``:
    threads the blocks run on (:func:`lbn_sim.engine.blocks.map_blocks`; same bytes on any).
    """
    n_wards = target.shape[0]
    seg = ward_segments(hh.ward, n_wards)
    if seg is None:  # the doubled population, put in ward order by solve_income_shift
        both = np.concatenate
        weight = hh.weight.astype(np.float64)
        return solve_income_shift(
            both([hh.ward, hh.ward]),
            both([weight * p_emp, weight * (1.0 - p_emp)]).astype(np.float32),
            both([hh.size, hh.size]),
            both([np.ones(hh.n, np.bool_), np.zeros(hh.n, np.bool_)]),
            both([hh.band, hh.band]),
            both([hh.skills, hh.skills]),
            both([hh.income_factor, hh.income_factor]),
            target,
            rule,
            iterations,
            threads,
        )
    shift = np.empty(n_wards)

    def block_shift(block: tuple[int, int, int, int]) -> None:
        """One block's wards' shifts, written into their part of ``shift``."""
        s, e, w0, w1 = block
        starts = seg.starts[w0 : w1 + 1] - s
        shift[w0:w1] = shift_of_wards(
            *_in_and_out_of_work(take_block(hh, s, e), p_emp[s:e], starts),
            2 * starts,
            target[w0:w1],
            rule,
            iterations,
        )

    map_blocks(block_shift, seg.block_rows(skip_empty=False), threads)
    return shift


def _in_and_out_of_work(
    hh: Households, p_emp: NDArray[np.float32], starts: NDArray[np.int64]
) -> tuple[
    NDArray[np.float32],
    NDArray[np.int8],
    NDArray[np.bool_],
    NDArray[np.int8],
    NDArray[np.float32],
    NDArray[np.float32],
]:
    """A block's households (``[m]``, sorted by ward, ward ``i`` at rows ``starts[i]:starts[i +
    1]``) counted twice, ``[2 m]`` each, each ward's rows in work then out of work:
    ``(weight, size, employed, band, skills, income_factor)``, the weight in work its
    weight times ``p_emp`` (``[m]``), out of work times the rest."""
    m = hh.n
    counts = np.diff(starts)
    weight = hh.weight.astype(np.float64)
    weights = np.concatenate([weight * p_emp, weight * (1.0 - p_emp)]).astype(np.float32)
    # Row i sits at 2 starts[w] + (i - starts[w]) in work and counts[w] further on out of
    # work (w: its ward).
    at = np.arange(m) + np.repeat(starts[:-1], counts)
    src = np.empty(2 * m, dtype=np.intp)
    src[at] = np.arange(m)
    src[at + np.repeat(counts, counts)] = np.arange(m, 2 * m)
    row = src % m if m else src
    return (
        weights[src],
        hh.size[row],
        src < m,
        hh.band[row],
        hh.skills[row],
        hh.income_factor[row],
    )
