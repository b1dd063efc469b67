"""Long-term versus stop-start money (mechanism 8): community capacity built over years of
unbroken community-controlled funding compounds, and leaves a legacy; pots that end after
two years leave little behind.

Switched off (``mechanisms.long_term_money=false``), a year of funding builds as much
capacity whatever came before it, and nothing is left for good.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from lbn_sim.engine.parameters import Params

F64 = NDArray[np.float64]


def funded_years(
    years_funded: NDArray[np.int16], community_funded: NDArray[np.bool_]
) -> NDArray[np.int16]:
    """Consecutive years of community-controlled money after this year, int16 ``[n_wards]``
    (back to 0 in a year without it)."""
    return np.where(community_funded, years_funded + 1, 0).astype(np.int16)


def compounding(years: NDArray[np.int16], params: Params) -> F64 | float:
    """Multiplier of this year's capacity gain from support, ``[n_wards]`` (or 1.0 with the
    mechanism off): ``1 + long_term_compounding * min(years, long_term_max_years)``."""
    if not params.switches.long_term_money:
        return 1.0
    return 1.0 + params.long_term_compounding * np.minimum(years, params.long_term_max_years)


def legacy_after(legacy: F64, years: NDArray[np.int16], capacity: F64, params: Params) -> F64:
    """Capacity built for good after this year, ``[n_wards]`` (not yet clipped): it grows by
    ``legacy_rate * (1 - capacity)`` a year once funding has run ``legacy_min_years``
    unbroken."""
    if not params.switches.long_term_money:
        return legacy
    return legacy + params.legacy_rate * (years >= params.legacy_min_years) * (1.0 - capacity)
