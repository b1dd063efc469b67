"""Every household's year: work, financial stress, health, participation, skills, ageing and
moving, a block of whole wards at a time (the households' rules).

The ward conditions they read (:class:`Conditions`) come from the wards' part of the year
(:func:`lbn_sim.engine.step.ward_year`). The rules run over blocks of whole wards
(``households.BLOCK_HOUSEHOLDS`` households at a time), so every temporary is the size of
a block, not of the population; each block's results are summed to its wards as it goes,
and no household history is kept.

Draws per household-year: two float32 uniforms (employment; demography and moving:
together one 64-bit output of the generator), plus, for each household that is replaced
(a newcomer or a newly formed household, about 7% of households a year), two beta draws
(skills, health), a normal (income) and up to three uniforms. Every household's uniforms
are drawn (block by block) before any new household's draws, so which households leave
never shifts anyone's uniforms: futures that share a year's generator share their
households' luck. The new households are placed by :mod:`lbn_sim.engine.new_households`.
The blocks' arithmetic may run on several threads (``threads``); every draw is made in the
calling thread in the order above, so the results are the same bytes on any number.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from lbn_sim.engine.blocks import imap_blocks
from lbn_sim.engine.conditions import Conditions
from lbn_sim.engine.households import (
    N_BANDS,
    RETIRED_BAND,
    Households,
    base_income,
    segment_sums,
    take_block,
    take_rows,
    ward_segments,
)
from lbn_sim.engine.mechanisms.cost_of_living import stress_target
from lbn_sim.engine.mechanisms.out_migration import leaving_probability
from lbn_sim.engine.mechanisms.social_infrastructure import network_strength
from lbn_sim.engine.new_households import BlockYear, leaver_chunks, replace_leavers
from lbn_sim.engine.parameters import Params
from lbn_sim.engine.state import SUM_ROWS, sum_terms

F32 = NDArray[np.float32]
F64 = NDArray[np.float64]
#: A ward table expanded to a block's households (they are sorted by ward).
WardTable = Callable[[F32], F32]


def finding_factor(
    skills: F32, health: F32, participation: F32, network: float, params: Params
) -> F32:
    """Household part of the yearly job-finding probability, float32 ``[n]`` (dimensionless).

    ``(a + b skills) (c + d health) (1 + network (participation - e))`` with ``a``..``e``
    the ``finding_*`` parameters (``network``: the network effect, 0 with social
    infrastructure off).
    """
    p = params
    f = np.float32(p.finding_skill_weight) * skills
    f += np.float32(p.finding_skill_intercept)
    g = np.float32(p.finding_health_weight) * health
    g += np.float32(p.finding_health_intercept)
    f *= g
    g = np.float32(network) * participation
    g += np.float32(1.0 - p.finding_network_centre * network)
    f *= g
    return f


def loss_prob(skills: F32, health: F32, params: Params) -> F32:
    """Yearly probability that a worker loses work, float32 ``[n]``, before recessions.

    ``job_loss (a - b skills) (c - d health)`` with ``a``..``d`` the ``loss_*`` parameters.
    """
    p, job_loss = params, params.job_loss
    q = np.float32(-p.loss_skill_weight * job_loss) * skills
    q += np.float32(p.loss_skill_intercept * job_loss)
    g = np.float32(-p.loss_health_weight) * health
    g += np.float32(p.loss_health_intercept)
    q *= g
    return q


def household_year(
    hh: Households,
    cond: Conditions,
    params: Params,
    n_wards: int,
    rng: np.random.Generator,
    threads: int = 1,
) -> tuple[Households, F64]:
    """Every household's year, a block of whole wards at a time, and the ward sums it leaves.

    Args:
        hh: households at the start of the year (``[n]``; not changed).
        cond: the year's ward conditions.
        params: behavioural parameters and switches.
        n_wards: number of wards.
        rng: the only source of randomness.
        threads: threads the blocks' arithmetic runs on (:func:`lbn_sim.engine.blocks.
            map_blocks`); each block's uniforms are drawn in this thread in block order, so
            the result is the same bytes on any number.

    Returns:
        ``(households at the end of the year, ward sums float64 [len(SUM_ROWS), n_wards])``
        (see :func:`lbn_sim.engine.state.ward_sums`). Households not sorted by ward are
        handled in ward order and handed back in their own order.
    """
    seg = ward_segments(hh.ward, n_wards)
    if seg is None:
        order = np.argsort(hh.ward, kind="stable")
        out, sums = household_year(take_rows(hh, order), cond, params, n_wards, rng, threads)
        back = np.empty_like(order)
        back[order] = np.arange(order.shape[0])
        return take_rows(out, back), sums
    out = _empty_like(hh)
    sums = np.zeros((len(SUM_ROWS), n_wards))
    counts = seg.counts()

    def block_year(block: tuple[tuple[int, int, int, int], F32]) -> BlockYear:
        """One block's rules and ward sums (``block``: its bounds and its uniforms)."""
        (s, e, w0, w1), uv = block
        mine = take_block(out, s, e)
        rows, dissolved = _household_block(
            take_block(hh, s, e), mine, counts[w0:w1], w0, cond, params, uv
        )
        terms = sum_terms(mine, cond.income)
        ward_sums = segment_sums(terms, seg.starts[w0 : w1 + 1] - s)
        return BlockYear(rows + s, dissolved, terms[:, rows], ward_sums, w0, w1)

    # Each block's two uniforms per household, drawn here in block order, whatever thread
    # then does its arithmetic; on threads, every block's before the first result is used,
    # so this thread can draw the first new households while the pool works on the rest.
    uniforms = ((b, rng.random(2 * (b[1] - b[0]), dtype=np.float32)) for b in seg.block_rows())
    drawn = list(uniforms) if threads > 1 else uniforms
    done = imap_blocks(block_year, drawn, threads, ahead=None)
    # New households once every household's uniforms are drawn, so who leaves never shifts
    # anyone's uniforms (common random numbers across futures).
    chunks = leaver_chunks(done if threads > 1 else list(done), sums)
    replace_leavers(out, chunks, cond, params, sums, rng, threads)
    return out, sums


def _empty_like(hh: Households) -> Households:
    """Households to be filled: ``hh``'s wards and weights, every other column empty."""
    n = hh.n
    return Households(
        ward=hh.ward,
        weight=hh.weight,
        size=np.empty(n, np.int8),
        band=np.empty(n, np.int8),
        employed=np.empty(n, np.bool_),
        skills=np.empty(n, np.float32),
        health=np.empty(n, np.float32),
        stress=np.empty(n, np.float32),
        participation=np.empty(n, np.float32),
        income_factor=np.empty(n, np.float32),
    )


def _household_block(
    hh: Households,
    out: Households,
    counts: NDArray[np.int64],
    first_ward: int,
    cond: Conditions,
    params: Params,
    uv: F32,
) -> tuple[NDArray[np.intp], NDArray[np.bool_]]:
    """The household rules for one block of whole wards, written into ``out`` (the block's rows).

    Returns the rows (in the block) of the households that leave this year, and
    which of them dissolved (the others moved away); ``out`` holds their year's
    end until :func:`~lbn_sim.engine.new_households.place_new_households` puts new households there.

    ``hh`` holds the block's households at the start of the year (sorted by
    ward, ``counts[i]`` of them in ward ``first_ward + i``); ``out`` has the
    same rows and receives the households at the end of the year. ``uv``: float32 ``[2 m]``,
    the block's uniforms (employment, then demography and moving), ``m`` its households.
    """
    end_ward = first_ward + counts.shape[0]

    def in_ward(table: F32) -> F32:
        """A ward table expanded to the block's households (they are sorted by ward)."""
        return np.repeat(table[first_ward:end_ward], counts)

    m = hh.n
    u, v = uv[:m], uv[m:]
    employed = _work_and_stress(hh, out, u, in_ward, cond, params)
    _health_and_skills(hh, out, in_ward, cond, params)
    return _ageing_and_moving(hh, out, employed, v, in_ward, cond, params)


def _work_and_stress(
    hh: Households,
    out: Households,
    u: F32,
    expand: WardTable,
    cond: Conditions,
    params: Params,
) -> NDArray[np.bool_]:
    """3-4. Employment (one uniform ``u`` per household), then financial stress, which
    relaxes towards a level set by income, work, prices and advice (written into ``out``).
    Returns who is in work at the end of the year, bool ``[m]``."""
    working_age = hh.band != RETIRED_BAND
    # u < 1, so comparing it with a probability above 1 is the same as comparing it with the
    # probability capped at 1.
    net = network_strength(params)
    p_find = finding_factor(hh.skills, hh.health, hh.participation, net, params)
    p_find *= expand(cond.find)
    p_lose = loss_prob(hh.skills, hh.health, params)
    if cond.shock is not None:
        p_lose *= expand(cond.shock)
    # (Masks, not np.where: np.where on a random mask is many times slower.)
    employed = (hh.employed & (u >= p_lose)) | (~hh.employed & working_age & (u < p_find))
    income = base_income(employed, hh.band, hh.skills, cond.benefit, cond.income)
    target = stress_target(
        expand(cond.stress_base),
        expand(cond.stress_deprived),
        hh.income_factor * income < 1.0,
        working_age & ~employed,
        params.stress_out_of_work,
    )
    stress = out.stress
    np.subtract(target, hh.stress, out=stress)
    stress *= np.float32(params.stress_speed)
    stress += hh.stress
    return employed


def _health_and_skills(
    hh: Households, out: Households, expand: WardTable, cond: Conditions, params: Params
) -> None:
    """5-6. Health and participation move by the ward's lagged effects, health by the change
    of stress too (``out.stress`` holds the year's end); adult education moves working-age
    skills."""
    f32 = np.float32
    health = hh.health + expand(cond.d_health)
    health -= f32(params.stress_health_direct) * (out.stress - hh.stress)
    np.clip(health, f32(0.0), f32(1.0), out=out.health)
    participation = hh.participation + expand(cond.d_participation)
    np.clip(participation, f32(0.0), f32(1.0), out=out.participation)
    if cond.d_skill is None:
        out.skills[:] = hh.skills
    else:
        skills = expand(cond.d_skill)
        skills *= hh.band != RETIRED_BAND
        skills += hh.skills
        np.clip(skills, f32(0.0), f32(1.0), out=out.skills)


def _ageing_and_moving(
    hh: Households,
    out: Households,
    employed: NDArray[np.bool_],
    v: F32,
    expand: WardTable,
    cond: Conditions,
    params: Params,
) -> tuple[NDArray[np.intp], NDArray[np.bool_]]:
    """7. Demography and moving: one uniform ``v`` decides moving away, ageing or neither.
    Returns the rows that leave and which of them dissolved (see :func:`_household_block`)."""
    band = hh.band
    working_age = band != RETIRED_BAND
    p_move = leaving_probability(band, out.skills, expand(cond.move), params)
    moves = v < p_move
    p_move += cond.age_up.ravel().take(hh.ward.astype(np.intp) * N_BANDS + band)
    ages = v < p_move
    ages &= ~moves
    np.add(band, ages & working_age, out=out.band)
    dissolves = ages & ~working_age
    np.logical_and(employed, out.band != RETIRED_BAND, out=out.employed)
    out.size[:] = hh.size
    out.income_factor[:] = hh.income_factor
    rows = np.flatnonzero(moves | dissolves)
    return rows, dissolves[rows]
