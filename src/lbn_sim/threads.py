"""How many threads one run uses: the ``threads`` setting (``1``, a count, or ``auto``).

A run's household blocks (and the start year's blocked solvers) can run on a pool of
threads (:func:`lbn_sim.engine.blocks.map_blocks`); every random draw stays in the calling
thread, in the order a single thread makes it, so the results are the same bytes on any
number of threads. ``auto`` is every core this process may use when the run has the
process to itself, and one thread in a worker of a pool that already runs a process per
core (a ``ProcessPoolExecutor`` of ``lbn_sim.runs.ensemble``, ``lbn_sim.runs.draw_runs`` or
``experiments/``, Hydra's joblib launcher, a job of a sweep owned by another process), so
the cores are not oversubscribed. An explicit count is always kept.
"""

from __future__ import annotations

import multiprocessing
import os

from lbn_sim.errors import ConfigError
from lbn_sim.folders import in_local_worker

#: The ``threads`` value that lets the machine decide (see :func:`resolve_threads`).
AUTO = "auto"


def check_threads(value: object, key: str = "threads") -> None:
    """Refuse a ``threads`` setting that is neither ``auto`` nor a count of at least 1.

    Raises:
        ConfigError: naming ``key`` and the value (0, a negative count, ``True``, another
            word or a number written as text other than a whole count).
    """
    if value == AUTO:
        return
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(
            f"{key} must be a whole number of threads of at least 1, or {AUTO} (the cores "
            f"available to a run on its own, 1 in a worker process), got {value!r}"
        )


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity where the system tells it), >= 1."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # (not on every system)
        return max(os.cpu_count() or 1, 1)


def in_worker_process() -> bool:
    """Whether this process is a worker of a pool that runs one process per core: started by
    ``multiprocessing`` (``ProcessPoolExecutor``, joblib's loky) or running a job of a sweep
    owned by another process on this machine (Hydra's joblib, submitit-local, Ray)."""
    return multiprocessing.parent_process() is not None or in_local_worker()


def resolve_threads(value: int | str) -> int:
    """Threads one run uses for a ``threads`` setting: the count as given, or for ``auto``
    the cores available (:func:`available_cores`) in a process of its own and 1 in a worker
    process (:func:`in_worker_process`).

    Raises:
        ConfigError: a setting :func:`check_threads` refuses.
    """
    check_threads(value)
    if value == AUTO:
        return 1 if in_worker_process() else available_cores()
    return int(value)
