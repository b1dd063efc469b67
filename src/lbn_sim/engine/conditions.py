"""The year's ward conditions as the households' rules read them (made by
:func:`lbn_sim.engine.step.ward_year`, read by :mod:`lbn_sim.engine.household_year`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from lbn_sim.engine.households import IncomeRule

F32 = NDArray[np.float32]
F64 = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Conditions:
    """The year's ward conditions as the household rules read them.

    Tables are float32 ``[n_wards]`` (read once per household) or float64
    ``[n_wards]`` (read only for households that are replaced).

    Attributes:
        find: job-finding scale (per year): the start-year scale times labour
            demand, access and employment support.
        shock: job-loss multiplier of a recession year, or None.
        stress_base: the level stress relaxes to for a household in work and above
            the poverty line (prices and debt advice included).
        stress_deprived: extra stress target of an income-deprived household.
        benefit: value of working-age benefits relative to the start year's (poverty-line
            terms): out-of-work incomes are scaled by it.
        d_health: this year's change of the ward's lagged health effect.
        d_participation: this year's change of the ward's lagged participation effect.
        d_skill: change of working-age skills through adult education, or None
            (mechanism off).
        move: moving propensity (per year) before the age-band and skills factors.
        young_skill: float64, mean skills of a newly formed household (clipped).
        mover_skill: float64, mean skills of a household moving in (clipped).
        new_health: float64, mean health of a new household (clipped).
        new_employment: float64, probability that a newcomer's working-age head is in work.
        new_log_income: float64, centre of a newcomer's log income factor.
        young_employment: float64, the same for a newly formed local household.
        young_log_income: float64, the same for a newly formed local household.
        new_participation: float32, civic participation of a new household.
        age_up: float32 ``[n_wards, 4]``, yearly probability of moving to the next age
            band (the 65+ band: the household dissolves), by ward and band.
        income: the income rule (who is below the poverty line).
    """

    find: F32
    shock: F32 | None
    stress_base: F32
    stress_deprived: F32
    benefit: float
    d_health: F32
    d_participation: F32
    d_skill: F32 | None
    move: F32
    young_skill: F64
    mover_skill: F64
    new_health: F64
    new_employment: F64
    new_log_income: F64
    young_employment: F64
    young_log_income: F64
    new_participation: F32
    age_up: NDArray[np.float32]
    income: IncomeRule
