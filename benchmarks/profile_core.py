"""``python -m benchmarks.profile_core [--size NAME]``: where the core's time goes.

Replays the recorded years of one size under ``cProfile`` and prints, per
household-year, the time of each part of ``lbn_sim.engine.step.advance`` (the
wards' rules, the household rules, the random draws, the households replaced,
the sums to wards), then the profiler's own top functions.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
from typing import Any

from benchmarks.configurations import SIZES
from benchmarks.workload import (
    CountingGenerator,
    DrawTally,
    Workload,
    build_workload,
    compose_config,
    replay,
)


def _cumulative(stats: pstats.Stats, function: str) -> float:
    """Cumulative seconds of every function called ``function`` (in any module)."""
    table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    return sum(v[3] for k, v in table.items() if k[2] == function)


def profile(work: Workload, years: int) -> tuple[dict[str, float], str]:
    """Seconds per household-year by part, and the profiler's top functions as text."""
    tally = DrawTally()
    profiler = cProfile.Profile()
    profiler.enable()
    total, _, _ = replay(work, years, lambda year: CountingGenerator(work.rng(year), tally))
    profiler.disable()
    stats = pstats.Stats(profiler)
    hh_years = work.households.n * years
    block = _cumulative(stats, "_household_block")
    newcomers = _cumulative(stats, "_place_new_households")
    sums = _cumulative(stats, "sum_terms") + _cumulative(stats, "segment_sums")
    wards = _cumulative(stats, "ward_year")
    # Draws: two float32 uniforms per household in the blocks, the rest for new households.
    uniforms = tally.seconds_by.get("random[float32]", 0.0)
    new_draws = tally.seconds - uniforms
    parts = {
        "household rules (employment, stress, health, skills, moving)": block - uniforms,
        "random draws: two uniforms per household": uniforms,
        "households replaced: their draws (beta, normal, uniforms)": new_draws,
        "households replaced: the rest": newcomers - new_draws,
        "sums to wards (aggregates)": sums,
        "ward rules (services, capacity, jobs)": wards,
    }
    parts["other (allocation, segments, calls)"] = total - sum(parts.values())
    text = io.StringIO()
    stats.stream = text  # type: ignore[attr-defined]
    stats.sort_stats("tottime").print_stats(15)
    return {k: v / hh_years for k, v in parts.items()}, text.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Profile one size and print the summary."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.profile_core",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--size", choices=list(SIZES), default="left_behind_full")
    parser.add_argument("--scenario", default="best_case")
    parser.add_argument("--years", type=int, default=5)
    args = parser.parse_args(argv)
    size = SIZES[args.size]
    cfg = compose_config([f"scenario={args.scenario}", "plots=false", *size.overrides])
    work = build_workload(cfg, args.years)
    replay(work, 1)  # warm up
    years = min(args.years, len(work.inputs))
    parts, top = profile(work, years)
    total = sum(parts.values())
    print(f"{args.size}: {work.households.n:,} households, {years} years")
    print(f"{'part of the core':<64} {'ns/hh-yr':>9} {'share':>6}")
    for name, seconds in parts.items():
        print(f"{name:<64} {seconds * 1e9:9.1f} {seconds / total:6.0%}")
    print(f"{'total':<64} {total * 1e9:9.1f}  ({1 / total / 1e6:.1f} M hh-yr/s under the profiler)")
    print()
    print(top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
