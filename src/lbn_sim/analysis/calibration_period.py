"""The 2015-2019 calibration period: the regime that ran between IMD 2015 and IMD 2019, and
how a run's drift of the left-behind wards against England is measured.

Read by ``scripts/calibrate_history.py`` (the calibration) and
``experiments/history_sensitivity.py`` (its screening). The measures read result tables
only; the period is a tuple of Hydra overrides.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

F64 = NDArray[np.float64]

#: Largest accepted difference between the modelled and observed figures: the spread of the
#: observed figure between its two measurements (published +0.0405, ranks +0.0555).
TOLERANCE = 0.015

#: The 2015-2019 regime, as Hydra overrides of the history regime. Most of the indicators in
#: IMD 2015 describe 2012/13 and most in IMD 2019 describe 2015/16, so the drift between the
#: editions is that of the middle of the 2010s: deep cuts to councils' discretionary services,
#: steeper in deprived places, the benefit freeze, small place-based pots, trend growth.
#: The data are about three years apart; the model runs the editions' four years, so its
#: cuts at the period's pace are if anything generous.
PERIOD_2015_2019 = (
    # Councils' spending per person on services fell 23% in real terms from 2009/10 to 2014/15
    # (IFS BN166), social care (cut 17%) less and the discretionary services more (planning and
    # development by half); the most deprived tenth of councils lost about twice as much per
    # person as the least deprived. On the core settlement (the discretionary services): -6% a
    # year for an authority of average deprivation, 1 point more per unit of deprivation z
    # (about -8% a year in the most deprived authorities, -5% in the least).
    "history.levers.la_real_growth=-0.06",
    "history.levers.la_deprivation_gradient=-0.01",
    # Schools and the NHS were protected: ring-fenced money flat in real terms.
    "history.levers.ring_fenced_growth=0",
    # Working-age benefits frozen in cash 2016-2020 while the poverty line rose with earnings
    # (about 3% a year): their value against the line fell about 3% a year.
    "history.levers.benefit_uprating=-0.03",
    # Place-based pots were small before 2020 (Coastal Communities Fund, Big Local): about
    # GBP 2 per resident a year, against about 25 from 2020 (Levelling Up Fund, Towns Fund).
    "history.levers.programme_per_head=2",
    # Real earnings grew about 1% a year (trend growth): no recession, no price shock.
    "history.macro.real_wage_growth=0.01",
    "history.macro.recession_years=[]",
    "history.macro.cost_of_living_pressure=0",
    "history.macro.price_shock_years=[]",
)
#: Local authority codes of the London boroughs (and the City of London) start with this.
LONDON = "E09"
#: The period's regional condition, for the real data only (it names London's LA codes):
#: London's economy grew faster than the rest of England. Its real GVA grew 3.0% a year in
#: 2016 and 2017 against the UK's 1.6% and 1.9% (ONS, regional GVA(B) 1998 to 2017), and its
#: share of UK GVA rose from 19.2% in 1998 to 23.8% in 2017 (1.4% a year faster than the rest
#: of the UK); with London's population growing about 0.5% a year faster, about 1% a year
#: faster per resident.
LONDON_ECONOMY = (f"++history.macro.regional_growth.{LONDON}=0.01",)
#: Every household simulated: the default sample's noise is as large as a four-year change.
FULL_SAMPLE = ("households.sample_rate=1.0", "households.left_behind_sample_rate=1.0")


def ratio(score: F64, population: F64, group: NDArray[np.bool_]) -> float:
    """Population-weighted mean of ``score`` over ``group`` divided by the mean over all."""
    inside = np.average(score[group], weights=population[group])
    return float(inside / np.average(score, weights=population))


def rank_mapped(score: F64, curve: F64) -> F64:
    """Each ward's score replaced by the curve's score at the ward's rank (1 = highest).

    ``curve``: the start year's scores sorted from the highest; ``score`` and the
    result are ``[n_wards]``.
    """
    order = np.argsort(-score, kind="stable")
    out = np.empty_like(score)
    out[order] = curve
    return out


def drift_measures(
    start: F64,
    end: F64,
    population: F64,
    group: NDArray[np.bool_],
    outside_london: NDArray[np.bool_] | None = None,
) -> dict[str, float]:
    """Change of the group:England ratio from ``start`` to ``end`` scores (each ``[n_wards]``).

    Returns ``absolute``, ``ranks`` and ``points`` (see the module docstring), and, when
    ``outside_london`` (bool ``[n_wards]``) is given, ``absolute, outside London`` and
    ``ranks, outside London``: the same with England's mean and the rank curve taken over
    the wards outside London only. ``population``: residents at the start, the weights of
    every mean.
    """
    r0 = ratio(start, population, group)
    e0 = np.average(start, weights=population)
    shared = np.average(end, weights=population) - e0
    curve = np.sort(start)[::-1]
    out = {
        "absolute": ratio(end, population, group) - r0,
        "ranks": ratio(rank_mapped(end, curve), population, group) - r0,
        "points": ratio(end - shared, population, group) - r0,
    }
    if outside_london is not None:
        m = outside_london
        inner = drift_measures(start[m], end[m], population[m], group[m])
        out["absolute, outside London"] = inner["absolute"]
        out["ranks, outside London"] = inner["ranks"]
    return out


def london_change(start: F64, end: F64, population: F64, london: NDArray[np.bool_]) -> float:
    """Population-weighted mean change of London's wards on the start year's rank-to-score
    curve, in points (negative: London improved against the rest). Arrays ``[n_wards]``."""
    curve = np.sort(start)[::-1]
    change = rank_mapped(end, curve) - start
    return float(np.average(change[london], weights=population[london]))


def four_years(wards: pd.DataFrame, start_year: int) -> tuple[pd.DataFrame, F64, F64, F64]:
    """From a run's ward table: the start year's rows (indexed by ward code), and each
    ward's IMD-like score at the start and four years on, and its residents at the start
    (each ``[n_wards]``, in the start rows' order)."""
    start = wards[wards["year"] == start_year].set_index("ward_code")
    end = wards[wards["year"] == start_year + 4].set_index("ward_code").loc[start.index]
    return (
        start,
        start["imd_like"].to_numpy(np.float64),
        end["imd_like"].to_numpy(np.float64),
        start["population"].to_numpy(np.float64),
    )
