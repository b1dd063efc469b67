"""The core of an older tree against this one's, in one process, on the same recorded years.

    python -m benchmarks.core_ab --old /tmp/main/src --size default --years 5 --repeats 5

The older tree's ``lbn_sim`` package is copied to a scratch folder as ``lbn_sim_old`` (its
imports renamed) and its ``engine.step.advance`` replayed beside this tree's on the same
workload (this tree's model at the size, its first years' inputs and generator states:
:mod:`benchmarks.workload`), alternating old and new ``--repeats`` times; best and median
CPU seconds of each, and whether the two end in the same bytes (every household and ward
array). One process, so both see the machine as it is at the time.
"""

from __future__ import annotations

import argparse
import importlib
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.configurations import SIZES
from benchmarks.workload import Workload, build_workload, compose_config
from lbn_sim.engine.step import advance


def load_old(src: Path, scratch: Path) -> Callable[..., Any]:
    """``advance`` of the tree whose ``src`` folder is given, imported as ``lbn_sim_old``."""
    target = scratch / "lbn_sim_old"
    shutil.copytree(src / "lbn_sim", target)
    pattern = re.compile(r"\blbn_sim\.")
    for path in target.rglob("*.py"):
        text = path.read_text()
        text = pattern.sub("lbn_sim_old.", text).replace("import lbn_sim\n", "import lbn_sim_old\n")
        path.write_text(text)
    sys.path.insert(0, str(scratch))
    return importlib.import_module("lbn_sim_old.engine.step").advance  # type: ignore[no-any-return]


def replay(work: Workload, years: int, step: Callable[..., Any]) -> tuple[float, Any, Any]:
    """CPU seconds in ``step`` over the first ``years`` recorded years (this process's: on
    shared cores steadier than the wall clock), and the end state."""
    hh, wards = work.households, work.wards
    seconds = 0.0
    for inputs in work.inputs[:years]:
        rng = work.rng(inputs.year)
        t0 = time.process_time()
        hh, wards = step(hh, wards, inputs, work.params, work.baseline, rng)
        seconds += time.process_time() - t0
    return seconds, hh, wards


def same_bytes(a: Any, b: Any) -> bool:
    """Whether two households (or ward states) hold the same bytes in every array."""
    for f in fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if hasattr(x, "__dataclass_fields__"):
            if not same_bytes(x, y):
                return False
        elif isinstance(x, np.ndarray):
            if x.dtype != y.dtype or x.tobytes() != y.tobytes():
                return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.core_ab", description=__doc__)
    parser.add_argument("--old", type=Path, required=True, help="the older tree's src folder")
    parser.add_argument("--size", default="default", choices=sorted(SIZES))
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    size = SIZES[args.size]
    cfg = compose_config(["scenario=best_case", "plots=false", *size.overrides])
    work = build_workload(cfg, args.years)
    hh_years = work.households.n * min(args.years, len(work.inputs))
    with tempfile.TemporaryDirectory(prefix="lbn_sim_core_ab_") as tmp:
        old_advance = load_old(args.old.absolute(), Path(tmp))
        times: dict[str, list[float]] = {"old": [], "new": []}
        ends: dict[str, tuple[Any, Any]] = {}
        for _ in range(args.repeats):
            for name, step in (("old", old_advance), ("new", advance)):
                seconds, hh, wards = replay(work, args.years, step)
                times[name].append(seconds)
                ends[name] = (hh, wards)
    same = same_bytes(ends["old"][0], ends["new"][0]) and same_bytes(ends["old"][1], ends["new"][1])
    print(f"{args.size}: {work.households.n:,} households x {args.years} years")
    for name in ("old", "new"):
        best = min(times[name])
        print(
            f"  {name}: best {best:.3f} CPU s ({hh_years / best / 1e6:.1f} M hh-yr/s), "
            f"median {statistics.median(times[name]):.3f} s"
        )
    print(f"  old / new (best): {min(times['old']) / min(times['new']):.2f}x; same bytes: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
