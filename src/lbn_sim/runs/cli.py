"""``python -m lbn_sim [overrides]``: run one future (or a sweep with ``-m``) with Hydra."""

from __future__ import annotations

import importlib.util
import logging
import shutil
import signal
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig

from lbn_sim.config import Config, ConfigError, register_configs, to_config
from lbn_sim.folders import holds_results
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


class _Stopped(BaseException):
    """A run stopped by a signal (Ctrl-C, or ``kill``'s SIGTERM) before its results were in."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop_on(signum: int, frame: object) -> NoReturn:
    raise _Stopped(signum)


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


def checked_config(dcfg: DictConfig, chosen: str | None, sources: Any) -> Config:
    """The composed config as a :class:`Config`, every check run: the scenario file has no
    ``# @package`` line of its own (Hydra's ``config_sources``), every domain rule holds, and
    the scenario names itself as chosen (``chosen``: the scenario group's choice).

    Raises:
        ConfigError: naming what is wrong.
    """
    _check_scenario_package(chosen, sources)
    cfg = to_config(dcfg)
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
    """Validate the config, run the scenario, write results, print the headline."""
    from lbn_sim.data.files import DataError
    from lbn_sim.runs.runner import headline, simulate, write

    logging.getLogger("MESA").setLevel(logging.WARNING)  # Mesa logs every step at INFO
    hydra_cfg = HydraConfig.get()
    run_dir = Path(hydra_cfg.runtime.output_dir)
    chosen = hydra_cfg.runtime.choices.get("scenario")
    try:
        cfg = checked_config(dcfg, chosen, hydra_cfg.runtime.config_sources)
    except (ConfigError, DataError) as err:
        _fail(run_dir, str(err), code=2)
    # A single run stopped by Ctrl-C or SIGTERM leaves no run folder (results are written
    # all or nothing). Sweeps keep their launcher's own signal handling (submitit's
    # requeueing, joblib's workers): a stopped sweep is refused by lbn_sim.compare.
    single = hydra_cfg.mode == RunMode.RUN and threading.current_thread() is threading.main_thread()
    before = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    started = time.time()
    if single:
        for sig, handler in before.items():
            if handler is not signal.SIG_IGN:  # a signal the caller chose to ignore stays so
                signal.signal(sig, _stop_on)
    try:
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
    except (_Stopped, KeyboardInterrupt) as stop:
        signum = stop.signum if isinstance(stop, _Stopped) else signal.SIGINT
        name = signal.Signals(signum).name
        groups = run_dir / "groups.parquet"
        if groups.exists() and groups.stat().st_mtime >= started:  # stopped as the last
            # files were moved in: this run's results are whole
            print(f"lbn_sim: stopped by {name} after the results were written", file=sys.stderr)
            sys.exit(128 + signum)
        _fail(run_dir, f"stopped by {name}; nothing was written", code=128 + signum)
    finally:
        if single:
            for sig, handler in before.items():
                signal.signal(sig, handler)
    print(headline(result, cfg))
    print(f"Results in {run_dir} ({result.seconds:.1f} s)")


if __name__ == "__main__":
    main()
