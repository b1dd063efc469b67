"""Social infrastructure (mechanism 3): places to meet, community organisations and
participation feed health, employment (networks) and the capacity to act.

Its rules here: community organisations keep part of a lost pound of community-run
services going (:func:`community_takeover`) and take over community spaces that would
close (:func:`close_spaces`); community spaces open and close at most at the rates
observed for libraries, pubs and youth centres (:func:`space_turnover`); participation
feeds community capacity (:func:`community_capacity`), and capacity and civic assets
feed participation (:func:`participation_driver`); civic assets feed health
(:func:`civic_health`). The households' job finding reads the network effect of
participation (``network_effect``). Switched off
(``mechanisms.social_infrastructure=false``), none of these links acts.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from lbn_sim.engine.parameters import Params
from lbn_sim.engine.services import N_SERVICES, Service
from lbn_sim.engine.state import Baseline, WardState

F64 = NDArray[np.float64]

#: Services a community organisation can take over when the council's money goes (community
#: asset transfer of libraries and centres, volunteer-run classes, advice and job clubs),
#: ``[n_services]`` bool. Schools, health, buses and broadband need more than volunteers.
COMMUNITY_RUN = np.zeros(N_SERVICES, dtype=bool)
COMMUNITY_RUN[
    [
        Service.COMMUNITY_SPACES,
        Service.ADULT_EDUCATION,
        Service.EMPLOYMENT_SUPPORT,
        Service.DEBT_ADVICE,
    ]
] = True


def takeover_share(capacity: F64, params: Params) -> F64:
    """Share of a lost pound of community-run services that the community keeps going.

    ``community_takeover * clip((capacity - lo) / (hi - lo), 0, 1)`` with ``lo``, ``hi``
    the capacities at which a takeover starts and reaches full strength; ``[n_wards]`` in
    [0, community_takeover] (no community replaces more than was lost).
    """
    lo, hi = params.takeover_capacity_low, params.takeover_capacity_high
    return params.community_takeover * np.clip((capacity - lo) / (hi - lo), 0.0, 1.0)


def community_takeover(
    spend: F64, public_spend: F64, public_spend0: F64, capacity: F64, params: Params
) -> F64:
    """Running money by service after community organisations make up part of the public
    money lost since the start, ``[n_services, n_wards]`` GBP/yr.

    ``spend``: this year's running money; ``public_spend``, ``public_spend0``: its public
    part this year and at the start (same shape); ``capacity``: ``[n_wards]``.
    """
    if not params.switches.social_infrastructure:
        return spend
    lost = np.maximum(public_spend0 - public_spend, 0.0)
    lost *= COMMUNITY_RUN[:, None]
    return spend + takeover_share(capacity, params)[None, :] * lost


def close_spaces(quality: F64, target: F64, capacity: F64, quality0: F64, params: Params) -> None:
    """Close community spaces whose quality has fallen below the closure line while their
    money cannot hold them above it, unless the community takes them over (capacity at
    the takeover ramp's middle); changes ``quality`` (``[n_services, n_wards]``) in place.

    A closed space reopens (and grows back from nothing) once its money can hold it above
    the line again (``target``: quality the year's money sustains, same shape). A ward
    whose spaces were already near or below the line at the start (``quality0``, its
    start quality of community spaces, ``[n_wards]``) closes them only when they fall
    ``closure_margin`` below where they started: the start is a steady state, and the
    small drifts of money a quiet year brings close nothing.
    """
    spaces = quality[Service.COMMUNITY_SPACES]
    takeover_at = (params.takeover_capacity_low + params.takeover_capacity_high) / 2
    taken_over = params.switches.social_infrastructure & (capacity >= takeover_at)
    line = np.minimum(params.closure_quality, params.closure_margin * quality0)
    sustained = target[Service.COMMUNITY_SPACES] >= line
    closing = (spaces < line) & ~sustained & ~taken_over
    quality[Service.COMMUNITY_SPACES] = np.where(closing, 0.0, spaces)


def space_turnover(quality: F64, before: F64, quality0: F64, params: Params) -> None:
    """Let community spaces open and close no faster than such places do: changes the
    community-spaces row of ``quality`` (``[n_services, n_wards]``, after the year's money
    and closures) in place.

    The stock of spaces (``before``: its quality at the start of the year, ``[n_wards]``)
    loses at most ``space_closure_rate`` of itself a year and gains at most
    ``space_opening_rate`` of the larger of itself and its start (``quality0``,
    ``[n_wards]``; a ward whose spaces have all closed can still reopen), whatever the
    money: money buys and runs buildings, it does not conjure or erase them in a year.
    """
    spaces = quality[Service.COMMUNITY_SPACES]
    lo = before * (1.0 - params.space_closure_rate)
    hi = before + params.space_opening_rate * np.maximum(before, quality0)
    quality[Service.COMMUNITY_SPACES] = np.clip(spaces, lo, hi)


def community_capacity(
    wards: WardState,
    baseline: Baseline,
    legacy: F64,
    support_per_head: F64,
    boost: F64 | float,
    params: Params,
) -> F64:
    """Community organisations' capacity after this year, ``[n_wards]`` in [0, 1].

    Capacity relaxes at ``capacity_speed`` towards its base level (the start's, plus the
    legacy of long-term money and ``capacity_participation_weight`` times the rise of
    participation since the start), and support for community organisations
    (``support_per_head``, GBP per resident) lifts it by
    ``capacity_support_gain * s / (s + capacity_support_half_saturation)`` times the
    long-term ``boost``.
    """
    part_term = params.capacity_participation_weight * (
        wards.agg.participation - baseline.agg.participation
    )
    if not params.switches.social_infrastructure:
        part_term = np.zeros_like(part_term)
    base_level = np.clip(baseline.capacity + legacy + part_term, 0.0, 1.0)
    per_head = support_per_head
    half = params.capacity_support_half_saturation
    gain = params.capacity_support_gain * per_head / (per_head + half) * boost
    capacity = wards.capacity + params.capacity_speed * (base_level - wards.capacity)
    capacity = capacity + gain * (1.0 - capacity)
    return np.clip(capacity, 0.0, 1.0)


def civic_change(used: F64, used0: F64) -> F64:
    """Quality of the civic assets (community spaces) used above the start, ``[n_wards]``."""
    return used[Service.COMMUNITY_SPACES] - used0[Service.COMMUNITY_SPACES]


def participation_driver(
    civic: F64, capacity: F64, wards: WardState, baseline: Baseline, params: Params
) -> F64:
    """Where civic participation is heading, relative to the start, ``[n_wards]``: civic
    assets and community capacity above their start (with the mechanism on), and health."""
    p = params
    si = 1.0 if p.switches.social_infrastructure else 0.0
    civic_part = p.participation_civic_weight * civic
    capacity_part = p.participation_capacity_weight * (capacity - baseline.capacity)
    health_part = p.participation_health_weight * (wards.agg.health - baseline.agg.health)
    return si * (civic_part + capacity_part) + health_part


def civic_health(civic: F64, params: Params) -> F64 | float:
    """The civic assets' part of where health is heading, ``[n_wards]`` (0 with the
    mechanism off)."""
    si = 1.0 if params.switches.social_infrastructure else 0.0
    return si * params.civic_health_effect * civic


def network_strength(params: Params) -> float:
    """How much a household's civic participation above 0.5 helps it find work (its
    networks): ``network_effect``, 0 with the mechanism off."""
    return params.network_effect if params.switches.social_infrastructure else 0.0
