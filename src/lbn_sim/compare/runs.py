"""Finished runs on disk: find them, read their config, overrides, provenance and tables."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
from omegaconf import OmegaConf

from lbn_sim.analysis.ensemble import RunTables, summarise_run

CONFIG_FILE = Path(".hydra") / "config.yaml"
OVERRIDES_FILE = Path(".hydra") / "overrides.yaml"
GROUPS_FILE = "groups.parquet"
WARDS_FILE = "wards.parquet"
SUMMARY_FILE = "ward_summary.csv"
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
    """Sort ``.../2/`` before ``.../10/``."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in path.parts)


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


def load_run_info(path: Path) -> RunInfo:
    """Read a run's config and overrides (the config resolved when it can be) and its
    ``provenance.json`` when it has one (:func:`load_provenance`)."""
    cfg = OmegaConf.load(path / CONFIG_FILE)
    try:
        container = OmegaConf.to_container(cfg, resolve=True)
    except Exception:  # an interpolation that cannot resolve outside Hydra
        container = OmegaConf.to_container(cfg, resolve=False)
    overrides: list[str] = []
    if (path / OVERRIDES_FILE).is_file():
        loaded = OmegaConf.to_container(OmegaConf.load(path / OVERRIDES_FILE))
        if isinstance(loaded, list):
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
    """
    groups = pd.read_parquet(run.path / GROUPS_FILE)
    summary = None
    if (run.path / SUMMARY_FILE).is_file():
        summary = pd.read_csv(
            run.path / SUMMARY_FILE,
            dtype={
                "ward_code": str,
                "ward_name": str,
                "la_code": str,
                "la_name": str,
                "start_group": str,
            },
        )
    wards = None
    if (run.path / WARDS_FILE).is_file():
        names = set(pq.read_schema(run.path / WARDS_FILE).names)
        wards = pd.read_parquet(
            run.path / WARDS_FILE, columns=[c for c in WARD_COLUMNS if c in names]
        )
    policy = run.config.get("policy_start")
    return summarise_run(
        run_id,
        groups,
        ward_summary=summary,
        wards=wards,
        policy_start=int(policy) if policy is not None else None,
    )
