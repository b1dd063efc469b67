"""Education and skills (mechanism 6): adult learning lifts adults' skills to a level set by
its provision; schools shape the skills of the households formed in the ward, a generation
later.

Adult learning is a level effect, not a trend: more provision than at the start brings more
learners a year (up to a ceiling), each gaining a little skill; the uplift the ward's
working-age residents hold fades as learners retire and returns wear off. So the uplift
(``WardState.adult_learning``) approaches ``inflow / loss`` and a steady budget holds a
steady level (:func:`adult_learning_after`). Switched off
(``mechanisms.education_skills=false``), adult education and schools above or below their
start level change no one's skills.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from lbn_sim.engine.parameters import Params
from lbn_sim.engine.services import Service

F32 = NDArray[np.float32]
F64 = NDArray[np.float64]


def extra_learners(used: F64, used0: F64, params: Params) -> F64:
    """Extra adult learners a year as a share of working-age adults, ``[n_wards]`` in
    ``[-adult_learners_share, adult_learners_max_extra]``: today's share
    (``adult_learners_share``) times the relative change of the adult education used since
    the start (``used``, ``used0``: quality ``[n_services, n_wards]``), no fewer than none
    and no more than the ceiling (diminishing returns: places fill and the adults most
    willing to learn are reached first)."""
    q = used[Service.ADULT_EDUCATION]
    q0 = np.maximum(used0[Service.ADULT_EDUCATION], 1e-6)
    share = params.adult_learners_share
    return np.clip(share * (q - q0) / q0, -share, params.adult_learners_max_extra)


def adult_learning_after(stock: F64, used: F64, used0: F64, params: Params) -> F64:
    """The working-age residents' mean skill uplift from adult learning after this year,
    ``[n_wards]`` (skills scale, against the start's provision; negative where provision
    has fallen): this year's extra learners times ``adult_learning_gain`` each, less
    ``adult_learning_loss`` of the uplift held (``stock``). With the mechanism off, ``stock``
    unchanged."""
    if not params.switches.education_skills:
        return stock
    inflow = params.adult_learning_gain * extra_learners(used, used0, params)
    return stock + inflow - params.adult_learning_loss * stock


def adult_skill_change(stock: F64, after: F64, params: Params) -> F32 | None:
    """This year's change of every working-age adult's skills through adult learning,
    float32 ``[n_wards]`` (the change of the uplift, ``after - stock``), or None with the
    mechanism off."""
    if not params.switches.education_skills:
        return None
    return (after - stock).astype(np.float32)


def young_skill(education_deprivation0: F64, used: F64, used0: F64, params: Params) -> F64:
    """Mean skills of a household newly formed in the ward, ``[n_wards]`` (clipped to
    ``beta_mean_min``, ``beta_mean_max``): the start's level (``1 - education_deprivation0``)
    plus ``school_effect`` times the quality of schools used above its start."""
    school = used[Service.SCHOOLS] - used0[Service.SCHOOLS]
    gain = params.school_effect * school if params.switches.education_skills else 0.0
    return np.clip(1.0 - education_deprivation0 + gain, params.beta_mean_min, params.beta_mean_max)
