"""Replay of Big Local: the model's modelled change in engagement and civic assets (the CNI
domains) in Big Local-funded wards against matched comparator wards, beside what Big
Local's evaluations report.

Usage (from the project root)::

    python experiments/replay_big_local.py [--seeds 3] [--draw-seed 0] [--toy] [overrides ...]
    python experiments/replay_big_local.py --seeds 3 data=england_2019

The design (``docs/replays.md`` gives the evidence and the figures):

* **funded wards**: 150 wards (``--areas``) drawn at random (``--draw-seed``) from the
  most deprived fifth of wards by their CNI 2019 score (an assumption: Big Local areas
  were chosen as places that had 'historically missed out on Lottery and other funding',
  and their boundaries are not wards);
* **comparators**: one per funded ward, greedy nearest-neighbour matching without
  replacement on the three CNI 2019 domain scores, the IMD 2019 score and log population
  (standardised), never a funded ward;
* **money**: 'just under GBP 160 million of funding distributed to 150 communities'
  (Local Trust, programme-level spend), GBP 1.07m an area, over 12 years (the programme
  ran 10 to 15 years), GBP 88,889 an area a year, paid 2020-2031 through the devolved
  channel; taken as 2019 prices (the cash was spent about 2012-2026, around 2019). Split
  two thirds capacity building (32% went on delivery costs, staff and support; small
  grants to local groups) and one third general (community spaces): an assumption;
* **everything else** at the base case, from 2019 to 2031 (``horizon=2031``).

Prints the table of modelled beside reported, and writes ``outputs/replay_big_local.csv``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _replay import (
    CNI_COLUMNS,
    Design,
    Observed,
    draw_wards,
    match_comparators,
    most_deprived,
    replay_main,
)

from lbn_sim.engine.agents.named_programme import NamedProgrammeSpec

#: Big Local areas.
AREAS = 150
#: GBP per area over the programme: GBP 160m / 150 (Local Trust, programme-level spend).
PER_AREA = 160e6 / 150
#: Years paid (the programme: 10 to 15) and the first year.
YEARS, FIRST_YEAR = 12, 2020
#: Capacity building (delivery costs, small grants) and community spaces (assumption).
PURPOSES = {"capacity_building": 2 / 3, "general": 1 / 3}
SPEND = "https://www.learningfrombiglocal.org.uk/resources/programme-level-spend"
OPM = "http://www.opm.co.uk/news/the-big-local-early-years-evaluation/"
OBS_2020 = "https://ourbiggerstory.com/report/2020-evaluation-report/"
#: What the evaluations report, per CNI domain (docs/replays.md gives the quotes).
OBSERVED = (
    Observed(
        "engaged community",
        "engagement_need",
        "monitoring, no counterfactual: the first 83 areas 'reached approximately 94,000 "
        "residents' in planning; 2,000+ places at learning events; 88% of active members "
        "confident; partnerships skew older, female, degree-educated",
        f"Big Local early years evaluation (OPM/NCVO/IVAR, Feb 2015) ({OPM}); "
        "learningfrombiglocal.org.uk 'How inclusive was Big Local?'",
        no_net_gain=False,
    ),
    Observed(
        "civic assets",
        "civic_assets_need",
        "qualitative: 'opening community hubs and spaces', 'developing community groups, "
        "voluntary organisations'; spend on 'improving or building new community spaces'; "
        "no count of assets, no counterfactual",
        f"Our Bigger Story 2020 report (TSRC) ({OBS_2020}); Local Trust spend ({SPEND})",
        no_net_gain=False,
    ),
    Observed(
        "connectedness",
        "connectedness_need",
        "not an outcome the evaluations measured",
        "none found",
        no_net_gain=False,
    ),
)
INDICATORS = [o.indicator for o in OBSERVED]


def design(wards: pd.DataFrame, areas: int, draw_seed: int) -> Design:
    """The Big Local replay's funded wards, comparators and money."""
    pool = most_deprived(wards, "cni_score", 0.20)
    treated = draw_wards(wards, areas, pool, draw_seed)
    comparators = match_comparators(wards, treated, (*CNI_COLUMNS, "imd_score"))
    spec = NamedProgrammeSpec(
        name="big_local",
        wards=tuple(treated),
        gbp_per_year=(PER_AREA / YEARS,) * len(treated),
        first_year=FIRST_YEAR,
        years=YEARS,
        purposes=PURPOSES,
    )
    return Design("Big Local replay", treated, comparators, spec, FIRST_YEAR + YEARS - 1)


def main(argv: list[str] | None = None) -> int:
    return replay_main(
        argv,
        name="replay_big_local",
        description=__doc__.splitlines()[0],
        areas=AREAS,
        toy_areas=6,
        years=(FIRST_YEAR, YEARS),
        make_design=design,
        indicators=INDICATORS,
        observed=OBSERVED,
    )


if __name__ == "__main__":
    sys.exit(main())
