"""New households in the leavers' rows: a newcomer, or for a dissolved household a newly formed
young one, a chunk of ``BLOCK_HOUSEHOLDS`` leavers at a time, and the ward sums' change.

:func:`lbn_sim.engine.household_year.household_year` runs the households' rules over blocks
of whole wards; what each block leaves (:class:`BlockYear`) comes here in block order. The new
households' draws (two betas, a normal and uniforms each) come after every household's
uniforms and are made in the calling thread, chunk after chunk in the leavers' order, so
the results are the same bytes whatever threads the blocks and the sums run on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields

import numpy as np
from numpy.typing import NDArray

from lbn_sim.engine.blocks import map_blocks
from lbn_sim.engine.conditions import Conditions
from lbn_sim.engine.households import (
    BLOCK_HOUSEHOLDS,
    RETIRED_BAND,
    Households,
    base_income,
    segment_sums,
)
from lbn_sim.engine.mechanisms.cost_of_living import stress_target
from lbn_sim.engine.parameters import Params
from lbn_sim.engine.state import sum_terms

F32 = NDArray[np.float32]
F64 = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class BlockYear:
    """What one block's year leaves: the rows (in the population) of the households that
    leave, int ``[k]``, which of them dissolved, bool ``[k]``, their year-end terms of the
    ward sums, float32 ``[len(SUM_ROWS), k]``, and the block's ward sums, float64
    ``[len(SUM_ROWS), block's wards]`` (before new households take the leavers' rows), of
    wards ``first_ward:end_ward``."""

    leaving: NDArray[np.intp]
    dissolved: NDArray[np.bool_]
    leavers_terms: F32
    ward_sums: F64
    first_ward: int
    end_ward: int


def leaver_chunks(
    done: Iterable[BlockYear], sums: F64
) -> Iterator[tuple[NDArray[np.intp], NDArray[np.bool_], F32]]:
    """The leavers of the blocks ``done`` (in block order), in chunks of
    ``BLOCK_HOUSEHOLDS`` (the last shorter): each chunk's rows, which dissolved, and their
    terms of the ward sums (see :class:`BlockYear`), as soon as its blocks are done. Each
    block's ward sums are written into ``sums`` (float64 ``[len(SUM_ROWS), n_wards]``) as
    it comes."""
    rows: list[NDArray[np.intp]] = []
    dissolved: list[NDArray[np.bool_]] = []
    terms: list[F32] = []
    held = 0
    for block in done:
        sums[:, block.first_ward : block.end_ward] = block.ward_sums
        rows.append(block.leaving)
        dissolved.append(block.dissolved)
        terms.append(block.leavers_terms)
        held += block.leaving.shape[0]
        while held >= BLOCK_HOUSEHOLDS:
            r, d, t = np.concatenate(rows), np.concatenate(dissolved), np.concatenate(terms, 1)
            yield r[:BLOCK_HOUSEHOLDS], d[:BLOCK_HOUSEHOLDS], t[:, :BLOCK_HOUSEHOLDS]
            rows, dissolved, terms = (
                [r[BLOCK_HOUSEHOLDS:]],
                [d[BLOCK_HOUSEHOLDS:]],
                [t[:, BLOCK_HOUSEHOLDS:]],
            )
            held -= BLOCK_HOUSEHOLDS
    if held:
        yield np.concatenate(rows), np.concatenate(dissolved), np.concatenate(terms, 1)


def replace_leavers(
    out: Households,
    chunks: Iterable[tuple[NDArray[np.intp], NDArray[np.bool_], F32]],
    cond: Conditions,
    params: Params,
    sums: F64,
    rng: np.random.Generator,
    threads: int = 1,
) -> None:
    """Put new households in the leavers' rows of ``out``, and swap the leavers' terms for
    theirs in the ward sums ``sums`` (float64 ``[len(SUM_ROWS), n_wards]``, changed in
    place), a chunk at a time.

    ``chunks``: the leavers in order, a chunk at a time (:func:`leaver_chunks`: rows in
    increasing order, int ``[k]``; which dissolved, bool ``[k]``; their terms of the ward
    sums, float32 ``[len(SUM_ROWS), k]``); taking them fills ``sums`` with every block's
    sums. The chunks' new households (and their draws) are made in this thread, chunk after
    chunk; each chunk's change of the ward sums is summed on up to ``threads`` threads
    meanwhile, and the changes added to ``sums`` in chunk order once every block's sums are
    in (the same bytes on any number of threads).
    """
    n_wards = sums.shape[1]

    def placed() -> Iterator[tuple[F32, Households]]:
        """Each chunk's leavers' terms and new households, in order (the draws: here)."""
        for rows, dissolved, before in chunks:
            yield before, place_new_households(out, rows, dissolved, cond, params, rng)

    def change(item: tuple[F32, Households]) -> F64:
        """A chunk's change of the ward sums, float64 ``[len(SUM_ROWS), n_wards]``."""
        before, new = item
        terms = sum_terms(new, cond.income).astype(np.float64) - before
        starts = np.searchsorted(new.ward, np.arange(n_wards + 1, dtype=new.ward.dtype))
        return segment_sums(terms, starts)

    for part in map_blocks(change, placed(), threads):
        sums += part


def place_new_households(
    out: Households,
    rows: NDArray[np.intp],
    newly_formed: NDArray[np.bool_],
    cond: Conditions,
    params: Params,
    rng: np.random.Generator,
) -> Households:
    """Put a newcomer (or, for a dissolved household, a newly formed young one) in freed rows.

    Writes into ``out`` (households being built, not yet handed out) at ``rows``
    (int ``[k]``, in increasing order); ``newly_formed`` (bool ``[k]``) marks the
    rows of dissolved households. Returns the new households (``[k]``).
    """
    k = rows.shape[0]
    ward = out.ward[rows]
    # A newcomer takes the place of the household that left: its age band and size (so the
    # ward's age structure and population stay put unless the rules move them); a newly
    # formed household is young.
    band = np.where(newly_formed, 0, out.band[rows]).astype(np.int8)
    skill_mean = np.where(newly_formed, cond.young_skill[ward], cond.mover_skill[ward])
    c_skill, c_health = params.skill_concentration, params.health_concentration
    skills = rng.beta(skill_mean * c_skill, (1.0 - skill_mean) * c_skill)
    health_mean = cond.new_health[ward]
    health = rng.beta(health_mean * c_health, (1.0 - health_mean) * c_health)
    working = np.flatnonzero(band != RETIRED_BAND)
    employed = np.zeros(k, np.bool_)
    # Selective migration marks newcomers only, not households formed in the ward.
    e_new = np.where(newly_formed, cond.young_employment[ward], cond.new_employment[ward])
    employed[working] = rng.random(working.shape[0]) < e_new[working]
    centre = np.where(newly_formed, cond.young_log_income[ward], cond.new_log_income[ward])
    log_income = centre + rng.normal(0.0, params.income_spread, k)
    income_factor = np.exp(log_income).astype(np.float32)
    skills32 = skills.astype(np.float32)
    # A new household's stress starts where its rule would hold it (its income and work, the
    # ward's prices and advice), as every household's did at the start.
    income = base_income(employed, band, skills32, cond.benefit, cond.income)
    stress = stress_target(
        cond.stress_base[ward],
        cond.stress_deprived[ward],
        income_factor * income < 1.0,
        (band != RETIRED_BAND) & ~employed,
        params.stress_out_of_work,
    )
    new = Households(
        ward=ward,
        weight=out.weight[rows],
        size=out.size[rows].astype(np.int8),
        band=band,
        employed=employed,
        skills=skills32,
        health=health.astype(np.float32),
        stress=stress,
        participation=cond.new_participation[ward],
        income_factor=income_factor,
    )
    for f in fields(new):
        if f.name not in ("ward", "weight"):
            getattr(out, f.name)[rows] = getattr(new, f.name)
    return new
