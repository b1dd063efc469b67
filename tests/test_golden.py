"""A small real-data run against a golden file: catches silent drift in the loader or the core.

The 27 wards of two local authorities (Hartlepool, with left-behind wards, and
Rutland), households sampled at 20%, 2019 to 2023 with the policy start in
2021. Only modelled values after the start year are stored (no copy of the
published data). After an intended change of the model, regenerate with::

    LBN_SIM_REGENERATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
from tests.conftest import compose_cfg

from lbn_sim.data.england import load_england
from lbn_sim.engine.model import LBNModel
from lbn_sim.runs.results import ward_table

GOLDEN = Path(__file__).parent / "golden" / "england_small.csv"
LAS = ("E06000001", "E06000017")  # Hartlepool, Rutland
COLUMNS = [
    "imd_like",
    "cni_like",
    "income_deprivation",
    "employment_deprivation",
    "education_deprivation",
    "health_deprivation",
    "financial_stress",
    "funding_per_head",
    "population",
]


def small_run(data_dir: Path) -> pd.DataFrame:
    wards, _ = load_england(data_dir, extras=False)
    subset = wards[wards["la_code"].isin(LAS)].reset_index(drop=True)
    cfg = compose_cfg(
        [
            "data=england_2019",
            "scenario=best_case",
            "policy_start=2021",
            "horizon=2023",
            "households.sample_rate=0.2",
            "households.left_behind_sample_rate=0.2",
            "households.min_per_ward=20",
            "plots=false",
        ]
    )
    model = LBNModel(cfg, subset)
    model.run()
    table = ward_table(model.history, model.ward_table)
    table = table[table["year"] > cfg.start_year]
    out = table[["year", "ward_code", "left_behind", *COLUMNS]].copy()
    out["ward_code"] = out["ward_code"].astype(str)
    return out.reset_index(drop=True)


def test_small_real_run_matches_golden(data_dir: Path) -> None:
    got = small_run(data_dir)
    assert got["ward_code"].nunique() >= 10
    if os.environ.get("LBN_SIM_REGENERATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        got.to_csv(GOLDEN, index=False, float_format="%.10g")
    want = pd.read_csv(GOLDEN)
    assert list(got["ward_code"]) == list(want["ward_code"])
    assert list(got["year"]) == list(want["year"])
    np.testing.assert_array_equal(got["left_behind"].to_numpy(), want["left_behind"].to_numpy())
    for c in COLUMNS:
        np.testing.assert_allclose(got[c].to_numpy(), want[c].to_numpy(), rtol=1e-7, err_msg=c)
