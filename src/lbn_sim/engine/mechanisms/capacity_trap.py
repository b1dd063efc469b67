"""Capacity trap (mechanism 1): competitive, short-term pots reward places that already have
the capacity to bid, so the neediest get least; needs-based, 'least first' funding breaks
the loop.

The national programmes (:mod:`lbn_sim.engine.agents.programmes`) allocate by one of these
rules, chosen by the scenario's ``levers.allocation``: :func:`competitive_weights` for
competitive pots, :func:`least_first_weights` for formula and devolved money. Switched off
(``mechanisms.capacity_trap=false``), winning a competitive round does not depend on
capacity.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from lbn_sim.engine.parameters import Params

F64 = NDArray[np.float64]


def eligible_wards(imd_like: F64, params: Params) -> tuple[NDArray[np.bool_], NDArray[np.intp]]:
    """``(eligible [n_wards] bool, wards by IMD-like score, most deprived first)``: the most
    deprived ``programme_eligible_share`` of wards may receive programme money."""
    n = imd_like.shape[0]
    eligible_n = max(1, round(params.programme_eligible_share * n))
    order = np.argsort(-imd_like, kind="stable")
    eligible = np.zeros(n, dtype=bool)
    eligible[order[:eligible_n]] = True
    return eligible, order


def competitive_weights(
    eligible: NDArray[np.bool_],
    capacity: F64,
    population: F64,
    params: Params,
    rng: np.random.Generator,
) -> F64:
    """Allocation weights of a competitive round, float64 ``[n_wards]``.

    ``competitive_win_share`` of the eligible wards win, drawn with probability
    proportional to ``population * capacity ** bid_capacity_elasticity`` (the capacity
    trap; with the trap off, to population alone); winners share by population.
    """
    n = eligible.shape[0]
    beta = params.bid_capacity_elasticity if params.switches.capacity_trap else 0.0
    score = population * np.maximum(capacity, 1e-6) ** beta
    k = max(1, round(params.competitive_win_share * int(eligible.sum())))
    # Weighted sampling without replacement (Gumbel top-k), eligible wards only.
    keys = np.where(eligible, np.log(np.maximum(score, 1e-300)) + rng.gumbel(size=n), -np.inf)
    winners = np.argsort(-keys, kind="stable")[:k]
    w = np.zeros(n)
    w[winners] = population[winners]
    return w


def least_first_weights(
    eligible: NDArray[np.bool_],
    order: NDArray[np.intp],
    imd_like: F64,
    cni_like: F64,
    population: F64,
    least_first_share: float,
    params: Params,
) -> F64:
    """Allocation weights of formula and devolved money ('least first'), float64 ``[n_wards]``.

    ``least_first_share`` of the money goes to the most deprived ``least_first_top_share``
    of wards by IMD-like score, by ``population * cni_like`` (need on both indices); the
    rest to all eligible wards by ``population * imd_like``.
    """
    n = imd_like.shape[0]
    top_n = max(1, round(params.least_first_top_share * n))
    top = np.zeros(n, dtype=bool)
    top[order[:top_n]] = True
    need_top = population * np.maximum(cni_like, 1e-6) * top
    need_all = population * np.maximum(imd_like, 1e-6) * eligible
    s = least_first_share
    return s * need_top / need_top.sum() + (1 - s) * need_all / need_all.sum()
