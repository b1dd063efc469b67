"""Old code against new, side by side: a run's stages and the whole command, in fresh processes.

    python -m benchmarks.stages --old /tmp/main_src --new src --repeats 3 scenario=best_case
    python -m benchmarks.stages --old /tmp/main_src --new src data=england_2019 --no-whole
    python -m benchmarks.stages --old src --new src --old-extra threads=1 --new-extra threads=2

For each repeat, the two trees (their ``src`` folders, put first on ``PYTHONPATH``) are
measured in turn, so both see the machine in the same state: first a run's stages in one
fresh process (imports; the ward table; the start year; the simulation; the result tables;
writing them with the figures, as ``python -m lbn_sim`` does), then the whole command
``python -m lbn_sim OVERRIDES`` (wall time, peak resident memory). Printed as a Markdown
table, best and median of the repeats, with the load average before and after: other
programs sharing the cores slow both trees alike, not always equally, so read the best.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.machine import busy_cpu_seconds, wait_quiet

REPO = Path(__file__).resolve().parents[1]
STAGES = ("imports", "config", "load", "build", "simulate", "tables", "write", "stages total")


def child(overrides: list[str], folder: Path) -> dict[str, float]:
    """A run's stages in this process, wall seconds each, and the same in CPU seconds
    (``cpu <stage>``: this process's, steadier than wall time when other programs share
    the cores)."""
    marks: list[tuple[float, float]] = []

    def mark() -> None:
        marks.append((time.perf_counter(), time.process_time()))

    mark()
    from tests.conftest import compose_cfg

    from lbn_sim.engine.model import LBNModel
    from lbn_sim.runs.results import group_table, ward_summary, ward_table
    from lbn_sim.runs.runner import RunResult, load_wards, write

    mark()
    cfg = compose_cfg(overrides)
    mark()
    wards, report = load_wards(cfg.data)
    mark()
    model = LBNModel(cfg, wards)
    mark()
    model.run()
    mark()
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
    mark()
    write(result, cfg, folder)
    mark()
    names = ("imports", "config", "load", "build", "simulate", "tables", "write")
    found = {}
    for i, name in enumerate(names):
        found[name] = marks[i + 1][0] - marks[i][0]
        found[f"cpu {name}"] = marks[i + 1][1] - marks[i][1]
    found["stages total"] = marks[-1][0] - marks[0][0]
    found["cpu stages total"] = marks[-1][1] - marks[0][1]
    return found


def _root(src: Path) -> Path:
    """The root of the tree of ``src`` when it has its own ``conf/`` (a ``git archive`` of a
    commit: its configs and ``tests.conftest`` compose the run, so a key only one tree knows
    composes in that tree), else this repository."""
    root = src.absolute().parent
    return root if (root / "conf").is_dir() and (root / "tests").is_dir() else REPO


def _env(src: Path) -> dict[str, str]:
    """The environment of a process measuring the tree of ``src``: its ``src`` first on the
    path, then its root (:func:`_root`), then this repository (its ``benchmarks``)."""
    path = os.pathsep.join(dict.fromkeys([str(src.absolute()), str(_root(src)), str(REPO)]))
    return {**os.environ, "PYTHONPATH": path, "MPLBACKEND": "Agg"}


def stages(src: Path, overrides: list[str], scratch: Path) -> dict[str, float]:
    """:func:`child` with ``src`` first on the path, in a fresh process."""
    folder = Path(tempfile.mkdtemp(dir=scratch))
    command = [sys.executable, "-m", "benchmarks.stages", "--child", str(folder), *overrides]
    out = subprocess.run(command, env=_env(src), cwd=_root(src), check=True, capture_output=True)
    return dict(json.loads(out.stdout.decode().strip().splitlines()[-1]))


def whole(src: Path, overrides: list[str], scratch: Path) -> tuple[float, float]:
    """``python -m lbn_sim OVERRIDES`` with ``src`` first on the path: (wall s, peak MB)."""
    folder = Path(tempfile.mkdtemp(dir=scratch)) / "run"
    command = [sys.executable, "-m", "lbn_sim", *overrides, f"hydra.run.dir={folder}"]
    tic = time.perf_counter()
    proc = subprocess.Popen(
        command, env=_env(src), cwd=scratch, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - tic
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{' '.join(command)} failed")
    return wall, usage.ru_maxrss / 1024


def _children_cpu() -> float:
    """CPU seconds of this process's finished children (user and system)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _row(name: str, old: list[float], new: list[float], unit: str = "s") -> str:
    def fmt(v: float) -> str:
        return f"{v:,.0f}" if unit == "MB" else f"{v:.2f}"

    best_old, best_new = min(old), min(new)
    ratio = best_old / best_new if best_new else float("nan")
    return (
        f"| {name} | {fmt(best_old)} | {fmt(best_new)} | {ratio:.2f}x | "
        f"{fmt(statistics.median(old))} | {fmt(statistics.median(new))} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stages", description=__doc__)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--old", type=Path)
    parser.add_argument("--new", type=Path)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-whole", action="store_true", help="only the stages")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0.0,
        help="before each tree, wait up to S s for idle cores",
    )
    for tree in ("old", "new"):
        parser.add_argument(
            f"--{tree}-extra",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help=f"an override for the {tree} tree only (threads=1: one tree, two settings)",
        )
    parser.add_argument("overrides", nargs="*")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.overrides, args.child)))
        return 0
    if args.old is None or args.new is None:
        parser.error("--old and --new are required")
    trees = {"old": args.old, "new": args.new}
    extra = {"old": args.old_extra, "new": args.new_extra}
    found: dict[str, dict[str, list[float]]] = {t: {} for t in trees}
    load0 = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="lbn_sim_stages_") as tmp:
        scratch = Path(tmp)
        for _ in range(args.repeats):
            for tree, src in trees.items():
                if args.wait_quiet:
                    wait_quiet(args.wait_quiet)
                overrides = [*args.overrides, *extra[tree]]
                busy0, child0 = busy_cpu_seconds(), _children_cpu()
                for k, v in stages(src, overrides, scratch).items():
                    found[tree].setdefault(k, []).append(v)
                if not args.no_whole:
                    wall, peak = whole(src, overrides, scratch)
                    found[tree].setdefault("whole command", []).append(wall)
                    found[tree].setdefault("peak MB", []).append(peak)
                others = busy_cpu_seconds() - busy0 - (_children_cpu() - child0)
                found[tree].setdefault("others' CPU s", []).append(max(others, 0.0))
    load1 = os.getloadavg()
    print(f"overrides: {' '.join(args.overrides) or '(none)'}; {args.repeats} repeats")
    for tree in trees:
        if extra[tree]:
            print(f"{tree} only: {' '.join(extra[tree])}")
    print(f"load average before {load0[0]:.2f} {load0[1]:.2f}, after {load1[0]:.2f} {load1[1]:.2f}")
    print("| stage | old best s | new best s | old / new | old median | new median |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    names = [*STAGES, *(f"cpu {s}" for s in STAGES), "whole command", "peak MB", "others' CPU s"]
    for name in names:
        if name in found["old"]:
            unit = "MB" if name == "peak MB" else "s"
            print(_row(name, found["old"][name], found["new"][name], unit))
    return 0


if __name__ == "__main__":
    sys.exit(main())
