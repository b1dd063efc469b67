"""Finished runs on disk: find them, read their config, overrides, provenance and tables."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import yaml
from omegaconf import DictConfig, OmegaConf
from omegaconf._utils import get_yaml_loader

from lbn_sim.analysis.ensemble import RunTables, summarise_run
from lbn_sim.bad_files import BadFile, error_line, file_problem, load_yaml

CONFIG_FILE = Path(".hydra") / "config.yaml"
OVERRIDES_FILE = Path(".hydra") / "overrides.yaml"
GROUPS_FILE = "groups.parquet"
WARDS_FILE = "wards.parquet"
SUMMARY_FILE = "ward_summary.csv"
WARD_YEARS_FILE = "ward_years.parquet"
"""The compact ward-by-year table a run writes with ``outputs=summary`` (or ``full``)."""
PROVENANCE_FILE = "provenance.json"
"""The code that made a run (see :mod:`lbn_sim.runs.provenance`); older runs have none."""
SCENARIO_KEY = "scenario.name"
SEED_KEY = "seed"
WARD_COLUMNS: tuple[str, ...] = (
    "year",
    "ward_code",
    "ward_name",
    "la_code",
    "la_name",
    "start_group",
    "left_behind",
    "population",
    "imd_like",
    "cni_like",
    "imd_rank",
    "cni_rank",
)
"""Columns of ``wards.parquet`` read for ward-level convergence metrics (and the ranks, for
the start year's flagged wards the model's own rule does not pick)."""
#: Those of :data:`WARD_COLUMNS` read from a run that has its ``ward_summary.csv`` (which
#: names the wards): ``start_group`` is every ward table's (:data:`REQUIRED_COLUMNS`).
CONVERGENCE_COLUMNS: tuple[str, ...] = tuple(
    c for c in WARD_COLUMNS if c not in ("ward_name", "la_code", "la_name")
)
#: Columns each table must have (a table cut short, or copied over another, lacks some).
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    GROUPS_FILE: ("year", "group", "population", "n_left_behind"),
    SUMMARY_FILE: ("ward_code", "start_group", "left_behind_start", "left_behind_end"),
    WARDS_FILE: ("year", "ward_code", "start_group", "population"),
    WARD_YEARS_FILE: ("year", "ward_code", "population", "imd_like", "cni_like"),
}
#: Columns of ``ward_summary.csv`` that name each ward in the ward-by-year table rebuilt from
#: ``ward_years.parquet`` (:func:`wards_from_ward_years`).
WARD_NAME_COLUMNS = ("ward_name", "la_code", "la_name", "start_group")
#: What reading a damaged table raises (pyarrow's ArrowInvalid is a ValueError; a CSV of
#: binary bytes a UnicodeDecodeError, also one).
TABLE_ERRORS = (OSError, ValueError, pa.ArrowException)


class CompareRefusal(Exception):
    """The runs cannot be compared as given (the message says why and what to do)."""


@dataclass(frozen=True, slots=True)
class RunInfo:
    """One discovered run.

    Attributes:
        path: the run directory.
        config: the resolved config flattened to dotted keys (lists and other
            non-scalars as JSON text so that values compare and hash).
        overrides: the override strings of ``.hydra/overrides.yaml``.
        provenance: the run's ``provenance.json`` (the code that made it), or None
            when it has none (a run made before it was written): its code is unknown.
    """

    path: Path
    config: Mapping[str, Any]
    overrides: tuple[str, ...]
    provenance: Mapping[str, Any] | None = None

    @property
    def scenario(self) -> str:
        """``scenario.name``."""
        return str(self.config.get(SCENARIO_KEY))

    @property
    def seed(self) -> Any:
        """``seed`` (None if the config has none)."""
        return self.config.get(SEED_KEY)


def find_run_dirs(roots: Iterable[Path]) -> list[Path]:
    """Every directory under ``roots`` (or a root itself) holding both
    ``.hydra/config.yaml`` and ``groups.parquet``, sorted, without duplicates."""
    found: set[Path] = set()
    for root in roots:
        root = Path(root)
        if not root.is_dir():
            continue
        for config in [root / CONFIG_FILE, *root.rglob(str(CONFIG_FILE))]:
            run = config.parent.parent
            if config.is_file() and (run / GROUPS_FILE).is_file():
                found.add(run.resolve())
    return sorted(found, key=natural_key)


def find_dirs_without_results(roots: Iterable[Path]) -> list[Path]:
    """Every directory under ``roots`` (or a root itself) holding a ``.hydra`` folder but
    no ``groups.parquet``: a run that was interrupted or failed before writing its
    results. Sorted, without duplicates."""
    found: set[Path] = set()
    for root in roots:
        root = Path(root)
        if not root.is_dir():
            continue
        for hydra in root.rglob(str(CONFIG_FILE.parent)):  # the root's own .hydra too
            run = hydra.parent
            if hydra.is_dir() and not (run / GROUPS_FILE).is_file():
                found.add(run.resolve())
    return sorted(found, key=natural_key)


def natural_key(path: Path) -> tuple[Any, ...]:
    """Sort ``.../2/`` before ``.../10/`` and ``.../scenario=a,seed=2/`` before
    ``.../scenario=a,seed=10/`` (runs of digits compared as numbers)."""
    return tuple(
        tuple((0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.split(r"(\d+)", p))
        for p in path.parts
    )


def flatten(node: Any, prefix: str = "") -> dict[str, Any]:
    """Nested mappings to ``{"a.b.c": leaf}``; non-scalar leaves become JSON text."""
    out: dict[str, Any] = {}
    if isinstance(node, Mapping):
        if not node and prefix:
            out[prefix] = "{}"
        for key, value in node.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(node, list | tuple):
        out[prefix] = json.dumps(node, sort_keys=True, default=str)
    else:
        out[prefix] = node
    return out


def override_key(override: str) -> str:
    """The config key an override string sets: ``+a.b@pkg=1`` -> ``a.b``."""
    key = override.split("=", 1)[0].strip()
    key = key.lstrip("~+")
    return key.split("@", 1)[0]


def load_provenance(path: Path) -> dict[str, Any] | None:
    """A run's ``provenance.json`` as a mapping, or None when the run has none.

    A file that is not a JSON object (cut short, say) counts as none: the code that
    made the run is then unknown, which the comparison says, rather than a refusal.
    """
    try:
        loaded = json.loads((path / PROVENANCE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return loaded if isinstance(loaded, dict) else None


#: Config keys added after runs were first made, with the value those runs had in effect
#: (flattened), so old and new runs of one setting compare as one.
ADDED_KEYS: dict[str, Any] = {"scenario.phases": "[]"}


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """OmegaConf's YAML reading (its float and timestamp rules, duplicate keys refused) on
    libyaml's parser: a run's ``.hydra/config.yaml`` in 2 ms instead of 45 (600 runs: 1 s,
    not 27)."""

    yaml_implicit_resolvers: ClassVar = dict(get_yaml_loader().yaml_implicit_resolvers)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        keys = set()
        for key_node, _ in node.value:
            if key_node.tag == yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG:
                if key_node.value in keys:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"found duplicate key {key_node.value}", key_node.start_mark
                    )
                keys.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


def _read_plain_yaml(path: Path) -> Any:
    """``path``'s YAML as plain Python values, read fast (:class:`_FastLoader`), when it is
    what lbn_sim and Hydra write there: valid, without interpolations (``${...}``). Else
    None, and the caller reads it through OmegaConf, which resolves interpolations and names
    any fault (:func:`lbn_sim.bad_files.load_yaml`)."""
    try:
        text = path.read_text(encoding="utf-8")
        if "${" in text:
            return None
        return yaml.load(text, Loader=_FastLoader)  # a safe loader
    except (OSError, ValueError, yaml.YAMLError, RecursionError):
        return None


def load_run_info(path: Path) -> RunInfo:
    """Read a run's config and overrides (the config resolved when it can be) and its
    ``provenance.json`` when it has one (:func:`load_provenance`).

    Raises:
        BadFile: ``.hydra/config.yaml`` or ``.hydra/overrides.yaml`` cannot be read, is
            not valid YAML, or is not what Hydra writes there (a mapping naming the
            scenario; a list of overrides).
    """
    container: Any = _read_plain_yaml(path / CONFIG_FILE)
    scenario = container.get("scenario") if isinstance(container, dict) else None
    if not isinstance(scenario, dict) or scenario.get("name") is None:
        cfg = load_yaml(path / CONFIG_FILE)
        if not isinstance(cfg, DictConfig) or OmegaConf.select(cfg, SCENARIO_KEY) is None:
            raise BadFile(
                path / CONFIG_FILE,
                f"not a run's config (a mapping with {SCENARIO_KEY}, as lbn_sim writes it)",
            )
        try:
            container = OmegaConf.to_container(cfg, resolve=True)
        except Exception:  # an interpolation that cannot resolve outside Hydra
            container = OmegaConf.to_container(cfg, resolve=False)
    overrides: list[str] = []
    if (path / OVERRIDES_FILE).is_file():
        loaded = _read_plain_yaml(path / OVERRIDES_FILE)
        if not isinstance(loaded, list):
            loaded = OmegaConf.to_container(load_yaml(path / OVERRIDES_FILE))
        if not isinstance(loaded, list):
            raise BadFile(
                path / OVERRIDES_FILE, "not a run's overrides (a list, as Hydra writes it)"
            )
        overrides = [str(o) for o in loaded]
    config = flatten(container)
    for key, value in ADDED_KEYS.items():  # a run made before the key existed had its value
        config.setdefault(key, value)
    return RunInfo(
        path=path,
        config=config,
        overrides=tuple(overrides),
        provenance=load_provenance(path),
    )


def load_run_tables(run: RunInfo, run_id: str) -> RunTables:
    """Read one run's tables and reduce them (see :func:`lbn_sim.analysis.ensemble.summarise_run`).

    ``groups.parquet`` is required; ``ward_summary.csv`` and ``wards.parquet``
    are used when present (only the columns of :data:`WARD_COLUMNS`).

    Raises:
        BadFile: a table that cannot be read (cut short, empty, not a table), lacks
            columns it must have (:data:`REQUIRED_COLUMNS`: another table copied over
            it), or has rows cut short; or tables of the run that do not fit together.
    """
    groups = _read_table(run.path / GROUPS_FILE, pd.read_parquet)
    summary = None
    if (run.path / SUMMARY_FILE).is_file():
        summary = _read_table(
            run.path / SUMMARY_FILE,
            lambda path: pd.read_csv(
                path,
                dtype={
                    "ward_code": str,
                    "ward_name": str,
                    "la_code": str,
                    "la_name": str,
                    "start_group": str,
                },
            ),
        )
    wards = None
    # With a ward summary, the ward-by-year table serves only the convergence measures and
    # the start's ranks: the wards' names are not read (nor, at the summary level, joined).
    columns = WARD_COLUMNS if summary is None else CONVERGENCE_COLUMNS
    if (run.path / WARDS_FILE).is_file():
        wards = _read_table(run.path / WARDS_FILE, lambda path: read_columns(path, columns))
    elif (run.path / WARD_YEARS_FILE).is_file() and summary is not None:
        years = _read_table(run.path / WARD_YEARS_FILE, lambda path: read_columns(path, columns))
        try:
            wards = wards_from_ward_years(years, summary, names=False)
        except ValueError as err:
            raise BadFile(run.path / WARD_YEARS_FILE, error_line(err)) from None
    if summary is not None:
        _check_summary(run.path / SUMMARY_FILE, summary, wards)
    policy = run.config.get("policy_start")
    try:
        return summarise_run(
            run_id,
            groups,
            ward_summary=summary,
            wards=wards,
            policy_start=int(policy) if policy is not None else None,
        )
    except (ValueError, KeyError, TypeError, IndexError) as err:
        raise BadFile(
            run.path, f"the run's tables do not fit together ({error_line(err)})"
        ) from None


def read_columns(path: Path, columns: Iterable[str]) -> pd.DataFrame:
    """Those of ``columns`` that the parquet table at ``path`` has, read lazily (those
    columns only, from the file's footer on; a column the table lacks is left out)."""
    table = pq.ParquetFile(path)
    names = set(table.schema_arrow.names)
    return table.read(columns=[c for c in columns if c in names]).to_pandas()


def wards_from_ward_years(
    years: pd.DataFrame, summary: pd.DataFrame, names: bool = True
) -> pd.DataFrame:
    """The ward-by-year columns compare reads (:data:`WARD_COLUMNS`) from a ``summary``
    run's ``ward_years.parquet`` (``years``) and ``ward_summary.csv`` (``summary``: each
    ward's name, local authority and start group): the text columns as categoricals (as
    ``wards.parquet`` reads), float32 composites and populations widened to float64, ranks
    to int32, year by year as ``wards.parquet`` orders them (a stable sort on the year: the
    file is written ward by ward), so both levels' tables reach the comparison in one order
    and its sums add in the same order.

    Each ward's names are looked up once per ward, not once per ward and year: a table of
    7,421 wards over 32 years is 240 thousand rows, and a string per row cost most of the
    time of reading a run.

    ``names=False`` leaves out the name columns (:data:`WARD_NAME_COLUMNS`), still checking
    that ``summary`` has every ward.

    Raises:
        BadFile: (via the caller) a ward of ``years`` that ``summary`` lacks.
    """
    by_year = np.argsort(years["year"].to_numpy(), kind="stable")
    if not (by_year[1:] > by_year[:-1]).all():
        years = years.iloc[by_year].reset_index(drop=True)
    wards = pd.Categorical(years["ward_code"])
    codes = wards.codes
    named = summary.set_index(summary["ward_code"].astype(str))[list(WARD_NAME_COLUMNS)]
    named = named[~named.index.duplicated()]
    categories = pd.Index(wards.categories.astype(str))
    at = named.index.get_indexer(categories)
    used = np.zeros(len(categories), dtype=bool)
    used[codes[codes >= 0]] = True
    unknown = int(((at < 0) & used).sum()) + int((codes < 0).sum())
    if unknown:
        raise ValueError(f"{unknown} ward(s) of {WARD_YEARS_FILE} not in {SUMMARY_FILE}")
    out = pd.DataFrame(
        {
            "year": years["year"].to_numpy(np.int32),
            "ward_code": pd.Categorical.from_codes(codes, categories=categories),
        }
    )
    for column in WARD_NAME_COLUMNS if names else ():
        per_ward = named[column].to_numpy(dtype=object)[np.where(at >= 0, at, 0)]
        value_codes, values = pd.factorize(per_ward, sort=True)
        out[column] = pd.Categorical.from_codes(
            value_codes[codes], categories=pd.Index(values).astype(str)
        )
    for column in WARD_COLUMNS:
        if column in out or column not in years:
            continue
        values = years[column].to_numpy()
        if values.dtype.kind == "f":
            values = values.astype(np.float64)
        elif values.dtype.kind in "iu":
            values = values.astype(np.int32)
        out[column] = values
    return out[[c for c in WARD_COLUMNS if c in out]]


def _read_table(path: Path, read: Any) -> pd.DataFrame:
    """``read(path)``, a table with the columns :data:`REQUIRED_COLUMNS` names for it.

    Raises:
        BadFile: the file cannot be read as a table, or lacks some of those columns.
    """
    try:
        table = read(path)
    except TABLE_ERRORS as err:
        if isinstance(err, OSError) and err.strerror:
            raise BadFile(path, file_problem(err)) from None
        kind = "a parquet table" if path.suffix == ".parquet" else "a CSV table"
        if _size(path) == 0:
            raise BadFile(path, f"is empty (0 bytes), not {kind}: damaged or cut short") from None
        reason = error_line(err).split(f"'{path}': ")[-1].split(". ")[0].rstrip(".")
        raise BadFile(path, f"cannot be read as {kind}: {reason} (damaged or cut short?)") from None
    missing = [c for c in REQUIRED_COLUMNS.get(path.name, ()) if c not in table.columns]
    if missing:
        raise BadFile(
            path,
            f"lacks column(s) {', '.join(missing)}: not the table lbn_sim writes there "
            "(another table copied over it?)",
        )
    return table


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def _check_summary(path: Path, summary: pd.DataFrame, wards: pd.DataFrame | None) -> None:
    """Refuse a ``ward_summary.csv`` cut short: a row missing its ward or group, or fewer
    wards than ``wards.parquet`` has (when the run has it)."""
    if summary[["ward_code", "start_group"]].isna().any(axis=None):
        raise BadFile(path, "has a row without its ward_code or start_group (cut short?)")
    if wards is not None and "ward_code" in wards.columns:
        expected = wards["ward_code"].nunique()
        if summary["ward_code"].nunique() != expected:
            raise BadFile(
                path,
                f"has {summary['ward_code'].nunique()} wards, but the run's {WARDS_FILE} has "
                f"{expected} (cut short?)",
            )
