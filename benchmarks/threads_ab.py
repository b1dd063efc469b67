"""One thread against several, side by side in one process: the core's years and the start year.

    python -m benchmarks.threads_ab --size default --years 5 --repeats 5 --threads 2
    python -m benchmarks.threads_ab --size default --old /tmp/main/src   # main's core as well

The core: this tree's model is built at the size and its first years' inputs recorded
(:mod:`benchmarks.workload`); ``lbn_sim.engine.step.advance`` is replayed from the start on
them with ``threads=1`` and ``threads=N``, alternating ``--repeats`` times (and, with
``--old``, an older tree's ``advance``, one thread: :func:`benchmarks.core_ab.load_old`).
The start year: the model (synthesis and calibration) built at the size with each count.
Wall seconds (what threads save) and this process's CPU seconds (what they cost: all
threads), best and median, and whether every count ends in the same bytes (every household
and ward array of the core; the start's households, baseline and ward stocks). The load
average before and after is printed, and the CPU seconds other programs took while it
measured: they slow the threaded runs most, which need a second core free (``--wait-quiet
S`` waits up to S seconds for idle cores first).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.configurations import SIZES
from benchmarks.core_ab import load_old, same_bytes
from benchmarks.machine import busy_cpu_seconds, wait_quiet
from benchmarks.workload import Workload, build_workload, compose_config
from lbn_sim.engine.model import LBNModel
from lbn_sim.engine.step import advance
from lbn_sim.runs.runner import load_wards

#: CPU seconds other programs used while this one measured, over all the measurements.
OTHERS = [0.0]


def _measured(run: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall and CPU seconds of ``run()`` and its result; what other programs took meanwhile
    is added to :data:`OTHERS`."""
    b0, t0, c0 = busy_cpu_seconds(), time.perf_counter(), time.process_time()
    out = run()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    OTHERS[0] += max(busy_cpu_seconds() - b0 - cpu, 0.0)
    return wall, cpu, out


def replay(work: Workload, years: int, step: Callable[..., Any]) -> tuple[float, float, Any]:
    """Wall and CPU seconds in ``step`` over the first ``years`` recorded years, and the end
    state ``(households, wards)``."""
    hh, wards = work.households, work.wards
    wall = cpu = 0.0
    for inputs in work.inputs[:years]:
        rng = work.rng(inputs.year)
        w, c, (hh, wards) = _measured(
            lambda: step(hh, wards, inputs, work.params, work.baseline, rng)  # noqa: B023
        )
        wall += w
        cpu += c
    return wall, cpu, (hh, wards)


def build(overrides: list[str], threads: int, wards: Any) -> tuple[float, float, Any]:
    """Wall and CPU seconds to build the model (the start year) with ``threads``, and its
    start ``(households, baseline's aggregates, ward stocks)``."""
    cfg = compose_config([*overrides, f"threads={threads}"])
    wall, cpu, model = _measured(lambda: LBNModel(cfg, wards))
    return wall, cpu, (model.households, model.baseline.agg, model.wards)


def _row(name: str, walls: list[float], cpus: list[float], hh_years: float) -> str:
    best = min(walls)
    rate = f"{hh_years / best / 1e6:.1f} M hh-yr/s" if hh_years else ""
    return (
        f"| {name} | {best:.3f} | {statistics.median(walls):.3f} | {min(cpus):.3f} | "
        f"{statistics.median(cpus):.3f} | {rate} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.threads_ab", description=__doc__)
    parser.add_argument("--size", default="default", choices=sorted(SIZES))
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2, help="the threaded count")
    parser.add_argument("--old", type=Path, help="an older tree's src folder (its core)")
    parser.add_argument("--no-start", action="store_true", help="the core only")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0.0,
        help="before each repeat, wait up to this many s for idle cores",
    )
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    overrides = ["scenario=best_case", "plots=false", *SIZES[args.size].overrides]
    work = build_workload(compose_config([*overrides, "threads=1"]), args.years)
    years = min(args.years, len(work.inputs))
    hh_years = work.households.n * years
    counts = (1, args.threads)
    steps: dict[str, Callable[..., Any]] = {
        f"threads={k}": (lambda *a, k=k: advance(*a, threads=k)) for k in counts
    }
    with tempfile.TemporaryDirectory(prefix="lbn_sim_threads_ab_") as tmp:
        if args.old is not None:
            steps = {"old (one thread)": load_old(args.old.absolute(), Path(tmp)), **steps}
        core: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in steps}
        ends: dict[str, Any] = {}
        for _ in range(args.repeats):
            if args.wait_quiet:
                wait_quiet(args.wait_quiet)
            for name, step in steps.items():
                wall, cpu, ends[name] = replay(work, years, step)
                core[name][0].append(wall)
                core[name][1].append(cpu)
    first = next(iter(ends.values()))
    same_core = all(same_bytes(a, first[0]) and same_bytes(b, first[1]) for a, b in ends.values())
    print(f"\n{args.size}: {work.households.n:,} households x {years} years, the core")
    print("| | best wall s | median wall s | best CPU s | median CPU s | best |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for name, (walls, cpus) in core.items():
        print(_row(name, walls, cpus, hh_years))
    print(f"same bytes: {same_core}")
    same_start = True
    if not args.no_start:
        wards, _ = load_wards(work.model.cfg.data)
        del work
        start: dict[int, tuple[list[float], list[float]]] = {k: ([], []) for k in counts}
        made: dict[int, Any] = {}
        for _ in range(max(args.repeats // 2, 1)):
            if args.wait_quiet:
                wait_quiet(args.wait_quiet)
            for k in counts:
                wall, cpu, made[k] = build(overrides, k, wards)
                start[k][0].append(wall)
                start[k][1].append(cpu)
        a, b = made[counts[0]], made[counts[1]]
        same_start = all(same_bytes(x, y) for x, y in zip(a, b, strict=True))
        print(f"\n{args.size}: the start year (building the model)")
        print("| | best wall s | median wall s | best CPU s | median CPU s | |")
        print("| --- | ---: | ---: | ---: | ---: | --- |")
        for k, (walls, cpus) in start.items():
            print(_row(f"threads={k}", walls, cpus, 0))
        print(f"same bytes: {same_start}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"CPU s other programs used while measuring: {OTHERS[0]:.1f}")
    return 0 if same_core and same_start else 1


if __name__ == "__main__":
    sys.exit(main())
