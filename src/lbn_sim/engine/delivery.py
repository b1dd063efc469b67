"""Delivery lags: money awarded to a ward is spent over years, later than planned.

An award is planned in equal instalments over its ``award_years`` (:func:`due_this_year`);
what has fallen due joins the award's backlog, and a share of the backlog is spent each
year (:func:`spent_this_year`): ``capital_spend_rate`` for capital (contracts to sign,
projects to build), ``running_spend_rate`` for running money (:func:`spend_rate`); an
award's capital part (:func:`capital_part`) and its running money are held apart. Money
not yet spent stays in the programme's account, where the ledger's yearly balances show
it; an award still unspent ``delivery_max_years_late`` years after its plan ended is spent
whole that year (the funds' extended deadlines), so every award is spent in full, to the
penny.

Sizing (the registry's sources): of the GBP 10.6bn of the Levelling Up Fund, Towns Fund
and UK Shared Prosperity Fund, planned to be spent from 2020-21 to 2025-26, GBP 0.9bn had
been spent by March 2023 (NAO, 2023) and GBP 1.24bn of GBP 10.47bn by September 2023
(Public Accounts Committee, 2024): about 8.5% three years into a six-year plan, 12% at
three and a half. A tenth of the backlog spent a year gives 9.4% and 12.2%.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from lbn_sim.engine.parameters import Params

I64 = NDArray[np.int64]
F64 = NDArray[np.float64]


def capital_part(award: I64, capital_share: float) -> I64:
    """The capital part of an award, int64 pence ``[n_wards]`` (``<= award``): its
    ``capital_share`` (in [0, 1]), rounded down to the penny; the rest is running money."""
    return np.minimum(np.floor(award * capital_share).astype(np.int64), award)


def spend_rate(capital: bool, params: Params) -> float:
    """Share of an award's backlog spent a year (1/yr): ``capital_spend_rate`` for its
    capital part, ``running_spend_rate`` for its running money."""
    return params.capital_spend_rate if capital else params.running_spend_rate


def years_late_allowed(params: Params) -> int:
    """Years after an award's planned end by which whatever is unspent is spent."""
    return int(params.delivery_max_years_late)


def due_this_year(not_due: I64, plan_left: int) -> I64:
    """Pence per ward that fall due this year under the plan, int64 ``[n_wards]``: an equal
    share of what is not yet due (``not_due``) over the plan's years left, the last year
    the rest."""
    return not_due // plan_left if plan_left > 1 else not_due.copy()


def spent_this_year(backlog: I64, rate: F64 | float, last_chance: bool) -> I64:
    """Pence per ward spent this year, int64 ``[n_wards]`` (``<= backlog``): ``rate``
    (per ward or one for all, in [0, 1]) of the backlog, rounded down; the whole backlog on
    the award's last chance."""
    if last_chance:
        return backlog.copy()
    return np.minimum(np.floor(backlog * np.asarray(rate)).astype(np.int64), backlog)
