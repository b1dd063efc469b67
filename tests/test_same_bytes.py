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
stopped calling BLAS and LAPACK (eigenvectors by Jacobi rotations in Python floats, with
LAPACK's orientation; sums added domain by domain): OpenBLAS picks a kernel per CPU (or as
``OPENBLAS_CORETYPE`` says) and its kernels round differently, so the same seed gave
different last bits on different machines (the CI machine sets ``OPENBLAS_CORETYPE=Haswell``);
the toy ledger and balances kept their bytes (the draws agree with LAPACK's here), the
composites' last bits moved, and the toy tables are now the same with any kernel.

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
#: Hashes at toy size (tests/conftest TOY), recorded after the defaults were re-sized on the NDC
#: evidence.
RECORDED = {
    "worst_case": {
        "wards": "08e47046f21eef75",
        "groups": "b5114fe8e39bab6d",
        "summary": "e31d01edb9391cf0",
        "ledger": "2a1377d29c86996e",
        "balances": "920e9d45994bebc8",
    },
    "base_case": {
        "wards": "c943d8bd2eb31222",
        "groups": "710c511df92f9d2a",
        "summary": "56bed73fc3ff0728",
        "ledger": "6ab1591ddfc1fd73",
        "balances": "47ef9af6a1119383",
    },
    "best_case": {
        "wards": "8f0d524ff4f70792",
        "groups": "4c35cfb3bf244981",
        "summary": "2775263194e3ac1e",
        "ledger": "4344efba0f90f646",
        "balances": "a375552c8ae4fdb0",
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
    round differently: the synthetic wards and the composites' sums use neither BLAS nor
    LAPACK's rounding, so the same seed gives the same bytes with any kernel; so do the
    eigenvectors of matrices with repeated eigenvalues (signs by the largest component) and
    of a clipped correlation matrix. (NumPy's own SIMD paths are not covered: ``np.exp``
    rounds differently with and without AVX-512, so the recorded hashes hold on CPUs with
    this machine's NumPy SIMD level.)"""
    import subprocess
    import sys

    script = (
        "import hashlib, pandas as pd, numpy as np\n"
        "from lbn_sim.data.synthetic import generate_wards\n"
        "from lbn_sim.engine.composites import weighted_sum\n"
        "w = generate_wards(n_wards=300, seed=3)\n"
        "s = weighted_sum(np.linspace(0.1, 0.3, 7), np.random.default_rng(1).random((7, 999)))\n"
        "h = hashlib.sha256(pd.util.hash_pandas_object(w, index=False).to_numpy().tobytes())\n"
        "h.update(s.tobytes())\n"
        "from lbn_sim.data.synthetic_calibration import nearest_correlation, symmetric_eigen\n"
        "cs = np.full((6, 6), 0.5) + 0.5 * np.eye(6)\n"  # five equal eigenvalues
        "bad = np.array([[1, .9, -.9], [.9, 1, .9], [-.9, .9, 1]])\n"  # not positive definite
        "for m in (cs, nearest_correlation(bad)):\n"
        "    for part in symmetric_eigen(m):\n"
        "        h.update(part.tobytes())\n"
        "print(h.hexdigest())\n"
    )

    def digest(env: dict[str, str]) -> str:
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    plain = {k: v for k, v in os.environ.items() if not k.startswith("OPENBLAS_")}
    assert digest({**plain, "OPENBLAS_CORETYPE": kernel}) == digest(plain)


def test_the_jacobi_eigenvectors_are_lapacks() -> None:
    """The BLAS-free eigen-solve gives LAPACK's eigenpairs (to 1e-12) in LAPACK's order and
    orientation, so the synthetic draws keep the rotation they had."""
    import numpy as np

    from lbn_sim.data.synthetic_calibration import load_calibration, symmetric_eigen

    for group in load_calibration().groups.values():
        corr = (group.corr + group.corr.T) / 2.0
        eigval, eigvec = symmetric_eigen(corr)
        ref_val, ref_vec = np.linalg.eigh(corr)
        assert np.abs(eigval - ref_val).max() < 1e-12
        assert np.abs(eigvec - ref_vec).max() < 1e-12
        assert np.abs(corr @ eigvec - eigvec * eigval).max() < 1e-12
