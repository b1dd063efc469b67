"""Tests of the calibration of the synthetic England (``lbn_sim.data.synthetic_calibration``).

The committed calibration table is a summary only and parses to a consistent
:class:`Calibration`; the scale transforms and the correlation repair behave. The
last test reruns ``scripts/calibrate_synthetic.py`` on the real data (the ``data_dir``
fixture: skipped when ``LBN_SIM_DATA_DIR`` is unset, except in CI).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lbn_sim.data.synthetic_calibration import (
    GROUPS,
    VARIABLES,
    Calibration,
    cni_domain_from_probit,
    cni_domain_to_probit,
    load_calibration,
    nearest_correlation,
)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
COMMITTED_TABLE = PROJECT_ROOT / "src" / "lbn_sim" / "data" / "synthetic_calibration.csv"


@pytest.fixture(scope="module")
def cal() -> Calibration:
    return load_calibration()


def test_committed_table_is_a_summary(cal: Calibration) -> None:
    table = pd.read_csv(COMMITTED_TABLE, keep_default_na=False)
    assert list(table.columns) == ["group", "stat", "var", "var2", "value"]
    assert set(table["group"]) == {*GROUPS, "england"}
    assert len(table) < 1_000  # summary figures only, no ward rows
    assert not table.astype(str).apply(lambda c: c.str.contains(r"E0\d{7}")).any().any()
    n_pairs = len(VARIABLES) * (len(VARIABLES) - 1) // 2
    assert (table["stat"] == "corr").sum() == len(GROUPS) * n_pairs
    assert cal.groups["left_behind"].n_wards == 225
    assert cal.groups["left_behind"].population_total == 2_386_368
    assert sum(cal.groups[g].n_wards for g in GROUPS) == cal.n_wards
    assert sum(cal.groups[g].population_total for g in GROUPS) == cal.population_total
    assert 0.0 < cal.ratio_30_49_of_30_64 < 1.0
    for name, low in cal.p01.items():
        assert low < cal.p99[name], name
    for group in GROUPS:
        assert np.all(np.linalg.eigvalsh(cal.groups[group].corr) > 0.0), group


def test_nearest_correlation() -> None:
    good = np.array([[1.0, 0.5], [0.5, 1.0]])
    np.testing.assert_array_equal(nearest_correlation(good), good)
    bad = np.array([[1.0, 0.9, -0.9], [0.9, 1.0, 0.9], [-0.9, 0.9, 1.0]])
    fixed = nearest_correlation(bad)
    np.testing.assert_allclose(np.diag(fixed), 1.0)
    np.testing.assert_allclose(fixed, fixed.T)
    assert np.linalg.eigvalsh(fixed).min() > -1e-12
    assert np.linalg.cholesky(fixed + 1e-9 * np.eye(3)).shape == (3, 3)


def test_cni_probit_round_trip() -> None:
    scores = np.array([0.05, 1.0, 10.0, 21.7, 50.0, 86.97, 99.0])
    np.testing.assert_allclose(cni_domain_from_probit(cni_domain_to_probit(scores)), scores)
    z = cni_domain_to_probit(np.array([0.0, 100.0]))
    assert z[0] < -3.5 and z[1] > 3.5
    # the published score of the median ward maps to a normal score near 0
    assert abs(cni_domain_to_probit(np.array([15.65]))[0]) < 0.01


@pytest.mark.slow
def test_script_reproduces_committed_table(tmp_path: Path, data_dir: Path) -> None:
    env = {**os.environ, "LBN_SIM_DATA_DIR": str(data_dir)}
    src = str(PROJECT_ROOT / "src")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
    subprocess.run(
        [sys.executable, "scripts/calibrate_synthetic.py", "--out-dir", str(tmp_path)],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    keys = ["group", "stat", "var", "var2"]
    fresh = pd.read_csv(tmp_path / "synthetic_calibration.csv", keep_default_na=False)
    committed = pd.read_csv(COMMITTED_TABLE, keep_default_na=False)
    pd.testing.assert_frame_equal(fresh[keys], committed[keys])
    np.testing.assert_allclose(fresh["value"], committed["value"], rtol=1e-8, atol=1e-12)
    note = (tmp_path / "synthetic_calibration.md").read_text(encoding="utf-8")
    for name in ("cni2019_england_ward17.csv", "population19_lsoa11.rda"):
        assert name in note
    assert re.search(r"\b[0-9a-f]{64}\b", note), "note lacks the SHA-256 of the sources"
