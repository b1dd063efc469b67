"""Out-migration (mechanism 9): where opportunities are poor, those who can leave do.

Households move away with a yearly propensity (``move_rate``, by age band) pushed up by
the ward's employment shortfall against England's (:func:`move_propensity`); the skilled
move more (households' rule, ``0.5 + skills``). Their places are taken by newcomers,
selected by how far the ward's opportunities have moved since the start
(:func:`newcomer_selection`): worse off where employment fell further behind England's,
better off where labour demand grew more. Switched off (``mechanisms.out_migration=false``),
every ward has the base propensity and leavers and newcomers are a random draw.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from lbn_sim.engine.households import BAND_NAMES
from lbn_sim.engine.parameters import Params

F32 = NDArray[np.float32]
F64 = NDArray[np.float64]


def employment_push(employment: F64, population: F64) -> F64:
    """Each ward's employment shortfall against England's, ``[n_wards]`` in [0, 1].

    ``employment``: share of working-age heads in work, ``[n_wards]``; ``population``:
    residents, ``[n_wards]`` (England's rate is their weighted mean). Zero where the
    ward's rate is at or above England's; otherwise the shortfall as a share of
    England's rate.
    """
    england = float(np.average(employment, weights=population))
    return np.maximum(england - employment, 0.0) / max(england, 1e-9)


def leaver_skill(mean: F64, params: Params) -> F64:
    """Mean skills of the households that move away from a ward, ``[n_wards]``.

    Moving is proportional to ``a + skills`` (``a``: ``move_skill_offset``); with skills
    spread as a beta of concentration ``c`` (``skill_concentration``) around the ward's
    mean ``m`` (variance ``m (1 - m) / (c + 1)``), leavers' mean skill is
    ``E[s (a + s)] / E[a + s]``. Newcomers arrive with it (less the selectivity of places
    people leave), so an average ward's skills hold still.
    """
    a = params.move_skill_offset
    var = mean * (1.0 - mean) / (params.skill_concentration + 1.0)
    return (a * mean + mean**2 + var) / (a + mean)


def move_propensity(push: F64, params: Params) -> F64:
    """Yearly moving propensity before the age-band and skills factors, ``[n_wards]``:
    ``move_rate * (1 + move_push * push)`` (``push``: :func:`employment_push`, ``[n_wards]``)."""
    move = np.full(push.shape[0], params.move_rate)
    if params.switches.out_migration:
        move = move * (1.0 + params.move_push * push)
    return move


def newcomer_selection(push: F64, push0: F64, jobs: F64, population: F64, params: Params) -> F64:
    """How much worse off newcomers are than the households they replace, ``[n_wards]``
    (skills and employment shares; negative: better off).

    ``newcomer_selectivity * (shift - pull)``: ``shift`` is the rise of the ward's
    employment shortfall since the start (``push - push0``), ``pull`` how far its labour
    demand (``jobs``, ``[n_wards]``) has grown beyond England's (clipped to [0, 1]). The
    start's composition already holds the selection of the years before it (the start is
    a steady state), so only changes since the start select. Zero with the mechanism off.
    """
    if not params.switches.out_migration:
        return np.zeros(push.shape[0])
    shift = push - push0
    pull = np.clip(jobs / np.average(jobs, weights=population) - 1.0, 0.0, 1.0)
    return params.newcomer_selectivity * (shift - pull)


def mover_skill(skills: F64, selection: F64, params: Params) -> F64:
    """Mean skills of a household moving in, ``[n_wards]`` (clipped to ``beta_mean_min``,
    ``beta_mean_max``): the leavers' (:func:`leaver_skill`) less the selection; without
    selective migration leavers are a random draw, and so are newcomers: the ward's mean
    skill."""
    base = leaver_skill(skills, params) if params.switches.out_migration else skills
    return np.clip(base - selection, params.beta_mean_min, params.beta_mean_max)


def leaving_probability(band: NDArray[np.int8], skills: F32, ward_move: F32, params: Params) -> F32:
    """Each household's probability of moving away this year, float32 ``[m]``: its age
    band's propensity (``move_by_band_*``) times its ward's (``ward_move``, ``[m]``:
    :func:`move_propensity` expanded to its households), times
    ``move_skill_offset + skills`` with the mechanism on (those who can leave do; ``skills``
    at the year's end, ``[m]``), capped at ``move_probability_cap``."""
    p_move = params.vector("move_by_band", BAND_NAMES).astype(np.float32).take(band)
    p_move *= ward_move
    if params.switches.out_migration:
        p_move *= np.float32(params.move_skill_offset) + skills
    np.minimum(p_move, np.float32(params.move_probability_cap), out=p_move)
    return p_move


def newcomer_employment(employment: F64, selection: F64) -> F64:
    """Probability that a newcomer's working-age head is in work, ``[n_wards]``: the ward's
    employment rate (``[n_wards]``) less the selection (:func:`newcomer_selection`)."""
    return np.clip(employment - selection, 0.0, 1.0)


def newcomer_log_income(income_centre: F64, selection: F64, params: Params) -> F64:
    """Centre of a newcomer's log income factor, ``[n_wards]``: the ward's start centre less
    ``newcomer_income_ratio`` times the selection."""
    return income_centre - params.newcomer_income_ratio * selection
