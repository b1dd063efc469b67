"""Moving a value in [0, 1] by a change without clipping it at a bound."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

F64 = NDArray[np.float64]


def approach(x0: F64, change: F64, power: float) -> F64:
    """``x0`` moved by ``change``, nearing 0 and 1 smoothly instead of being clipped.
    Arrays ``[n_wards]`` in [0, 1].

    The headroom ``h`` towards the bound the change heads for (``1 - x0`` for a rise,
    ``x0`` for a fall) shrinks to ``h (1 + |change| / (power h)) ** -power`` (the
    registry's ``indicator_saturation_power``): a change small beside the headroom applies
    in full, whichever way it goes and wherever the ward starts, so a change every ward
    shares moves every ward alike; no change carries a value inside (0, 1) to a bound.
    """
    rise = change > 0
    h = np.where(rise, 1.0 - x0, x0)
    left = h * (1.0 + np.abs(change) / (power * np.maximum(h, 1e-12))) ** -power
    return np.where(change == 0.0, x0, np.where(rise, 1.0 - left, left))
