"""Shared fixtures: composing configs at toy size and running the model once per session."""

from __future__ import annotations

import copy
import functools
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hydra import compose, initialize_config_dir
from hydra.core.global_hydra import GlobalHydra
from hypothesis import settings

from lbn_sim.config import Config, register_configs, to_config
from lbn_sim.data.files import ENV_VAR, FILE_NAMES
from lbn_sim.data.synthetic import generate_wards
from lbn_sim.engine.model import LBNModel
from lbn_sim.engine.step import YearInputs

# In CI, property tests draw the same examples every time: a failure there is a change in
# the code, never a new draw (locally they keep exploring).
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

# A shell without job control starts background commands with SIGINT ignored (bash does, for
# `pytest ... &`), and a child inherits it; lbn_sim keeps an ignored signal ignored, so the
# tests that stop a run with Ctrl-C would read the shell, not the run. The tests' processes
# start from Python's default.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_configure(config: pytest.Config) -> None:
    """Where ``PYTHONDONTWRITEBYTECODE`` is set (it is on this project's machines), the
    processes the tests start (pytest-xdist's workers, ``python -m lbn_sim`` and the other
    commands) keep the bytecode they compile in pytest's cache folder
    (``.pytest_cache/d/pycache``) rather than compiling numpy, pandas, scipy, Hydra and the
    rest again in each process: in a fresh environment installed with ``--no-compile`` that
    was a sixth of the quick tests' time. Nothing is written beside the sources or into the
    environment; a ``PYTHONPYCACHEPREFIX`` already set is kept, and without pytest's cache
    (``-p no:cacheprovider``) nothing changes."""
    cache = getattr(config, "cache", None)
    if (
        cache is None
        or not os.environ.get("PYTHONDONTWRITEBYTECODE")
        or os.environ.get("PYTHONPYCACHEPREFIX")
    ):
        return
    os.environ["PYTHONPYCACHEPREFIX"] = str(cache.mkdir("pycache"))
    del os.environ["PYTHONDONTWRITEBYTECODE"]


CONF_DIR = str(Path(__file__).resolve().parents[1] / "conf")
#: Overrides that shrink a run to toy size (a few seconds at most).
TOY = [
    "data.n_wards=120",
    "households.sample_rate=0.02",
    "households.min_per_ward=20",
    "plots=false",
]


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m lbn_sim ARGS`` in ``cwd``, its output captured (never raises on failure)."""
    return subprocess.run(
        [sys.executable, "-m", "lbn_sim", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def compose_cfg(overrides: list[str] | None = None) -> Config:
    """Compose the project's config with overrides and turn it into a :class:`Config` (a
    copy of its own: a test may change it)."""
    GlobalHydra.instance().clear()
    return copy.deepcopy(_composed(tuple(overrides or ())))


@functools.cache
def _composed(overrides: tuple[str, ...]) -> Config:
    """Each set of overrides composed once a test process (Hydra takes about 0.1 s a
    composition, and the quick tests ask for the same few toy configs over a hundred times);
    a composition that fails is not kept, so it fails again."""
    register_configs()
    GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=CONF_DIR, version_base="1.3"):
        dcfg = compose(config_name="config", overrides=list(overrides))
    return to_config(dcfg)


@pytest.fixture
def toy_cfg() -> Callable[..., Config]:
    """A function returning a toy-size config with extra overrides."""

    def make(*overrides: str) -> Config:
        return compose_cfg([*TOY, *overrides])

    return make


@pytest.fixture
def toy_model(toy_cfg: Callable[..., Config]) -> LBNModel:
    """The model at its start state, on 120 synthetic wards (a fresh one per test)."""
    return LBNModel(toy_cfg(), generate_wards(n_wards=120, seed=0))


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The real data directory named by ``LBN_SIM_DATA_DIR``, holding the seven files.

    Skips when the variable is not set, except in CI (``CI`` set), where the real-data
    tests must run; a directory that lacks any of the files fails, naming them.
    """
    value = os.environ.get(ENV_VAR, "").strip()
    if not value:
        if os.environ.get("CI"):
            pytest.fail(f"{ENV_VAR} is not set in CI: the real-data tests would not run")
        pytest.skip(f"{ENV_VAR} is not set: the real data files are not available")
    root = Path(value)
    missing = [name for name in FILE_NAMES if not (root / name).is_file()]
    if missing:
        pytest.fail(f"{ENV_VAR}={root} lacks {', '.join(missing)}")
    return root


def quiet_year(year: int, spend: np.ndarray, public: np.ndarray | None = None) -> YearInputs:
    """A year's inputs with running money ``spend`` ``[n_services, n_wards]``, of which
    ``public`` (default: all of it) is public, and nothing else: no investment or support,
    no shocks, start-year labour demand and benefits."""
    n_wards = spend.shape[1]
    return YearInputs(
        year=year,
        spend=spend,
        public_spend=spend if public is None else public,
        invest=np.zeros_like(spend),
        capacity_support=np.zeros(n_wards),
        community_funded=np.zeros(n_wards, dtype=bool),
        cost_of_living=0.0,
        recession=0.0,
        investment_ratio=np.ones(n_wards),
        benefit_level=1.0,
    )


#: A run's provenance.json as lbn_sim writes it (tests of what compare makes of it).
COMMIT = "1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d"
MADE_BY: dict[str, object] = {
    "lbn_sim": "0.1.0",
    "git_commit": COMMIT,
    "git_dirty": False,
    "python": "3.12.3",
    "numpy": "2.1.0",
    "scipy": "1.14.1",
    "pandas": "2.2.3",
    "pyarrow": "18.0.0",
    "mesa": "3.1.0",
    "hydra-core": "1.3.2",
    "omegaconf": "2.3.0",
}
