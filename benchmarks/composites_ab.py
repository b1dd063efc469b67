"""The composites of an older tree against this one's, in one process, on the real data.

    python -m benchmarks.composites_ab --old /tmp/main/src     # LBN_SIM_DATA_DIR set

Both build the IMD-like and CNI-like composites of England's LSOAs and CNI wards from the
real ward table (the older tree's ``engine/composites.py`` loaded beside this one's), then
read 31 years of ward changes (a random drift of realistic size, the same for both): the
scores, the CNI-like scores and the IMD-like scores on the start's scale. Alternating old
and new ``--repeats`` times; best CPU seconds of each, the build included, and whether every
score is the same bytes.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from lbn_sim.data.england import load_england
from lbn_sim.data.small_areas import load_small_areas
from lbn_sim.engine import composites as new
from lbn_sim.engine.synthesis import model_rates
from lbn_sim.names import CNI_DOMAINS, IMD_DOMAINS

YEARS = 31


def load_old(src: Path) -> ModuleType:
    """The older tree's ``lbn_sim/engine/composites.py`` as the module ``old_composites``."""
    spec = importlib.util.spec_from_file_location(
        "old_composites", src / "lbn_sim" / "engine" / "composites.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["old_composites"] = module
    spec.loader.exec_module(module)
    return module


def run(module: Any, args: tuple[Any, ...], steps: Any, cni_steps: Any) -> tuple[float, list[Any]]:
    """CPU seconds to build the composites and read every year; the scores."""
    t0 = time.process_time()
    imd, cni = module.build_composites(*args)
    scores = [
        (imd.score(c), cni.score(cc), imd.score_on_start_scale(c))
        for c, cc in zip(steps, cni_steps, strict=True)
    ]
    return time.process_time() - t0, scores


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.composites_ab", description=__doc__)
    parser.add_argument("--old", type=Path, required=True, help="the older tree's src folder")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    old = load_old(args.old.absolute())
    wards, _ = load_england()
    rates = model_rates(wards)
    inputs = (
        np.stack([rates[d] for d in IMD_DOMAINS]),
        np.stack([rates[d] for d in CNI_DOMAINS]),
        wards["population"].to_numpy(np.float64),
        wards["ward_code"].to_numpy(str),
        (wards["imd_score"].to_numpy(np.float64), wards["cni_score"].to_numpy(np.float64)),
        load_small_areas(),
    )
    rng = np.random.default_rng(0)
    n = len(wards)
    moving = (np.arange(len(IMD_DOMAINS)) < 5)[None, :, None]  # two domains are held
    steps = np.cumsum(rng.normal(0, 0.002, (YEARS, len(IMD_DOMAINS), n)) * moving, axis=0)
    cni_steps = np.cumsum(rng.normal(0, 0.002, (YEARS, len(CNI_DOMAINS), n)), axis=0)
    times: dict[str, list[float]] = {"old": [], "new": []}
    found: dict[str, list[Any]] = {}
    for _ in range(args.repeats):
        for name, module in (("old", old), ("new", new)):
            seconds, found[name] = run(module, inputs, steps, cni_steps)
            times[name].append(seconds)
    same = all(
        a.tobytes() == b.tobytes()
        for x, y in zip(found["old"], found["new"], strict=True)
        for a, b in zip(x, y, strict=True)
    )
    print(
        f"composites, real data, build and {YEARS} years: old {min(times['old']):.2f} CPU s, "
        f"new {min(times['new']):.2f} CPU s ({min(times['old']) / min(times['new']):.2f}x); "
        f"same bytes: {same}"
    )
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
