"""Names of the ledger's accounts outside the wards and authorities."""

from __future__ import annotations

from lbn_sim.engine.ledger import DELIVERED

CENTRAL = "central_government"
DONORS = "donors"
INVESTORS = "private_investors"
#: Sources outside the model's accounts: they send money without receiving it.
EXTERNAL_SOURCES = frozenset({CENTRAL, DONORS, INVESTORS, "opening_reserves"})

__all__ = ["CENTRAL", "DELIVERED", "DONORS", "EXTERNAL_SOURCES", "INVESTORS"]
