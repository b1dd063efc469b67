"""A three-futures sweep with the fork at the policy start against the same sweep without it.

Each future is run with :func:`lbn_sim.runs.runner.simulate` in this process, once from the
start year (no fork) and once continuing from the shared history saved by the first future
(:class:`lbn_sim.runs.forks.ForkCache`); both sweeps are timed (wall clock, ward table loaded
by each run as a sweep's job would) and every table is compared value for value.

    python -m benchmarks.fork                       # England's default size
    python -m benchmarks.fork --size small          # a named size of configurations.py
"""

from __future__ import annotations

import argparse
import sys
import time

from tests.conftest import compose_cfg

from benchmarks.configurations import SIZES
from lbn_sim.runs.forks import ForkCache
from lbn_sim.runs.runner import RunResult, simulate

FUTURES = ("worst_case", "base_case", "best_case")
TABLES = ("wards", "groups", "summary", "ledger", "balances")


def sweep(overrides: list[str], forks: ForkCache | None) -> tuple[float, dict[str, RunResult]]:
    """Wall seconds of the three futures run in turn, and their results."""
    t0 = time.perf_counter()
    results = {
        future: simulate(compose_cfg([*overrides, f"scenario={future}"]), forks=forks)
        for future in FUTURES
    }
    return time.perf_counter() - t0, results


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fork", description=__doc__)
    parser.add_argument("--size", default="default", choices=sorted(SIZES))
    args = parser.parse_args()
    overrides = [*SIZES[args.size].overrides, "plots=false"]
    plain_s, plain = sweep(overrides, None)
    forks = ForkCache()
    fork_s, forked = sweep(overrides, forks)
    same = all(getattr(forked[f], t).equals(getattr(plain[f], t)) for f in FUTURES for t in TABLES)
    print(
        f"size {args.size}: three futures without the fork {plain_s:.1f} s, with it "
        f"{fork_s:.1f} s ({plain_s / fork_s:.2f}x; histories saved {forks.misses}, "
        f"continued {forks.hits}); every table identical: {same}"
    )
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
