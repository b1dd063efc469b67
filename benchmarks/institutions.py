"""Step time of the whole model (all institutions) against the core engine alone.

Usage (from the project root)::

    python -m benchmarks.institutions [--years 6] [overrides ...]

Builds the default-size model, times ``LBNModel.step`` (central government,
local authorities, programmes, charities, investors, the ledger, then the core
and the indicators) over the policy years, and the core's ``advance`` alone on
the same inputs, and prints both and their ratio (target: at most 2x).
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from benchmarks.workload import compose_config
from lbn_sim.engine.households import Households
from lbn_sim.engine.model import LBNModel
from lbn_sim.engine.state import WardState
from lbn_sim.engine.step import YearInputs, advance
from lbn_sim.runs.runner import load_wards


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=6)
    parser.add_argument("overrides", nargs="*")
    args = parser.parse_args(argv)
    cfg = compose_config(["scenario=best_case", "policy_start=2020", *args.overrides])
    wards, _ = load_wards(cfg.data)
    # What the core was handed each year: the year's inputs, the households and ward stocks
    # at the start of the year (the end of the year before), and the year's generator.
    recorded: list[tuple[YearInputs, Households, WardState, np.random.Generator]] = []
    start: list[tuple[Households, WardState]] = []

    def observe(m: LBNModel) -> None:
        if m.now.inputs is not None:
            hh, ws = start[-1]
            recorded.append((m.now.inputs, hh, ws, m.year_rng(m.now.year, 0)))
        start[:] = [(m.households, m.wards)]  # the next year's start

    model = LBNModel(cfg, wards, on_year=observe)
    model.step()  # warm up (first year)
    recorded.clear()
    t0 = time.perf_counter()
    for _ in range(args.years):
        model.step()
    whole = (time.perf_counter() - t0) / args.years

    t0 = time.perf_counter()
    for inputs, hh, ws, rng in recorded:
        advance(hh, ws, inputs, model.params, model.baseline, rng)
    core = (time.perf_counter() - t0) / len(recorded)
    print(f"households: {model.households.n:,}; wards: {model.n_wards:,}")
    print(f"whole model step (all institutions): {whole * 1000:.0f} ms/year")
    print(f"core engine alone (advance):        {core * 1000:.0f} ms/year")
    print(f"ratio: {whole / core:.2f}x (target <= 2x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
