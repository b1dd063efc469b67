"""``lbn_sim.compare`` over a large ensemble store: wall time and peak memory.

    python -m benchmarks.ensembles --data england_2019 --ensemble 2 --keep /tmp/store6
    python -m benchmarks.compare_scale /tmp/store6 --members 600

Running 600 members takes hours; comparing them should not. This builds a store of
``--members`` members (the futures of the source store's seeds x as many seeds as it takes)
from a store's members by hard-linking their tables under new ``seed=`` partitions (each
member's ``.hydra`` files rewritten with its seed), so the comparison reads the files a 600
member store would hold, at no cost in disk. The members repeat the source's values, which
changes nothing that is timed: every table is read and reduced in full. Then the comparison
runs in a fresh process and its wall time and peak resident memory are printed as Markdown
rows for ``benchmarks/results.md``.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from omegaconf import OmegaConf

from lbn_sim.runs.store import CONFIG_FILE, OVERRIDES_FILE, RUNS_DIR, write_sweep_config


def replicate(source: Path, target: Path, n_members: int) -> int:
    """Write a store of about ``n_members`` members at ``target`` from ``source``'s members
    (partitioned ``seed=S/scenario=NAME``); the number of members written."""
    futures: dict[str, Path] = {}
    for member in sorted((source / RUNS_DIR).glob("seed=*/scenario=*")):
        futures.setdefault(member.name.split("=", 1)[1], member)
    seeds = max(1, n_members // len(futures))
    base = [
        str(o)
        for o in OmegaConf.load(source / "multirun.yaml").hydra.overrides.task
        if not str(o).startswith(("seed=", "scenario="))
    ]
    write_sweep_config(target, [*base, f"seed=range({seeds})", f"scenario={','.join(futures)}"])
    for seed in range(seeds):
        for name, member in futures.items():
            dest = target / RUNS_DIR / f"seed={seed}" / f"scenario={name}"
            (dest / CONFIG_FILE).parent.mkdir(parents=True)
            for path in member.iterdir():
                if path.is_file():
                    os.link(path, dest / path.name)
            config = OmegaConf.load(member / CONFIG_FILE)
            config.seed = seed
            OmegaConf.save(config, dest / CONFIG_FILE)
            overrides = [
                f"seed={seed}" if str(o).startswith("seed=") else str(o)
                for o in OmegaConf.load(member / OVERRIDES_FILE)
            ]
            OmegaConf.save(OmegaConf.create(overrides), dest / OVERRIDES_FILE)
    return seeds * len(futures)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.compare_scale", description=__doc__)
    parser.add_argument("store", type=Path, help="an ensemble store (seed x scenario)")
    parser.add_argument("--members", type=int, default=600)
    parser.add_argument("--keep", type=Path, help="build the large store here and keep it")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="lbn_sim_compare_scale_"))
    target = args.keep or scratch / "store"
    try:
        target.mkdir(parents=True, exist_ok=False)
        n = replicate(args.store.absolute(), target, args.members)
        out = scratch / "comparison"
        tic = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "lbn_sim.compare", str(target), "--out", str(out)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        seconds = time.perf_counter() - tic
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"| `lbn_sim.compare` over {n} members | {seconds:.1f} s, peak {peak_mb:,.0f} MB |")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
