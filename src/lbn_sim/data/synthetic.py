"""A calibrated synthetic England: ward tables drawn from published summary figures.

The generator reproduces the shape of England's 2017 electoral wards (about 7,400
wards in about 320 local authorities, 225 of them 'left behind', home to about
2.4 million of England's 56 million residents) without shipping any raw data. It
reads only the small calibration table ``lbn_sim/data/synthetic_calibration.csv``
(made by ``scripts/calibrate_synthetic.py`` from the real open data, see the note
``synthetic_calibration.md`` beside it; read, with the model-scale transforms, by
:mod:`lbn_sim.data.synthetic_calibration`) and returns a ward table that follows
the contract in ``docs/contracts.md``.

How a ward table is drawn (:func:`generate_wards`):

1. Group sizes. The three start groups (``left_behind``, ``other_deprived``,
   ``rest``) keep their real sizes by default (225, 524, 6,672). For another
   ``n_wards``, ``left_behind`` keeps its real proportion (at least 1 ward);
   ``floor(n_lb * 7 / 225)`` of them (the real share of flagged wards outside the
   IMD top 10%, rounded down) will lie below the IMD cut; ``other_deprived`` fills
   the other places of the IMD top ``floor(n_wards / 10)`` (at least 1 ward), as
   its contract definition demands; ``rest`` takes the remainder.
2. Indicators. Each group is drawn from a multivariate normal with the group's
   means, standard deviations and correlations of the model-scale variables
   (:data:`~lbn_sim.data.synthetic_calibration.VARIABLES`: logits of rates and
   shares, log population, normal scores of the CNI domains, the other IMD scores
   as published), clipped to the group's observed range, then transformed back to
   the contract's scales
   (:func:`~lbn_sim.data.synthetic_calibration.from_model_scale`). Group
   population totals are scaled to the real group's total per ward times the
   number of wards drawn.
3. Cuts. The model calls a ward left behind when it is among the
   ``k = floor(n_wards / 10)`` highest wards on both ``imd_score`` and ``cni_score``
   (rank 1 = highest, ties by ward order); on the real data that rule and the
   published flag agree on 218 of 225 wards. Independent group draws spill over
   the cuts (about 165 of 225 drawn left-behind wards met the rule and about 45
   other-deprived wards did too), so the draws are then moved, minimally and
   without random numbers, to the right side of cuts that the table itself
   defines (:func:`_respect_cuts`):

   - IMD: the cut lies midway between the real ``other_deprived`` minimum and
     ``rest`` maximum of ``imd_score`` (35.06 points). ``other_deprived`` and the
     ``k - n_od`` highest left-behind wards must lie above it; ``rest`` and the other
     left-behind wards (7 at the default size) below it.
   - CNI: ``rest`` keeps its scores and the cut is its ``(k - n_lb + 1)``-th highest
     ``cni_score``; every left-behind ward must lie above it and every
     ``other_deprived`` ward below it. A ward's CNI is moved by scaling its three
     domain scores by one factor (each kept within the group's observed range),
     so ``cni_score`` stays their exact sum.

   A ward on the wrong side is moved into a band :data:`CUT_BAND` wide beside the
   cut, in its group's order. Then the top ``k`` by IMD are ``other_deprived`` and
   the upper left-behind wards, the top ``k`` by CNI are the left-behind wards and
   the highest ``rest`` wards, and the rule selects exactly the ``k - n_od`` upper
   left-behind wards (218 of 225 at the default size, all of them for fewer than
   1,072 wards) and no other ward, for every ``n_wards >= 20``. Group means move
   by at most about 0.06 sd on the model scale (default size, seeds 0 to 4: the
   left-behind CNI normal scores up 0.02 to 0.04 sd on average, the
   other-deprived ones down 0.01 to 0.02 sd, the left-behind ``imd_score`` up
   0.01 sd; ``rest`` is untouched).
4. Local authorities. The number of LAs scales with the number of wards; LA sizes
   (wards per LA) are log-normal as in the real data. Each LA gets a latent
   deprivation (its place in a sorted order) and the wards are dealt out in the
   order of a noisy deprivation rank: ward key = normal score of the rank of
   ``(1 - LA_CNI_WEIGHT) * z_imd + LA_CNI_WEIGHT * z_cni`` (``z_*``: normal scores of
   the ward's ``imd_score`` and ``cni_score`` ranks) plus ``N(0, LA_NOISE_SD**2)``
   noise; wards sorted by key fill the LAs, least deprived LA first, and LA codes
   are given in random order. Deprived wards thereby share deprived LAs. The two
   constants trade off four real figures (see :data:`LA_NOISE_SD`).

Every random draw comes from one ``numpy.random.default_rng(seed)``; nothing runs
at import.
"""

from __future__ import annotations

import numbers
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import special

from lbn_sim.data.contract import CONTRACT_COLUMNS
from lbn_sim.data.synthetic_calibration import (
    CNI_COLUMNS,
    GROUPS,
    VARIABLES,
    Calibration,
    GroupCalibration,
    cni_domain_from_probit,
    from_model_scale,
    load_calibration,
    nearest_correlation,
    symmetric_eigen,
)

__all__ = [
    "COLUMNS",
    "LA_CNI_WEIGHT",
    "LA_NOISE_SD",
    "between_la_share",
    "generate_wards",
    "normal_scores",
]

FloatArray = NDArray[np.float64]

COLUMNS = CONTRACT_COLUMNS
"""The ward-table columns of the data contract, in order."""

CUT_BAND = 0.01
"""Width (points) of the band beside a 10% cut into which the generator moves the
``imd_score`` or ``cni_score`` of a ward drawn on the wrong side of the cut (see the
module docstring, step 3)."""

LA_CNI_WEIGHT = 0.4
"""Weight of the CNI normal score (against the IMD one) in the key that deals wards
out to local authorities (see the module docstring)."""

LA_NOISE_SD = 0.8
"""Standard deviation of the noise in the key that deals wards out to local
authorities (see the module docstring); smaller values cluster deprived wards into
fewer LAs. With :data:`LA_CNI_WEIGHT` it was set by simulation against four real
figures (default size, real figure in brackets): the between-LA share of the
variance of the IMD and CNI normal scores, about 0.52 (0.45) and 0.38 (0.48), and
the number of LAs holding left-behind and other deprived wards, about 75 (82) and
155 (143). One noisy key cannot match all four; an IMD-only key that matches the
left-behind count leaves the CNI almost unclustered (0.15)."""


def _group_sizes(cal: Calibration, n_wards: int | None) -> dict[str, int]:
    """Wards per group: the real sizes, or sizes for ``n_wards`` (see the module docstring).

    For a given ``n_wards``: ``left_behind`` keeps its real proportion (at least 1);
    a floor of its real share below the IMD cut (7 of 225) stays below the cut; and
    ``other_deprived`` fills the rest of the ``floor(n_wards / 10)`` IMD places (at
    least 1). ``rest`` takes the remainder.
    """
    real = {g: cal.groups[g].n_wards for g in GROUPS}
    if n_wards is None:
        return real
    total = sum(real.values())
    n_lb = max(1, round(n_wards * real["left_behind"] / total))
    real_out = max(0, real["left_behind"] + real["other_deprived"] - total // 10)
    n_out = min(n_lb, n_lb * real_out // real["left_behind"])
    n_od = max(1, n_wards // 10 - (n_lb - n_out))
    return {"left_behind": n_lb, "other_deprived": n_od, "rest": n_wards - n_lb - n_od}


def _move_past_cut(values: FloatArray, cut: float, above: bool) -> FloatArray:
    """Move ``values`` on the wrong side of ``cut`` into a thin band on the right side.

    Args:
        values: float64 ``[m]``, one group's values.
        cut: the cut.
        above: ``True`` to put every value strictly above ``cut``, ``False`` strictly
            below it.

    Returns:
        float64 ``[m]``: values already on the right side are unchanged; the others
        are spaced evenly, in their original order (ties by position), inside the
        band of width :data:`CUT_BAND` next to ``cut``, short of the group's nearest
        value already on the right side (unless that one lies within a millionth of
        the band of the cut), so the group's order is kept.
    """
    x = np.asarray(values, dtype=np.float64)
    sign = 1.0 if above else -1.0
    d = sign * (x - cut)  # distance past the cut on the right side
    wrong = d <= 0.0
    n_wrong = int(wrong.sum())
    if n_wrong == 0:
        return x.copy()
    nearest = float(d[~wrong].min()) if n_wrong < x.shape[0] else CUT_BAND
    width = min(CUT_BAND, nearest) if nearest > 1e-6 * CUT_BAND else CUT_BAND
    rank = np.empty(n_wrong, dtype=np.int64)
    rank[np.argsort(d[wrong], kind="stable")] = np.arange(n_wrong)
    out = x.copy()
    out[wrong] = cut + sign * width * (rank + 1) / (n_wrong + 1)
    return out


def _rescale_domains(
    domains: FloatArray, target: FloatArray, lower: FloatArray, upper: FloatArray, up: bool
) -> FloatArray:
    """Scale each row of CNI domain scores by one factor so the row sums to ``target``.

    Args:
        domains: float64 ``[m, 3]``, positive domain scores.
        target: float64 ``[m]``, wanted row sums.
        lower, upper: float64 ``[3]``, bounds of each domain; a scaled score is
            clipped to them (the other domains then take up the difference).
        up: ``True`` to end at a row sum of at least ``target``, ``False`` at most.

    Returns:
        float64 ``[m, 3]``: ``clip(s * domains, lower, upper)`` with the factor ``s`` of
        each row found by bisection (the row sum, taken with ``sum(axis=1)``, is
        increasing in ``s``); rows sum to ``target`` to about 1e-15 relative, on the
        side given by ``up``, when the bounds allow it.
    """
    u = np.maximum(np.asarray(domains, dtype=np.float64), 1e-12)
    lo = np.min(lower / u, axis=1)  # every domain at its lower bound
    hi = np.max(upper / u, axis=1)  # every domain at its upper bound
    for _ in range(64):
        mid = 0.5 * (lo + hi)
        total = np.clip(mid[:, None] * u, lower, upper).sum(axis=1)
        low_side = total < target
        lo = np.where(low_side, mid, lo)
        hi = np.where(low_side, hi, mid)
    s = hi if up else lo
    return np.asarray(np.clip(s[:, None] * u, lower, upper), dtype=np.float64)


def _respect_cuts(
    columns: dict[str, FloatArray], start_group: NDArray[np.str_], cal: Calibration
) -> None:
    """Make the start groups agree with the 10% cuts of the drawn table, in place.

    Args:
        columns: the contract columns of
            :func:`~lbn_sim.data.synthetic_calibration.from_model_scale`, by name;
            ``imd_score``, the CNI domains and ``cni_score`` are replaced.
        start_group: str ``[n_wards]``, start group of each ward.
        cal: the calibration (the IMD cut and the groups' observed ranges).

    See the module docstring, step 3. Uses no random numbers.
    """
    k = start_group.shape[0] // 10
    if k == 0:
        return  # no ward is in the top 10%: nothing to agree with
    lb = np.flatnonzero(start_group == "left_behind")
    od = np.flatnonzero(start_group == "other_deprived")
    rest = np.flatnonzero(start_group == "rest")

    # IMD: other_deprived and the k - n_od highest left-behind wards above the cut,
    # the other left-behind wards and rest below it
    i_imd = VARIABLES.index("imd_score")
    cut = 0.5 * (cal.groups["other_deprived"].lower[i_imd] + cal.groups["rest"].upper[i_imd])
    imd = columns["imd_score"].copy()
    by_imd = lb[np.argsort(-imd[lb], kind="stable")]
    n_lb_top = min(lb.shape[0], max(0, k - od.shape[0]))
    for idx, above in (
        (by_imd[:n_lb_top], True),
        (od, True),
        (by_imd[n_lb_top:], False),
        (rest, False),
    ):
        if idx.shape[0]:
            imd[idx] = _move_past_cut(imd[idx], cut, above)
    columns["imd_score"] = imd

    # CNI: rest keeps its scores; the cut is the (k - n_lb + 1)-th highest rest
    # score; left-behind wards go above it, other_deprived wards below it
    m = k - lb.shape[0]
    if not 0 <= m < rest.shape[0]:
        return
    domains = np.column_stack([columns[name] for name in CNI_COLUMNS])
    cni = domains.sum(axis=1)
    cni_cut = float(np.sort(cni[rest])[::-1][m])
    probit = [VARIABLES.index(f"probit_{name}") for name in CNI_COLUMNS]
    for group, idx, above in (("left_behind", lb, True), ("other_deprived", od, False)):
        target = _move_past_cut(cni[idx], cni_cut, above)
        moved = target != cni[idx]
        if moved.any():
            g = cal.groups[group]
            domains[idx[moved]] = _rescale_domains(
                domains[idx[moved]],
                target[moved],
                cni_domain_from_probit(g.lower[probit]),
                cni_domain_from_probit(g.upper[probit]),
                up=above,
            )
    for j, name in enumerate(CNI_COLUMNS):
        columns[name] = domains[:, j].copy()
    columns["cni_score"] = domains.sum(axis=1)


def _draw_group(group: GroupCalibration, n: int, rng: np.random.Generator) -> FloatArray:
    """Draw ``n`` wards of a group on the model scale: float64 ``[n, len(VARIABLES)]``."""
    eigval, eigvec = symmetric_eigen(nearest_correlation(group.corr))
    root = eigvec * np.sqrt(np.clip(eigval, 0.0, None))
    z = rng.standard_normal((n, len(VARIABLES)))
    # z @ root.T, added term by term in order without BLAS (its kernels round differently
    # from one CPU to another; the same seed must give the same wards with any kernel).
    mixed = z[:, 0:1] * root[:, 0]
    for j in range(1, root.shape[1]):
        mixed = mixed + z[:, j : j + 1] * root[:, j]
    draws = group.mean + mixed * group.sd
    return np.asarray(np.clip(draws, group.lower, group.upper), dtype=np.float64)


def _la_sizes(
    cal: Calibration, n_wards: int, n_las: int, rng: np.random.Generator
) -> NDArray[np.int64]:
    """Wards per LA: int64 ``[n_las]``, each at least 1, summing to ``n_wards``."""
    log_size = rng.normal(cal.la_log_size_mean, cal.la_log_size_sd, size=n_las)
    raw = np.exp(np.clip(log_size, cal.la_log_size_min, cal.la_log_size_max))
    spare = n_wards - n_las  # every LA gets one ward; the rest go in proportion
    quota = raw / raw.sum() * spare
    sizes = np.floor(quota).astype(np.int64)
    remainder = spare - int(sizes.sum())
    if remainder > 0:  # largest remainders first, ties by position
        order = np.argsort(-(quota - sizes), kind="stable")
        sizes[order[:remainder]] += 1
    return sizes + 1


def normal_scores(values: FloatArray) -> FloatArray:
    """Normal scores of ranks: ``Phi^-1((rank + 0.5) / n)``, rank 0 = smallest value.

    Args:
        values: float64 ``[n]``; ties are ranked in order of position.

    Returns:
        float64 ``[n]``, increasing with ``values``.
    """
    x = np.asarray(values, dtype=np.float64)
    n = x.shape[0]
    rank = np.empty(n, dtype=np.int64)
    rank[np.argsort(x, kind="stable")] = np.arange(n)
    return np.asarray(special.ndtri((rank + 0.5) / n), dtype=np.float64)


def between_la_share(values: FloatArray, la: NDArray[np.generic]) -> float:
    """Share of the variance of ``values`` that lies between LAs (one-way ANOVA R²).

    Args:
        values: float64 ``[n_wards]``.
        la: ``[n_wards]`` LA labels (codes or indices).

    Returns:
        Between-LA sum of squares over total sum of squares, in [0, 1].
    """
    x = np.asarray(values, dtype=np.float64)
    _, index = np.unique(np.asarray(la), return_inverse=True)
    la_mean = np.bincount(index, weights=x) / np.bincount(index)
    total = float(np.sum((x - x.mean()) ** 2))
    between = float(np.sum((la_mean[index] - x.mean()) ** 2))
    return between / total if total > 0.0 else 0.0


def _assign_las(
    imd_score: FloatArray,
    cni_score: FloatArray,
    sizes: NDArray[np.int64],
    rng: np.random.Generator,
) -> NDArray[np.int64]:
    """LA index (0-based, in code order) of each ward: int64 ``[n_wards]``.

    Args:
        imd_score, cni_score: float64 ``[n_wards]``, points.
        sizes: int64 ``[n_las]``, wards per LA, summing to ``n_wards``.
        rng: the generator's random source.

    LAs take consecutive blocks of the wards sorted by a noisy deprivation score
    (see the module docstring); the block order (the LAs' latent deprivation) is
    unrelated to their codes.
    """
    n = imd_score.shape[0]
    combined = (1.0 - LA_CNI_WEIGHT) * normal_scores(imd_score) + LA_CNI_WEIGHT * normal_scores(
        cni_score
    )
    key = normal_scores(combined) + LA_NOISE_SD * rng.standard_normal(n)
    block_la = rng.permutation(sizes.shape[0])  # LA index of each deprivation block
    la_of_position = np.repeat(block_la, sizes[block_la])
    la = np.empty(n, dtype=np.int64)
    la[np.argsort(key, kind="stable")] = la_of_position
    return la


def _check_inputs(n_wards: int | None, seed: int) -> None:
    if n_wards is not None:
        if isinstance(n_wards, bool) or not isinstance(n_wards, numbers.Integral):
            raise ValueError(f"n_wards must be an integer or None, got {n_wards!r}")
        if n_wards < 3:
            raise ValueError(
                f"n_wards must be at least 3 (one ward per start group), got {n_wards}"
            )
        if n_wards >= 10**8:
            raise ValueError(f"n_wards must be below 10**8 (8-digit ward codes), got {n_wards}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")


def generate_wards(
    n_wards: int | None = None, seed: int = 0, calibration: Path | None = None
) -> pd.DataFrame:
    """Draw a synthetic England ward table.

    Args:
        n_wards: number of wards; ``None`` gives the real England size (the group
            sizes of the calibration table: 225 left behind, about 7,400 in all).
            Otherwise ``left_behind`` keeps its real proportion, ``other_deprived``
            fills the IMD top 10% (see the module docstring), each group has at
            least one ward, and the number of LAs scales with ``n_wards``.
        seed: seed of the one ``numpy.random.default_rng`` used for every draw;
            the same seed gives an identical table.
        calibration: calibration table to use; ``None`` uses the packaged one.

    Returns:
        The ward table of ``docs/contracts.md``: ``[n_wards]`` rows sorted by
        ``la_code`` then ``ward_code``, index ``0..n_wards-1``, columns
        :data:`COLUMNS`. ``population`` is whole persons (float64); each group's
        total population is its real total per ward times its number of wards.
        For ``n_wards >= 20`` (and the default) the start groups agree with the
        table's own 10% cuts: ``other_deprived`` is the IMD top ``floor(n / 10)``
        less its left-behind wards, and the left-behind rule (top 10% on both
        scores) selects all but ``floor(n_lb * 7 / 225)`` left-behind wards and no
        other ward.

    Raises:
        ValueError: ``n_wards`` below 3 or not an integer, ``seed`` negative or not
            an integer, or a malformed calibration table.
        FileNotFoundError: ``calibration`` does not exist.
    """
    _check_inputs(n_wards, seed)
    cal = load_calibration(calibration)
    rng = np.random.default_rng(seed)
    sizes = _group_sizes(cal, n_wards)
    n_total = sum(sizes.values())

    parts: list[FloatArray] = []
    populations: list[FloatArray] = []
    for name in GROUPS:
        group = cal.groups[name]
        draws = _draw_group(group, sizes[name], rng)
        pop = np.exp(draws[:, VARIABLES.index("log_population")])
        target = group.population_total / group.n_wards * sizes[name]
        populations.append(np.maximum(1.0, np.round(pop * (target / pop.sum()))))
        parts.append(draws)
    values = np.concatenate(parts, axis=0)
    columns = from_model_scale(values, cal.ratio_30_49_of_30_64, cal.min_share_30_64)
    columns["population"] = np.concatenate(populations)
    start_group = np.repeat(np.array(GROUPS), [sizes[g] for g in GROUPS])
    _respect_cuts(columns, start_group, cal)

    n_las = min(n_total, max(1, round(cal.n_las * n_total / cal.n_wards)))
    la_sizes = _la_sizes(cal, n_total, n_las, rng)
    la = _assign_las(columns["imd_score"], columns["cni_score"], la_sizes, rng)
    within = rng.permutation(n_total)  # order of wards inside an LA
    order = np.lexsort((within, la))

    la_width = max(3, len(str(n_las)))
    name_width = max(4, len(str(n_total)))
    ward_numbers = np.arange(1, n_total + 1)
    la_sorted = la[order] + 1
    frame = pd.DataFrame(
        {
            "ward_code": [f"S{i:08d}" for i in ward_numbers],
            "ward_name": [f"Synthetic ward {i:0{name_width}d}" for i in ward_numbers],
            "la_code": [f"SLA{i:0{la_width}d}" for i in la_sorted],
            "la_name": [f"Synthetic LA {i:0{la_width}d}" for i in la_sorted],
        }
    )
    for column in COLUMNS[4:-2]:
        frame[column] = np.asarray(columns[column], dtype=np.float64)[order]
    groups_sorted = start_group[order]
    frame["left_behind"] = groups_sorted == "left_behind"
    frame["start_group"] = [str(g) for g in groups_sorted]
    return frame[list(COLUMNS)]
