"""The ensemble store: members match single runs byte for byte on any number of workers, a
stopped ensemble resumed runs only the members it lacks, and the tables read as one
partitioned dataset."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.dataset as pds
import pytest
from tests.conftest import TOY

import lbn_sim
from lbn_sim.compare import CompareRefusal, run_comparison
from lbn_sim.config import ConfigError
from lbn_sim.runs.ensemble import run_ensemble
from lbn_sim.runs.store import RUNS_DIR, open_table

SWEEP = [*TOY, "horizon=2028", "seed=0,1", "scenario=worst_case,best_case"]
TABLES = (
    "groups.parquet",
    "ward_summary.csv",
    "ward_years.parquet",
    "money.parquet",
    "balances.parquet",
    "provenance.json",
)


def _files(store: Path) -> dict[str, bytes]:
    runs = store / RUNS_DIR
    return {
        str(p.relative_to(runs)): p.read_bytes() for p in sorted(runs.rglob("*")) if p.is_file()
    }


def _quiet(_: str) -> None:
    pass


@pytest.mark.slow  # four worker processes start: about 10 s here
def test_members_are_single_runs_byte_for_byte_on_any_workers(tmp_path: Path) -> None:
    one = run_ensemble(tmp_path / "one", SWEEP, workers=1, log=_quiet)
    two = run_ensemble(tmp_path / "two", SWEEP, workers=2, log=_quiet)
    assert one.n_members == two.n_members == 4 and len(two.ran) == 4
    files = _files(tmp_path / "one")
    assert files == _files(tmp_path / "two")
    assert len(files) == 4 * (len(TABLES) + 2)  # the tables and .hydra's two files
    single = tmp_path / "single"
    lbn_sim.run(
        scenario="best_case",
        seed=1,
        overrides=[*TOY, "horizon=2028", "outputs=summary"],
        out_dir=single,
    )
    member = tmp_path / "one" / RUNS_DIR / "seed=1" / "scenario=best_case"
    for name in TABLES:
        assert (member / name).read_bytes() == (single / name).read_bytes(), name


@pytest.mark.slow  # about 16 s here
def test_a_resumed_ensemble_runs_only_the_missing_members(tmp_path: Path) -> None:
    store = tmp_path / "store"
    run_ensemble(store, SWEEP, workers=1, log=_quiet)
    before = _files(store)
    stamps = {p: p.stat().st_mtime_ns for p in (store / RUNS_DIR).rglob("*.parquet")}
    lost = store / RUNS_DIR / "seed=1" / "scenario=worst_case"
    shutil.rmtree(lost)  # as a stop before that member was renamed into place leaves it
    (store / ".staging-left-by-a-kill" / ".hydra").mkdir(parents=True)
    with pytest.raises(CompareRefusal, match="has results for 3 of its 4 jobs"):
        run_comparison([store], out=tmp_path / "cmp", log=_quiet)
    done = run_ensemble(store, SWEEP, workers=1, log=_quiet)
    assert done.ran == (2,) and done.were_there == (0, 1, 3)  # seed-major order
    assert _files(store) == before
    for path, stamp in stamps.items():
        if lost not in path.parents:
            assert path.stat().st_mtime_ns == stamp, path  # never written again
    assert not list(store.glob(".staging*"))
    assert (run_comparison([store], out=tmp_path / "cmp", log=_quiet) / "report.md").is_file()


class _Stop(KeyboardInterrupt):
    """Ctrl-C, raised by the progress log once some members are written."""


@pytest.mark.slow  # three ensembles, one on two workers: about 25 s here
def test_an_ensemble_stopped_part_way_resumes_with_the_members_it_lacks(tmp_path: Path) -> None:
    store = tmp_path / "store"
    written: list[str] = []

    def stop_after_two(message: str) -> None:
        if "written" in message:
            written.append(message)
            if len(written) == 2:
                raise _Stop

    with pytest.raises(_Stop):
        run_ensemble(store, SWEEP, workers=1, log=stop_after_two)
    kept = sorted(str(p.relative_to(store / RUNS_DIR)) for p in store.glob(f"{RUNS_DIR}/*/*"))
    assert kept == ["seed=0/scenario=best_case", "seed=0/scenario=worst_case"]
    assert not list(store.glob(".staging*"))
    first = {p: p.stat().st_mtime_ns for p in (store / RUNS_DIR).rglob("*.parquet")}
    done = run_ensemble(store, SWEEP, workers=2, log=_quiet)  # the lock was let go
    assert done.were_there == (0, 1) and done.ran == (2, 3)
    assert all(p.stat().st_mtime_ns == stamp for p, stamp in first.items())
    whole = run_ensemble(tmp_path / "whole", SWEEP, workers=1, log=_quiet)
    assert whole.ran == (0, 1, 2, 3)
    assert _files(store) == _files(tmp_path / "whole")


def test_a_store_of_another_sweep_is_refused(tmp_path: Path) -> None:
    store = tmp_path / "store"
    run_ensemble(store, [*TOY, "policy_start=2020", "horizon=2021", "seed=0,1"], log=_quiet)
    with pytest.raises(ConfigError, match="a store is resumed with the same overrides"):
        run_ensemble(store, [*TOY, "policy_start=2020", "horizon=2021", "seed=0,1,2"], log=_quiet)
    with pytest.raises(ConfigError, match="sweeps at least one key"):
        run_ensemble(tmp_path / "other", [*TOY, "seed=0"], log=_quiet)
    with pytest.raises(ConfigError, match=r"member 1 \(.*seed=-1.*\): seed must be >= 0"):
        run_ensemble(tmp_path / "bad", [*TOY, "seed=0,-1"], log=_quiet)


def test_a_table_reads_as_one_partitioned_dataset(tmp_path: Path) -> None:
    store = tmp_path / "store"
    run_ensemble(
        store,
        [*TOY, "policy_start=2020", "horizon=2021", "seed=0,1", "scenario=worst_case,best_case"],
        log=_quiet,
    )
    groups = open_table(store, "groups.parquet")
    assert {"seed", "scenario"} <= set(groups.schema.names)
    best = groups.to_table(
        columns=["year", "group", "imd_like", "seed"], filter=pds.field("scenario") == "best_case"
    )
    assert best.num_rows == 2 * 3 * 3  # seeds x years 2019-2021 x groups
    assert set(best.column("seed").to_pylist()) == {0, 1}
    with pytest.raises(FileNotFoundError, match=r"no member .* has wards\.parquet"):
        open_table(store, "wards.parquet")
