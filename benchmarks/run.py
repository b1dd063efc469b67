"""``python -m benchmarks.run``: the benchmark suite, one results table.

For each named size (``benchmarks/configurations.py``), in a fresh process:

* the core's throughput: the model is built, the ``YearInputs`` of its first
  years are recorded, and the core (``lbn_sim.engine.step.advance``) is replayed from
  the start state on them, best of N; household-years per second;
* its random draws: values drawn per household-year by distribution, the
  64-bit generator outputs they consumed, and the time spent drawing, which
  bounds the core's speed (it cannot go faster than its draws);
* where the size allows, the per-agent Mesa baseline (``benchmarks/per_agent.py``)
  on the same start state and inputs, and the core's speed over the same years:
  the ratio per household-year;

and, in another fresh process, the whole run as a user runs it
(``python -m lbn_sim scenario=... <size overrides>``): wall time and peak
memory (maximum resident set size). The machine's details and measured rates
are printed beside the figures.

Usage::

    python -m benchmarks.run                       # every size, into benchmarks/results.md
    python -m benchmarks.run --sizes tiny small    # some sizes
    python -m benchmarks.run --out results.md      # elsewhere (a .json of the figures beside it)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.configurations import DEFAULT_SIZES, SIZES, Size
from benchmarks.machine import calibrate, describe

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "benchmarks" / "results.md"
#: The core's target (household-years per second at >= 1M households, one core).
CORE_TARGET = 5e6
#: The per-agent baseline's target (core faster per household-year by at least this).
RATIO_TARGET = 50.0


# -- in the measuring process ------------------------------------------------------------------


def measure(size: Size, scenario: str, repeats: int | None) -> dict[str, Any]:
    """Core throughput, draws and (where set) the per-agent baseline at one size."""
    from benchmarks.per_agent import PerAgentModel
    from benchmarks.workload import build_workload, compose_config, count_draws, time_core

    cfg = compose_config([f"scenario={scenario}", "plots=false", *size.overrides])
    reps = repeats or size.repeats
    years = max(size.core_years, size.per_agent_years)
    work = build_workload(cfg, years)
    n = work.households.n
    core_years = min(size.core_years, len(work.inputs))
    core_s = time_core(work, core_years, reps)
    tally = count_draws(work, core_years)
    hh_years = n * core_years
    result: dict[str, Any] = {
        "size": size.name,
        "wards": work.model.n_wards,
        "households": n,
        "init_s": work.init_seconds,
        "core_years": core_years,
        "repeats": reps,
        "core_s": core_s,
        "core_rate": hh_years / core_s,
        "draws_per_hh_year": tally.total / hh_years,
        "draws_by_kind": {k: v / hh_years for k, v in sorted(tally.values.items())},
        "outputs_per_hh_year": tally.outputs / hh_years,
        "draw_s_per_hh_year": tally.seconds / hh_years,
    }
    if size.per_agent_years:
        years = min(size.per_agent_years, len(work.inputs))
        t0 = time.perf_counter()
        agents = PerAgentModel(work.households, work.wards, work.baseline, work.params, seed=0)
        build_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        for inputs in work.inputs[:years]:
            agents.step(inputs)
        agent_s = time.perf_counter() - t0
        core_same = time_core(work, years, reps)
        result["per_agent"] = {
            "years": years,
            "build_s": build_s,
            "agent_s": agent_s,
            "agent_rate": n * years / agent_s,
            "core_rate": n * years / core_same,
            "ratio": agent_s / core_same,
        }
    result["measure_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


# -- in the orchestrating process ---------------------------------------------------------------


def _run_child(cmd: list[str], log: Path) -> tuple[int, float, float]:
    """Run ``cmd`` from the repository root; ``(exit code, wall s, peak RSS MB)`` of that child."""
    env = {**os.environ, "MPLBACKEND": "Agg"}
    with log.open("w") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=REPO, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    return code, wall, usage.ru_maxrss / 1024  # Linux reports KiB


def measure_in_child(size: Size, scenario: str, repeats: int | None, tmp: Path) -> dict[str, Any]:
    """:func:`measure` in a fresh Python process (its memory is its own)."""
    log = tmp / f"measure_{size.name}.log"
    cmd = [sys.executable, "-m", "benchmarks.run", "--measure", size.name, "--scenario", scenario]
    if repeats:
        cmd += ["--repeats", str(repeats)]
    code, _, _ = _run_child(cmd, log)
    text = log.read_text()
    if code != 0:
        raise RuntimeError(f"measuring {size.name} failed (exit {code}):\n{text[-4000:]}")
    return dict(json.loads(text.strip().splitlines()[-1]))


def whole_run(size: Size, scenario: str, tmp: Path) -> dict[str, Any]:
    """The command line end to end at one size: wall time and peak memory."""
    run_dir = tmp / f"run_{size.name}"
    cmd = [
        sys.executable,
        "-m",
        "lbn_sim",
        f"scenario={scenario}",
        *size.overrides,
        f"hydra.run.dir={run_dir}",
    ]
    code, wall, peak = _run_child(cmd, tmp / f"run_{size.name}.log")
    if code != 0:
        text = (tmp / f"run_{size.name}.log").read_text()
        raise RuntimeError(f"the whole run at {size.name} failed (exit {code}):\n{text[-4000:]}")
    return {"command": " ".join(cmd[1:-1]), "wall_s": wall, "peak_mb": peak}


# -- the table ----------------------------------------------------------------------------------


def _fmt(x: float | None, digits: int = 1) -> str:
    return "–" if x is None else f"{x:,.{digits}f}"


def render(machine: dict[str, str], rates: dict[str, float], rows: list[dict[str, Any]]) -> str:
    """The results as Markdown: machine, table, notes and targets."""
    u_rate = rates["uniforms_per_s"]
    lines = [
        "# lbn_sim benchmarks",
        "",
        "Command: `" + " ".join(["python -m benchmarks.run", *sys.argv[1:]]) + "`",
        "",
        "| machine | |",
        "| --- | --- |",
        *(f"| {k} | {v} |" for k, v in machine.items()),
        f"| float32 uniforms, one core | {u_rate / 1e6:,.0f} M/s (PCG64) |",
        f"| 64-bit generator outputs, one core | {rates['outputs_per_s'] / 1e6:,.0f} M/s |",
        f"| memory copy | {rates['copy_gb_per_s']:,.1f} GB/s copied "
        f"({2 * rates['copy_gb_per_s']:,.1f} GB/s read + written) |",
        "",
        "| size | wards | households | core M hh-yr/s | draws /hh-yr | outputs /hh-yr "
        "| uniform bound M/s | draw-time bound M/s | core / bound | Mesa k hh-yr/s "
        "| core ÷ Mesa | whole run s | peak MB |",
        "| --- " + "| ---: " * 12 + "|",
    ]
    for r in rows:
        agent = r.get("per_agent")
        run = r.get("whole_run")
        bound = 1.0 / r["draw_s_per_hh_year"]
        lines.append(
            f"| {r['size']} | {r['wards']:,} | {r['households']:,} | {r['core_rate'] / 1e6:.1f} "
            f"| {r['draws_per_hh_year']:.2f} | {r['outputs_per_hh_year']:.2f} "
            f"| {u_rate / r['draws_per_hh_year'] / 1e6:,.0f} | {bound / 1e6:,.0f} "
            f"| {r['core_rate'] / bound:.0%} "
            f"| {_fmt(agent and agent['agent_rate'] / 1e3)} | {_fmt(agent and agent['ratio'], 0)} "
            f"| {_fmt(run and run['wall_s'])} | {_fmt(run and run['peak_mb'], 0)} |"
        )
    lines += [
        "",
        "- **core M hh-yr/s**: household-years per second of `lbn_sim.engine.step.advance`, "
        "one core, all mechanisms on, replayed from the start state on the inputs the model's "
        "institutions gave it in its first years (best of N).",
        "- **draws /hh-yr**: random values drawn per household-year (two float32 uniforms, plus "
        "the draws of the households replaced that year); **outputs /hh-yr**: 64-bit outputs of "
        "the generator they consumed (a float32 uniform takes half of one, a beta draw about "
        "four).",
        "- **uniform bound**: the measured float32 uniform rate divided by the draws per "
        "household-year (every draw priced as a uniform); **draw-time bound**: household-years per "
        "second of drawing alone (the time the core spends inside the generator), the speed the "
        "core could reach if everything but its draws were free; **core / bound**: how close it "
        "comes.",
        "- **Mesa**: the same household rules with one `mesa.Agent` per household "
        "(`benchmarks/per_agent.py`), same start state and inputs, in the same process; "
        "**core ÷ Mesa**: the ratio per household-year against the core timed over the same years.",
        "- **whole run**: `python -m lbn_sim` end to end (start year to horizon, tables and "
        "figures written) in a fresh process; **peak MB**: its maximum resident set size.",
        "",
        "| size | what | core years × repeats | model build s | draws by kind /hh-yr |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    for r in rows:
        kinds = ", ".join(f"{k} {v:.3f}" for k, v in r["draws_by_kind"].items())
        lines.append(
            f"| {r['size']} | {SIZES[r['size']].description} | {r['core_years']} × {r['repeats']} "
            f"| {r['init_s']:.1f} | {kinds} |"
        )
    lines += ["", "Targets:", ""]
    lines += [f"- {t}" for t in targets(rows)]
    return "\n".join(lines) + "\n"


def targets(rows: list[dict[str, Any]]) -> list[str]:
    """The issue's targets, each met, not met or not measured in this run."""
    by = {r["size"]: r for r in rows}
    out = []
    big = [r for r in rows if r["households"] >= 1_000_000]
    if big:
        worst = min(big, key=lambda r: r["core_rate"])
        ok = worst["core_rate"] >= CORE_TARGET
        out.append(
            f"core >= 5 M hh-yr/s at >= 1M households: {'met' if ok else 'NOT met'} "
            f"(slowest: {worst['core_rate'] / 1e6:.1f} M at {worst['size']})"
        )
    else:
        out.append("core >= 5 M hh-yr/s at >= 1M households: not measured")
    ratios = [r["per_agent"]["ratio"] for r in rows if "per_agent" in r]
    if ratios:
        ok = min(ratios) >= RATIO_TARGET
        out.append(
            f"core >= 50x the per-agent Mesa baseline: {'met' if ok else 'NOT met'} "
            f"({', '.join(f'{x:.0f}x' for x in ratios)})"
        )
    run = by.get("default", {}).get("whole_run")
    if run:
        ok = run["wall_s"] <= 30
        out.append(f"default run <= 30 s: {'met' if ok else 'NOT met'} ({run['wall_s']:.1f} s)")
    run = by.get("england_full", {}).get("whole_run")
    if run:
        ok = run["wall_s"] <= 300 and run["peak_mb"] <= 8 * 1024
        out.append(
            f"every household in England <= 5 min and <= 8 GB: {'met' if ok else 'NOT met'} "
            f"({run['wall_s']:.0f} s, {run['peak_mb'] / 1024:.2f} GiB)"
        )
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the suite (or, with ``--measure``, one size's measurements as JSON)."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--sizes", nargs="+", choices=list(SIZES), default=list(DEFAULT_SIZES))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the Markdown table")
    parser.add_argument("--scenario", default="best_case")
    parser.add_argument("--repeats", type=int, default=None, help="best of N (default per size)")
    parser.add_argument("--no-whole-run", action="store_true", help="skip the end-to-end runs")
    parser.add_argument("--measure", choices=list(SIZES), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.measure:
        print(json.dumps(measure(SIZES[args.measure], args.scenario, args.repeats)))
        return 0

    machine = describe(REPO)
    rates = calibrate()
    rows = []
    with tempfile.TemporaryDirectory(prefix="lbn_bench_") as tmp:
        for name in args.sizes:
            size = SIZES[name]
            print(f"benchmarks: {name} ...", file=sys.stderr, flush=True)
            row = measure_in_child(size, args.scenario, args.repeats, Path(tmp))
            if not args.no_whole_run:
                row["whole_run"] = whole_run(size, args.scenario, Path(tmp))
            rows.append(row)
    table = render(machine, rates, rows)
    print(table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(table)
    figures = {"machine": machine, "rates": rates, "sizes": rows}
    args.out.with_suffix(".json").write_text(json.dumps(figures, indent=2) + "\n")
    print(f"benchmarks: table in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
