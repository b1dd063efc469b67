"""Shared helpers for the experiment scripts: compose configs and run many of them in parallel."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from hydra import compose, initialize_config_dir
from hydra.core.global_hydra import GlobalHydra

from lbn_sim.config import Config, register_configs, to_config

CONF_DIR = str(Path(__file__).resolve().parents[1] / "conf")
#: Overrides that shrink every experiment to toy size (for tests).
TOY = ["data.n_wards=120", "households.sample_rate=0.02", "households.min_per_ward=15"]
T = TypeVar("T")


def compose_cfg(overrides: Sequence[str]) -> Config:
    """The project's config with overrides, validated; at ``outputs=summary`` (an ensemble's
    level) unless the overrides set ``outputs``, should an experiment write its runs."""
    register_configs()
    GlobalHydra.instance().clear()
    level = (
        []
        if any(o.split("=", 1)[0].lstrip("+~") == "outputs" for o in overrides)
        else ["outputs=summary"]
    )
    with initialize_config_dir(config_dir=CONF_DIR, version_base="1.3"):
        dcfg = compose(config_name="config", overrides=[*level, *overrides, "plots=false"])
    return to_config(dcfg)


def parallel_map(fn: Callable[[list[str]], T], jobs: list[list[str]], workers: int) -> list[T]:
    """``fn`` over every job, in order, on ``workers`` processes (results do not depend on it).

    Reports progress on stderr about every 5% of the jobs: runs done, time so far and
    an estimate of the time left.
    """
    start = time.monotonic()
    every = max(1, len(jobs) // 20)
    out: list[T] = []

    def done(result: T) -> None:
        out.append(result)
        n = len(out)
        if n % every == 0 or n == len(jobs):
            spent = time.monotonic() - start
            left = spent / n * (len(jobs) - n)
            print(
                f"  {n}/{len(jobs)} runs done ({_minutes(spent)}, about {_minutes(left)} left)",
                file=sys.stderr,
                flush=True,
            )

    if workers <= 1:
        for job in jobs:
            done(fn(job))
        return out
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for result in pool.map(fn, jobs):
            done(result)
    return out


def _minutes(seconds: float) -> str:
    """``"3 min 05 s"`` or ``"42 s"``."""
    whole = round(seconds)
    return f"{whole // 60} min {whole % 60:02d} s" if whole >= 60 else f"{whole} s"


def default_workers() -> int:
    """All cores of this machine."""
    return os.cpu_count() or 1


def morris_tables(problem: dict[str, Any], x: Any, runs: Any, levels: int) -> dict[str, Any]:
    """Morris elementary effects (SALib) of every measure (column of the DataFrame ``runs``,
    one row per row of the sample ``x``): a table per measure of ``mu_star`` (mean absolute
    effect over a factor's full range, in the measure's units), ``mu`` (signed) and
    ``sigma`` (spread: interactions or non-linearity), largest ``mu_star`` first."""
    import numpy as np
    from SALib.analyze import morris as morris_analyze

    out = {}
    for measure in runs.columns:
        res = morris_analyze.analyze(
            problem,
            x,
            runs[measure].to_numpy(np.float64),
            num_levels=levels,
            seed=0,
            print_to_console=False,
        )
        table = res.to_df()[["mu_star", "mu", "sigma"]]
        out[measure] = table.sort_values("mu_star", ascending=False)
    return out


def morris_arguments(parser: argparse.ArgumentParser) -> None:
    """The options every Morris screening takes: ``--trajectories``, ``--workers``,
    ``--toy`` and further Hydra overrides."""
    parser.add_argument(
        "--trajectories",
        type=int,
        default=4,
        help="Morris trajectories (runs: trajectories x (factors + 1)); default 4",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=default_workers(),
        help="parallel processes (default: every core); results do not depend on it",
    )
    parser.add_argument("--toy", action="store_true", help="tiny synthetic England, for tests")
    parser.add_argument("overrides", nargs="*", help="further Hydra overrides for every run")


def morris_design(
    ranges: Mapping[str, tuple[float, float]], trajectories: int, levels: int
) -> tuple[dict[str, Any], Any]:
    """The SALib problem of ``ranges`` (factor name to ``(low, high)``) and its Morris sample,
    ``[trajectories * (k + 1), k]`` (seed 0: the same design every time).

    Raises:
        ValueError: fewer than 2 trajectories (no elementary effect can be averaged).
    """
    from SALib.sample import morris as morris_sample

    if trajectories < 2:
        raise ValueError(f"--trajectories must be at least 2, got {trajectories}")
    names = list(ranges)
    problem = {"num_vars": len(names), "names": names, "bounds": [list(ranges[n]) for n in names]}
    return problem, morris_sample.sample(problem, N=trajectories, num_levels=levels, seed=0)


def sobol_design(
    ranges: Mapping[str, tuple[float, float]], samples: int
) -> tuple[dict[str, Any], Any]:
    """The SALib problem of ``ranges`` and its Saltelli sample for first-order and total
    Sobol indices, ``[samples * (k + 2), k]`` (scrambled Sobol sequence, seed 0).

    Raises:
        ValueError: ``samples`` not a power of two of at least 8 (the sequence's balance).
    """
    from SALib.sample import sobol as sobol_sample

    if samples < 8 or samples & (samples - 1):
        raise ValueError(f"--samples must be a power of two of at least 8, got {samples}")
    names = list(ranges)
    problem = {"num_vars": len(names), "names": names, "bounds": [list(ranges[n]) for n in names]}
    return problem, sobol_sample.sample(problem, samples, calc_second_order=False, seed=0)


def sobol_tables(problem: dict[str, Any], runs: Any) -> dict[str, Any]:
    """Sobol indices (SALib) of every measure (column of ``runs``, one row per row of the
    :func:`sobol_design` sample): a table per measure of ``ST`` (total: the share of the
    measure's variance the factor accounts for, alone and in interactions), ``S1`` (first
    order: alone) and their 95% bootstrap half-widths, largest ``ST`` first."""
    import numpy as np
    from SALib.analyze import sobol as sobol_analyze

    out = {}
    for measure in runs.columns:
        res = sobol_analyze.analyze(
            problem, runs[measure].to_numpy(np.float64), calc_second_order=False, seed=0
        )
        total, first = res.to_df()
        out[measure] = total.join(first).sort_values("ST", ascending=False)
    return out
