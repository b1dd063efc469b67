"""Hydra callbacks: checks that run before any job, so a run fails at once, cleanly.

:class:`Checks` is registered in ``conf/config.yaml`` (``hydra.callbacks``). Before
a single run it takes the run directory for this process (an OS lock,
:func:`lbn_sim.folders.claim`, held to the end: a second run into it is refused) and
checks that it is new (or empty) and can be written; before a sweep, the same for the
sweep directory, and that every job's config passes the domain rules
(:func:`lbn_sim.runs.sweep.check_jobs`). A failure prints one line,
``lbn_sim: error: ...``, and exits 2 with nothing run and nothing left behind.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, NoReturn

from hydra.core.global_hydra import GlobalHydra
from hydra.experimental.callback import Callback
from omegaconf import DictConfig

from lbn_sim.config import ConfigError
from lbn_sim.folders import (
    CLAIMS,
    Claim,
    FolderBusy,
    claim,
    discard,
    mark_sweep_owner,
    occupied,
    release_stops,
)
from lbn_sim.runs.progress import start_watching, stop_watching
from lbn_sim.runs.sweep import check_jobs, config_jobs


def _note(message: str) -> None:
    print(f"lbn_sim: {message}", file=sys.stderr)


def _stop(message: str) -> NoReturn:
    """Give up the folders this process took (removing them and the parents it created
    when they hold nothing), print one line, exit 2."""
    for owned in reversed(CLAIMS):
        discard(owned)
    print(f"lbn_sim: error: {message}", file=sys.stderr)
    sys.exit(2)


def _take(directory: Path, kind: str, key: str) -> Claim:
    """Own ``directory`` for this run or sweep (``kind``), or exit 2 naming why not."""
    try:
        return claim(directory, kind)
    except FolderBusy as busy:
        _stop(
            f"the {kind} directory {directory} is in use: {busy}; two {kind}s cannot write "
            f"one folder: choose another with {key}=PATH, or wait for that one to end"
        )
    except OSError as err:
        _stop(
            f"cannot write the {kind} directory {directory}: {err.strerror or err}; "
            f"choose another with {key}=PATH"
        )


class Checks(Callback):
    """Check the output directory and (for a sweep) every job's config before any job; show
    a sweep's progress (:class:`lbn_sim.runs.progress.SweepProgress`) once its jobs are
    known."""

    def on_run_start(self, config: DictConfig, **kwargs: Any) -> None:
        """Take the run directory for this process; exit 2 if another process holds it,
        it already holds files or it cannot be written."""
        run_dir = Path(str(config.hydra.run.dir))
        _take(run_dir, "run", "hydra.run.dir")
        held = occupied(run_dir)
        if held is not None:
            _stop(
                f"the run directory {run_dir} already holds files ({held}): a run writes a "
                "folder of its own; choose another with hydra.run.dir=PATH, or remove it"
            )

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        """Take the sweep directory for this process; exit 2 if another process holds it,
        it already holds files or cannot be written, or any job's config is bad.

        Hydra turns any other exception from a callback into a warning and goes on, so
        a sweep whose jobs cannot be listed or composed here (another sweeper, or a job
        config that needs its own job's context) is said to be unchecked, and each job
        still checks its own config.

        Stops, held since the start (:func:`lbn_sim.runs.cli.entry`), act again when this
        ends, however it ends (a stop held meanwhile is raised then), and between the jobs
        checked; the sweep's progress is shown only after.
        """
        try:
            watch = self._check_sweep(config)
        finally:
            release_stops()
        if watch is not None:
            start_watching(*watch)

    def _check_sweep(self, config: DictConfig) -> tuple[Path, int] | None:
        """:meth:`on_multirun_start`'s checks; the sweep directory and its job count to
        watch, or None when the jobs could not be listed or checked."""
        sweep_dir = Path(str(config.hydra.sweep.dir))
        owned = _take(sweep_dir, "sweep", "hydra.sweep.dir")
        held = occupied(sweep_dir)
        if held is not None:
            _stop(
                f"the sweep directory {sweep_dir} already holds files ({held}): its jobs "
                "would be mixed with the new ones; choose another with hydra.sweep.dir=PATH, "
                "or remove it"
            )
        mark_sweep_owner()
        loader = GlobalHydra.instance().config_loader()
        jobs = config_jobs(config, loader)
        if not jobs:
            _note("the sweep's jobs cannot be listed before it runs; each job checks its own")
            return None
        tic = time.perf_counter()
        try:
            check_jobs(config, jobs)
        except ConfigError as err:
            _stop(f"{err}; no job was run")  # nothing was run: the sweep folder goes
        except Exception as err:  # a job config that cannot be composed outside its job
            _note(f"the jobs' configs were not all checked ({type(err).__name__}: {err})")
            return None
        seconds = time.perf_counter() - tic
        owned.jobs = len(jobs)
        _note(f"checked the {len(jobs)} jobs' configs ({seconds:.1f} s)")
        return sweep_dir, len(jobs)

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        """End the sweep's progress bar; say how to compare the sweep's runs."""
        sweep_dir = Path(str(config.hydra.sweep.dir))
        stop_watching(sweep_dir)
        _note(f"compare the runs with: python -m lbn_sim.compare {sweep_dir}")
