"""Do two code trees write the same result files? Run each on the same overrides and compare.

    python -m benchmarks.same_outputs --old /tmp/main_src --new src --out /tmp/same \
        scenario=best_case seed=0 , scenario=worst_case seed=0 , data=england_2019 seed=0

Each run (the overrides between ``,`` separators) is ``python -m lbn_sim`` in a fresh process
with ``PYTHONPATH`` set to the tree's ``src`` folder (``--old`` and ``--new``), written to
``OUT/<old|new>/<i>``; a run folder already there is reused (so one reference serves many
checks). Every table (``*.parquet``, ``*.csv``) and report (``*.md``) of the two runs is
then compared byte for byte; a table that differs is compared as a table too (pandas
``equals``) to tell a change of values from a change of encoding. Exit 0 when every file is
the same bytes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

TABLES = ("*.parquet", "*.csv", "*.md")


def run(src: Path, overrides: list[str], folder: Path) -> float:
    """``python -m lbn_sim`` with ``src`` on the path into ``folder``; wall seconds (0: reused)."""
    if (folder / "provenance.json").exists():
        return 0.0
    env = {**os.environ, "PYTHONPATH": str(src.absolute()), "MPLBACKEND": "Agg"}
    command = [sys.executable, "-m", "lbn_sim", *overrides, "plots=false"]
    tic = time.perf_counter()
    subprocess.run([*command, f"hydra.run.dir={folder}"], env=env, check=True)
    return time.perf_counter() - tic


def _read(path: Path) -> pd.DataFrame:
    return pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)


def compare(old: Path, new: Path) -> list[str]:
    """Lines naming each table of ``old`` and whether ``new``'s is the same bytes."""
    lines = []
    names = sorted({p.name for pattern in TABLES for p in old.glob(pattern)})
    if not names:
        return [f"  no tables in {old}"]
    for name in names:
        a, b = old / name, new / name
        if not b.exists():
            lines.append(f"  {name}: MISSING in new")
        elif a.read_bytes() == b.read_bytes():
            lines.append(f"  {name}: same bytes ({a.stat().st_size:,})")
        else:
            same = a.suffix != ".md" and _read(a).equals(_read(b))
            lines.append(f"  {name}: DIFFERENT bytes (values {'equal' if same else 'differ'})")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.same_outputs", description=__doc__)
    parser.add_argument("--old", type=Path, required=True, help="the reference tree's src")
    parser.add_argument("--new", type=Path, required=True, help="the changed tree's src")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("runs", nargs="+", help="overrides, runs separated by ,")
    args = parser.parse_args()
    groups: list[list[str]] = [[]]
    for token in args.runs:
        if token == ",":
            groups.append([])
        else:
            groups[-1].append(token)
    ok = True
    for i, overrides in enumerate(g for g in groups if g):
        folders = [args.out / "old" / str(i), args.out / "new" / str(i)]
        seconds = [
            run(src, overrides, f) for src, f in zip((args.old, args.new), folders, strict=True)
        ]
        lines = compare(*folders)
        ok &= all("same bytes" in line for line in lines)
        print(f"{' '.join(overrides)}: old {seconds[0]:.1f} s, new {seconds[1]:.1f} s")
        print("\n".join(lines))
    print("every table the same bytes" if ok else "SOME TABLES DIFFER")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
