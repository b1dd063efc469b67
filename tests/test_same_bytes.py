"""The three futures' tables at toy size, hashed, against the hashes main made before the
architecture change (aa5541d): the restructured engine, with local authorities keeping the
fixed start-year mix of services, gives the same bytes.

The recorded hashes change only with an intended change of the model (or of the libraries'
arithmetic); regenerate them with ``LBN_SIM_PRINT_HASHES=1 python -m pytest
tests/test_same_bytes.py -s`` and say why in the commit.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable

import pandas as pd
import pytest

from lbn_sim.config import Config
from lbn_sim.runs.results import STATUS_COUNTS
from lbn_sim.runs.runner import simulate

#: Local authorities keep the start year's mix of discretionary services.
FIXED_MIX = [
    f"params.la_elasticity_{s}=1.0"
    for s in (
        "community_spaces",
        "transport",
        "digital",
        "adult_education",
        "employment_support",
        "debt_advice",
    )
]
#: Hashes made on aa5541d (before the architecture change) at toy size (tests/conftest TOY).
RECORDED = {
    "worst_case": {
        "wards": "758a1c5a9a083639",
        "groups": "f37915c59f1df7cb",
        "summary": "ebc6548b3dba6ab1",
        "ledger": "3a0a513ac8d41151",
        "balances": "8e6712642c0892cc",
    },
    "base_case": {
        "wards": "09d7dc61e80586c6",
        "groups": "e113cc969cf2de88",
        "summary": "d3b4cdfd33d44232",
        "ledger": "78257ac7779451e4",
        "balances": "bd435ee5c512b00d",
    },
    "best_case": {
        "wards": "e3198bcbb964bea3",
        "groups": "c0e4930e11ecda3e",
        "summary": "9387fde0c6960442",
        "ledger": "251c71a239f084a9",
        "balances": "8c4746e0f14e54aa",
    },
}


def table_hash(df: pd.DataFrame) -> str:
    """A digest of a table's column names, types and every value (row order included)."""
    digest = hashlib.sha256()
    digest.update(repr([(c, str(t)) for c, t in df.dtypes.items()]).encode())
    digest.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    return digest.hexdigest()[:16]


@pytest.mark.parametrize("future", sorted(RECORDED))
def test_the_futures_are_the_same_bytes_as_before(
    toy_cfg: Callable[..., Config], future: str
) -> None:
    result = simulate(toy_cfg(f"scenario={future}", *FIXED_MIX))
    # The status counts were added to groups.parquet after aa5541d (issue 19): the columns
    # it had are compared.
    tables = {name: getattr(result, name) for name in RECORDED[future]}
    tables["groups"] = tables["groups"].drop(columns=list(STATUS_COUNTS))
    got = {name: table_hash(table) for name, table in tables.items()}
    if os.environ.get("LBN_SIM_PRINT_HASHES"):
        print(future, got)
    assert got == RECORDED[future]


def test_the_hash_sees_a_change_of_one_value(toy_cfg: Callable[..., Config]) -> None:
    groups = simulate(toy_cfg("horizon=2021", "policy_start=2020")).groups
    changed = groups.copy()
    changed.loc[changed.index[-1], "imd_like"] += 1e-12
    assert table_hash(changed) != table_hash(groups)
