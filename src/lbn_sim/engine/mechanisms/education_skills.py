"""Education and skills (mechanism 6): adult education moves adults' skills year by year;
schools shape the skills of the households formed in the ward, a generation later.

Switched off (``mechanisms.education_skills=false``), adult education and schools
above or below their start level change no one's skills.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from lbn_sim.engine.parameters import Params
from lbn_sim.engine.services import Service

F32 = NDArray[np.float32]
F64 = NDArray[np.float64]


def adult_skill_change(used: F64, used0: F64, params: Params) -> F32 | None:
    """This year's change of working-age skills through adult education, float32
    ``[n_wards]``, or None with the mechanism off: ``adult_education_effect`` times the
    quality of adult education used above its start (``used``, ``used0``:
    ``[n_services, n_wards]``)."""
    if not params.switches.education_skills:
        return None
    adult_ed = used[Service.ADULT_EDUCATION] - used0[Service.ADULT_EDUCATION]
    return (params.adult_education_effect * adult_ed).astype(np.float32)


def young_skill(education_deprivation0: F64, used: F64, used0: F64, params: Params) -> F64:
    """Mean skills of a household newly formed in the ward, ``[n_wards]`` (clipped to
    ``beta_mean_min``, ``beta_mean_max``): the start's level (``1 - education_deprivation0``)
    plus ``school_effect`` times the quality of schools used above its start."""
    school = used[Service.SCHOOLS] - used0[Service.SCHOOLS]
    gain = params.school_effect * school if params.switches.education_skills else 0.0
    return np.clip(1.0 - education_deprivation0 + gain, params.beta_mean_min, params.beta_mean_max)
