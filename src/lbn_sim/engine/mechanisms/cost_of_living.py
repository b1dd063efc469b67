"""Cost of living and financial insecurity (mechanism 5): prices beyond incomes, price
shocks and debt advice set the level households' financial stress relaxes to.

A steady pressure (``macro.cost_of_living_pressure``) and price spikes
(``macro.price_shock_size`` in ``macro.price_shock_years``: their full size at England's
mean resilience, more where resilience is lower) raise every household's stress target,
an income-deprived household's more; debt advice above its start level lowers it
(:func:`stress_levels`); each household's stress relaxes towards its target
(:func:`stress_target`, the households' rule). Switched off
(``mechanisms.cost_of_living=false``), prices put no pressure on budgets.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from lbn_sim.engine.parameters import Params
from lbn_sim.engine.services import Service

F32 = NDArray[np.float32]
F64 = NDArray[np.float64]


def price_pressure(
    cost_of_living: float, price_shock: float, res: F64, res_england: float, params: Params
) -> F64:
    """Pressure of prices on household budgets this year, ``[n_wards]`` (0 to 1 scale, times
    the exposure): the steady pressure plus a price spike scaled by ``1 + mean - res``
    (``res``: each ward's resilience, ``[n_wards]``; ``res_england``: its mean)."""
    pressure = cost_of_living + price_shock * (1.0 + res_england - res)
    if not params.switches.cost_of_living:
        pressure = np.zeros(res.shape[0])
    return pressure * params.cost_of_living_exposure


def stress_levels(col: F64, used: F64, used0: F64, params: Params) -> tuple[F32, F32]:
    """``(base, deprived_extra)``, float32 ``[n_wards]`` each: the stress level of a household
    in work above the poverty line (prices, less debt advice above its start level), and
    what income below the poverty line adds.

    ``col``: :func:`price_pressure`; ``used``, ``used0``: quality of the services used this
    year and at the start, ``[n_services, n_wards]``.
    """
    advice = params.debt_advice_effect * (used[Service.DEBT_ADVICE] - used0[Service.DEBT_ADVICE])
    base = (params.stress_floor + params.stress_price_weight * col - advice).astype(np.float32)
    return base, (params.stress_income_deprived + col).astype(np.float32)


def stress_target(
    base: F32,
    deprived_extra: F32,
    deprived: NDArray[np.bool_],
    out_of_work: NDArray[np.bool_],
    out_of_work_extra: float,
) -> F32:
    """The level a household's financial stress relaxes towards, float32 ``[m]`` in [0, 1].

    ``base``: the ward's level for a household in work above the poverty line (prices and
    advice included; changed in place and returned); ``deprived_extra``: what income below
    the poverty line adds; ``deprived``, ``out_of_work``: bool ``[m]`` (working age and out
    of work adds ``out_of_work_extra``, ``params.stress_out_of_work``). All ``[m]``, one
    entry per household.
    """
    base += deprived_extra * deprived
    base += np.float32(out_of_work_extra) * out_of_work
    np.clip(base, np.float32(0.0), np.float32(1.0), out=base)
    return base
