"""``python -m lbn_sim [overrides]``: run one future (or a sweep with ``-m``) with Hydra."""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig

from lbn_sim.config import (
    Config,
    ConfigError,
    refuse_params_with_draw,
    register_configs,
    to_config,
)
from lbn_sim.folders import (
    CLAIMS,
    RECEIVED,
    STOPS,
    Stopped,
    catch_stops,
    discard,
    hold_stops,
    holds_results,
    in_local_worker,
    kept_jobs,
    release,
    release_stops,
    stop_on,
)
from lbn_sim.runs.provenance import provenance

if TYPE_CHECKING:
    from lbn_sim.runs.forks import ForkCache


def conf_dir() -> str:
    """The Hydra config directory: the repository's top-level conf/, the only copy.

    An installed lbn_sim (wheel, ``pip install .``) carries it as the package
    ``lbn_sim.conf`` (pyproject.toml maps conf/ onto it). An editable install cannot import
    that package (setuptools' editable finder does not map a nested package without an
    ``__init__.py``, pypa/setuptools#4943), so there it is the checkout's conf/.
    """
    spec = importlib.util.find_spec("lbn_sim.conf")
    if spec is not None and spec.submodule_search_locations:
        return str(Path(next(iter(spec.submodule_search_locations))))
    return str(Path(__file__).resolve().parents[3] / "conf")


CONF_DIR = conf_dir()

register_configs()
provenance()  # the code this process has loaded, read before any run starts


def _discard(run_dir: Path) -> None:
    """Remove a run directory that holds no results (only Hydra's own files and empty
    folders)."""
    if not run_dir.exists():
        return
    if not any(holds_results(p) for p in run_dir.iterdir()):
        shutil.rmtree(run_dir, ignore_errors=True)


def _fail(run_dir: Path, message: str, code: int) -> NoReturn:
    """Print one line naming the problem, remove the empty run directory, exit."""
    _discard(run_dir)
    print(f"lbn_sim: error: {message}", file=sys.stderr)
    sys.exit(code)


def _check_scenario_package(chosen: str | None, sources: Any) -> None:
    """Refuse a scenario file that moves itself out of the scenario group (a ``# @package``
    line): it could then set the mechanisms or the households, which a scenario may not.

    ``sources``: Hydra's ``runtime.config_sources`` (the file ones are searched, first
    match wins, as Hydra does).
    """
    if not chosen:
        return
    for source in sources:
        if source.get("schema") != "file":
            continue
        path = Path(str(source.get("path"))) / "scenario" / f"{chosen}.yaml"
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            text = line.strip()
            if text.startswith("#") and text.lstrip("# ").startswith("@package"):
                raise ConfigError(
                    f"{path} has '{text}': a scenario file sets levers and conditions "
                    "within the scenario group only (the mechanisms and households are "
                    "not a scenario's to set; give them on the command line); remove that line"
                )
            if text and not text.startswith("#"):
                break  # a package line must come before any content
        return


def checked_config(
    dcfg: DictConfig, chosen: str | None, sources: Any, overrides: Sequence[str] = ()
) -> Config:
    """The composed config as a :class:`Config`, every check run: the scenario file has no
    ``# @package`` line of its own (Hydra's ``config_sources``), every domain rule holds, the
    scenario names itself as chosen (``chosen``: the scenario group's choice), and no
    override of ``overrides`` (the task's) sets a behavioural parameter with ``param_draw``.

    Raises:
        ConfigError: naming what is wrong.
    """
    _check_scenario_package(chosen, sources)
    cfg = to_config(dcfg)
    refuse_params_with_draw(overrides, cfg.param_draw)
    if cfg.scenario.name != chosen:
        raise ConfigError(
            f"scenario.name is {cfg.scenario.name!r} but the scenario chosen is {chosen!r}: "
            f"a scenario file names itself (add 'name: {chosen}' to scenario/{chosen}.yaml), "
            "and a run cannot be relabelled (set levers instead)"
        )
    return cfg


def _sweep_forks() -> ForkCache:
    """This process's saved shared histories: the jobs of a sweep it runs in turn continue
    from them (:mod:`lbn_sim.runs.forks`)."""
    from lbn_sim.runs.forks import ForkCache

    global _FORKS
    if _FORKS is None:
        _FORKS = ForkCache(capacity=2)
    return _FORKS


_FORKS: ForkCache | None = None


@hydra.main(version_base="1.3", config_path=CONF_DIR, config_name="config")
def main(dcfg: DictConfig) -> None:
    """Validate the config, run the scenario, write results, print the headline.

    A stop (:class:`~lbn_sim.folders.Stopped`) is left to :func:`entry`, which owns the
    folder; a sweep's job running in a worker process stops by itself, leaving its folder
    whole or gone.
    """
    from lbn_sim.data.files import DataError

    release_stops()  # held while Hydra composed the config (entry); a stop then acts now
    logging.getLogger("MESA").setLevel(logging.WARNING)  # Mesa logs every step at INFO
    hydra_cfg = HydraConfig.get()
    run_dir = Path(hydra_cfg.runtime.output_dir)
    chosen = hydra_cfg.runtime.choices.get("scenario")
    single = hydra_cfg.mode == RunMode.RUN
    # A job of a sweep run by a worker process on this machine (joblib, submitit-local,
    # Ray): the sweep's owner stops it with SIGTERM (or Ctrl-C reaches the whole process
    # group); it then leaves its folder whole or removes it, and exits without a traceback.
    worker = not single and in_local_worker() and catch_stops()
    try:
        try:
            task = [str(o) for o in hydra_cfg.overrides.task]
            cfg = checked_config(dcfg, chosen, hydra_cfg.runtime.config_sources, task)
        except (ConfigError, DataError) as err:
            _fail(run_dir, str(err), code=2)
        # The model (Mesa, SciPy, pandas: about 1 s of imports) only once the config holds,
        # so a mistyped setting is told at once.
        from lbn_sim.runs.runner import headline, simulate, write

        try:
            job = "" if single else f"[job {hydra_cfg.job.num}: {chosen} seed {cfg.seed}] "
            forks = _sweep_forks() if not single and cfg.fork_histories else None
            result = simulate(cfg, progress=True, label=job, forks=forks)
        except (ConfigError, DataError) as err:  # config checked against the data, or bad data
            _fail(run_dir, str(err), code=2)
        except Exception as err:
            _fail(run_dir, f"the simulation failed: {type(err).__name__}: {err}", code=1)
        try:
            write(result, cfg, run_dir)
        except Exception as err:
            _fail(run_dir, f"writing results failed: {type(err).__name__}: {err}", code=1)
        print(headline(result, cfg))
        print(f"Results in {run_dir} ({result.seconds:.1f} s)")
    except (Stopped, KeyboardInterrupt) as stop:
        if not worker:
            raise
        if not holds_results(run_dir):  # results are moved in whole or not at all
            _discard(run_dir)
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        os._exit(128 + _signum(stop))  # the owner says what was kept


def _signum(stop: BaseException) -> int:
    return stop.signum if isinstance(stop, Stopped) else int(signal.SIGINT)


def _children() -> dict[int, list[int]]:
    """Every process's children, read from /proc (empty where there is none)."""
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return children
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 1 and fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(entry))
    return children


def _tracker(pid: int) -> bool:
    """Whether ``pid`` is a multiprocessing (or loky) resource tracker: it tidies shared
    memory and semaphores once every process holding its pipe has ended, then ends by
    itself; killed first, it would leak them, and this process' exit would relaunch it."""
    try:
        return b"resource_tracker" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _descendants() -> list[int]:
    """This process's living descendants (workers, their helpers, not the resource
    trackers), nearest first."""
    children = _children()
    found: list[int] = []
    queue = list(children.get(os.getpid(), []))
    while queue:
        pid = queue.pop(0)
        if not _tracker(pid):
            found.append(pid)
        queue.extend(children.get(pid, []))
    if not found and not Path("/proc/self").exists():  # no /proc: the children we know of
        import multiprocessing

        found = [c.pid for c in multiprocessing.active_children() if c.pid is not None]
    return found


def _end_workers(grace: float = 5.0) -> None:
    """Stop every process this one started (a sweep's joblib workers and their resource
    trackers, submitit's local jobs, a local Ray instance): SIGTERM, then SIGKILL after
    ``grace`` seconds. None survives its parent to write after the stop."""
    pids = _descendants()
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in pids:
            try:
                os.kill(pid, sig)
            except OSError:
                pass
        deadline = time.monotonic() + grace
        while pids and time.monotonic() < deadline:
            try:
                while os.waitpid(-1, os.WNOHANG)[0] > 0:  # reap our own children
                    pass
            except ChildProcessError:
                pass
            alive = set(_descendants()) | {p for p in pids if Path(f"/proc/{p}").exists()}
            pids = [p for p in pids if p in alive and not _zombie(p)]
            if pids:
                time.sleep(0.05)
        if not pids:
            return


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0] == "Z"
    except (OSError, IndexError):
        return True


def _stopped(signum: int) -> NoReturn:
    """Report a stop and leave the folders as they should be: a run's folder whole or gone,
    a sweep's jobs whole or gone (which were kept is said); then exit."""
    for sig in STOPS:  # a second Ctrl-C must not cut the tidying short
        signal.signal(sig, signal.SIG_IGN)
    name = signal.Signals(signum).name
    _end_workers()
    if not CLAIMS:
        _say(f"stopped by {name} before the run started; nothing was written")
        sys.exit(128 + signum)
    owned = CLAIMS[0]
    where = owned.directory
    if owned.kind == "run":
        if holds_results(where):  # written all or nothing, into a folder that was empty
            release(owned)
            _say(f"stopped by {name} after the results were written: they are complete, in {where}")
            sys.exit(0)
        discard(owned)
        _say(f"stopped by {name}; nothing was written")
        sys.exit(128 + signum)
    kept = kept_jobs(owned)
    if not kept:
        discard(owned)
        _say(f"stopped by {name}; nothing was written (no job had finished)")
        sys.exit(128 + signum)
    release(owned)
    jobs = ", ".join(kept)
    if owned.jobs is not None and len(kept) >= owned.jobs:
        _say(f"stopped by {name} after every job's results were written: complete, in {where}")
        sys.exit(0)
    of = f" of {owned.jobs}" if owned.jobs is not None else ""
    _say(
        f"stopped by {name}; kept the whole results of {len(kept)} job(s){of} in {where} "
        f"(job folder(s) {jobs}); the other jobs wrote nothing (compare refuses the sweep "
        "until they are run)"
    )
    sys.exit(128 + signum)


def _say(message: str) -> None:
    print(f"lbn_sim: {message}", file=sys.stderr)


def entry() -> None:
    """``python -m lbn_sim``: :func:`main`, with stops made clean. Ctrl-C or SIGTERM at any
    moment ends the run's workers, leaves its folder whole or gone, prints one line (no
    traceback) and exits 128 + the signal (0 when the results were already complete).
    A failed run leaves neither its folder nor the empty parents made for it.

    Stops are held (remembered, :func:`lbn_sim.folders.hold_stops`) while Hydra composes
    the config and prepares the run, and acted on from the start of :func:`main`'s body
    (or, for a sweep, once its jobs are checked, :class:`lbn_sim.runs.callbacks.Checks`):
    a stop raised inside OmegaConf came out as another error."""
    hold_stops()
    try:
        try:
            main()
            release_stops()  # a stop held through a call that never reached a run
        finally:
            for sig in STOPS:  # late signals (during the interpreter's exit) change nothing
                if signal.getsignal(sig) is stop_on:
                    signal.signal(sig, signal.SIG_IGN)
    except (Stopped, KeyboardInterrupt) as stop:
        _stopped(_signum(stop))
    except SystemExit as done:
        if RECEIVED and done.code not in (None, 0):
            # A stop raised inside OmegaConf can come out as another error Hydra reports
            # (exit 1), or Hydra gave up while a stop was held: the stop is the news.
            _stopped(RECEIVED[0])
        if done.code not in (None, 0):
            for owned in reversed(CLAIMS):
                discard(owned)
        raise
    finally:
        for owned in reversed(CLAIMS):
            release(owned)


if __name__ == "__main__":
    from lbn_sim.runs.yaml_errors import exit_on_broken_config

    exit_on_broken_config(sys.argv[1:], CONF_DIR)
    entry()
