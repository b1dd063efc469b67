"""The ward-table contract (``docs/contracts.md``): its columns, in order, defined once.

Both data sources (:mod:`lbn_sim.data.england`, :mod:`lbn_sim.data.synthetic`)
return a table with exactly :data:`CONTRACT_COLUMNS` first.
"""

from __future__ import annotations

__all__ = ["CNI_COLUMNS", "CONTRACT_COLUMNS", "IMD_COLUMNS", "STRING_COLUMNS"]

IMD_COLUMNS: tuple[str, ...] = (
    "income",
    "employment",
    "education",
    "health",
    "crime",
    "housing_access",
    "living_environment",
)
"""The seven IMD 2019 domain columns of the ward table (contract scales)."""

CNI_COLUMNS: tuple[str, ...] = ("civic_assets", "connectedness", "engaged_community")
"""The three Community Needs Index domain columns of the ward table (0 to 100)."""

CONTRACT_COLUMNS: tuple[str, ...] = (
    "ward_code",
    "ward_name",
    "la_code",
    "la_name",
    "population",
    "share_0_15",
    "share_16_29",
    "share_30_49",
    "share_50_64",
    "share_65_plus",
    "imd_score",
    *IMD_COLUMNS,
    "cni_score",
    *CNI_COLUMNS,
    "left_behind",
    "start_group",
)
"""The ward-table columns, in order."""

STRING_COLUMNS: tuple[str, ...] = ("ward_code", "ward_name", "la_code", "la_name", "start_group")
"""The contract's text columns."""
