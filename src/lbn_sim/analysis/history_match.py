"""History matching: which parameter vectors the 2015-2019 record does not rule out.

The hindcast (``scripts/calibrate_history.py``) runs the model on the real data from its 2019
start for four years under the 2015-2019 regime
(:data:`lbn_sim.analysis.calibration_period.PERIOD_2015_2019` and ``LONDON_ECONOMY``) and
reads the figures of :func:`hindcast_figures` from the result tables; the record gives the
same figures between IMD 2015 and IMD 2019 (:data:`TARGETS`, computed from the shared
files by the script; ``tests/test_calibration.py`` checks them). A vector's implausibility
on a target is (Craig, Goldstein, Seheult and Smith 1996; Vernon, Goldstein and Bower 2010,
Bayesian Analysis 5(4))::

    I = |observed - modelled| / sqrt(V_obs + V_discrepancy + V_seed)

``V_obs``: how far the observed figure could be from the figure the model represents (its
own sampling, its measurement); ``V_discrepancy``: how far the model at its best parameters
could still be from the world (what it leaves out); ``V_seed``: the spread of the modelled
figure across seeds at one vector (one run per vector is read, so its noise counts). Each
target states its two standard deviations and why. A vector is kept when every
implausibility is below :data:`CUT` (3: Pukelsheim's three-sigma rule, at least 95% of any
unimodal distribution within it).

Reads result tables only; never runs the model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from lbn_sim.analysis.calibration_period import LONDON, drift_measures, rank_mapped

F64 = NDArray[np.float64]

#: The largest implausibility a kept vector may have on any target.
CUT = 3.0
#: The CNI's three domains, as columns of the input ward table.
CNI_DOMAINS = ("civic_assets", "connectedness", "engaged_community")
#: The hindcast's length: IMD 2015 to IMD 2019 are four editions' years apart.
YEARS = 4


@dataclass(frozen=True, slots=True)
class Target:
    """One observed figure of the 2015-2019 record and its uncertainties.

    Attributes:
        name: the figure's key in :func:`hindcast_figures`.
        observed: its value between IMD 2015 and IMD 2019 (the shared files).
        obs_sd: standard deviation of the observed figure about the one the model
            represents (sampling, measurement).
        discrepancy_sd: standard deviation of the model's best figure about the world's
            (what the model leaves out).
        why: where the figure and the two standard deviations come from.
    """

    name: str
    observed: float
    obs_sd: float
    discrepancy_sd: float
    why: str


#: The targets. Observed figures from ``scripts/calibrate_history.py``'s ``observed`` (the
#: drift and gradients) and ``experiments/validate_measurement.py``'s ``observed`` (the
#: persistence and rank change), on the shared files; the test suite recomputes them.
TARGETS: tuple[Target, ...] = (
    Target(
        "decile_persistence",
        0.8908,
        0.0114,
        0.015,
        "Share of the most deprived tenth of wards (IMD) still there four years on: 661 of "
        "742 from IMD 2015 (LSOA scores averaged to wards) to IMD 2019. obs: binomial, "
        "sqrt(p (1 - p) / 742). discrepancy: the editions' data are about three years "
        "apart, not four (more persistence), and the 2015 ward score is an average of "
        "small areas while the 2019 one is published (less persistence): 1.5 points.",
    ),
    Target(
        "both_keep_imd_tenth",
        0.9801,
        0.0099,
        0.015,
        "Of the 201 wards in both indices' most deprived tenths at the start (IMD 2015, CNI "
        "2019), the share still in the IMD tenth four years on. obs: binomial over 201. "
        "discrepancy: as the decile persistence's.",
    ),
    Target(
        "rank_change_sd_near_cut",
        206.06,
        5.35,
        20.6,
        "Standard deviation of a ward's four-year change of IMD rank, wards within a "
        "twentieth of the ranks around the tenth's cut (743 wards). obs: the standard error "
        "of a standard deviation, s / sqrt(2 (n - 1)). discrepancy: 10% of the figure "
        "(the change of aggregation between the editions adds rank noise the model has "
        "not; the three years against four take some away).",
    ),
    Target(
        "drift_chosen_at_start",
        0.0304,
        0.0076,
        0.015,
        "Change of the population-weighted mean IMD score of the wards the 'left behind' "
        "rule picks at the start (both tenths; 201 chosen with IMD 2015) over England's, "
        "published scores. Chosen at the start, as the model's are (the 225 were chosen "
        "in 2019, at the end: +0.0405, partly selection). obs: half the spread between the "
        "published reading and the rank-curve reading (+0.0455). discrepancy: London's "
        "deprived wards pulled away (its wards fell 2.2 points on the 2015 curve) through "
        "housing and displacement the model does not have; London's part of the observed "
        "drift is about 0.037 (outside London it is -0.0065, below): 0.015, about 40% of it.",
    ),
    Target(
        "drift_chosen_at_start_outside_london",
        -0.0065,
        0.0141,
        0.01,
        "The same outside London (England's mean over the wards outside London). obs: half "
        "the spread between the published reading and the rank-curve reading outside "
        "London (+0.0217). discrepancy: the model's regional growth and agglomeration are "
        "coarse: 0.01.",
    ),
    Target(
        "gradient_civic_assets",
        0.1314,
        0.0661,
        0.05,
        "Among the most deprived fifth of wards outside London (chosen at the start), the "
        "four-year rise in IMD points (rank curve) per standard deviation of civic-assets "
        "need, holding the start score. obs: the fit's standard error (wards treated as "
        "independent, which understates it). discrepancy: the model's community channels "
        "are coarse: 0.05.",
    ),
    Target(
        "gradient_connectedness",
        0.2157,
        0.0677,
        0.05,
        "As civic assets', per standard deviation of connectedness need (the figure "
        "params.agglomeration was fitted to).",
    ),
    Target(
        "gradient_engaged_community",
        0.2316,
        0.0664,
        0.05,
        "As civic assets', per standard deviation of engagement need.",
    ),
)
BY_TARGET = {t.name: t for t in TARGETS}


def _tenth(scores: pd.Series) -> set[str]:
    """Ward codes in the most deprived tenth of ``scores`` (indexed by ward code)."""
    cut = int(np.floor(0.1 * len(scores)))
    return set(scores.sort_values(ascending=False, kind="stable").index[:cut])


def near_cut(rank: pd.Series) -> pd.Series:
    """Wards within a twentieth of the ranks around the most deprived tenth's cut (bool,
    indexed as ``rank``; rank 1 = most deprived)."""
    cut = int(np.floor(0.1 * len(rank)))
    band = max(1, len(rank) // 20)
    return rank.between(cut - band, cut + band)


def cni_gradients(
    start: pd.Series,
    end: pd.Series,
    domains: pd.DataFrame,
    chosen_by: pd.Series | None = None,
    label: str = "gradient",
    with_se: bool = False,
) -> dict[str, float]:
    """Rise in points per standard deviation of each CNI domain, among the most deprived fifth.

    An ordinary least-squares fit of ``end - start`` on the standardised start
    score and the three CNI domain scores, over the fifth of wards with the
    highest ``chosen_by`` (default: ``start``). ``start``, ``end``, ``chosen_by``:
    scores by ward code on one scale; ``domains``: the ward table's CNI domain
    scores, indexed by ward code. Returns ``<label>, <domain>`` for each domain
    (points per SD) and, with ``with_se``, ``<label> SE, <domain>``: the ordinary
    least-squares standard errors (wards treated as independent; neighbouring
    wards are not, so these understate the uncertainty).
    """
    pick = start if chosen_by is None else chosen_by.loc[start.index]
    top = start[pick.rank(ascending=False) <= 0.2 * len(start)]
    x = pd.concat([top.rename("start"), domains.loc[top.index, list(CNI_DOMAINS)]], axis=1)
    z = ((x - x.mean()) / x.std()).to_numpy(np.float64)
    design = np.column_stack([np.ones(len(x)), z])
    rise = (end.loc[top.index] - top).to_numpy(np.float64)
    coef = np.linalg.lstsq(design, rise, rcond=None)[0]
    out = {f"{label}, {d}": float(c) for d, c in zip(CNI_DOMAINS, coef[2:], strict=True)}
    if with_se:
        resid = rise - design @ coef
        s2 = float(resid @ resid) / (len(rise) - design.shape[1])
        se = np.sqrt(np.diag(s2 * np.linalg.inv(design.T @ design)))
        out |= {f"{label} SE, {d}": float(e) for d, e in zip(CNI_DOMAINS, se[2:], strict=True)}
    return out


def outside_london_ranks(
    start: F64, end: F64, codes: pd.Index, outside: NDArray[np.bool_]
) -> tuple[pd.Series, pd.Series]:
    """Start and end scores of the wards outside London, ranked among themselves and mapped
    through their start curve, as series by ward code."""
    curve = np.sort(start[outside])[::-1]
    index = codes[outside]
    return (
        pd.Series(rank_mapped(start[outside], curve), index=index),
        pd.Series(rank_mapped(end[outside], curve), index=index),
    )


def hindcast_figures(
    wards: pd.DataFrame, start_year: int, domains: pd.DataFrame, years: int = YEARS
) -> dict[str, float]:
    """The figures :data:`TARGETS` name, read from a run's ward table.

    ``wards``: the result's ward table (one row per ward and year: ``ward_code``,
    ``la_code``, ``population``, ``imd_like``, ``cni_like``); ``start_year``: the run's first
    year; ``domains``: the input ward table's CNI domain scores (:data:`CNI_DOMAINS`) by ward
    code; ``years``: how far on the end is read. Without London's wards (a synthetic
    England), "outside London" is all of England.
    """
    start = wards[wards["year"] == start_year].set_index("ward_code")
    end = wards[wards["year"] == start_year + years].set_index("ward_code").loc[start.index]
    s0, s1 = start["imd_like"], end["imd_like"]
    d0, d1 = _tenth(s0), _tenth(s1)
    both = d0 & _tenth(start["cni_like"])
    r0 = s0.rank(ascending=False)
    rank_change = s1.rank(ascending=False) - r0
    pop = start["population"].to_numpy(np.float64)
    chosen = start.index.isin(list(both))
    outside = ~start["la_code"].astype(str).str.startswith(LONDON).to_numpy()
    a0, a1 = s0.to_numpy(np.float64), s1.to_numpy(np.float64)
    drift = drift_measures(a0, a1, pop, chosen, outside)
    gradients = cni_gradients(*outside_london_ranks(a0, a1, start.index, outside), domains)
    return {
        "decile_persistence": len(d0 & d1) / max(len(d0), 1),
        "both_keep_imd_tenth": len(both & d1) / max(len(both), 1),
        "rank_change_sd_near_cut": float(rank_change[near_cut(r0)].std()),
        "drift_chosen_at_start": drift["absolute"],
        "drift_chosen_at_start_outside_london": drift["absolute, outside London"],
        **{f"gradient_{d}": gradients[f"gradient, {d}"] for d in CNI_DOMAINS},
        "n_both": float(len(both)),
    }


def implausibility(
    figures: pd.DataFrame,
    seed_sd: pd.Series,
    targets: tuple[Target, ...] = TARGETS,
) -> pd.DataFrame:
    """Each vector's implausibility on each target.

    ``figures``: one row per vector, a column per target (:func:`hindcast_figures`);
    ``seed_sd``: the standard deviation of each figure across seeds at one vector, by target
    name. Returns one row per vector, a column per target: ``|observed - modelled| /
    sqrt(obs_sd**2 + discrepancy_sd**2 + seed_sd**2)``.
    """
    out = {}
    for t in targets:
        scale = np.sqrt(t.obs_sd**2 + t.discrepancy_sd**2 + float(seed_sd[t.name]) ** 2)
        out[t.name] = (figures[t.name] - t.observed).abs() / scale
    return pd.DataFrame(out, index=figures.index)


def binding(implausible: pd.DataFrame, cut: float = CUT) -> pd.DataFrame:
    """Which targets rule vectors out: per target (rows of ``implausible``'s columns), how
    many vectors it rules out (``ruled_out``: implausibility at or above ``cut``), how many
    it alone rules out (``only_this``), the median implausibility, and the share of vectors
    it rules out. Most binding first."""
    over = implausible >= cut
    alone = over & (over.sum(axis=1) == 1).to_numpy()[:, None]
    table = pd.DataFrame(
        {
            "ruled_out": over.sum(),
            "only_this": alone.sum(),
            "median_implausibility": implausible.median(),
            "share_ruled_out": over.mean(),
        }
    )
    return table.sort_values(["ruled_out", "only_this"], ascending=False)
