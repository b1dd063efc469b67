"""Which side drives the count still left behind: the status counts in groups.parquet."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lbn_sim.config import Config
from lbn_sim.runs.results import STATUS_COUNTS, status_flags
from lbn_sim.runs.runner import headline, simulate


@pytest.mark.slow
def test_the_counts_bound_the_left_behind_and_read_the_ranks(
    toy_cfg: Callable[..., Config],
) -> None:
    # After the start year (whose status is the published flag), a ward left behind is in
    # the most deprived tenth on both indices, read on the status's window: never more
    # left behind than in either tenth alone, in any group, future or seed.
    for scenario in ("worst_case", "best_case"):
        for seed in range(4):
            c = toy_cfg(f"scenario={scenario}", f"seed={seed}")
            flagged = status_flags(simulate(c).wards, c.left_behind_window)
            later = flagged[flagged["year"] > c.start_year]
            lb = later["left_behind"].astype(bool)
            assert (later.loc[lb, "n_imd_tenth"] & later.loc[lb, "n_cni_tenth"]).all(), (
                scenario,
                seed,
            )
    cfg = toy_cfg("scenario=worst_case")
    result = simulate(cfg)
    g = result.groups
    after = g[g["year"] > cfg.start_year]
    assert (after["n_left_behind"] <= after[["n_imd_tenth", "n_cni_tenth"]].min(axis=1)).all()
    england = g[g["group"] == "england"].set_index("year")
    n = england["n_wards"].to_numpy()
    np.testing.assert_array_equal(england["n_imd_tenth"], np.floor(0.1 * n))
    np.testing.assert_array_equal(england["n_cni_tenth"], np.floor(0.1 * n))
    # The fixed line holds the tenth at the start; later its count moves with the scores.
    assert england.loc[cfg.start_year, "n_beyond_start_imd_line"] == np.floor(0.1 * n[0])
    w = result.wards
    end = w[(w["year"] == cfg.horizon) & (w["start_group"] == "left_behind")]
    lb_end = g[(g["group"] == "left_behind") & (g["year"] == cfg.horizon)].iloc[0]
    cut = int(np.floor(0.1 * w["ward_code"].nunique()))
    # With a window of one year the counts read that year's own ranks.
    one = status_flags(w, 1)
    one_end = one[(one["year"] == cfg.horizon) & (one["start_group"] == "left_behind")]
    assert int(one_end["n_imd_tenth"].sum()) == int((end["imd_rank"] <= cut).sum())
    assert int(one_end["n_cni_tenth"].sum()) == int((end["cni_rank"] <= cut).sum())
    assert lb_end["n_imd_tenth"] == int(
        status_flags(w, cfg.left_behind_window)
        .query("year == @cfg.horizon and start_group == 'left_behind'")["n_imd_tenth"]
        .sum()
    )
    for count in STATUS_COUNTS:
        assert g[count].dtype == np.int32
    assert f"{lb_end['n_cni_tenth']} on the CNI-like score alone" in headline(result, cfg)


@pytest.mark.slow
def test_the_comparison_report_says_which_side_drives_the_count(tmp_path: Path) -> None:
    import lbn_sim
    from lbn_sim.compare import run_comparison

    toy = ["data.n_wards=120", "households.sample_rate=0.02", "households.min_per_ward=20"]
    for seed in (0, 1):
        lbn_sim.run(
            "best_case", seed=seed, overrides=[*toy, "plots=false"], out_dir=tmp_path / str(seed)
        )
    out = run_comparison([tmp_path], log=lambda _: None)
    report = (out / "report.md").read_text()
    counts = pd.read_csv(out / "tables" / "left_behind_count_bands.csv")
    assert {"n_still_imd_tenth", "n_still_cni_tenth", "n_still_beyond_start_line"} <= set(
        counts["measure"]
    )
    assert "on the CNI-like score alone (read as the status is" in report
    assert "left behind takes both" in report
