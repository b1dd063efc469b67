"""The ensemble store: every member of a sweep in one Hive-partitioned folder of Parquet.

Layout (``STORE`` is the folder given to ``python -m lbn_sim.runs.ensemble``)::

    STORE/multirun.yaml                          the sweep (base overrides and swept values)
    STORE/runs/scenario=best_case/seed=3/        one member: its partition
        .hydra/config.yaml, .hydra/overrides.yaml, provenance.json,
        groups.parquet, ward_summary.csv, ward_years.parquet, money.parquet, ...

A member's partition path names its swept keys in the order the sweep gives them
(``key=value``, the value percent-encoded), so each table is one Hive-partitioned Parquet
dataset across the members (:func:`open_table`), and each member's folder is also a run
folder that ``lbn_sim.compare`` and ``lbn_sim.load`` read like any other.

A member appears atomically: its files are written into a staging folder in ``STORE``
(``.staging-*``) and the whole folder is renamed into place, so a stopped ensemble leaves
whole members and no partial one, and a member that exists is never written again (a
resumed ensemble runs only the members it lacks: :func:`present_members`).
``multirun.yaml`` is written as Hydra's basic sweeper would (its ``hydra.overrides.task``
and ``hydra.sweeper``), so ``lbn_sim.compare`` lists the members the store lacks as it does
for a sweep's jobs.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

import pyarrow.dataset as pds
from hydra.core.override_parser.overrides_parser import OverridesParser
from omegaconf import DictConfig, OmegaConf

from lbn_sim.bad_files import load_yaml
from lbn_sim.config import Config, ConfigError
from lbn_sim.folders import STAGING_PREFIX, signals_held
from lbn_sim.runs.results import write_files
from lbn_sim.runs.runner import RunResult, run_writers
from lbn_sim.runs.sweep import BASIC_SWEEPER, MULTIRUN_FILE, expand_sweep

#: The folder of ``STORE`` that holds the members' partitions.
RUNS_DIR = "runs"
CONFIG_FILE = Path(".hydra") / "config.yaml"
OVERRIDES_FILE = Path(".hydra") / "overrides.yaml"


def swept_keys(overrides: Sequence[str]) -> list[str]:
    """The keys ``overrides`` sweep (``seed=range(3)``, ``scenario=a,b``), in their order:
    the partition keys of the store."""
    parsed = OverridesParser.create().parse_overrides(list(overrides))
    return [o.get_key_element() for o in parsed if o.is_sweep_override()]


def members(overrides: Sequence[str]) -> list[tuple[str, ...]]:
    """Every member's overrides, in the order Hydra's basic sweeper forms its jobs."""
    return expand_sweep(overrides)


def partition(job: Sequence[str], keys: Sequence[str]) -> str:
    """A member's partition path below ``STORE/runs``: ``key=value`` per swept key in
    ``keys`` (the value percent-encoded, so no ``/`` or ``=`` of a value splits it).

    Raises:
        ValueError: the member does not set one of ``keys``.
    """
    values = {}
    for override in OverridesParser.create().parse_overrides(list(job)):
        values[override.get_key_element()] = override.get_value_element_as_str()
    lacking = [k for k in keys if k not in values]
    if lacking:
        raise ValueError(f"the member {' '.join(job)} does not set {', '.join(lacking)}")
    return "/".join(f"{key}={quote(values[key], safe='')}" for key in keys)


def sweep_config(overrides: Sequence[str]) -> DictConfig:
    """``multirun.yaml`` for an ensemble of ``overrides``: the nodes Hydra's basic sweeper
    config has that :func:`lbn_sim.runs.sweep.config_jobs` reads."""
    return OmegaConf.create(
        {
            "hydra": {
                "sweeper": {"_target_": BASIC_SWEEPER, "params": None},
                "overrides": {"task": list(overrides)},
            }
        }
    )


def check_same_sweep(store: Path, overrides: Sequence[str]) -> bool:
    """Whether ``store`` already holds this ensemble (True: resume it) or nothing (False).

    Raises:
        ConfigError: ``store`` holds an ensemble of other overrides (both named), or files
            that are not an ensemble's.
    """
    path = store / MULTIRUN_FILE
    if not path.is_file():
        lacking = [p.name for p in store.iterdir() if not p.name.startswith(".")]
        if lacking:
            raise ConfigError(
                f"{store} holds files that are not an ensemble store ({', '.join(lacking[:3])}); "
                "choose a new folder"
            )
        return False
    task = OmegaConf.select(load_yaml(path), "hydra.overrides.task")
    given = [str(t) for t in task] if task is not None else None
    if given != list(overrides):
        raise ConfigError(
            f"{store} holds the ensemble {' '.join(given or [])!r}, not {' '.join(overrides)!r}: "
            "a store is resumed with the same overrides; choose a new folder for another"
        )
    return True


def write_sweep_config(store: Path, overrides: Sequence[str]) -> None:
    """Write ``STORE/multirun.yaml`` (through a temporary name: whole or absent)."""
    tmp = store / f".{MULTIRUN_FILE}.tmp-{os.getpid()}"
    OmegaConf.save(sweep_config(overrides), tmp)
    os.replace(tmp, store / MULTIRUN_FILE)


def present_members(store: Path, jobs: Sequence[Sequence[str]], keys: Sequence[str]) -> set[int]:
    """The members (indices into ``jobs``) whose partition ``store`` already holds."""
    runs = store / RUNS_DIR
    return {i for i, job in enumerate(jobs) if (runs / partition(job, keys)).is_dir()}


def write_member(
    store: Path,
    part: str,
    result: RunResult,
    cfg: Config,
    dcfg: DictConfig,
    job: Sequence[str],
) -> Path:
    """Write one member's files (those of ``cfg.outputs``, its config and overrides) into
    ``STORE/runs/<part>``, all at once: staged in ``STORE``, then the folder renamed.

    Returns:
        The member's folder.

    Raises:
        FileExistsError: the member is there already (written by another process).
    """
    final = store / RUNS_DIR / part
    if final.exists():
        raise FileExistsError(f"the member {final} is already in the store")
    stage = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}-", dir=store))
    try:
        write_files(stage, run_writers(result, cfg))
        (stage / CONFIG_FILE).parent.mkdir(parents=True, exist_ok=True)
        OmegaConf.save(dcfg, stage / CONFIG_FILE)
        OmegaConf.save(OmegaConf.create(list(job)), stage / OVERRIDES_FILE)
        final.parent.mkdir(parents=True, exist_ok=True)
        with signals_held():  # a stop waits until the member is in place or not
            try:
                os.rename(stage, final)
            except OSError:
                if final.exists():
                    raise FileExistsError(f"the member {final} is already in the store") from None
                raise
        return final
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def open_table(store: str | Path, name: str) -> pds.Dataset:
    """One table of every member of ``store`` as a Hive-partitioned ``pyarrow.dataset``
    (``name``: a parquet file of each member, ``groups.parquet``, ``ward_years.parquet``,
    ``money.parquet``...), its swept keys as partition columns. Nothing is read until the
    dataset is scanned, and then only the columns and members asked for::

        groups = open_table(store, "groups.parquet")
        groups.to_table(columns=["year", "group", "imd_like"],
                        filter=pds.field("scenario") == "best_case")

    Raises:
        FileNotFoundError: no member of ``store`` has that table.
    """
    base = Path(store) / RUNS_DIR
    files = sorted(str(p) for p in base.rglob(name) if STAGING_PREFIX not in str(p))
    if not files:
        raise FileNotFoundError(f"no member of the ensemble store {store} has {name}")
    return pds.dataset(files, format="parquet", partitioning="hive", partition_base_dir=str(base))
