"""Connectivity (mechanism 4): transport and digital links give households reach of jobs and
services, and growth goes to places with good links.

Three rules: a ward's reach (:func:`access`) scales its job finding and its use of its
neighbours' services (:func:`services_used`, through :mod:`lbn_sim.engine.neighbours`);
private investors' agglomeration premium follows reach above England's
(:func:`agglomerate`). Switched off (``mechanisms.connectivity=false``), every ward has
full reach, reach does not move investment, and there is no agglomeration premium.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from lbn_sim.engine.neighbours import used_quality
from lbn_sim.engine.parameters import Params
from lbn_sim.engine.services import Service
from lbn_sim.engine.state import Baseline

F64 = NDArray[np.float64]


def access(quality: F64, params: Params) -> F64:
    """Reach of jobs and services through transport and digital links, ``[n_wards]`` in [0, 1].

    ``quality``: service quality, ``[n_services, n_wards]``. With the connectivity
    mechanism off, every ward has full reach.
    """
    conn = (quality[Service.TRANSPORT] + quality[Service.DIGITAL]) / 2
    if not params.switches.connectivity:
        return np.ones_like(conn)
    w = params.connectivity_weight
    return (1.0 - w) + w * conn


def services_used(quality: F64, params: Params, baseline: Baseline) -> F64:
    """Quality of the services households use, own ward's and neighbours', through the
    ward's reach (:func:`access`); float64 ``[n_services, n_wards]`` in [0, 1].

    ``quality``: the wards' own service quality, ``[n_services, n_wards]``.
    """
    return used_quality(quality, access(quality, params), baseline.neighbours, params)


def recentre(log_index: F64, population: F64) -> F64:
    """``log_index`` (``[n_wards]``) shifted so that England's population-weighted mean of
    its ``exp`` is 1 (``population``: residents, ``[n_wards]``): an index that moves
    investment between wards, never England's total."""
    return log_index - np.log(np.average(np.exp(log_index), weights=population))


def agglomerate(
    premium: F64, real_wage_growth: float, reach: F64, params: Params, population: F64
) -> F64:
    """Next year's agglomeration premium by ward, ``[n_wards]`` (log of investment per
    resident relative to England's, from this mechanism alone).

    Growth goes more to the wards with better reach of jobs and markets:
    ``premium' = (1 - convergence) premium + agglomeration * max(g, 0) * (reach - 1)``,
    then shifted so that England's population-weighted mean of ``exp(premium)`` is 1
    (the premium moves investment between wards, never England's total per
    resident). ``g``: the year's real growth; ``reach`` (``[n_wards]``): each ward's
    access over England's population-weighted mean (1 everywhere with the
    connectivity mechanism off); ``population``: residents, ``[n_wards]``. The
    convergence term bounds the premium: at steady reach and growth it settles at
    ``f - log(average(exp(f)))``, ``f = agglomeration * g * (reach - 1) / convergence``
    (population-weighted average).
    """
    spread = params.agglomeration * max(real_wage_growth, 0.0) * (reach - 1.0)
    return recentre((1.0 - params.convergence) * premium + spread, population)


def investment_access_factor(access_ratio: F64, params: Params) -> F64 | float:
    """Private investment's response to a ward's reach against its start (``access_ratio``,
    ``[n_wards]``): ``access_ratio ** investment_access_elasticity``, 1 with the mechanism
    off."""
    if not params.switches.connectivity:
        return 1.0
    return np.maximum(access_ratio, 1e-6) ** params.investment_access_elasticity
