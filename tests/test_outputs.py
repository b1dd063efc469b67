"""Output levels (``outputs=summary|standard|full``): what each writes, and that a comparison
reads the same report from summary runs as from standard runs of the same sweep."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from tests.conftest import TOY, compose_cfg

import lbn_sim
from lbn_sim.compare import run_comparison
from lbn_sim.config import ConfigError
from lbn_sim.runs.results import LEVEL_FILES, STANDARD_FILES

SHORT = [*TOY, "horizon=2030"]


def test_an_unknown_level_is_refused_naming_the_key() -> None:
    with pytest.raises(
        ConfigError,
        match=r"outputs must be one of summary, standard, full, "
        r"got 'sumary'; did you mean outputs=summary",
    ):
        compose_cfg([*TOY, "outputs=sumary"])


def test_standard_is_the_default_and_writes_the_same_tables_as_before() -> None:
    assert compose_cfg(TOY).outputs == "standard"
    assert STANDARD_FILES == (
        "wards.parquet",
        "groups.parquet",
        "ward_summary.csv",
        "ledger.parquet",
        "balances.parquet",
    )


def test_each_level_writes_its_files(tmp_path: Path) -> None:
    folders = {}
    for level in ("summary", "standard", "full"):
        folders[level] = tmp_path / level
        lbn_sim.run(
            scenario="best_case", overrides=[*SHORT, f"outputs={level}"], out_dir=folders[level]
        )
        files = {p.name for p in folders[level].iterdir() if p.is_file()}
        assert files == {*LEVEL_FILES[level], "provenance.json"}, level
    # The files the levels share are the same bytes.
    for name in LEVEL_FILES["summary"]:
        assert (folders["summary"] / name).read_bytes() == (folders["full"] / name).read_bytes()
    for name in STANDARD_FILES:
        assert (folders["standard"] / name).read_bytes() == (folders["full"] / name).read_bytes()
    schema = pq.read_schema(folders["summary"] / "ward_years.parquet")
    assert str(schema.field("imd_like").type) == "float"
    assert str(schema.field("ward_code").type).startswith("dictionary")
    # The compact table holds the composites and status to float32's precision.
    wards = pd.read_parquet(folders["standard"] / "wards.parquet")
    years = pd.read_parquet(folders["summary"] / "ward_years.parquet")
    # Ward by ward, each ward's years in order, the wards in wards.parquet's order.
    n_years = wards["year"].nunique()
    order = np.arange(len(wards)).reshape(n_years, -1).T.ravel()
    assert (
        years["ward_code"].astype(str).to_numpy()
        == wards["ward_code"].astype(str).to_numpy()[order]
    ).all()
    wards = wards.iloc[order]
    assert (years["year"].to_numpy() == wards["year"].to_numpy()).all()
    assert (years["left_behind"].to_numpy() == wards["left_behind"].to_numpy()).all()
    assert (years["imd_rank"].to_numpy() == wards["imd_rank"].to_numpy()).all()
    np.testing.assert_allclose(years["imd_like"], wards["imd_like"], rtol=1e-6)
    # The money table loses no penny: each year's and mechanism's flows sum to the ledger's.
    ledger = pd.read_parquet(folders["standard"] / "ledger.parquet")
    money = pd.read_parquet(folders["summary"] / "money.parquet")
    by = ["year", "mechanism"]
    want = ledger.groupby(by, observed=True)["pence"].sum()
    got = money.groupby(by, observed=True)["pence"].sum()
    pd.testing.assert_series_equal(got, want)
    assert len(money) < len(ledger) / 10
    assert set(money["destination"].astype(str)) >= {"ward:left_behind", "local_authority"}


def _sweep(root: Path, level: str) -> Path:
    for scenario in ("worst_case", "best_case"):
        for seed in (0, 1):
            lbn_sim.run(
                scenario=scenario,
                seed=seed,
                overrides=[*SHORT, f"outputs={level}"],
                out_dir=root / level / f"{scenario}_{seed}",
            )
    return root / level


def test_compare_reads_the_same_report_from_summary_and_standard_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The tables and the report's words are compared; the figures, drawn from those same
    # tables, are test_compare's and test_figures' (drawing them took most of 36 s here).
    from lbn_sim import compare

    monkeypatch.setattr(compare, "_draw_variant", lambda *args, **kwargs: {})
    standard = run_comparison([_sweep(tmp_path, "standard")], log=lambda _: None)
    summary = run_comparison([_sweep(tmp_path, "summary")], log=lambda _: None)
    text = (summary / "report.md").read_text().replace(str(tmp_path / "summary"), "ROOT")
    assert text == (standard / "report.md").read_text().replace(str(tmp_path / "standard"), "ROOT")
    # Summary holds what compare needs: every table standard runs give, summary runs give.
    tables = sorted(p.name for p in (standard / "tables").glob("*.parquet"))
    assert tables == sorted(p.name for p in (summary / "tables").glob("*.parquet"))
    assert "sigma_bands.parquet" in tables and "beta_bands.parquet" in tables
    for name in tables:
        a = pd.read_parquet(standard / "tables" / name)
        b = pd.read_parquet(summary / "tables" / name)
        if name == "sigma_bands.parquet":  # from float32 composites
            pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-5)
        elif name == "beta_bands.parquet":  # a half-life from a slope near 0 magnifies it
            pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-3)
        else:
            pd.testing.assert_frame_equal(a, b, check_exact=True)
