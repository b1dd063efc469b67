"""``lbn_sim.compare`` over a large ensemble store: wall time and peak memory.

    python -m benchmarks.ensembles --data england_2019 --ensemble 2 --keep /tmp/store6
    python -m benchmarks.compare_scale /tmp/store6 --members 600

Running 600 members takes hours; comparing them should not. This builds a store of
``--members`` members (the futures of the source store's seeds x as many seeds as it takes)
from a store's members by hard-linking their tables under new ``seed=`` partitions (each
member's ``.hydra`` files rewritten with its seed), so the comparison reads the files a 600
member store would hold, at no cost in disk. The members repeat the source's values, which
changes nothing that is timed: every table is read and reduced in full. Then the comparison
runs in a fresh process (reading on ``--workers`` processes) and its wall time and peak
resident memory (the comparison's process and its workers together, sampled every 0.2 s from
``/proc``) are printed as Markdown rows for ``benchmarks/results.md``.
"""

from __future__ import annotations

import argparse
import os
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


def _rss(pid: int) -> int:
    """Resident bytes of process ``pid`` (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _tree(root: int) -> list[int]:
    """``root`` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def peak_memory(process: subprocess.Popen[bytes]) -> int:
    """Wait for ``process``; the most resident bytes it and its children held at once."""
    peak = 0
    while process.poll() is None:
        peak = max(peak, sum(_rss(pid) for pid in _tree(process.pid)))
        time.sleep(0.2)
    return peak


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.compare_scale", description=__doc__)
    parser.add_argument("store", type=Path, help="an ensemble store (seed x scenario)")
    parser.add_argument("--members", type=int, default=600)
    parser.add_argument("--keep", type=Path, help="build the large store here and keep it")
    parser.add_argument("--workers", type=int, default=1, help="compare's reading processes")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="lbn_sim_compare_scale_"))
    target = args.keep or scratch / "store"
    try:
        target.mkdir(parents=True, exist_ok=False)
        n = replicate(args.store.absolute(), target, args.members)
        out = scratch / "comparison"
        command = [sys.executable, "-m", "lbn_sim.compare", str(target), "--out", str(out)]
        tic = time.perf_counter()
        process = subprocess.Popen(
            [*command, "--workers", str(args.workers)], stdout=subprocess.DEVNULL
        )
        peak = peak_memory(process)
        seconds = time.perf_counter() - tic
        if process.returncode:
            raise SystemExit(f"the comparison failed (exit {process.returncode})")
        print(
            f"| `lbn_sim.compare` over {n} members, {args.workers} workers | {seconds:.1f} s, "
            f"peak {peak / 1e6:,.0f} MB |"
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
