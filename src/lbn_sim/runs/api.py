"""The Python API: run a future, read a run folder or a comparison, without Hydra.

:func:`run` composes the config exactly as ``python -m lbn_sim`` does (the same
``conf/``, the same schema and domain checks), runs it and returns a :class:`Run`;
with ``out_dir`` it also writes the run folder that :func:`load` reads back and
``python -m lbn_sim.compare`` compares. :func:`load_comparison` reads the folder
:func:`lbn_sim.compare.run_comparison` writes. The tables are those of
``docs/contracts.md``; ``lbn_sim.run``, ``lbn_sim.load`` and ``lbn_sim.load_comparison``
are these functions.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from omegaconf import DictConfig, OmegaConf, open_dict
from omegaconf.errors import OmegaConfBaseException

from lbn_sim.bad_files import BadFile, error_line
from lbn_sim.config import Config, ConfigError, to_config
from lbn_sim.folders import FolderBusy, claim, occupied, release, unwritable
from lbn_sim.names import STRING_COLUMNS
from lbn_sim.params import BY_NAME

if TYPE_CHECKING:
    from lbn_sim.compare.place import PlaceView
    from lbn_sim.runs.runner import RunResult

__all__ = ["RUN_FILES", "Comparison", "Run", "load", "load_comparison", "place", "run"]

#: A run folder's result tables: the :class:`Run` field -> its file in the folder.
RUN_FILES: dict[str, str] = {
    "wards": "wards.parquet",
    "groups": "groups.parquet",
    "summary": "ward_summary.csv",
    "ledger": "ledger.parquet",
    "balances": "balances.parquet",
}
#: The resolved config of a run folder (Hydra's name for it), and the overrides it was run with.
CONFIG_FILE = Path(".hydra") / "config.yaml"
OVERRIDES_FILE = Path(".hydra") / "overrides.yaml"
#: The folder :func:`lbn_sim.compare.run_comparison` writes by default, and its report.
COMPARISON_DIR = "comparison"
REPORT_FILE = "report.md"


@dataclass(frozen=True, slots=True, repr=False)
class Run:
    """One future's results (``docs/contracts.md``, 'Result tables').

    Attributes:
        config: the config the run was made with; None for a folder without
            ``.hydra/config.yaml``.
        wards: one row per ward and year (wards x years rows): ``year``, ``ward_code``,
            ``ward_name``, ``la_code``, ``la_name``, ``start_group``, ``left_behind``,
            ``population`` (persons), the indicators (shares in [0, 1], higher is worse;
            ``funding_per_head`` in GBP per resident a year), ``imd_like`` and
            ``cni_like`` (points), ``imd_rank`` and ``cni_rank`` (1 = most deprived).
        groups: one row per year and group (``left_behind``, ``other_deprived``,
            ``england``; 3 x years rows): population-weighted means of the same columns,
            ``population`` (sum), ``n_left_behind`` and ``n_wards`` (wards).
        summary: one row per ward: the composites and their gaps to England's mean
            (points) at the start and the horizon, ``left_behind_start``,
            ``left_behind_end`` and ``imd_gap_closed_year`` (``Int64``, missing when
            the gap never closes for good).
        ledger: one row per flow of money: ``year``, ``source``, ``destination``,
            ``purpose``, ``mechanism``, ``pence`` (int64) and ``amount`` (GBP).
        balances: end-of-year balances: ``year``, ``account``, ``pence`` (int64).
        path: the run folder (None for a run not written).
    """

    config: Config | None
    wards: pd.DataFrame
    groups: pd.DataFrame
    summary: pd.DataFrame
    ledger: pd.DataFrame
    balances: pd.DataFrame
    path: Path | None = None

    def __repr__(self) -> str:
        years = self.groups["year"] if "year" in self.groups else pd.Series(dtype=int)
        span = f"{years.min()}-{years.max()}" if len(years) else "no years"
        what = "config unknown"
        if self.config is not None:
            cfg = self.config
            what = f"{cfg.scenario.name}, seed {cfg.seed}, {cfg.data.name}"
        where = "" if self.path is None else f", path={str(self.path)!r}"
        return f"Run({what}, {len(self.summary)} wards, {span}{where})"

    def headline(self) -> str:
        """The command line's closing lines: how the left-behind wards fared, and the
        national programmes' money (needs :attr:`config`)."""
        if self.config is None:
            raise ValueError(
                f"this run has no config (no {CONFIG_FILE} in {self.path}): its headline "
                "needs the start year, horizon and policy start"
            )
        from lbn_sim.runs.runner import RunResult, headline

        tables = {name: getattr(self, name) for name in RUN_FILES}
        return headline(RunResult(**tables, data_report=None, seconds=0.0), self.config)


@dataclass(frozen=True, slots=True, repr=False)
class Comparison:
    """A comparison folder (``docs/contracts.md``, 'The comparison').

    Attributes:
        tables: every table of ``tables/``, by name (``group_bands``,
            ``group_gap_bands``, ``left_behind_count_bands``, ``ward_end_bands``,
            ``sigma_bands``, ``beta_bands``; ``variant_summary`` with several
            variants; tables a comparison had no data for are absent). Each is long:
            ``scenario``, one column per swept key (text), its key columns, then
            ``n_runs``, ``mean``, ``p05``, ``median`` and ``p95`` across runs, in
            the measure's unit.
        runs: ``runs.csv``, one row per run compared (``run``, ``path``,
            ``scenario``, ``seed``, the swept and pooled keys, then ``lbn_sim``,
            ``git_commit``, ``git_dirty``).
        report: ``report.md``, the one-page report (Markdown).
        figures: every PNG under ``figures/``, by its path there without the suffix
            (``panel``; ``<variant>/panel`` with several variants).
        path: the comparison folder.
    """

    tables: dict[str, pd.DataFrame]
    runs: pd.DataFrame
    report: str
    path: Path
    figures: dict[str, Path] = field(default_factory=dict)

    def __repr__(self) -> str:
        names = ", ".join(sorted(self.tables))
        return f"Comparison({len(self.runs)} runs, tables: {names}; path={str(self.path)!r})"


def _composition_error(err: Exception, conf: str) -> ConfigError:
    """Hydra's composition error as a :class:`ConfigError` on a few lines (no search path);
    an option that does not exist (``scenario=nope``) is named with the options there are."""
    from hydra.errors import MissingConfigException

    missing = getattr(err, "missing_cfg_file", None)
    if isinstance(err, MissingConfigException) and missing and "/" in str(missing):
        group, _, option = str(missing).partition("/")
        files = {p.stem for p in (Path(conf) / group).glob("*.yaml")}
        known = ", ".join(sorted(files | set(err.options or ())))
        where = f"the files {Path(conf) / group}/*.yaml"
        if group == "scenario":
            where += "; a scenario of your own is found with hydra.searchpath=[file://DIR]"
        return ConfigError(f"{group}={option!r} does not exist: the options are {known} ({where})")
    message = " ".join(str(err).split("Config search path")[0].split())
    cause = err.__cause__
    if cause is not None and str(cause).strip():
        message += f" ({str(cause).strip().splitlines()[0]})"
    return ConfigError(message)


def _compose(overrides: list[str]) -> tuple[DictConfig, Config]:
    """The config the command line would compose from ``overrides``, with its checks:
    the DictConfig (without its ``hydra`` node) and the :class:`Config` it makes.

    Hydra's global state is as it was before the call (not initialised, unless a
    caller's own Hydra app had it initialised: that is restored)."""
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import HydraException

    from lbn_sim.runs.cli import checked_config, conf_dir
    from lbn_sim.runs.yaml_errors import broken_config_file

    parser = OverridesParser.create()
    for text in overrides:
        try:
            parser.parse_override(text)
        except HydraException as err:
            raise ConfigError(
                f"cannot read the override {text!r}: {' '.join(str(err).split())}"
            ) from None
    conf = conf_dir()
    broken = broken_config_file(overrides, conf)  # Hydra's YAML errors are tracebacks
    if broken is not None:
        raise ConfigError(broken)
    outer = GlobalHydra.instance().hydra
    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=conf, version_base="1.3"):
            dcfg = compose(config_name="config", overrides=overrides, return_hydra_config=True)
    except (HydraException, OmegaConfBaseException) as err:
        raise _composition_error(err, conf) from None
    finally:
        GlobalHydra.instance().clear()
        if outer is not None:
            GlobalHydra.instance().initialize(outer)
    chosen = dcfg.hydra.runtime.choices.get("scenario")
    sources = dcfg.hydra.runtime.config_sources
    with open_dict(dcfg):
        del dcfg["hydra"]
    return dcfg, checked_config(dcfg, chosen, sources, overrides)


def _override_list(overrides: Sequence[str]) -> list[str]:
    """``overrides`` as a list, refusing a lone string (which would read as one override per
    character)."""
    if isinstance(overrides, str):
        raise ConfigError(
            f"overrides must be a list of strings, got the string {overrides!r}; "
            f"write overrides=[{overrides!r}]"
        )
    return list(overrides)


def compose(
    scenario: str = "base_case",
    data: str = "synthetic",
    seed: int = 0,
    overrides: Sequence[str] = (),
) -> Config:
    """The config :func:`run` would run (the same arguments, the same checks and errors),
    without running it: for building :class:`lbn_sim.engine.model.LBNModel` yourself."""
    given = [f"scenario={scenario}", f"data={data}", f"seed={seed}", *_override_list(overrides)]
    return _compose(given)[1]


def run(
    scenario: str = "base_case",
    data: str = "synthetic",
    seed: int = 0,
    overrides: Sequence[str] = (),
    out_dir: str | Path | None = None,
    progress: bool = False,
) -> Run:
    """Run one future, as ``python -m lbn_sim scenario=... data=... seed=... OVERRIDES``.

    Args:
        scenario: a scenario of ``conf/scenario`` (``worst_case``, ``base_case``,
            ``best_case``), or one of your own found through the override
            ``hydra.searchpath=[file://DIR]``.
        data: ``synthetic`` or ``england_2019`` (``conf/data``).
        seed: the model's random seed (>= 0).
        overrides: further Hydra overrides, as on the command line
            (``"scenario.levers.devolution_share=0.8"``, ``"data.n_wards=300"``); they
            come after ``scenario``, ``data`` and ``seed``, so an override of one of
            those wins.
        out_dir: a folder to write the run into (the files of ``docs/contracts.md``,
            with ``.hydra/config.yaml`` and ``.hydra/overrides.yaml``); None writes
            nothing. A folder that already holds results is refused.
        progress: print what runs, and every fifth year, to stderr.

    Returns:
        The run's tables and config (:class:`Run`; its ``path`` is ``out_dir``).

    Raises:
        ConfigError: (a ``ValueError``) an option that does not exist (the message
            lists those there are), a key the config does not have, a value of the
            wrong type or out of range, an override Hydra cannot read; each named.
        FileExistsError: ``out_dir`` already holds results.
        OSError: ``out_dir`` cannot be written (checked before the run).
        lbn_sim.data.files.DataError: the real data are missing or corrupt.
    """
    given = [f"scenario={scenario}", f"data={data}", f"seed={seed}", *_override_list(overrides)]
    dcfg, cfg = _compose(given)
    from lbn_sim.runs.runner import simulate  # the model, once the config is known good

    out = None if out_dir is None else Path(out_dir)
    created = [] if out is None else _prepare_out_dir(out)
    owned = None
    mesa = logging.getLogger("MESA")
    if mesa.level == logging.NOTSET:
        mesa.setLevel(logging.WARNING)  # Mesa logs every step at INFO (as the command line)
    try:
        if out is not None:  # own the folder, as the command line does: one writer only
            try:
                owned = claim(out, "run")
            except FolderBusy as busy:
                raise FileExistsError(f"{out} is in use: {busy}") from None
            held = occupied(out)  # (another writer may have finished just before)
            if held is not None:
                raise FileExistsError(f"{out} already holds results ({held})")
        result = simulate(cfg, progress=progress)
        if out is not None:
            _write_run(result, cfg, dcfg, given, out)
    except BaseException:
        if owned is not None:
            release(owned)
            owned = None
        for folder in created:  # deepest first; only the empty folders this call made
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    finally:
        if owned is not None:
            release(owned)
    return Run(config=cfg, **{name: getattr(result, name) for name in RUN_FILES}, path=out)


def _prepare_out_dir(out: Path) -> list[Path]:
    """Refuse a folder holding results, or one that cannot be written; create it.

    Returns:
        The folders this created (``out`` and parents that did not exist), deepest first.
    """
    held = occupied(out)
    if held is not None:
        raise FileExistsError(
            f"{out} already holds results ({held}): a run writes a folder of its own; "
            "choose another out_dir, or remove it"
        )
    created = [p for p in (out, *out.parents) if not p.exists()]
    reason = unwritable(out)
    if reason is not None:
        raise OSError(f"cannot write the run folder {out}: {reason}")
    return created


def _write_run(
    result: RunResult, cfg: Config, dcfg: DictConfig, given: list[str], out: Path
) -> None:
    """Write the run folder: the config and overrides in ``.hydra/`` (as the command line
    does), then the results all or nothing (:func:`lbn_sim.runs.runner.write`)."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    from lbn_sim.runs.runner import write

    parsed = OverridesParser.create().parse_overrides(given)
    task = [text for text, o in zip(given, parsed, strict=True) if not o.is_hydra_override()]
    hydra_dir = out / CONFIG_FILE.parent
    fresh = not hydra_dir.exists()
    hydra_dir.mkdir(parents=True, exist_ok=True)
    try:
        OmegaConf.save(dcfg, out / CONFIG_FILE)
        OmegaConf.save(OmegaConf.create(task), out / OVERRIDES_FILE)
        write(result, cfg, out)
    except BaseException:
        if fresh:
            shutil.rmtree(hydra_dir, ignore_errors=True)
        raise


def _read_summary(path: Path) -> pd.DataFrame:
    """``ward_summary.csv`` with the dtypes :func:`run` gives it: text columns as text
    (an empty cell stays empty), ``imd_gap_closed_year`` as ``Int64``."""
    columns = pd.read_csv(path, nrows=0).columns
    text = [c for c in columns if c in STRING_COLUMNS]
    dtypes: dict[str, str] = dict.fromkeys(text, "str")
    if "imd_gap_closed_year" in columns:
        dtypes["imd_gap_closed_year"] = "Int64"
    na = {c: [""] for c in columns if c not in text}
    return pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=na)


#: The mechanisms' strengths that moved to ``params`` with the parameter registry.
MOVED_TO_PARAMS = (
    "bid_capacity_elasticity",
    "local_power_gain",
    "long_term_compounding",
    "agglomeration",
    "neighbour_services",
)


def _before_the_registry(loaded: DictConfig) -> DictConfig:
    """A config written before the parameter registry (no ``params`` node), read as the run
    was made: the mechanisms' strengths move to ``params``, and the local authorities keep
    their start-year mix of services (every ``la_elasticity_*`` 1, the only rule then)."""
    if "params" in loaded:
        return loaded
    mechanisms = loaded.get("mechanisms") or {}
    params: dict[str, Any] = {name: 1.0 for name in BY_NAME if name.startswith("la_elasticity_")}
    with open_dict(loaded):
        for name in MOVED_TO_PARAMS:
            if name in mechanisms:
                params[name] = mechanisms[name]
                del loaded.mechanisms[name]
        loaded["params"] = params
    return loaded


def _read_config(path: Path) -> Config:
    """A run folder's ``.hydra/config.yaml`` as a :class:`Config`, checked as a run's."""
    try:
        loaded = OmegaConf.load(path)
        if isinstance(loaded, DictConfig):
            loaded = _before_the_registry(loaded)
        dcfg = OmegaConf.merge(OmegaConf.structured(Config), loaded)
        return to_config(dcfg)
    except (ConfigError, OmegaConfBaseException) as err:
        raise ConfigError(f"{path}: {err}") from None


def _read_result(path: Path) -> pd.DataFrame:
    """One result table of a run folder.

    Raises:
        BadFile: (a ``ValueError``) it cannot be read as a table: named, with why.
    """
    try:
        return _read_summary(path) if path.suffix == ".csv" else pd.read_parquet(path)
    except (OSError, ValueError) as err:
        if path.stat().st_size == 0:
            raise BadFile(path, "is empty (0 bytes), not a table: damaged or cut short") from None
        raise BadFile(
            path, f"cannot be read as a table: {error_line(err)} (damaged or cut short?)"
        ) from None


def load(run_dir: str | Path) -> Run:
    """Read a finished run folder (written by :func:`run` or ``python -m lbn_sim``).

    Returns:
        A :class:`Run` with the folder's tables; its config from
        ``.hydra/config.yaml`` (None when the folder has none).

    Raises:
        FileNotFoundError: the folder does not exist, or lacks result files (named;
            a sweep's folder names the runs it holds).
        ConfigError: its ``.hydra/config.yaml`` is not a config lbn_sim can read.
        BadFile: (a ``ValueError``) a table that cannot be read (cut short, empty), named.
    """
    path = Path(run_dir)
    if not path.is_dir():
        raise FileNotFoundError(f"{path} is not a folder")
    missing = [name for name in RUN_FILES.values() if not (path / name).is_file()]
    if missing:
        runs = sorted(p.parent for p in path.glob(f"*/{RUN_FILES['groups']}"))
        hint = f"; it holds runs: {', '.join(p.name for p in runs[:5])}" if runs else ""
        raise FileNotFoundError(
            f"{path} is not a finished run folder: it lacks {', '.join(missing)}{hint}"
        )
    tables = {name: _read_result(path / file) for name, file in RUN_FILES.items()}
    config = _read_config(path / CONFIG_FILE) if (path / CONFIG_FILE).is_file() else None
    return Run(config=config, **tables, path=path)


def load_comparison(directory: str | Path) -> Comparison:
    """Read a comparison folder (``python -m lbn_sim.compare`` or
    :func:`lbn_sim.compare.run_comparison`): the folder itself, or the sweep folder
    holding it as ``comparison/``.

    Each table is read from its parquet file (exact), or its CSV when it has no parquet.

    Raises:
        FileNotFoundError: no ``report.md`` and ``tables/`` there (nor in ``comparison/``).
    """
    path = Path(directory)
    if not (path / REPORT_FILE).is_file() and (path / COMPARISON_DIR).is_dir():
        path = path / COMPARISON_DIR
    lacking = [name for name in (REPORT_FILE, "tables") if not (path / name).exists()]
    if lacking:
        raise FileNotFoundError(
            f"{Path(directory)} is not a comparison folder: no {' or '.join(lacking)} in it "
            f"or in {COMPARISON_DIR}/ (write one with python -m lbn_sim.compare)"
        )
    tables: dict[str, pd.DataFrame] = {}
    for file in sorted((path / "tables").iterdir()):
        if file.suffix == ".parquet":
            tables[file.stem] = pd.read_parquet(file)
        elif file.suffix == ".csv" and not file.with_suffix(".parquet").is_file():
            tables[file.stem] = pd.read_csv(file)
    runs_csv = path / "runs.csv"
    runs = pd.read_csv(runs_csv) if runs_csv.is_file() else pd.DataFrame()
    figures = {
        png.relative_to(path / "figures").with_suffix("").as_posix(): png
        for png in sorted((path / "figures").rglob("*.png"))
    }
    report = (path / REPORT_FILE).read_text(encoding="utf-8")
    return Comparison(tables=tables, runs=runs, report=report, path=path, figures=figures)


def place(
    directory: str | Path | Sequence[str | Path],
    name: str,
    *,
    force: bool = False,
    pool: Sequence[str] = (),
) -> PlaceView:
    """A place's wards under each future, from the runs under ``directory`` (a sweep, a run
    or several): what ``python -m lbn_sim.compare DIR --place NAME`` writes, as DataFrames.

    ``name`` is a local authority's name or code, a ward's name or a ward's code (case and
    spacing do not matter). The result's ``table`` holds each ward's IMD-like gap to England
    (points) and the share of runs in which it is left behind, banded across runs, at the
    start, the last shared year and the horizon under each future; ``trajectories`` the same
    every year; ``change`` the change in gap from start to horizon; ``place.wards`` the wards
    (see :class:`lbn_sim.compare.place.PlaceView`).

    Raises:
        lbn_sim.compare.CompareRefusal: no runs, runs that cannot be grouped, or a name
            that matches no ward (the message offers the closest names).
        lbn_sim.bad_files.BadFile: a run's table or config that cannot be read, named.
    """
    from lbn_sim.compare.place import place_view

    dirs = [Path(directory)] if isinstance(directory, str | Path) else [Path(d) for d in directory]
    return place_view(dirs, name, force=force, pool=pool)
