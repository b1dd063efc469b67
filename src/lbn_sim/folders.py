"""Run folders: whether one can be written, who owns it, and what a stopped run leaves in it.

The command line (:mod:`lbn_sim.runs`) refuses a folder that already holds results, and
:mod:`lbn_sim.compare` skips folders that hold none; both read the rule here.

A run (or a sweep) owns its folder while it works: :func:`claim` takes an OS-level lock
(``flock`` on a lock file in the folder) before any work and holds it to the end, so a
second writer is refused at once. Stops (Ctrl-C, ``kill``) are turned into
:class:`Stopped` by :func:`catch_stops`, installed by ``python -m lbn_sim`` before its
heavy imports, so a stop at any moment can leave the folder as it found it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: folders are not locked there
    fcntl = None  # type: ignore[assignment]


def unwritable(directory: Path) -> str | None:
    """Why ``directory`` cannot hold results (None when it can).

    Creates the directory (and its parents) if needed, and a temporary file in it,
    removed at once. When that fails, the folders this call created are removed.
    """
    created = [p for p in (directory, *directory.parents) if not p.exists()]
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=directory):
            pass
    except OSError as err:
        for p in created:  # deepest first
            try:
                p.rmdir()
            except OSError:
                pass
        return err.strerror or str(err)
    return None


#: What a run that was killed before its results leaves behind (Hydra's own files, an
#: interrupted staging folder): a folder holding only these may be run into again, as
#: ``lbn_sim.compare`` suggests for a sweep's missing job.
LEFT_BY_A_STOPPED_RUN = (".hydra", "__main__.log", ".staging", "multirun.yaml", ".lbn_sim.lock")

#: The lock file a run or sweep holds in its folder while it works (:func:`claim`).
LOCK_NAME = ".lbn_sim.lock"
#: Staging folders are named ``.staging-<unique>`` (one per writing process); a folder
#: whose name starts so is never a result.
STAGING_PREFIX = ".staging"


def holds_results(path: Path) -> bool:
    """Whether ``path`` is (or holds) anything but what stopped runs leave: a file not named
    in :data:`LEFT_BY_A_STOPPED_RUN` (nor a staging folder), at any depth (a sweep's job
    folder holding only its ``.hydra`` does not count; nor does an empty folder)."""
    if path.name in LEFT_BY_A_STOPPED_RUN or path.name.startswith(STAGING_PREFIX):
        return False
    if path.is_dir():
        return any(holds_results(child) for child in path.iterdir())
    return True


def occupied(directory: Path) -> str | None:
    """What ``directory`` already holds, named (up to three entries), or None when it does
    not exist or holds nothing but what stopped runs leave (:func:`holds_results`).

    Results written beside an earlier run's (or among other files) would be mixed with
    them, and a sweep's earlier jobs pooled with the new ones."""
    if not directory.is_dir():
        return None
    entries = sorted(p.name for p in directory.iterdir() if holds_results(p))
    if not entries:
        return None
    shown = ", ".join(entries[:3]) + (f" and {len(entries) - 3} more" if len(entries) > 3 else "")
    return shown


# --- stops -------------------------------------------------------------------------------


class Stopped(BaseException):
    """A run stopped by a signal (Ctrl-C's SIGINT, or ``kill``'s SIGTERM)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


#: Every stop this process received, first first (signal numbers): held or acted on. A
#: :class:`Stopped` raised inside a library can come out as another error; this says a
#: stop was the cause (:func:`lbn_sim.runs.cli.entry`).
RECEIVED: list[int] = []


def stop_on(signum: int, frame: FrameType | None) -> None:
    """The signal handler :func:`catch_stops` installs: raise :class:`Stopped` (and
    remember it in :data:`RECEIVED`)."""
    RECEIVED.append(signum)
    raise Stopped(signum)


STOPS = (signal.SIGINT, signal.SIGTERM)


def _install(handler: Callable[[int, FrameType | None], None]) -> bool:
    """``handler`` for SIGINT and SIGTERM, except one the caller chose to ignore. Only the
    main thread can install handlers: False elsewhere."""
    if threading.current_thread() is not threading.main_thread():
        return False
    for sig in STOPS:
        if signal.getsignal(sig) is not signal.SIG_IGN:
            signal.signal(sig, handler)
    return True


def catch_stops() -> bool:
    """Turn SIGINT and SIGTERM into :class:`Stopped` (a signal the caller chose to ignore
    stays ignored). Only the main thread can install handlers: False elsewhere."""
    return _install(stop_on)


#: Stops received while :func:`hold_stops` held them, first first (signal numbers).
HELD: list[int] = []


def _hold(signum: int, frame: FrameType | None) -> None:
    """The handler :func:`hold_stops` installs: remember the stop, act on it later."""
    HELD.append(signum)
    RECEIVED.append(signum)


def raise_held() -> None:
    """Raise :class:`Stopped` for the first stop held so far, if any: for long work done
    with stops held (a sweep's jobs checked one by one), between steps, outside libraries."""
    if HELD:
        raise Stopped(HELD[0])


def hold_stops() -> bool:
    """Remember SIGINT and SIGTERM instead of acting on them, until :func:`release_stops`
    (a signal the caller chose to ignore stays ignored). For Hydra's composing of the
    config: a :class:`Stopped` raised inside OmegaConf can leave an object half made, and
    what surfaces is another error (an ``AttributeError`` Hydra reports, exit 1), not the
    stop. Only the main thread can install handlers: False elsewhere."""
    return _install(_hold)


def release_stops() -> None:
    """Act on stops again (:func:`stop_on`) where :func:`hold_stops` held them, and raise
    :class:`Stopped` for the first one received meanwhile. Does nothing where they are not
    held (a sweep's worker process, a second call)."""
    if threading.current_thread() is not threading.main_thread():
        return
    held = [sig for sig in STOPS if signal.getsignal(sig) is _hold]
    first = HELD[0] if HELD else None  # read before the handlers change: a later stop acts
    for sig in held:
        signal.signal(sig, stop_on)
    if held and first is not None:
        raise Stopped(first)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while the block runs (a few file moves), then deliver the
    first that came to the handler there was before: the block is never cut part way.

    Outside the main thread (where handlers cannot be set) the block runs as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        pending.append(signum)

    before = {}
    for sig in STOPS:
        handler = signal.getsignal(sig)
        if handler is None or handler is signal.SIG_IGN:
            continue  # not set from Python (cannot be restored), or ignored anyway
        before[sig] = handler
        signal.signal(sig, hold)
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)
        if pending:
            signal.raise_signal(pending[0])


# --- ownership ---------------------------------------------------------------------------


class FolderBusy(Exception):
    """Another process holds the folder's lock (it is writing there)."""


@dataclass
class Claim:
    """A folder this process owns: its lock, and the folders it created to get it (deepest
    first), removed again when it leaves nothing there."""

    directory: Path
    kind: str  # "run" or "sweep"
    created: list[Path] = field(default_factory=list)
    fd: int | None = None
    jobs: int | None = None  # a sweep's number of jobs, when they were listed


#: The folders this process owns, in the order it claimed them.
CLAIMS: list[Claim] = []


def _holder(lock: Path) -> str:
    """Who holds ``lock``, as its holder wrote it ("pid 123 on host"), or ''."""
    try:
        text = lock.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" ({text})" if text else ""


def claim(directory: Path, kind: str) -> Claim:
    """Own ``directory`` (created if needed) until this process ends or :func:`release`:
    an exclusive, non-blocking OS lock on its lock file. Stale staging folders that an
    earlier, killed writer left there (and in a sweep's job folders) are removed.

    Raises:
        FolderBusy: another process owns it (its message names the holder).
        OSError: the folder (or its lock file) cannot be written; the folders this call
            created are removed again.
    """
    directory = Path(os.path.abspath(directory))
    created = [p for p in (directory, *directory.parents) if not p.exists()]
    lock = directory / LOCK_NAME
    with signals_held():  # a stop here cannot leave an unrecorded folder or a held lock
        try:
            for _ in range(20):
                directory.mkdir(parents=True, exist_ok=True)
                fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
                if fcntl is None:  # pragma: no cover
                    break
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    os.close(fd)
                    raise FolderBusy(
                        f"another lbn_sim process{_holder(lock)} is writing to it"
                    ) from None
                try:  # the lock file may have been removed by its last owner meanwhile
                    same = os.path.samestat(os.fstat(fd), os.stat(lock))
                except FileNotFoundError:
                    same = False
                if same:
                    break
                os.close(fd)
            else:  # pragma: no cover - a folder removed and remade 20 times over
                raise FolderBusy("another lbn_sim process keeps replacing it")
            os.ftruncate(fd, 0)
            os.write(fd, f"pid {os.getpid()} on {socket.gethostname()}\n".encode())
        except OSError:
            _remove_empty(created)
            raise
        owned = Claim(directory, kind, created, fd)
        CLAIMS.append(owned)
    for stale in (*directory.glob(f"{STAGING_PREFIX}*"), *directory.glob(f"*/{STAGING_PREFIX}*")):
        if not stale.is_dir() or (kind != "sweep" and stale.parent != directory):
            continue
        # A job folder's staging may be a live run's (one rerunning a missing job into it
        # holds that folder's lock): it is removed only when nobody holds that lock.
        if stale.parent == directory or not _locked(stale.parent / LOCK_NAME):
            shutil.rmtree(stale, ignore_errors=True)
    return owned


def _locked(lock: Path) -> bool:
    """Whether another process holds the lock ``lock`` (False when there is no such file)."""
    if fcntl is None or not lock.is_file():  # pragma: no cover - no fcntl on Windows
        return False
    try:
        fd = os.open(lock, os.O_RDWR)
    except OSError:
        return True  # cannot tell: keep what it guards
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # (closing releases a lock taken here)
    return False


def _remove_empty(folders: list[Path]) -> None:
    for p in folders:  # deepest first
        try:
            p.rmdir()
        except OSError:
            pass


def release(owned: Claim) -> None:
    """Give up ``owned``: remove its lock file (the folder then looks as the run left it)
    and unlock."""
    if owned.fd is None:
        return
    with signals_held():
        lock = owned.directory / LOCK_NAME
        try:  # only our own lock file: the folder may have been removed and remade since
            if os.path.samestat(os.fstat(owned.fd), os.stat(lock)):
                lock.unlink()
        except FileNotFoundError:
            pass
        os.close(owned.fd)
        owned.fd = None
        if owned in CLAIMS:
            CLAIMS.remove(owned)


def discard(owned: Claim) -> bool:
    """Remove ``owned``'s folder if it holds no results, and the empty parents this process
    created for it; then release it. Whether the folder was removed.

    A sweep folder that was there before this process is left (it may hold a stopped
    job's files that a new sweep may use); a run folder is this run's (its ``.hydra``)."""
    mine = owned.kind == "run" or owned.directory in owned.created
    if mine and owned.directory.is_dir() and not holds_results(owned.directory):
        shutil.rmtree(owned.directory, ignore_errors=True)
    gone = not owned.directory.exists()
    if gone:
        _remove_empty(owned.created[1:])
    release(owned)
    return gone


def kept_jobs(owned: Claim) -> list[str]:
    """In a stopped sweep's folder: remove staging folders and every job folder that holds
    no results; the names of the job folders kept (each holds a whole run's results)."""
    kept = []
    for job in sorted(owned.directory.iterdir(), key=lambda p: (len(p.name), p.name)):
        if not job.is_dir() or job.name.startswith("."):
            if job.name.startswith(STAGING_PREFIX):
                shutil.rmtree(job, ignore_errors=True)
            continue
        for stale in job.glob(f"{STAGING_PREFIX}*"):
            shutil.rmtree(stale, ignore_errors=True)
        if holds_results(job):
            kept.append(job.name)
        else:
            shutil.rmtree(job, ignore_errors=True)
    if not kept:  # submitit's logs and pickles of jobs that wrote nothing
        shutil.rmtree(owned.directory / ".submitit", ignore_errors=True)
    return kept


#: Set in a sweep's environment (``host:pid`` of the process that owns the sweep folder):
#: a job running in another process on the same machine (a joblib, submitit-local or Ray
#: worker) knows the sweep's owner will stop it, and stops cleanly.
SWEEP_ENV = "LBN_SIM_SWEEP_OWNER"


def mark_sweep_owner() -> None:
    """Tell this sweep's workers (started after this call) who owns the sweep."""
    os.environ[SWEEP_ENV] = f"{socket.gethostname()}:{os.getpid()}"


def in_local_worker() -> bool:
    """Whether this process runs a job of a sweep owned by another process on this machine."""
    host, _, pid = os.environ.get(SWEEP_ENV, "").rpartition(":")
    return host == socket.gethostname() and pid.isdigit() and int(pid) != os.getpid()
