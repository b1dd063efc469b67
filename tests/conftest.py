"""Shared fixtures: composing configs at toy size and running the model once per session."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hydra import compose, initialize_config_dir
from hydra.core.global_hydra import GlobalHydra

from lbn_sim.config import Config, register_configs, to_config

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
    """Compose the project's config with overrides and turn it into a :class:`Config`."""
    register_configs()
    GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=CONF_DIR, version_base="1.3"):
        dcfg = compose(config_name="config", overrides=overrides or [])
    return to_config(dcfg)


@pytest.fixture
def toy_cfg() -> Callable[..., Config]:
    """A function returning a toy-size config with extra overrides."""

    def make(*overrides: str) -> Config:
        return compose_cfg([*TOY, *overrides])

    return make


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The real data directory, or skip when LBN_SIM_DATA_DIR is not set."""
    value = os.environ.get("LBN_SIM_DATA_DIR")
    if not value:
        pytest.skip("LBN_SIM_DATA_DIR is not set")
    return Path(value)
