"""Run a sweep's members into one ensemble store, many members per worker process.

``python -m lbn_sim.runs.ensemble STORE [--workers N] OVERRIDES...``: the overrides are a
sweep's, as ``python -m lbn_sim -m`` takes them (``"seed=range(200)"
scenario=worst_case,base_case,best_case data=england_2019``); each member is written into
``STORE`` (:mod:`lbn_sim.runs.store`) at ``outputs=summary`` unless the overrides choose
another level. Then ``python -m lbn_sim.compare STORE`` compares them.

How the work is shared:

* **Batches.** Members that differ only in the scenario (or the horizon) share their
  history; they form one batch, run in turn by one worker, the later ones continuing from
  the history the first saved (:class:`lbn_sim.runs.forks.ForkCache`).
* **Workers.** ``--workers`` processes each take batch after batch: the imports, the ward
  table (6.6 s for the real data on this machine) and the config schema are paid once per
  worker, not once per member.
* **Resume.** A member whose partition the store holds is not run again, so the same
  command on a store left part-way (a stop, a machine gone down) runs only the missing
  members; the store must hold the same sweep (its ``multirun.yaml``), else it is refused.

Every member draws only from its own seed, and its files are written from its own tables,
so the store holds the same bytes for any number of workers and in any order, and each
member's tables are those of a single run with the same overrides (tested).
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TypeVar

import pandas as pd
from omegaconf import DictConfig

from lbn_sim.config import Config, ConfigError, DataConfig
from lbn_sim.folders import FolderBusy, claim, release
from lbn_sim.runs.progress import duration_words
from lbn_sim.runs.store import (
    RUNS_DIR,
    check_same_sweep,
    members,
    partition,
    present_members,
    swept_keys,
    write_member,
    write_sweep_config,
)
from lbn_sim.runs.sweep import job_key

#: The output level an ensemble's members are written at unless the overrides set one.
DEFAULT_OUTPUTS = "summary"
#: Keys whose values members of one batch may differ in (they share the history).
OWN_KEYS = ("scenario", "horizon")

Log = Callable[[str], None]
T = TypeVar("T")


def _say(message: str) -> None:
    print(f"lbn_sim: {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True, slots=True)
class Member:
    """One member of the ensemble: its index in the sweep, its overrides, its partition
    below ``STORE/runs``, and its composed and checked config."""

    index: int
    job: tuple[str, ...]
    part: str
    dcfg: DictConfig
    cfg: Config


@dataclass(frozen=True, slots=True)
class EnsembleDone:
    """What :func:`run_ensemble` did: the members of the sweep, those the store held
    before, and those run now (indices into the sweep's members), with wall seconds."""

    store: Path
    n_members: int
    were_there: tuple[int, ...]
    ran: tuple[int, ...]
    seconds: float


def with_outputs(overrides: Sequence[str]) -> list[str]:
    """``overrides`` with ``outputs=summary`` first unless they set ``outputs``."""
    given = list(overrides)
    if any(o.lstrip("+~").split("=", 1)[0].strip() == "outputs" for o in given):
        return given
    return [f"outputs={DEFAULT_OUTPUTS}", *given]


def batches(todo: Sequence[Member]) -> list[list[Member]]:
    """``todo`` in batches of members that share a history (equal but for
    :data:`OWN_KEYS`), each batch in sweep order, batches in order of their first member."""
    grouped: dict[frozenset[tuple[str, str]], list[Member]] = {}
    for member in todo:
        key = frozenset((k, v) for k, v in job_key(member.job) if k not in OWN_KEYS)
        grouped.setdefault(key, []).append(member)
    return list(grouped.values())


# One worker's saved histories and ward tables, kept from batch to batch.
_FORKS = None
_LOADED: dict[str, tuple[pd.DataFrame, str | None]] = {}


def _data_key(data: DataConfig) -> str:
    return json.dumps(asdict(data), sort_keys=True, default=repr)


def run_batch(store: Path, batch: Sequence[Member]) -> list[tuple[int, float]]:
    """Run the members of ``batch`` in turn and write each into ``store`` (one worker's
    task); a member the store already holds is left as it is.

    Returns:
        ``(index, wall seconds)`` for each member written.
    """
    global _FORKS
    from lbn_sim.runs.forks import ForkCache
    from lbn_sim.runs.runner import load_wards, simulate

    logging.getLogger("MESA").setLevel(logging.WARNING)
    if _FORKS is None:
        _FORKS = ForkCache(capacity=2)
    done = []
    for member in batch:
        if (store / RUNS_DIR / member.part).is_dir():
            continue
        tic = time.perf_counter()
        key = _data_key(member.cfg.data)
        if key not in _LOADED:
            _LOADED.clear()  # one data source at a time: a real ward table is large
            _LOADED[key] = load_wards(member.cfg.data)
        forks = _FORKS if member.cfg.fork_histories else None
        result = simulate(member.cfg, forks=forks, loaded=_LOADED[key])
        write_member(store, member.part, result, member.cfg, member.dcfg, member.job)
        done.append((member.index, time.perf_counter() - tic))
    return done


def compose_members(
    jobs: Sequence[Sequence[str]], keys: Sequence[str], skip: set[int] | None = None
) -> list[Member]:
    """The config of every member of ``jobs`` but those in ``skip``, composed and checked
    as ``python -m lbn_sim`` would (about 0.1 s a member).

    Raises:
        ConfigError: the first member whose config is bad, its number and overrides named.
    """
    from lbn_sim.runs.api import _compose

    out = []
    for index, job in enumerate(jobs):
        if skip and index in skip:
            continue
        try:
            dcfg, cfg = _compose(list(job))
        except ConfigError as err:
            raise ConfigError(f"member {index} ({' '.join(job)}): {err}") from None
        out.append(Member(index, tuple(job), partition(job, keys), dcfg, cfg))
    return out


def run_ensemble(
    store: str | Path,
    overrides: Sequence[str],
    workers: int = 1,
    log: Log = _say,
) -> EnsembleDone:
    """Run the sweep ``overrides`` into the ensemble store ``store``, or the members it
    lacks when it holds that sweep already.

    Args:
        store: the store's folder (created; it must be new, empty or this sweep's store).
        overrides: a sweep's overrides, as ``python -m lbn_sim -m`` takes them; at least
            one key swept. ``outputs=summary`` unless they set ``outputs``.
        workers: processes running batches at once (1: this process).
        log: progress sink.

    Raises:
        ConfigError: (a ``ValueError``) no key swept, a member's bad config, a store
            holding another sweep or other files, or a store another process is writing.
    """
    tic = time.perf_counter()
    if workers < 1:
        raise ConfigError(f"workers must be at least 1, got {workers}")
    overrides = with_outputs(overrides)
    keys = swept_keys(overrides)
    if not keys:
        raise ConfigError(
            f"an ensemble sweeps at least one key (seed=range(10), scenario=a,b), got "
            f"{' '.join(overrides)!r}"
        )
    jobs = members(overrides)
    store = Path(store).absolute()
    try:
        owned = claim(store, "sweep")
    except FolderBusy as busy:
        raise ConfigError(f"the ensemble store {store} is in use: {busy}") from None
    try:
        resumed = check_same_sweep(store, overrides)
        present = present_members(store, jobs, keys)
        log(
            f"{len(jobs)} members in {store}"
            + (f"; {len(present)} there already, running the rest" if resumed else "")
        )
        todo = compose_members(jobs, keys, skip=present)
        if not resumed:
            write_sweep_config(store, overrides)
        (store / RUNS_DIR).mkdir(exist_ok=True)
        ran = _run(store, batches(todo), workers, len(jobs), log)
    finally:
        release(owned)
    return EnsembleDone(
        store, len(jobs), tuple(sorted(present)), tuple(sorted(ran)), time.perf_counter() - tic
    )


def _run(store: Path, work: list[list[Member]], workers: int, total: int, log: Log) -> list[int]:
    """Run the batches ``work`` on ``workers`` processes; the members written.

    Each member is logged as its batch (its seed's futures) ends, with the time left at
    the rate so far, not when the last batch ends: an ensemble of hundreds of members runs
    for an hour.
    """
    ran: list[int] = []
    n_todo = sum(len(b) for b in work)
    tic = time.perf_counter()

    def report(done: list[tuple[int, float]]) -> None:
        lines = batch_lines(done, len(ran), n_todo, total, time.perf_counter() - tic)
        for (index, _), line in zip(done, lines, strict=True):
            ran.append(index)
            log(line)

    if workers == 1 or len(work) <= 1:
        for batch in work:
            report(run_batch(store, batch))
        return ran
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(run_batch, store, batch) for batch in work]
        try:
            as_they_end(futures, report)
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return ran


def batch_lines(
    done: Sequence[tuple[int, float]], n_before: int, n_todo: int, total: int, elapsed: float
) -> list[str]:
    """The progress lines for a batch just ended: ``done`` its ``(member index, seconds)``,
    ``n_before`` members written before it, ``n_todo`` to write in all (of ``total`` in the
    sweep), ``elapsed`` seconds so far. A batch's members end together, so they share one
    estimate of the time left (at the rate so far).
    """
    n_done = n_before + len(done)
    left = elapsed / n_done * (n_todo - n_done) if n_done else 0.0
    return [
        f"[{n_before + i}/{n_todo}] member {index} of {total} written ({seconds:.1f} s); "
        f"{duration_words(elapsed)} so far, about {duration_words(left)} left"
        for i, (index, seconds) in enumerate(done, start=1)
    ]


def as_they_end(futures: Sequence[Future[T]], report: Callable[[T], None]) -> None:
    """Call ``report`` with each future's result as soon as it is done (those done together
    in submission order); the first failure is raised at once, the rest left to the caller.
    """
    order = {id(f): i for i, f in enumerate(futures)}
    pending = set(futures)
    while pending:
        finished, pending = wait(pending, return_when=FIRST_COMPLETED)
        for future in sorted(finished, key=lambda f: order[id(f)]):
            report(future.result())


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m lbn_sim.runs.ensemble``: exit 0 done, 2 refused (one line), 130 or 143
    stopped (the members written are kept; the same command runs the rest)."""
    parser = argparse.ArgumentParser(
        prog="python -m lbn_sim.runs.ensemble",
        description="Run a sweep's members into one ensemble store (README, 'Large ensembles').",
    )
    parser.add_argument("store", type=Path, help="the store's folder (new, or this sweep's)")
    parser.add_argument("overrides", nargs="+", help="the sweep, as python -m lbn_sim -m takes it")
    parser.add_argument(
        "--workers",
        type=int,
        default=max(1, multiprocessing.cpu_count()),
        help="processes running members at once (default: one per CPU)",
    )
    args = parser.parse_args(argv)
    try:
        done = run_ensemble(args.store, args.overrides, workers=args.workers)
    except (ConfigError, FileExistsError) as err:
        print(f"lbn_sim: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        _say(
            f"stopped; the whole members written are kept in {args.store}; the same command "
            "runs the rest"
        )
        return 130
    _say(
        f"{done.n_members} members in {done.store} ({len(done.ran)} run now in "
        f"{done.seconds:.0f} s, {len(done.were_there)} there before); compare with: "
        f"python -m lbn_sim.compare {done.store}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
