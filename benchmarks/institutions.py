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
from unittest import mock

import numpy as np

import lbn_sim.engine.model
from benchmarks.workload import compose_config
from lbn_sim.engine.model import LBNModel
from lbn_sim.engine.step import YearInputs, advance
from lbn_sim.runs.runner import load_wards


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=6)
    parser.add_argument("overrides", nargs="*")
    args = parser.parse_args(argv)
    cfg = compose_config(["scenario=best_case", "policy_start=2020", *args.overrides])
    wards, _ = load_wards(cfg.data)
    model = LBNModel(cfg, wards)
    model.step()  # warm up (first year)

    recorded: list[tuple[YearInputs, object, object, np.random.Generator]] = []
    real_advance = advance

    def spy(hh, ws, inputs, params, baseline, rng):  # type: ignore[no-untyped-def]
        state = rng.bit_generator.state
        copy = np.random.Generator(type(rng.bit_generator)())
        copy.bit_generator.state = state
        recorded.append((inputs, hh, ws, copy))
        return real_advance(hh, ws, inputs, params, baseline, rng)

    with mock.patch.object(lbn_sim.engine.model, "advance", spy):
        t0 = time.perf_counter()
        for _ in range(args.years):
            model.step()
        whole = (time.perf_counter() - t0) / args.years

    t0 = time.perf_counter()
    for inputs, hh, ws, rng in recorded:
        advance(hh, ws, inputs, model.params, model.baseline, rng)  # type: ignore[arg-type]
    core = (time.perf_counter() - t0) / len(recorded)
    print(f"households: {model.households.n:,}; wards: {model.n_wards:,}")
    print(f"whole model step (all institutions): {whole * 1000:.0f} ms/year")
    print(f"core engine alone (advance):        {core * 1000:.0f} ms/year")
    print(f"ratio: {whole / core:.2f}x (target <= 2x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
