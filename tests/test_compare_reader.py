"""Reading many runs: the bands are pandas' own numbers, and a comparison read on worker
processes is the same, file for file, as one read in a single process."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.conftest import TOY

from lbn_sim.analysis.ensemble import QUANTILES, band_statistics
from lbn_sim.bad_files import BadFile
from lbn_sim.compare import reader as reader_module
from lbn_sim.compare import run_comparison
from lbn_sim.runs.ensemble import run_ensemble
from lbn_sim.runs.store import RUNS_DIR


@pytest.mark.parametrize("n_runs", [1, 2, 3, 20, 201])
def test_band_statistics_are_pandas_grouped_statistics_bit_for_bit(n_runs: int) -> None:
    rng = np.random.default_rng(n_runs)
    table = rng.normal(size=(400, n_runs)) * 10.0 ** rng.integers(-3, 4, size=(400, 1))
    table[rng.random(table.shape) < 0.15] = np.nan
    table[:3] = 1.0 / 3.0  # ties
    table[3] = np.nan  # a key without values
    long = pd.DataFrame({"key": np.repeat(np.arange(400), n_runs), "v": table.ravel()})
    grouped = long["v"].groupby(long["key"])
    got = band_statistics(table)
    np.testing.assert_array_equal(got["n_runs"], grouped.count().to_numpy())
    np.testing.assert_array_equal(got["mean"], grouped.mean().to_numpy())
    quantiles = grouped.quantile(np.array(QUANTILES)).unstack(-1).to_numpy()
    for k, name in enumerate(("p05", "median", "p95")):
        np.testing.assert_array_equal(got[name], quantiles[:, k])


def _quiet(_: str) -> None:
    pass


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix != ".svg"  # (an SVG holds its date and random ids)
    }


@pytest.mark.slow  # an ensemble, and worker processes that start fresh: about 25 s here
def test_a_comparison_read_on_workers_is_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store"
    run_ensemble(
        store,
        [
            *TOY,
            "policy_start=2021",
            "horizon=2023",
            "seed=range(3)",
            "scenario=worst_case,best_case",
        ],
        workers=1,
        log=_quiet,
    )
    monkeypatch.setattr(reader_module, "MIN_RUNS_FOR_WORKERS", 2)
    one = run_comparison([store], out=tmp_path / "one", log=_quiet, workers=1)
    two = run_comparison([store], out=tmp_path / "two", log=_quiet, workers=2)
    files = _files(one)
    assert "tables/ward_end_bands.parquet" in files and "report.md" in files
    assert files == _files(two)
    # A damaged file is named as in one process: the first run, in order, that has one, even
    # with a later future's runs read ahead (one damaged in each future).
    for seed, scenario in (("1", "best_case"), ("2", "worst_case")):
        damaged = store / RUNS_DIR / f"seed={seed}" / f"scenario={scenario}" / "ward_years.parquet"
        damaged.write_bytes(damaged.read_bytes()[:100])
    with pytest.raises(BadFile, match=r"seed=2/scenario=worst_case/ward_years\.parquet"):
        run_comparison([store], out=tmp_path / "bad", log=_quiet, workers=2)
