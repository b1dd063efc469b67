"""Hydra sweeps: which jobs a sweep holds, and a check of every job's config.

Hydra's basic sweeper composes each job's config before launching it, but the
domain rules (shares in [0, 1], years in order, ...) run inside the job, so a
bad value in the tenth job of a sweep would stop the sweep there, hours in,
with the first nine written and the rest never run. :func:`check_jobs` turns
every job's config into a :class:`~lbn_sim.config.Config` first (called by
:class:`lbn_sim.runs.callbacks.Checks` before the first job starts). Checks that
need the data (a ``regional_growth`` key matching no local authority) still
happen when each job builds its model.

:func:`sweep_jobs` lists a finished sweep's jobs from its ``multirun.yaml``, so
``lbn_sim.compare`` can tell a complete sweep from one that stopped part-way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
from hydra.core.global_hydra import GlobalHydra
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import ConfigCompositionException, HydraException, MissingConfigException
from omegaconf import DictConfig, OmegaConf, open_dict

from lbn_sim.bad_files import BadFile, load_yaml
from lbn_sim.config import ConfigError, refuse_params_with_draw, to_config
from lbn_sim.folders import raise_held

if TYPE_CHECKING:
    from hydra.core.config_loader import ConfigLoader

#: The sweeper whose jobs :func:`expand_sweep` can list (others choose jobs as they go).
BASIC_SWEEPER = "hydra._internal.core_plugins.basic_sweeper.BasicSweeper"
#: Written by Hydra at the root of every sweep directory.
MULTIRUN_FILE = "multirun.yaml"


def expand_sweep(
    task_overrides: Sequence[str],
    params: Mapping[str, Any] | None = None,
    config_loader: ConfigLoader | None = None,
) -> list[tuple[str, ...]]:
    """Every job's overrides, in launch order, as Hydra's basic sweeper forms them.

    Args:
        task_overrides: the command line's overrides (``seed=range(3)``, ``a=1,2``).
        params: ``hydra.sweeper.params`` (key to sweep string), put before them.
        config_loader: Hydra's, needed only to expand ``glob(...)`` over config groups.

    Returns:
        One tuple of ``key=value`` strings per job (job ``i`` is the ``i``-th).

    Raises:
        HydraException: a sweep this cannot expand (``glob`` without a config loader).
    """
    arguments = [f"{k}={v}" for k, v in (params or {}).items()] + list(task_overrides)
    parsed = OverridesParser.create(config_loader=config_loader).parse_overrides(arguments)
    return [tuple(job) for job in BasicSweeper.split_arguments(parsed, None)[0]]


def config_jobs(
    config: DictConfig, config_loader: ConfigLoader | None = None
) -> list[tuple[str, ...]] | None:
    """The jobs of the sweep ``config`` (a master config with its ``hydra`` node), or
    None when its sweeper is not the basic one or its sweep cannot be expanded here."""
    if OmegaConf.select(config, "hydra.sweeper._target_") != BASIC_SWEEPER:
        return None
    params = OmegaConf.select(config, "hydra.sweeper.params")
    task = OmegaConf.to_container(config.hydra.overrides.task, resolve=False)
    if not isinstance(task, list):
        return None
    try:
        return expand_sweep(
            [str(t) for t in task],
            None if params is None else {str(k): v for k, v in params.items()},
            config_loader,
        )
    except HydraException:
        return None


def sweep_jobs(sweep_dir: Path) -> list[tuple[str, ...]] | None:
    """The jobs of the sweep written to ``sweep_dir`` (from its ``multirun.yaml``).

    Returns None when the directory is not a sweep's root, its sweeper is not the
    basic one (which jobs such a sweeper ran is not knowable from its config), or its
    sweep cannot be expanded outside Hydra (``glob`` over config groups).

    Raises:
        lbn_sim.bad_files.BadFile: the ``multirun.yaml`` cannot be read, is not valid YAML,
            or is not a sweep's config (a mapping with a ``hydra`` node).
    """
    path = Path(sweep_dir) / MULTIRUN_FILE
    if not path.is_file():
        return None
    config = load_yaml(path)
    if not isinstance(config, DictConfig) or not isinstance(config.get("hydra"), DictConfig):
        raise BadFile(path, "not a sweep's config (a mapping with a hydra node, as Hydra writes)")
    try:
        return config_jobs(config)
    except (AttributeError, KeyError, TypeError, ValueError) as err:
        raise BadFile(path, f"not a sweep's config ({' '.join(str(err).split())})") from None


def job_key(overrides: Sequence[str]) -> frozenset[tuple[str, str]]:
    """A job's task overrides as Hydra reads them, to match a sweep's job with a run.

    ``plots=false`` typed on a command line and ``plots=False`` in a sweep's job are
    the same setting; overrides of ``hydra.*`` are not the task's (a run's
    ``overrides.yaml`` leaves them out), so they are dropped.
    """
    parsed = OverridesParser.create().parse_overrides(list(overrides))
    return frozenset(
        (o.get_key_element(), o.get_value_element_as_str())
        for o in parsed
        if not o.is_hydra_override()
    )


def _one_line(err: Exception) -> str:
    """Hydra's composition error on one line, without its config search path."""
    text = str(err).split("Config search path")[0]
    head, _, options = text.partition("Available options in ")
    words = options.split()
    if words:  # "'scenario': base_case best_case ..." -> "(options of 'scenario': a, b)"
        head = f"{head.strip()} (options of {words[0].rstrip(':')}: {', '.join(words[1:])})"
    return " ".join(head.split()).removeprefix("In 'config': ")


def check_jobs(master: DictConfig, jobs: Sequence[Sequence[str]]) -> None:
    """Turn every job's config into a :class:`~lbn_sim.config.Config`.

    Raises:
        ConfigError: the first job that breaks a rule, or whose config cannot be composed
            (an option of a config group that does not exist, such as a misspelt scenario,
            or a key the config does not have), its number and overrides named.
    """
    loader = GlobalHydra.instance().config_loader()
    for num, job in enumerate(jobs):
        raise_held()  # stops are held while the jobs are checked: act on one between jobs
        try:
            cfg = loader.load_sweep_config(master_config=master, sweep_overrides=list(job))
        except (MissingConfigException, ConfigCompositionException) as err:
            raise ConfigError(f"sweep job {num} ({' '.join(job)}): {_one_line(err)}") from None
        with open_dict(cfg):
            del cfg["hydra"]
        try:
            refuse_params_with_draw(job, to_config(cfg).param_draw)
        except ConfigError as err:
            raise ConfigError(f"sweep job {num} ({' '.join(job)}): {err}") from None
