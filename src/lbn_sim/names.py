"""Names every layer shares: the indicators and their groups, the IMD weights, and the
'left behind' rule.

The engine computes these indicators, and analysis, plots and comparisons read them from
result tables: both sides take the names from here, so neither imports the other.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from lbn_sim.data.contract import STRING_COLUMNS

F64 = NDArray[np.float64]

__all__ = [
    "CNI_DOMAINS",
    "IMD_DOMAINS",
    "IMD_WEIGHTS",
    "LEFT_BEHIND_SHARE",
    "RATE_INDICATORS",
    "START_GROUPS",
    "STRING_COLUMNS",
    "SUMMARY_GROUPS",
    "left_behind_cut",
    "left_behind_rule",
    "rank_desc",
]

#: The seven IMD domains (model names; the ward table's columns are
#: :data:`lbn_sim.data.contract.IMD_COLUMNS`) and their IMD 2019 weights.
IMD_DOMAINS = (
    "income_deprivation",
    "employment_deprivation",
    "education_deprivation",
    "health_deprivation",
    "crime",
    "housing_access_deprivation",
    "living_environment_deprivation",
)
IMD_WEIGHTS = np.array([0.225, 0.225, 0.135, 0.135, 0.093, 0.093, 0.093])
#: The start groups every ward belongs to (the ward table's ``start_group``).
START_GROUPS: tuple[str, ...] = ("left_behind", "other_deprived", "rest")
#: The groups every summary compares: the left-behind wards, other deprived wards, and
#: England as a whole (population-weighted).
SUMMARY_GROUPS: tuple[str, ...] = ("left_behind", "other_deprived", "england")
#: The three CNI domains (model names).
CNI_DOMAINS = ("civic_assets_need", "connectedness_need", "engagement_need")

#: Indicator columns written for every ward and year, all in [0, 1].
RATE_INDICATORS = (*IMD_DOMAINS, *CNI_DOMAINS, "financial_stress")
#: Share of residents a ward must rank in, on both composites, to count as left behind.
LEFT_BEHIND_SHARE = 0.10


def rank_desc(score: F64) -> NDArray[np.int32]:
    """Rank 1 = highest score (most deprived); ties broken by ward order. ``[n_wards]``."""
    order = np.argsort(-score, kind="stable")
    ranks = np.empty(score.shape[0], dtype=np.int32)
    ranks[order] = np.arange(1, score.shape[0] + 1, dtype=np.int32)
    return ranks


def left_behind_cut(n_wards: int) -> int:
    """The last rank inside the most deprived tenth of ``n_wards`` wards (742 of 7,421)."""
    return int(np.floor(LEFT_BEHIND_SHARE * n_wards))


def left_behind_rule(imd_rank: NDArray[np.int32], cni_rank: NDArray[np.int32]) -> NDArray[np.bool_]:
    """Wards in the most deprived 10% on both composites, ``[n_wards]``."""
    cut = left_behind_cut(imd_rank.shape[0])
    return (imd_rank <= cut) & (cni_rank <= cut)
