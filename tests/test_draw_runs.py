"""Groups of runs on workers (:mod:`lbn_sim.runs.draw_runs`): rows in the groups' order, and a
record that a stopped run resumes from with the same rows as a whole run."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lbn_sim.runs.draw_runs import Group, run_groups

SHORT = ("data.n_wards=60", "households.sample_rate=0.02", "households.min_per_ward=10")
#: Jobs read in this process, by seed (workers=1 runs the groups here).
READ: list[int] = []


def read_gap(result, cfg, wards) -> dict[str, object]:  # type: ignore[no-untyped-def]
    READ.append(cfg.seed)
    g = result.groups.set_index(["group", "year"])["imd_like"]
    return {
        "seed": cfg.seed,
        "scenario": cfg.scenario.name,
        "gap": float(g[("left_behind", cfg.horizon)] - g[("england", cfg.horizon)]),
        "n_wards_in": len(wards),
    }


def _groups() -> list[Group]:
    def job(seed: int, scenario: str) -> tuple[str, ...]:
        return (*SHORT, f"seed={seed}", f"scenario={scenario}", "horizon=2022", "policy_start=2021")

    out = [
        Group((job(seed, "base_case"), job(seed, "best_case")), (("draw", seed),))
        for seed in range(2)
    ]
    # A group with another tag: the record grows a column for it.
    return [*out, Group((job(5, "base_case"),), (("replicate", 5),))]


def test_a_stopped_run_resumes_from_its_record(tmp_path: Path) -> None:
    groups = _groups()
    READ.clear()
    whole = pd.DataFrame(run_groups(groups, read_gap, log=lambda _: None))
    assert list(whole["seed"]) == [0, 0, 1, 1, 5]
    assert READ == [0, 0, 1, 1, 5]
    # Futures of one group share the history: the same gap the year before the policy
    # start is implied by the same seed; the best case differs at the horizon.
    assert whole.loc[0, "gap"] != whole.loc[1, "gap"]
    record = tmp_path / "rows.partial.csv"
    setup = {"what": "test"}
    READ.clear()
    recorded = pd.DataFrame(
        run_groups(groups, read_gap, log=lambda _: None, record=record, setup=setup)
    )
    pd.testing.assert_frame_equal(recorded, whole, check_like=True, check_dtype=False)
    kept = pd.read_csv(record)
    assert sorted(kept["group"].unique()) == [0, 1, 2] and "replicate" in kept
    # Stopped after the first group: only the others run again, the rows are the same.
    kept[kept["group"] == 0].to_csv(record, index=False)
    READ.clear()
    resumed = pd.DataFrame(
        run_groups(groups, read_gap, log=lambda _: None, record=record, setup=setup)
    )
    assert READ == [1, 1, 5]
    pd.testing.assert_frame_equal(resumed, recorded)
    # Another setup is refused, naming the record.
    with pytest.raises(ValueError, match="holds the rows of other runs"):
        run_groups(groups, read_gap, log=lambda _: None, record=record, setup={"what": "else"})


def test_workers_must_be_at_least_one() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        run_groups([], read_gap, workers=0)
