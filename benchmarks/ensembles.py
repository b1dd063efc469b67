"""A default run's wall time split into setup, simulation, tables and writing, the disk a run
takes at each output level, and a small ensemble's wall time and disk.

    python -m benchmarks.ensembles                          # synthetic England, default run
    python -m benchmarks.ensembles --data england_2019      # the real data (LBN_SIM_DATA_DIR)
    python -m benchmarks.ensembles --ensemble 2 --workers 2 # and 3 futures x 2 seeds, a store

One measurement each (wall clock, this machine as it is: other programs running at the same
time slow it); the figures are printed as Markdown rows for ``benchmarks/results.md``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from tests.conftest import compose_cfg

from lbn_sim.config import OUTPUT_LEVELS
from lbn_sim.engine.model import LBNModel
from lbn_sim.runs.results import group_table, ward_summary, ward_table
from lbn_sim.runs.runner import RunResult, load_wards, write
from lbn_sim.runs.store import RUNS_DIR


def disk(path: Path) -> int:
    """Bytes of every file under ``path``."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def default_run(overrides: list[str], scratch: Path) -> None:
    """Time one run's stages and write it at each output level."""
    cfg = compose_cfg([*overrides, "plots=false"])
    t0 = time.perf_counter()
    wards, report = load_wards(cfg.data)
    t1 = time.perf_counter()
    model = LBNModel(cfg, wards)
    t2 = time.perf_counter()
    model.run()
    t3 = time.perf_counter()
    wt = ward_table(model.history, model.ward_table)
    groups = group_table(wt, cfg.left_behind_window)
    result = RunResult(
        wt,
        groups,
        ward_summary(wt, groups),
        model.ledger.flows(),
        model.ledger.balances(),
        report,
        0.0,
    )
    t4 = time.perf_counter()
    print(f"| load the ward table | {t1 - t0:.1f} s |")
    print(f"| build the start year (households, institutions) | {t2 - t1:.1f} s |")
    print(f"| simulate {cfg.start_year + 1}-{cfg.horizon} | {t3 - t2:.1f} s |")
    print(f"| result tables | {t4 - t3:.1f} s |")
    for level in OUTPUT_LEVELS:
        folder = scratch / level
        level_cfg = compose_cfg([*overrides, "plots=false", f"outputs={level}"])
        tic = time.perf_counter()
        write(result, level_cfg, folder)
        seconds = time.perf_counter() - tic
        print(f"| write at outputs={level} | {seconds:.1f} s, {disk(folder) / 1e6:.1f} MB |")


def ensemble(overrides: list[str], seeds: int, workers: int, scratch: Path) -> None:
    """Time three futures x ``seeds`` into a store, and compare them."""
    from lbn_sim.compare import run_comparison
    from lbn_sim.runs.ensemble import run_ensemble

    store = scratch / "store"
    sweep = [*overrides, f"seed=range({seeds})", "scenario=worst_case,base_case,best_case"]
    done = run_ensemble(store, sweep, workers=workers, log=lambda _: None)
    size = disk(store / RUNS_DIR)
    n = done.n_members
    print(
        f"| ensemble of {n} (3 futures x {seeds} seeds), {workers} workers | "
        f"{done.seconds:.0f} s ({done.seconds / n:.1f} s a member), {size / 1e6:.0f} MB "
        f"({size / n / 1e6:.1f} MB a member) |"
    )
    tic = time.perf_counter()
    run_comparison([store], log=lambda _: None)
    print(f"| compare the {n} | {time.perf_counter() - tic:.1f} s |")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ensembles", description=__doc__)
    parser.add_argument("--data", default="synthetic", choices=("synthetic", "england_2019"))
    parser.add_argument("--ensemble", type=int, default=0, help="seeds of a 3-future store")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-run", action="store_true", help="only the ensemble")
    parser.add_argument(
        "--keep", type=Path, help="keep the store here (a new folder; for benchmarks.compare_scale)"
    )
    args = parser.parse_args()
    overrides = [f"data={args.data}"]
    scratch = Path(tempfile.mkdtemp(prefix="lbn_sim_bench_"))
    try:
        if not args.skip_run:
            default_run(overrides, scratch)
        if args.ensemble:
            ensemble(overrides, args.ensemble, args.workers, scratch)
            if args.keep:
                shutil.move(scratch / "store", args.keep)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
