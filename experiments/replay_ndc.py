"""Replay of the New Deal for Communities (NDC): the model's modelled relative change on
worklessness, education, health and crime (and place) in NDC-funded wards against matched
comparator wards, beside what the NDC national evaluation found.

Usage (from the project root)::

    python experiments/replay_ndc.py [--seeds 3] [--draw-seed 0] [--toy] [overrides ...]
    python experiments/replay_ndc.py --seeds 3 data=england_2019

The design (``docs/replays.md`` gives the evidence and the figures):

* **funded wards**: 39 wards (``--areas``) drawn at random (``--draw-seed``) from the most
  deprived tenth of wards by their IMD 2019 score;
* **comparators**: one per funded ward, by greedy nearest-neighbour matching without
  replacement on the seven IMD 2019 domain scores and log population (standardised;
  :func:`_replay.match_comparators`), never a funded ward;
* **money**: about GBP 50m per NDC area of about 9,800 residents over ten years (LGIU
  briefing on the 2006-07 synthesis), GBP 510 a resident a year in the cash of the time,
  raised to 2019 prices by the GDP deflator's ratio 2019/2004 = 81.1085 / 59.8584 = 1.355
  (ONS GDP deflator at market prices, series YBGB, as bundled in charlescoverdale/greenbook
  ``inst/extdata/gdp_deflator.csv``, 2024 = 100; 2004 is the middle of NDC spending,
  1999-2000 to 2007-08): GBP 691 a resident a year, times each funded ward's 2019
  residents, paid every year 2020-2029 through the devolved (community-led) channel,
  split equally over the NDC's six outcome areas as the model's purposes (community ->
  capacity building; housing and physical environment, crime and community safety ->
  general; education; health; worklessness -> jobs): an assumption, as no spend split by
  outcome area was found;
* **everything else** at the base case (its history to 2024, its levers after), from 2019
  to 2029 (``horizon=2029``);
* **window**: the evaluation's survey panel ran 2002 to 2008, two to eight years into the
  programme, so the difference in differences is read from the end of 2021 (two years of
  money) to the end of 2027 (eight), not over the whole run (:data:`WINDOW`).

Prints the per-seed differences, then the table of modelled beside observed, and writes
``outputs/replay_ndc.csv`` (``--out``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _replay import (
    IMD_COLUMNS,
    Design,
    Observed,
    draw_wards,
    match_comparators,
    most_deprived,
    replay_main,
)

from lbn_sim.engine.agents.named_programme import NamedProgrammeSpec

#: NDC partnerships (LGIU briefing on the 2006-07 synthesis).
AREAS = 39
#: GBP per resident per year in the cash of the time: GBP 50m / 9,800 residents / 10 years.
PER_HEAD_CASH = 50e6 / 9_800 / 10
#: GDP deflator 2019 / 2004 (ONS series YBGB via charlescoverdale/greenbook, 2024 = 100).
DEFLATOR_2004_TO_2019 = 81.1085 / 59.8584
#: Years paid and the first year.
YEARS, FIRST_YEAR = 10, 2020
#: The evaluation's survey panel ran 2002 to 2008 (Walthery et al. 2015: "between 2002 and
#: 2008"), about two and eight years after the partnerships' money began (Round 1 in
#: 1999-2000, Round 2 in 2000-01; taken as 2000). The modelled difference is read over
#: the same stretch of the programme: from the end of its second year of money to the end
#: of its eighth (2021 to 2027), not over the whole ten years.
SURVEY_YEARS, PROGRAMME_BEGAN = (2002, 2008), 2000
WINDOW = (
    FIRST_YEAR - 1 + SURVEY_YEARS[0] - PROGRAMME_BEGAN,
    FIRST_YEAR - 1 + SURVEY_YEARS[1] - PROGRAMME_BEGAN,
)
#: The six NDC outcome areas in equal shares, as the model's purposes (assumption).
PURPOSES = {
    "capacity_building": 1 / 6,
    "general": 2 / 6,
    "education": 1 / 6,
    "health": 1 / 6,
    "jobs": 1 / 6,
}
WALTHERY_2015 = (
    "Walthery et al. 2015, J Epidemiol Community Health 69(8) 762, Table 1 (baseline 2002, "
    "https://www.ai-bt.com/si.php?db=pubmed&id=26085649, PMC4515985)"
)


def detection_threshold(
    ndc_ci: tuple[float, float], comparator_ci: tuple[float, float], base_share: float
) -> float:
    """The smallest net change the NDC survey panel would call significant at 5%, relative
    to ``base_share`` (a fraction): 1.96 standard errors of the difference between the NDC
    and comparator samples, each standard error read from a published 95% interval
    (percentage points; half its width over 1.96).

    Assumptions (stated in ``docs/replays.md``): the standard error of a change over time in
    the panel is about that of a level (for a yes/no answer with a within-person correlation
    of about 0.5, the variance of a change equals that of a level); and the model's need
    indicator changes in proportion to the survey's share.
    """
    se_ndc = (ndc_ci[1] - ndc_ci[0]) / 2 / 1.96
    se_cmp = (comparator_ci[1] - comparator_ci[0]) / 2 / 1.96
    return 1.96 * float(np.hypot(se_ndc, se_cmp)) / 100.0 / base_share


def threshold_at_share(
    ndc_ci: tuple[float, float], comparator_ci: tuple[float, float], ci_share: float, share: float
) -> float:
    """:func:`detection_threshold` for another yes/no measure of the same survey panel, at
    baseline ``share`` (a fraction), relative to that share: each sample's standard error,
    read from the intervals of a measure at ``ci_share``, scales as sqrt(p (1 - p)) at the
    same sample size (the binomial standard error; about 8,400 NDC and 780 comparator
    respondents' worth of precision behind Walthery et al.'s health row)."""
    scale = float(np.sqrt(share * (1.0 - share) / (ci_share * (1.0 - ci_share))))
    return detection_threshold(ndc_ci, comparator_ci, share) * scale


#: Health: the share in good self-reported health, NDC 40.4% (39.3 to 41.4), comparators
#: 40.7% (37.3 to 44.2); the need is the share not in good health, 59.6%.
HEALTH_TOLERANCE = detection_threshold((39.3, 41.4), (37.3, 44.2), 1.0 - 0.404)
#: Education: the share qualified to NVQ level 1 or below, NDC 58.0% (57.0 to 59.1),
#: comparators 53.6% (50.2 to 57.1): the panel's adult-skills measure.
EDUCATION_TOLERANCE = detection_threshold((57.0, 59.1), (50.2, 57.1), 0.580)
#: Worklessness: the share in a jobless household, NDC 43.1% (42.1 to 44.1), comparators
#: 39.2% (36.1 to 42.5): the panel's worklessness measure.
WORKLESSNESS_TOLERANCE = detection_threshold((42.1, 44.1), (36.1, 42.5), 0.431)
#: Crime: no net crime figure with its precision was found (``docs/replays.md``). The
#: threshold is the panel's precision (the health row's intervals) at a yes/no crime
#: measure with a baseline share of 25%, about that of being a victim of any crime in a year
#: (an assumption, range 20% to 30%, giving 14.7% to 11.2%): 12.7% relative.
CRIME_VICTIM_SHARE = 0.25
CRIME_TOLERANCE = threshold_at_share((39.3, 41.4), (37.3, 44.2), 0.404, CRIME_VICTIM_SHARE)
OVERMAN_2009 = "http://spatial-economics.blogspot.com/2009/10/new-deal-for-communities.html"
OVERMAN_2010 = "http://spatial-economics.blogspot.se/2010/02/lot-more-evidence-on-new-deal-for.html"
#: What the evaluation found, per outcome (docs/replays.md gives the quotes).
OBSERVED = (
    Observed(
        "worklessness",
        "employment_deprivation",
        "only modest net change, 'rather than for the people-related outcomes of health, "
        "education and worklessness'; 2009 panel: after controls, no significant net gain "
        "on any indicator but 'area improved'; jobless residents more likely to enter work "
        "than in similar deprived areas (a transition, size not read)",
        "Lawless 2012, Policy Studies 33(4) (abstract); "
        f"Overman 2009 on the 2009 report p.91 ({OVERMAN_2009}); "
        "Gutierrez-Romero 2009, Reg. Sci. Urban Econ. 39(3) 323-331 (abstract)",
        no_net_gain=True,
        tolerance=WORKLESSNESS_TOLERANCE,
        tolerance_source=f"jobless household, {WALTHERY_2015}",
    ),
    Observed(
        "education",
        "education_deprivation",
        "'little statistically significant variation ... between NDC and comparator areas'; "
        "'other disadvantaged areas did broadly just as well'",
        f"NDC final reports 2010 as quoted by Overman 2010 ({OVERMAN_2010})",
        no_net_gain=True,
        tolerance=EDUCATION_TOLERANCE,
        tolerance_source=f"NVQ 1 or below, {WALTHERY_2015}",
    ),
    Observed(
        "health",
        "health_deprivation",
        "no significant difference in change of self-rated health, mental health or life "
        "satisfaction, NDC vs comparator, 2002-2008",
        "Walthery et al. 2015, J Epidemiol Community Health 69(8) 762 (abstract, Results)",
        no_net_gain=True,
        tolerance=HEALTH_TOLERANCE,
        tolerance_source=f"good self-reported health, {WALTHERY_2015}",
    ),
    Observed(
        "crime",
        "crime",
        "a gross fall in crime, but not among the outcomes where NDC areas significantly "
        "out-performed comparators; no net figure or interval read; no displacement, some "
        "diffusion of benefit to neighbouring areas",
        "CLG News Release 032 (11 Feb 2008, the 2006-07 synthesis); Whitworth & McLennan, "
        "People Place & Policy (summary); 2009 panel via Overman 2009",
        no_net_gain=True,
        tolerance=CRIME_TOLERANCE,
        tolerance_source=(
            f"the panel's precision ({WALTHERY_2015}, good health row) at a victimisation "
            "share of 25% (assumption, 20-30%); no crime interval was read"
        ),
    ),
    Observed(
        "place: feel part of the community",
        "engagement_need",
        "35% -> 45% in NDC areas 2002-2008 (gross, not net of comparators); the only "
        "significant net gain after controls: 'area improved in the last two years'",
        "DCLG 2009 'An overview of change' via PublicNet; Overman 2009",
        no_net_gain=False,
    ),
)
INDICATORS = sorted({o.indicator for o in OBSERVED} | {"civic_assets_need"})
#: Indicator -> the evaluation's detection threshold, where its precision was read.
TOLERANCES = {o.indicator: o.tolerance for o in OBSERVED if o.tolerance is not None}


def design(wards: pd.DataFrame, areas: int, draw_seed: int) -> Design:
    """The NDC replay's funded wards, comparators and money."""
    pool = most_deprived(wards, "imd_score", 0.10)
    treated = draw_wards(wards, areas, pool, draw_seed)
    comparators = match_comparators(wards, treated, IMD_COLUMNS)
    population = wards.set_index("ward_code").loc[treated, "population"].to_numpy(float)
    per_head = PER_HEAD_CASH * DEFLATOR_2004_TO_2019
    spec = NamedProgrammeSpec(
        name="ndc",
        wards=tuple(treated),
        gbp_per_year=tuple(float(x) for x in per_head * population),
        first_year=FIRST_YEAR,
        years=YEARS,
        purposes=PURPOSES,
    )
    return Design("NDC replay", treated, comparators, spec, FIRST_YEAR + YEARS - 1, WINDOW)


def main(argv: list[str] | None = None) -> int:
    return replay_main(
        argv,
        name="replay_ndc",
        description=__doc__.splitlines()[0],
        areas=AREAS,
        toy_areas=4,
        years=(FIRST_YEAR, YEARS),
        make_design=design,
        indicators=INDICATORS,
        observed=OBSERVED,
    )


if __name__ == "__main__":
    sys.exit(main())
