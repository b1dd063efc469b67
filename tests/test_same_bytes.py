"""The three futures' tables at toy size, hashed, against recorded hashes: any change of the
model's bytes must be intended.

Recorded first on aa5541d (the restructured engine gave the same bytes, with local
authorities keeping the fixed start-year mix of services); recorded again after the
measurement change of issue 19 (composites built as published, indicators approaching their
bounds, income deprivation counted at start-year benefit rates, more households sampled near
the cuts), which changes every table; and again after the fixed line read on the start
year's distribution and synthetic scores approaching the index's ends (729c88e); and again
after issue 20's mechanisms (adult learning a level, local power with costs and a threshold,
capital_share its own lever, least first on the published indices, delivery lags, community
spaces' turnover), which change every table; and again after issue 19's local fortunes (each
ward's own AR(1) luck in job finding, from its own random stream), which change every table;
and again when the synthetic England's correlated draw and the composites' domain sums
stopped calling BLAS and LAPACK (a Cholesky factor computed in Python floats instead of
LAPACK's eigenvectors, sums added domain by domain): OpenBLAS picks a kernel per CPU (or as
``OPENBLAS_CORETYPE`` says) and its kernels round differently, so the same seed gave
different last bits on different machines; the toy tables are now the same with
``OPENBLAS_CORETYPE=Haswell`` and without.

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
#: Hashes at toy size (tests/conftest TOY), recorded after the BLAS-free synthetic draw.
RECORDED = {
    "worst_case": {
        "wards": "5969f97250d1a66f",
        "groups": "35da1d0b37b23610",
        "summary": "c653b8d7ff3fc80d",
        "ledger": "9d512dabde4a3fd1",
        "balances": "dfb92dd0c31d4904",
    },
    "base_case": {
        "wards": "84539e1a69e62111",
        "groups": "cf8440fd8b16f231",
        "summary": "11db6d717500506d",
        "ledger": "ffa0b8165c1e827f",
        "balances": "a56eeb604db758f6",
    },
    "best_case": {
        "wards": "6f2b5d948333c071",
        "groups": "08ce42ff6a7390ec",
        "summary": "40ef45b8097e0e74",
        "ledger": "71df2521c23a5cb6",
        "balances": "ff50b1d4f346e008",
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


@pytest.mark.parametrize("kernel", ["Haswell", "Sandybridge", "Prescott"])
def test_the_synthetic_england_does_not_depend_on_the_blas_kernel(kernel: str) -> None:
    """OpenBLAS picks a kernel per CPU (``OPENBLAS_CORETYPE`` forces one) and its kernels
    round differently: the synthetic wards and their composites are drawn and summed
    without BLAS or LAPACK, so the same seed gives the same bytes with any kernel."""
    import subprocess
    import sys

    script = (
        "import hashlib, pandas as pd\n"
        "from lbn_sim.data.synthetic import generate_wards\n"
        "from lbn_sim.engine.composites import weighted_sum\n"
        "import numpy as np\n"
        "w = generate_wards(n_wards=300, seed=3)\n"
        "s = weighted_sum(np.linspace(0.1, 0.3, 7), np.random.default_rng(1).random((7, 999)))\n"
        "h = hashlib.sha256(pd.util.hash_pandas_object(w, index=False).to_numpy().tobytes())\n"
        "h.update(s.tobytes())\n"
        "print(h.hexdigest())\n"
    )

    def digest(env: dict[str, str]) -> str:
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    plain = {k: v for k, v in os.environ.items() if not k.startswith("OPENBLAS_")}
    assert digest({**plain, "OPENBLAS_CORETYPE": kernel}) == digest(plain)
