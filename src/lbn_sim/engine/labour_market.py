"""Local labour demand and the job-finding scale: demand follows private investment, a
recession cuts it (more where resilience is low) and its scar heals.

Labour demand is its trend times ``1 - scar``: the trend follows private investment per
resident relative to the start (``YearInputs.investment_ratio``) at one pace everywhere
(:func:`~lbn_sim.engine.mechanisms.resilience.recovery_pace`); the scar is the share of it
lost to recessions and not yet recovered
(:func:`~lbn_sim.engine.mechanisms.resilience.scar_after`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from lbn_sim.engine.mechanisms.resilience import recovery_pace, scar_after
from lbn_sim.engine.parameters import Params
from lbn_sim.engine.services import Service

F64 = NDArray[np.float64]


def labour_demand(
    jobs: F64,
    scar: F64,
    investment_ratio: F64,
    recession: float,
    res: F64,
    res_england: float,
    params: Params,
) -> tuple[F64, F64]:
    """``(jobs, scar)`` after a year, ``[n_wards]`` each: local labour demand (a job-finding
    index, 1 at the start) and the recessions' unhealed scar.

    ``jobs``, ``scar``: at the start of the year; ``investment_ratio``: private investment
    per resident relative to the start; ``recession``: severity of a recession starting
    this year (0: none); ``res``, ``res_england``: resilience by ward and England's mean.
    """
    trend = jobs / (1.0 - scar)
    trend = trend + recovery_pace(res_england, params) * (investment_ratio - trend)
    scar = scar_after(scar, res, recession, params)
    # The floor is on the trend, so that next year's trend read back from jobs and scar
    # is the trend itself (a floor on jobs would lift it).
    trend = np.maximum(trend, params.labour_demand_floor)
    return trend * (1.0 - scar), scar


def employment_support(quality: F64, quality0: F64, params: Params) -> F64:
    """Job-finding multiplier of employment support relative to the start, ``[n_wards]``:
    ``1 + employment_support_effect * (q - q0)``.

    ``quality`` and ``quality0`` (at the start): float64 ``[n_services, n_wards]``.
    """
    es = Service.EMPLOYMENT_SUPPORT
    return 1.0 + params.employment_support_effect * (quality[es] - quality0[es])
