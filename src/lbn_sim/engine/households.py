"""Synthetic households, held column-wise in NumPy arrays.

One row per simulated household; ``weight`` says how many real households it
stands for. Never one Python object per household.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

F32 = NDArray[np.float32]

#: Head-of-household age bands (codes held in ``Households.band``).
AGE_BANDS = ("16_29", "30_49", "50_64", "65_plus")
N_BANDS = len(AGE_BANDS)
#: The age bands' names in the registry (``move_by_band_<name>``, ``band_years_<name>``...).
BAND_NAMES = ("young", "middle", "older", "retired")
RETIRED_BAND = 3


@dataclass(frozen=True, slots=True)
class IncomeRule:
    """Household income relative to the poverty line by situation, before each household's
    factor: in work ``employed_base + employed_skill_premium * skills``; retired
    ``pension_base`` (state pension and savings); working age out of work ``benefit_base``
    times the value of benefits (``params.employed_base`` and the like).

    Attributes:
        employed_base, skill_premium: float32, the in-work income's parts.
        out_of_work: float32 ``[4]``, income out of work by head's age band (benefits; the
            65+ band: pension).
    """

    employed_base: np.float32
    skill_premium: np.float32
    out_of_work: F32

    @classmethod
    def from_params(cls, params: Any) -> IncomeRule:
        """The rule with the parameters' values (a :class:`lbn_sim.engine.parameters.Params`)."""
        benefit, pension = params.benefit_base, params.pension_base
        return cls(
            employed_base=np.float32(params.employed_base),
            skill_premium=np.float32(params.employed_skill_premium),
            out_of_work=np.array([benefit, benefit, benefit, pension], dtype=np.float32),
        )


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


def no_households() -> Households:
    """Households without a row (every column empty), where none need be held."""
    return Households(
        ward=np.zeros(0, np.int32),
        weight=np.zeros(0, np.float32),
        size=np.zeros(0, np.int8),
        band=np.zeros(0, np.int8),
        employed=np.zeros(0, np.bool_),
        skills=np.zeros(0, np.float32),
        health=np.zeros(0, np.float32),
        stress=np.zeros(0, np.float32),
        participation=np.zeros(0, np.float32),
        income_factor=np.zeros(0, np.float32),
    )


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
    ward: NDArray[np.int32], n_wards: int, block: int | None = None
) -> WardSegments | None:
    """The ward segments of households sorted by ward, or None when they are not sorted.

    Args:
        ward: int32 ``[n]``, each household's ward index.
        n_wards: number of wards (some may hold no household).
        block: households per block (about); :data:`BLOCK_HOUSEHOLDS` when None (read at
            each call, so a test can make blocks small).
    """
    block = BLOCK_HOUSEHOLDS if block is None else block
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
    employed: NDArray[np.bool_],
    band: NDArray[np.int8],
    skills: F32,
    benefit: float,
    rule: IncomeRule,
) -> F32:
    """Base household income relative to the poverty line, shape ``[n]`` (dimensionless),
    by ``rule`` (:class:`IncomeRule`); out-of-work incomes below pension age are scaled by
    ``benefit``, the value of benefits relative to the start year's (against the line).
    """
    # Selection by multiplying with the masks (exact: one term is zero), many times faster
    # than np.where on a random mask.
    working = rule.skill_premium * skills
    working += rule.employed_base
    working *= employed
    table = rule.out_of_work
    if benefit != 1.0:
        table = table.copy()
        table[:RETIRED_BAND] *= np.float32(benefit)
    out_of_work = table.take(band)
    out_of_work *= ~employed
    working += out_of_work
    return working


def income_deprived(hh: Households, rule: IncomeRule, benefit: float = 1.0) -> NDArray[np.bool_]:
    """Households whose income is below the poverty line, shape ``[n]``.

    Incomes are relative to the poverty line, which is uprated with earnings,
    so the test is ``income_factor * base_income < 1``; ``benefit`` is the value
    of working-age benefits relative to the start year's (see :func:`base_income`).
    """
    return hh.income_factor * base_income(hh.employed, hh.band, hh.skills, benefit, rule) < 1.0
