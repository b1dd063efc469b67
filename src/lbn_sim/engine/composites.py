"""The IMD-like and CNI-like composites, built the way the published indices are.

The English Indices of Deprivation 2019 (MHCLG, *Technical report*, 2019, section 3.8 and
appendix N) rank the 32,844 LSOAs on each domain, turn each rank into a 0-100 score with the
exponential transformation ``X = -23 ln(1 - R (1 - exp(-100/23)))`` (``R``: the rank scaled
to ``(0, 1]``, 1 for the most deprived), and weight the seven transformed domains (income and
employment 22.5%, education and health 13.5%, crime, barriers and living environment 9.3%)
into the IMD score. A ward's published score is the population-weighted mean of its LSOAs'.
The Community Needs Index 2019 (OCSI for Local Trust) ranks wards on its three domains,
transforms each rank the same way and adds the three (0 to 300).

Here each ranked unit (an LSOA or a CNI ward; on the synthetic England, each ward) has a
latent value per domain on the model's [0, 1] scale. Each year a unit's latent value moves by
its ward's change of that domain since the start; all units are ranked again (ties broken by
the published ranks), transformed and combined as published. The scores are therefore
relative (a change every ward shares moves no rank, so England's mean does not drift), stay
within the index's range, and in the start year reproduce the published ward scores.

Units the model does not simulate (LSOAs of wards it drops, CNI wards without residents) keep
their published place. An LSOA's latent start value on the income and employment domains is
the value at its published rank's place in the distribution of England's LSOA rates, measured
from the IMD's own numerators (people counted) over mid-2019 residents, so LSOAs spread as
they really do (income rates: sd 0.092 across LSOAs, against 0.068 across wards). On the
other domains, whose LSOA scores the shared files lack, it is the model-scale value at that
place in England's (population-weighted) distribution of the ward rates: an assumption that
spreads LSOAs as narrowly as wards, so a ward's change there moves its LSOAs' ranks somewhat
further than it would in the published index.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from lbn_sim.data.small_areas import SmallAreaTables
from lbn_sim.engine.bounded import approach
from lbn_sim.names import IMD_WEIGHTS

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]

#: The exponential transformation's constant (technical report, appendix N): a domain's
#: most deprived tenth spans about half of its 0-100 range.
EXP_CONSTANT = 23.0
#: The top of a transformed domain score (the published 0-100 scale), and the CNI's domain
#: scores over the model's [0, 1] scale.
TOP_SCORE = 100.0
#: Where within its rank's slice of England a unit sits (the slice's middle).
MID = 0.5
#: From this fraction between two values on, NumPy's quantile interpolates down from the
#: upper one (its ``_lerp``), which :func:`quantiles` repeats (not behaviour: arithmetic).
LERP_FROM_ABOVE = 0.5


def exp_transform(rank: I64, n: int) -> F64:
    """The IMD's exponential transformation of ranks (1 = most deprived among ``n``), 0-100.

    ``R = (n + 1 - rank) / n`` (``1/n`` for the least deprived, 1 for the most); returns
    ``-23 ln(1 - R (1 - exp(-100 / 23)))``, float64 shaped like ``rank``.
    """
    r = (n + 1 - rank.astype(np.float64)) / n
    return -EXP_CONSTANT * np.log1p(-r * -np.expm1(-TOP_SCORE / EXP_CONSTANT))


def ranks_desc(latent: F64, tie: I64, tie_order: I64 | None = None) -> I64:
    """Rank 1 = highest ``latent`` (``[n]``); equal values ordered by ``tie`` (lowest
    first, the published rank), then by position. int64 ``[n]``.

    ``tie_order``: ``np.argsort(tie, kind="stable")`` when the caller holds it (a composite
    ranks on the same ties every year). The ranks are ``np.lexsort((tie, -latent))``'s,
    which sorts by ``tie`` and then, stably, by ``-latent``: here the first sort is given,
    and the second meets values already nearly in order (the published ranks order the
    start's values), where the stable sort (timsort) is fastest.
    """
    if tie_order is None:
        tie_order = np.argsort(tie, kind="stable")
    order = tie_order[np.argsort(-latent[tie_order], kind="stable")]
    ranks = np.empty(latent.shape[0], dtype=np.int64)
    ranks[order] = np.arange(1, latent.shape[0] + 1)
    return ranks


@dataclass(frozen=True, slots=True)
class Composite:
    """One composite index over ranked units (``n_dom`` domains, ``n_units`` units).

    Attributes:
        unit_ward: int64 ``[n_units]`` the model ward of each unit, -1 for a unit the model
            does not simulate (it keeps its start place).
        unit_weight: float64 ``[n_units]`` residents (an LSOA's share of its ward's score).
        latent0: float64 ``[n_dom, n_units]`` each unit's start value on the model scale.
        tie: int64 ``[n_dom, n_units]`` published ranks, which order equal latent values.
        weights: float64 ``[n_dom]`` domain weights (IMD: the published ones; CNI: ones).
        anchor: float64 ``[n_wards]`` each ward's score in the start year (points).
        start: float64 ``[n_wards]`` the construction's own start-year score (points); on the
            real data the anchor, and a year's score is the construction itself.
        unit_score0: float64 ``[n_dom, n_units]`` each unit's transformed start ranks (0-100).
        tie_order: int64 ``[n_dom, n_units]`` the units in ``tie`` order (stable argsort).
        latent0_sorted: float64 ``[n_dom, n_units]`` ``latent0`` in ascending order.
        anchored: the start year reads given ``anchor`` scores, not the construction's own
            (the synthetic England): a year's score is then the anchor moved by the
            construction's change, nearing the index's ends smoothly (:func:`approach`, power
            1), so it stays within them.
    """

    unit_ward: I64
    unit_weight: F64
    latent0: F64
    tie: I64
    weights: F64
    anchor: F64
    start: F64
    unit_score0: F64
    tie_order: I64
    latent0_sorted: F64
    anchored: bool

    @classmethod
    def build(
        cls,
        unit_ward: I64,
        unit_weight: F64,
        latent0: F64,
        tie: I64,
        weights: F64,
        anchor: F64 | None,
        n_wards: int,
    ) -> Composite:
        """A composite of ``n_wards`` wards whose start year reads ``anchor`` (``None``: the
        construction's own scores, the published ones on the real data)."""
        n = latent0.shape[1]
        tie_order = np.argsort(tie, axis=1, kind="stable")
        score0 = np.stack(
            [
                exp_transform(ranks_desc(latent0[d], tie[d], tie_order[d]), n)
                for d in range(latent0.shape[0])
            ]
        )
        start = ward_means(unit_ward, unit_weight, weighted_sum(weights, score0), n_wards)
        return cls(
            unit_ward,
            unit_weight,
            latent0,
            tie,
            weights,
            start.copy() if anchor is None else np.asarray(anchor, np.float64),
            start,
            score0,
            tie_order,
            np.sort(latent0, axis=1),
            anchor is not None,
        )

    def construct(self, unit_scores: F64, n_wards: int) -> F64:
        """Population-weighted ward means of the weighted unit scores, ``[n_wards]`` points."""
        return ward_means(
            self.unit_ward, self.unit_weight, weighted_sum(self.weights, unit_scores), n_wards
        )

    def unit_scores(self, change: F64) -> F64:
        """Each unit's transformed domain scores after each ward's ``change`` of each domain
        since the start (model scale, ``[n_dom, n_wards]``): ``[n_dom, n_units]``, 0-100."""
        n = self.latent0.shape[1]
        here = self.unit_ward >= 0
        out = self.unit_score0.copy()
        for d in range(self.latent0.shape[0]):
            if not np.any(change[d]):
                continue  # no ward moved: every rank stays
            latent = self.latent0[d].copy()
            latent[here] += change[d][self.unit_ward[here]]
            out[d] = exp_transform(ranks_desc(latent, self.tie[d], self.tie_order[d]), n)
        return out

    def unit_scores_on_start_scale(self, change: F64) -> F64:
        """Like :meth:`unit_scores`, but each moved unit is ranked against the start year's
        latent values rather than this year's (``[n_dom, n_units]``, 0-100): an absolute
        reading, in which a unit's score moves only with its own ward's change, so a change
        every ward shares moves every score."""
        n = self.latent0.shape[1]
        here = self.unit_ward >= 0
        out = self.unit_score0.copy()
        for d in range(self.latent0.shape[0]):
            moved = here & (change[d][np.maximum(self.unit_ward, 0)] != 0.0)
            if not np.any(moved):
                continue
            # The moved units from the highest start value to the lowest (their published
            # ranks' order): searched from the lowest value up, as a value's place does not
            # depend on the order of the search, and searches in ascending order are fastest
            # (each starts where the last ended; the stable sort of values nearly in order
            # is too).
            units = self.tie_order[d][::-1]
            units = units[moved[units]]
            latent = self.latent0[d][units] + change[d][self.unit_ward[units]]
            order = np.argsort(latent, kind="stable")
            at = np.empty(latent.shape[0], dtype=np.intp)
            at[order] = np.searchsorted(self.latent0_sorted[d], latent[order], side="right")
            above = n - at
            out[d, units] = exp_transform(np.clip(above + 1, 1, n), n)
        return out

    def score_on_start_scale(self, change: F64) -> F64:
        """Each ward's score after ``change`` read against the start year's distribution
        (:meth:`unit_scores_on_start_scale`), points ``[n_wards]``; equals :meth:`score` in
        the start year."""
        return self._read(self.unit_scores_on_start_scale(change))

    def score(self, change: F64) -> F64:
        """Each ward's score after ``change`` (``[n_dom, n_wards]``, model scale), points
        ``[n_wards]``."""
        return self._read(self.unit_scores(change))

    def _read(self, unit_scores: F64) -> F64:
        """Ward scores (points, ``[n_wards]``) from unit scores (``[n_dom, n_units]``): the
        construction itself, or on an anchored composite the anchor moved by its change."""
        n_wards = self.anchor.shape[0]
        built = self.construct(unit_scores, n_wards)
        if not self.anchored:
            return built
        top = TOP_SCORE * float(self.weights.sum())
        moved = approach(self.anchor / top, (built - self.start) / top, 1.0)
        return np.asarray(top * moved, dtype=np.float64)


def weighted_sum(weights: F64, scores: F64) -> F64:
    """``weights @ scores`` (``[n_dom]`` by ``[n_dom, n]``: ``[n]``), added domain by domain
    in order without BLAS, so the bytes do not depend on the BLAS kernel (OpenBLAS picks
    one per CPU, or as ``OPENBLAS_CORETYPE`` says, and its kernels round differently)."""
    out = np.multiply(weights[0], scores[0], dtype=np.float64)
    term = np.empty_like(out)
    for d in range(1, weights.shape[0]):  # in place: two buffers a call, not two per domain
        np.multiply(weights[d], scores[d], out=term)
        out += term
    return out


def ward_means(unit_ward: I64, unit_weight: F64, unit_score: F64, n_wards: int) -> F64:
    """``unit_weight``-weighted means per ward of ``unit_score`` (each ``[n_units]``; units
    with ``unit_ward`` -1 left out), ``[n_wards]``."""
    here = unit_ward >= 0
    w = unit_weight[here]
    num = np.bincount(unit_ward[here], weights=w * unit_score[here], minlength=n_wards)
    den = np.bincount(unit_ward[here], weights=w, minlength=n_wards)
    return num / np.maximum(den, 1e-12)


def weighted_quantile(values: F64, weights: F64, q: F64) -> F64:
    """The ``weights``-weighted quantiles ``q`` (in [0, 1], any shape) of ``values``
    (``[n]``), interpolated; shaped like ``q``."""
    order = np.argsort(values, kind="stable")
    v, w = values[order], weights[order]
    cum = (np.cumsum(w) - MID * w) / max(float(w.sum()), 1e-12)
    return np.interp(q, cum, v)


def unit_start_values(ranks: I64, ward_rates: F64, ward_people: F64) -> F64:
    """Latent start values of ranked units from their published ranks (1 = most deprived,
    ``[n_dom, n_units]``): the model-scale value at the same place in England's
    population-weighted distribution of the ward rates (``[n_dom, n_wards]``). float64
    ``[n_dom, n_units]``."""
    n = ranks.shape[1]
    u = (n - ranks.astype(np.float64) + MID) / n
    return np.stack(
        [weighted_quantile(ward_rates[d], ward_people, u[d]) for d in range(ranks.shape[0])]
    )


def rank_place_values(ranks: I64, values: F64) -> F64:
    """Latent start values of units from their published ranks (1 = most deprived, ``[n]``):
    the value at each rank's place in the distribution of ``values`` (``[n]``, the units'
    own measured values, NaN where unknown), so the units keep their published order and
    spread as the measured values do. float64 ``[n]``."""
    n = ranks.shape[0]
    known = values[np.isfinite(values)]
    return quantiles(known, (n - ranks.astype(np.float64) + MID) / n)


def quantiles(values: F64, q: F64) -> F64:
    """``np.quantile(values, q)`` (its default, linear method), bit for bit, faster:
    ``values`` float64 ``[m]`` without NaN, ``q`` float64 ``[k]`` in [0, 1]; float64 ``[k]``.

    ``np.quantile`` partitions its input at every index it reads (about 0.7 s for 32,844
    quantiles of 32,844 values); here the values are sorted once and NumPy's arithmetic is
    done directly: the virtual index ``(m - 1) q``, its neighbours, and the interpolation
    (from the upper neighbour when the fraction is at least a half). Values holding -0.0
    are left to ``np.quantile`` (-0.0 equals 0.0, and which of the two its partition puts
    at an index is its own). ``tests/test_composites.py`` checks it against ``np.quantile``.
    """
    if np.any(np.signbit(values) & (values == 0.0)):
        return np.asarray(np.quantile(values, q), dtype=np.float64)
    ascending = np.sort(values)
    m = ascending.shape[0]
    virtual = (m - 1) * q
    previous = np.floor(virtual)
    following = previous + 1
    top = virtual >= m - 1
    previous[top] = -1
    following[top] = -1
    bottom = virtual < 0
    previous[bottom] = 0
    following[bottom] = 0
    lo, hi = previous.astype(np.intp), following.astype(np.intp)
    gamma = virtual - lo
    a, b = ascending[lo], ascending[hi]
    diff = b - a
    out = a + diff * gamma
    np.subtract(b, diff * (1 - gamma), out=out, where=gamma >= LERP_FROM_ABOVE)
    return out


def _ward_ranks(rates: F64) -> I64:
    """Ranks of each row of ``rates`` (``[n_dom, n_wards]``), 1 = highest, ties by ward
    order; int64 ``[n_dom, n_wards]``."""
    order = np.arange(rates.shape[1])
    return np.stack([ranks_desc(r, order) for r in rates])


def build_composites(
    imd_rates: F64,
    cni_rates: F64,
    people: F64,
    codes: NDArray[np.str_],
    anchors: tuple[F64, F64],
    areas: SmallAreaTables | None,
) -> tuple[Composite, Composite]:
    """The IMD-like and CNI-like composites of the model's wards.

    ``imd_rates`` (``[7, n_wards]``) and ``cni_rates`` (``[3, n_wards]``): the start year's
    domain values on the model scale; ``people``: residents ``[n_wards]``; ``codes``: ward
    codes ``[n_wards]``; ``anchors``: the ward table's IMD and CNI scores (points,
    ``[n_wards]`` each). With ``areas`` (the real data) the units are England's LSOAs and
    the CNI's wards, and the start year is the published construction; without (the
    synthetic England, which has no small areas) each ward is one unit and the scores move
    from the table's ``anchors`` by the construction's change.
    """
    n_wards = people.shape[0]
    if areas is None:
        wards = np.arange(n_wards, dtype=np.int64)
        imd = Composite.build(
            wards, people, imd_rates, _ward_ranks(imd_rates), IMD_WEIGHTS, anchors[0], n_wards
        )
        cni = Composite.build(
            wards,
            np.ones(n_wards),
            cni_rates,
            _ward_ranks(cni_rates),
            np.ones(3),
            anchors[1],
            n_wards,
        )
        return imd, cni
    index = {str(c): i for i, c in enumerate(codes)}
    lsoa_ward = np.array([index.get(str(c), -1) for c in areas.lsoa_ward], dtype=np.int64)
    latent = unit_start_values(areas.lsoa_ranks, imd_rates, people)
    for d, rates in enumerate(areas.lsoa_rates):
        latent[d] = rank_place_values(areas.lsoa_ranks[d], rates)
    imd = Composite.build(
        lsoa_ward, areas.lsoa_population, latent, areas.lsoa_ranks, IMD_WEIGHTS, None, n_wards
    )
    cni_ward = np.array([index.get(str(c), -1) for c in areas.cni_wards], dtype=np.int64)
    cni = Composite.build(
        cni_ward,
        np.ones(cni_ward.shape[0]),
        areas.cni_scores / TOP_SCORE,
        areas.cni_ranks,
        np.ones(3),
        None,
        n_wards,
    )
    return imd, cni
