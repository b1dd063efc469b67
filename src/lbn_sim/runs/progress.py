"""A sweep's progress: one bar for the whole sweep, runs done out of all, and time left.

Jobs may run in this process (Hydra's basic launcher) or in others (joblib's workers,
submitit, Ray), so the bar does not ask the launcher: it watches the sweep folder, where
a job's results appear whole when it is done (``groups.parquet`` is moved into the job's
folder with the rest, :mod:`lbn_sim.runs.runner`). A thread looks once a second
(:data:`INTERVAL`) and updates the bar.

On a terminal the bar is a tqdm bar on stderr (``sweep: 3/9 runs [01:20<02:40]``); anywhere
else (a log file, CI) it is one plain line each time a run finishes
(``lbn_sim: sweep: 3 of 9 runs done in 1 min 20 s, about 2 min 40 s left``), since a bar
redrawn with carriage returns is unreadable in a log.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from pathlib import Path
from typing import TextIO

from tqdm import tqdm

__all__ = [
    "INTERVAL",
    "RESULT_FILE",
    "SweepProgress",
    "count_done",
    "duration_words",
    "start_watching",
    "stop_watching",
]

INTERVAL = 1.0
"""Seconds between two looks at the sweep folder."""

RESULT_FILE = "groups.parquet"
"""The file whose presence in a job's folder says the job is done (results are moved in
whole, so it appears with the others)."""


def count_done(sweep_dir: Path) -> int:
    """How many job folders directly under ``sweep_dir`` hold their results."""
    try:
        entries = list(os.scandir(sweep_dir))
    except OSError:
        return 0
    return sum(
        1 for e in entries if e.is_dir() and os.path.isfile(os.path.join(e.path, RESULT_FILE))
    )


def duration_words(seconds: float) -> str:
    """``75.0`` -> ``"1 min 15 s"``; ``8.2`` -> ``"8 s"``; ``3700`` -> ``"1 h 1 min"``."""
    s = round(max(seconds, 0.0))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60} s"
    return f"{s // 3600} h {(s % 3600) // 60} min"


class SweepProgress:
    """Watch ``sweep_dir`` for ``total`` runs and show how many are done.

    Args:
        sweep_dir: the sweep folder (Hydra's ``hydra.sweep.dir``).
        total: the number of jobs in the sweep.
        stream: where the progress goes (default stderr).
        bar: a tqdm bar (True), plain lines (False), or None: a bar when ``stream`` is a
            terminal.
        interval: seconds between two looks.
    """

    def __init__(
        self,
        sweep_dir: Path,
        total: int,
        stream: TextIO | None = None,
        bar: bool | None = None,
        interval: float = INTERVAL,
    ) -> None:
        self.sweep_dir = Path(sweep_dir)
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.bar = bar if bar is not None else bool(getattr(self.stream, "isatty", bool)())
        self.interval = interval
        self.done = 0
        self._start = time.perf_counter()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._tqdm: tqdm | None = None

    def start(self) -> SweepProgress:
        """Start watching (a daemon thread: it never keeps the process alive)."""
        self._start = time.perf_counter()
        if self.bar:
            size = shutil.get_terminal_size((80, 24))
            self._tqdm = tqdm(
                total=self.total,
                desc="sweep",
                unit="run",
                file=self.stream,
                # the terminal's size, at most 100 wide (80 x 24 where a terminal reports
                # none: tqdm would hide the bar in a terminal of 0 rows)
                ncols=min(100, size.columns),
                nrows=size.lines,
                bar_format="{desc}: {n}/{total} runs |{bar}| [{elapsed}<{remaining}]",
            )
        self._thread = threading.Thread(target=self._watch, name="lbn_sim-sweep-progress")
        self._thread.daemon = True
        self._thread.start()
        return self

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            self.update()

    def update(self) -> None:
        """Look at the folder once and show any runs finished since the last look."""
        done = min(count_done(self.sweep_dir), self.total)
        if done <= self.done:
            return
        if self._tqdm is not None:
            self._tqdm.update(done - self.done)
        else:
            elapsed = time.perf_counter() - self._start
            line = f"lbn_sim: sweep: {done} of {self.total} runs done in {duration_words(elapsed)}"
            if done < self.total:
                left = elapsed / done * (self.total - done)
                line += f", about {duration_words(left)} left"
            print(line, file=self.stream, flush=True)
        self.done = done

    def stop(self) -> None:
        """Stop watching, after a last look; close the bar."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5.0)
            self._thread = None
        self.update()
        if self._tqdm is not None:
            self._tqdm.close()
            self._tqdm = None


#: The sweeps this process watches, by folder. Kept here, not on the Hydra callback that
#: starts them: joblib pickles the callbacks to its workers, and a thread cannot be pickled.
_WATCHING: dict[Path, SweepProgress] = {}


def start_watching(sweep_dir: Path, total: int) -> SweepProgress:
    """Show the progress of the sweep in ``sweep_dir`` (``total`` jobs) until
    :func:`stop_watching`."""
    key = Path(sweep_dir).resolve()
    stop_watching(key)
    _WATCHING[key] = SweepProgress(key, total).start()
    return _WATCHING[key]


def stop_watching(sweep_dir: Path) -> None:
    """End the progress of the sweep in ``sweep_dir`` (nothing if it is not watched)."""
    progress = _WATCHING.pop(Path(sweep_dir).resolve(), None)
    if progress is not None:
        progress.stop()
