"""Services used across ward boundaries: a ward's own, and through its links its neighbours'.

Households use the services of their ward and, through transport and digital links,
those of its neighbours (DESIGN: "through transport, their neighbours'"). The shared
data have no ward geography (no boundaries or centroids), so a ward's neighbours are
the other wards of its local authority. Where the neighbours' service is better, a
household with full reach closes a share of the gap (``neighbour_share_*`` per service,
times the ``params.neighbour_services`` strength); where its own is better, it uses
its own. The service used is what the household rules read (health, skills, advice,
employment support, civic life); the service's money stays with the ward that runs it,
so using a neighbour's moves no pound, and a neighbour's service is not crowded by it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from lbn_sim.engine.parameters import Params
from lbn_sim.engine.services import N_SERVICES, Service

F64 = NDArray[np.float64]

#: Services whose neighbours' quality a household can use (``params.neighbour_share_<name>``):
#: schools and GP practices take children and patients from neighbouring wards, within
#: limits of places and catchments; colleges, Jobcentres and advice services serve a whole
#: town; a community space is used mostly by those who live near it. Transport and digital
#: links are the reach itself (no share).
SHARED_SERVICES = (
    Service.SCHOOLS,
    Service.HEALTH,
    Service.COMMUNITY_SPACES,
    Service.ADULT_EDUCATION,
    Service.EMPLOYMENT_SUPPORT,
    Service.DEBT_ADVICE,
)


def neighbour_share(params: Params) -> F64:
    """Share of the gap to the neighbours' better service that a household with full reach
    closes, ``[n_services]`` (dimensionless, in [0, 1]; 0 for transport and digital)."""
    share = np.zeros(N_SERVICES)
    for s in SHARED_SERVICES:
        share[s] = getattr(params, f"neighbour_share_{s.name.lower()}")
    return share


@dataclass(frozen=True, slots=True)
class Neighbours:
    """Which wards are neighbours, and their weights.

    Attributes:
        la_index: int64 ``[n_wards]``, each ward's local authority (0 to ``n_las - 1``).
        weight: float64 ``[n_wards]``, residents at the start: the weights of a
            neighbours' mean (a large ward's service is used by more people).
    """

    la_index: NDArray[np.int64]
    weight: F64

    def others_mean(self, values: F64) -> F64:
        """Resident-weighted mean of ``values`` over each ward's neighbours.

        ``values``: float64 ``[k, n_wards]``; returns the same shape. A ward alone in
        its local authority has no neighbours and gets its own value (no authority of
        the real data has fewer than 9 wards; a small synthetic England may).
        """
        n_las = int(self.la_index.max()) + 1 if self.la_index.size else 0
        total_w = np.bincount(self.la_index, weights=self.weight, minlength=n_las)
        others_w = total_w[self.la_index] - self.weight
        alone = others_w <= 1e-9 * np.maximum(total_w[self.la_index], 1.0)
        out = np.empty_like(values)
        for k in range(values.shape[0]):
            wv = self.weight * values[k]
            total = np.bincount(self.la_index, weights=wv, minlength=n_las)
            mean = (total[self.la_index] - wv) / np.where(alone, 1.0, others_w)
            out[k] = np.where(alone, values[k], mean)
        return out


def used_quality(quality: F64, reach: F64, neighbours: Neighbours, params: Params) -> F64:
    """Quality of the services a ward's households use, float64 ``[n_services, n_wards]``.

    ``q + strength * share * reach * max(q_neighbours - q, 0)``, in [q, 1]
    (``strength``: ``params.neighbour_services``; ``share``: :func:`neighbour_share`):
    the ward's own quality ``q``, lifted towards its neighbours' mean where theirs is
    better, as far as the ward's reach (``[n_wards]`` in [0, 1], see
    :func:`lbn_sim.engine.mechanisms.connectivity.access`) and ``strength`` (in [0, 1];
    0: own ward only) allow.
    """
    better = np.maximum(neighbours.others_mean(quality) - quality, 0.0)
    strength = params.neighbour_services
    lift = strength * neighbour_share(params)[:, None] * reach[None, :]
    return np.clip(quality + lift * better, 0.0, 1.0)
