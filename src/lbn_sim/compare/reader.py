"""Reading many runs' tables at once, on worker processes when there are many.

A comparison reads every run and reduces it (:func:`lbn_sim.compare.runs.load_run_tables`:
about 0.1 to 0.3 s a run at England's size, most of it pandas' own overhead), so a
600-run ensemble spends a minute or more there on one core. Each run is read on its own, so
the runs can be shared among worker processes and their small tables gathered back in the
runs' order: the comparison is the same whatever the number of workers (tested), and a
damaged file is reported for the first run, in order, that has one. The next future's
runs are read ahead while this process summarises the last (:meth:`RunReader.read_later`),
and the comparison's maps are drawn on a worker (:meth:`RunReader.start`). Workers pay off
only where cores are free: over 600 real-data runs on two free cores, two workers took 51
to 54 s against 101 s in one process, but on an earlier machine shared with other work 145 s
against 102 s (``benchmarks/results.md``), so the command line reads in one process unless
told (``--workers N``).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from types import TracebackType
from typing import Any, TypeVar

from lbn_sim.analysis.ensemble import RunTables
from lbn_sim.bad_files import BadFile
from lbn_sim.compare.runs import RunInfo, load_run_tables

T = TypeVar("T")

#: Fewer runs than this are read in this process (a worker's start, about 2 s of imports,
#: is worth paying only for more).
MIN_RUNS_FOR_WORKERS = 24
#: Runs a worker reads per task (fewer round trips; still many tasks per worker).
CHUNK = 8


def default_workers() -> int:
    """The processes a comparison reads runs on by default: the CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _read(job: tuple[RunInfo, str]) -> RunTables | tuple[str, str]:
    """One run's tables, or ``(path, problem)`` of the damaged file (a :class:`BadFile`
    does not survive the trip back between processes)."""
    run, run_id = job
    try:
        return load_run_tables(run, run_id)
    except BadFile as bad:
        return (str(bad.path), bad.problem)


class RunReader:
    """Reads runs' tables (:meth:`read`), on ``workers`` processes when a call has at
    least :data:`MIN_RUNS_FOR_WORKERS` runs; the processes start on the first such call
    and last until :meth:`close` (or the end of a ``with`` block).

    ``workers``: None for :func:`default_workers`; 1 reads every run in this process.
    """

    def __init__(self, workers: int | None = None) -> None:
        if workers is not None and workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self.workers = default_workers() if workers is None else workers
        self._pool: ProcessPoolExecutor | None = None

    def read(self, runs: Sequence[RunInfo], run_ids: Sequence[str]) -> list[RunTables]:
        """Each run's tables (:func:`~lbn_sim.compare.runs.load_run_tables`), in order.

        Raises:
            BadFile: the first run, in order, with a damaged file.
        """
        return self.read_later(runs, run_ids)()

    def read_later(
        self, runs: Sequence[RunInfo], run_ids: Sequence[str]
    ) -> Callable[[], list[RunTables]]:
        """:meth:`read`, started now on the worker processes (when it would use them) and
        collected by calling what this returns, so that reads asked for together keep the
        workers busy while this process works on the runs already read. Without workers
        the runs are read when it is called.
        """
        jobs = list(zip(runs, run_ids, strict=True))
        if self.workers == 1 or len(jobs) < MIN_RUNS_FOR_WORKERS:
            return lambda: [load_run_tables(run, run_id) for run, run_id in jobs]
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=multiprocessing.get_context("spawn")
            )
        results = self._pool.map(_read, jobs, chunksize=CHUNK)

        def collect() -> list[RunTables]:
            out: list[RunTables] = []
            for result in results:
                if isinstance(result, tuple):
                    raise BadFile(*result)
                out.append(result)
            return out

        return collect

    def start(self, fn: Callable[..., T], /, *args: Any) -> Future[T] | None:
        """``fn(*args)`` started on one of the worker processes, if an earlier :meth:`read`
        or :meth:`read_later` started them, so this process can go on meanwhile (``fn`` and
        ``args`` must pickle); None when there are none: call it here."""
        if self._pool is None:
            return None
        return self._pool.submit(fn, *args)

    def close(self) -> None:
        """Stop the worker processes (if any started)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> RunReader:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
