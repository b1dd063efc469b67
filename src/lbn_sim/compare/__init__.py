"""Compare finished runs: discover them, group them, summarise, draw and report.

``python -m lbn_sim.compare RUN_OR_SWEEP_DIR ... [--out DIR] [--force] [--pool KEY]``

1. **Discover**: every directory under the given ones holding both
   ``.hydra/config.yaml`` and ``groups.parquet`` is a run.
2. **Plan**: runs are grouped by ``scenario.name`` and by every other swept
   key (a config key whose value differs among the runs and that some run's
   ``.hydra/overrides.yaml`` sets, directly or through its config group).
   ``seed`` is the ensemble dimension; ``scenario.*`` levers that follow the
   scenario name are not separate keys; ``hydra.*`` and ``plots`` (output
   only) are ignored. Runs that
   differ in a key no override explains were not made as one sweep: the
   comparison is refused (exit code 2) unless ``--force``, in which case
   such keys are treated as swept. A key given with ``--pool`` (draws of an
   uncertain input, such as a behavioural parameter) is not a variant: its
   runs are pooled with the seeds, so the bands cover both.
3. **Summarise**: per variant and scenario, ensemble band tables
   (:mod:`lbn_sim.ensemble`), stacked into one table per kind with
   ``scenario`` and the swept keys as columns.
4. **Write** the comparison folder (default ``<first dir>/comparison/``):
   ``tables/`` (parquet and csv), ``figures/`` (PNG and SVG), ``report.md`` and
   ``runs.csv``. Everything is written into a temporary sibling directory that
   is renamed into place at the end, so a failure never leaves a half-written
   folder.

Only result tables are read; the model is never imported.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
from matplotlib.figure import Figure
from omegaconf import OmegaConf

from lbn_sim import divergence as dv
from lbn_sim import figures as fg
from lbn_sim.ensemble import RunTables, ScenarioEnsemble, summarise_run, summarise_runs, write_table
from lbn_sim.report import VariantResult, build_report
from lbn_sim.sweep import MULTIRUN_FILE, job_key, sweep_jobs

CONFIG_FILE = Path(".hydra") / "config.yaml"
OVERRIDES_FILE = Path(".hydra") / "overrides.yaml"
GROUPS_FILE = "groups.parquet"
WARDS_FILE = "wards.parquet"
SUMMARY_FILE = "ward_summary.csv"
MARKER_FILE = ".lbn_sim_comparison"
SCENARIO_KEY = "scenario.name"
SEED_KEY = "seed"
IGNORED_PREFIXES: tuple[str, ...] = ("hydra", "plots")
"""Config keys that never split runs: Hydra's own, and output-only switches."""
WARD_COLUMNS: tuple[str, ...] = (
    "year",
    "ward_code",
    "ward_name",
    "la_code",
    "start_group",
    "left_behind",
    "population",
    "imd_like",
    "cni_like",
)
"""Columns of ``wards.parquet`` read for ward-level convergence metrics."""

Log = Callable[[str], None]


class CompareRefusal(Exception):
    """The runs cannot be compared as given (the message says why and what to do)."""


def log_stderr(message: str) -> None:
    """Default progress sink: one line on stderr."""
    print(f"lbn_sim.compare: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# discovery


@dataclass(frozen=True, slots=True)
class RunInfo:
    """One discovered run.

    Attributes:
        path: the run directory.
        config: the resolved config flattened to dotted keys (lists and other
            non-scalars as JSON text so that values compare and hash).
        overrides: the override strings of ``.hydra/overrides.yaml``.
    """

    path: Path
    config: Mapping[str, Any]
    overrides: tuple[str, ...]

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
    return sorted(found, key=_natural_key)


def _natural_key(path: Path) -> tuple[Any, ...]:
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


def load_run_info(path: Path) -> RunInfo:
    """Read a run's config and overrides (the config resolved when it can be)."""
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
    return RunInfo(path=path, config=flatten(container), overrides=tuple(overrides))


# ---------------------------------------------------------------------------
# planning


@dataclass(frozen=True, slots=True)
class ComparisonPlan:
    """How the runs are grouped.

    Attributes:
        runs: every run, in discovery order.
        dims: the swept keys (besides scenario and seed) that split the runs
            into variants, in a stable order.
        unswept: keys whose values differ without any override setting them
            (key -> sorted distinct values as text); non-empty only with ``force``.
        cells: variant (tuple of ``(key, value)`` for ``dims``) -> scenario
            name -> runs.
        pooled: keys whose draws are pooled with the seeds (not variants).
    """

    runs: tuple[RunInfo, ...]
    dims: tuple[str, ...]
    unswept: Mapping[str, list[str]] = field(default_factory=dict)
    cells: Mapping[tuple[tuple[str, Any], ...], Mapping[str, list[RunInfo]]] = field(
        default_factory=dict
    )
    pooled: tuple[str, ...] = ()


_MISSING = "<missing>"


def _is_ignored(key: str) -> bool:
    return any(key == p or key.startswith(p + ".") for p in IGNORED_PREFIXES)


def _covered(key: str, overridden: set[str], exclude: Sequence[str] = ()) -> bool:
    """True when an override (not in ``exclude``) sets ``key`` or a group holding it."""
    return any((key == o or key.startswith(o + ".")) and o not in exclude for o in overridden)


def _value_text(values: Iterable[Any]) -> list[str]:
    counts = Counter(str(v) for v in values)
    return [f"{v} ({n} run{'s' if n != 1 else ''})" for v, n in sorted(counts.items())]


def _draw(run: RunInfo, key: str) -> str:
    """A run's values at or under ``key`` (flattened), as one comparable text."""
    under = {k: v for k, v in run.config.items() if k == key or k.startswith(key + ".")}
    return json.dumps(under, sort_keys=True, default=str)


def _check_pool_key(runs: Sequence[RunInfo], key: str) -> None:
    """Refuse a ``--pool`` key that is the seed or the future, that no run has, that has
    one value in every run, or that varies only between futures."""
    if key in (SEED_KEY, SCENARIO_KEY, "scenario"):
        raise CompareRefusal(f"--pool {key}: the seed is always pooled, and futures never are")
    if not any(k == key or k.startswith(key + ".") for run in runs for k in run.config):
        raise CompareRefusal(f"--pool {key}: no run's config has this key")
    if len({_draw(run, key) for run in runs}) == 1:
        raise CompareRefusal(f"--pool {key}: every run has the same value; nothing to pool")
    within: dict[str, set[str]] = defaultdict(set)
    for run in runs:
        within[run.scenario].add(_draw(run, key))
    if all(len(v) == 1 for v in within.values()):
        raise CompareRefusal(
            f"--pool {key}: it varies only between futures (it is part of what each future "
            "is), so there are no draws to pool within one"
        )


def plan_comparison(
    runs: Sequence[RunInfo], force: bool = False, pool: Sequence[str] = ()
) -> ComparisonPlan:
    """Group ``runs`` by scenario and swept keys, refusing unexplained differences.

    A key ``k`` (flattened config) that differs among runs is:

    * ignored if it is ``seed``, ``scenario.name`` or under :data:`IGNORED_PREFIXES`; also if
      every run's value equals its seed (a ``${seed}`` interpolation);
    * pooled if it is one of ``pool`` or under one: its draws are pooled with the seeds;
    * ignored if it is ``scenario.<x>`` and constant within each scenario name
      (a lever of the future);
    * swept if an override of some run sets it or a config group holding it
      (``scenario.<x>`` only by an override more specific than ``scenario``);
    * otherwise unswept: :class:`CompareRefusal` unless ``force``, which treats
      it as swept.

    The variant dimensions are the swept keys that refine the partition of the
    runs by scenario name (``<group>.name`` keys first), so redundant keys (a
    config group's other fields) do not clutter labels.

    Raises:
        CompareRefusal: no runs, a run without ``scenario.name``, unswept keys
            without ``force``, or a ``pool`` key that is the scenario or the seed, that
            no run has, or that has one value in every run.
    """
    if not runs:
        raise CompareRefusal("no runs to compare")
    for key in pool:
        _check_pool_key(runs, key)
    for run in runs:
        if SCENARIO_KEY not in run.config:
            raise CompareRefusal(
                f"run {run.path} has no '{SCENARIO_KEY}' in {CONFIG_FILE}; is it an lbn_sim run?"
            )
    overridden = {override_key(o) for run in runs for o in run.overrides}
    keys = sorted({k for run in runs for k in run.config})
    swept: list[str] = []
    unswept: dict[str, list[str]] = {}
    for key in keys:
        if key in (SEED_KEY, SCENARIO_KEY) or _is_ignored(key):
            continue
        if any(key == k or key.startswith(k + ".") for k in pool):
            continue
        values = [run.config.get(key, _MISSING) for run in runs]
        if len({json.dumps(v, sort_keys=True, default=str) for v in values}) <= 1:
            continue
        if all(v == run.seed for v, run in zip(values, runs, strict=True)):
            continue
        if key.startswith("scenario."):
            by_scenario: dict[str, set[str]] = defaultdict(set)
            for v, run in zip(values, runs, strict=True):
                by_scenario[run.scenario].add(json.dumps(v, sort_keys=True, default=str))
            if all(len(s) == 1 for s in by_scenario.values()):
                continue
            if _covered(key, overridden, exclude=("scenario",)):
                swept.append(key)
                continue
        elif _covered(key, overridden):
            swept.append(key)
            continue
        unswept[key] = _value_text(values)
    if unswept and not force:
        details = "; ".join(f"'{k}': {', '.join(v)}" for k, v in unswept.items())
        raise CompareRefusal(
            f"the runs differ in key(s) that no run's {OVERRIDES_FILE} sets, so they were not "
            f"made as one sweep and their seeds cannot be pooled: {details}. Compare runs of "
            "one sweep, or pass --force to treat these keys as swept."
        )
    candidates = sorted(swept, key=lambda k: (not k.endswith(".name"), k.count("."), k))
    candidates += sorted(unswept, key=lambda k: (not k.endswith(".name"), k.count("."), k))
    dims: list[str] = []
    for key in candidates:
        before = {(*_cell_key(run, dims), run.scenario) for run in runs}
        after = {(*_cell_key(run, [*dims, key]), run.scenario) for run in runs}
        if len(after) > len(before):
            dims.append(key)
    cells: dict[tuple[tuple[str, Any], ...], dict[str, list[RunInfo]]] = {}
    for run in runs:
        cells.setdefault(_cell_key(run, dims), {}).setdefault(run.scenario, []).append(run)
    return ComparisonPlan(tuple(runs), tuple(dims), unswept, cells, tuple(pool))


def _cell_key(run: RunInfo, dims: Sequence[str]) -> tuple[tuple[str, Any], ...]:
    return tuple((k, run.config.get(k, _MISSING)) for k in dims)


def variant_label(cell: Sequence[tuple[str, Any]]) -> str:
    """``"data.name=england_2019, households.sample_rate=0.1"`` ("" for none)."""
    return ", ".join(f"{k}={v}" for k, v in cell)


def variant_slug(cell: Sequence[tuple[str, Any]]) -> str:
    """A file-name-safe form of :func:`variant_label`."""
    text = "__".join(f"{k}-{v}" for k, v in cell)
    return "".join(c if c.isalnum() or c in "-_.=" else "_" for c in text) or "all"


# ---------------------------------------------------------------------------
# loading


def load_run_tables(run: RunInfo, run_id: str) -> RunTables:
    """Read one run's tables and reduce them (see :func:`lbn_sim.ensemble.summarise_run`).

    ``groups.parquet`` is required; ``ward_summary.csv`` and ``wards.parquet``
    are used when present (only the columns of :data:`WARD_COLUMNS`).
    """
    groups = pd.read_parquet(run.path / GROUPS_FILE)
    summary = None
    if (run.path / SUMMARY_FILE).is_file():
        summary = pd.read_csv(
            run.path / SUMMARY_FILE,
            dtype={"ward_code": str, "ward_name": str, "la_code": str, "start_group": str},
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


# ---------------------------------------------------------------------------
# writing


def _stack(
    ensembles: Mapping[str, ScenarioEnsemble],
    cell: Sequence[tuple[str, Any]],
) -> dict[str, pd.DataFrame]:
    """Stack every scenario's band tables, adding ``scenario`` and the variant keys."""
    out: dict[str, list[pd.DataFrame]] = defaultdict(list)
    for name, ens in ensembles.items():
        for stem, table in ens.tables().items():
            if table.empty:
                continue
            extra = {"scenario": name, **{k: str(v) for k, v in cell}}
            out[stem].append(table.assign(**extra)[[*extra, *table.columns]])
    return {stem: pd.concat(parts, ignore_index=True) for stem, parts in out.items()}


def _draw_variant(
    tables: Mapping[str, pd.DataFrame],
    policy_start: int,
    directory: Path,
    log: Log,
) -> dict[str, Path]:
    """Draw every figure of one variant into ``directory``; name -> PNG path."""
    written: dict[str, Path] = {}

    def save(name: str, fig: Figure) -> None:
        written[name] = fg.save_figure(fig, directory, name)[0]

    group_bands = tables["group_bands"]
    measures = [m for m in dv.MEASURES if m in set(group_bands["measure"])]
    for measure in measures:
        save(f"trajectory_{measure}", fg.trajectory_figure(group_bands, measure, policy_start))
    log(f"  drew {len(measures)} trajectory figures")
    counts = tables["left_behind_count_bands"]
    save("left_behind_count", fg.left_behind_count_figure(counts, policy_start))
    wards = tables.get("ward_end_bands")
    if wards is not None and not wards.empty and "imd_gap_change" in set(wards["measure"]):
        save("divergence_distribution", fg.divergence_distribution_figure(wards))
        save("top_movers", fg.top_movers_figure(wards))
    else:
        wards = None
        log("  no ward summaries: skipping ward divergence figures")
    sigma = tables.get("sigma_bands")
    if sigma is not None and not sigma.empty:
        save("sigma_imd_like", fg.sigma_figure(sigma, policy_start))
    else:
        sigma = None
    panel = fg.panel_figure(
        tables["group_gap_bands"], counts, policy_start, ward_bands=wards, sigma_bands=sigma
    )
    save("panel", panel)
    return written


def _prepare_out(out: Path) -> None:
    """Refuse to replace an existing directory that is not an earlier comparison."""
    if out.exists():
        if not out.is_dir():
            raise CompareRefusal(f"output path {out} exists and is not a directory")
        if any(out.iterdir()) and not (out / MARKER_FILE).is_file():
            raise CompareRefusal(
                f"output directory {out} exists and is not an lbn_sim comparison folder; "
                "choose another --out"
            )


def _replace_dir(tmp: Path, out: Path) -> None:
    """Move ``tmp`` to ``out``, replacing an earlier comparison folder."""
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.rename(out)


def missing_jobs(sweep_dir: Path, runs: Sequence[RunInfo]) -> list[tuple[int, tuple[str, ...]]]:
    """The jobs of the sweep in ``sweep_dir`` that have no run among ``runs``.

    A sweep that stopped part-way (a job failed, or the machine went down) has
    fewer runs than its ``multirun.yaml`` lists. Only runs inside ``sweep_dir``
    count, and a job counts as present when a run's overrides are the job's, as
    Hydra reads them (:func:`lbn_sim.sweep.job_key`: a job rerun by hand with
    ``plots=false`` matches the sweep's ``plots=False``). Returns ``(job number,
    overrides)`` pairs; empty when the sweep is complete or its jobs cannot be
    listed (not a sweep's root, a sweeper other than the basic one, or a ``glob``).
    """
    jobs = sweep_jobs(sweep_dir)
    if jobs is None:
        return []
    root = Path(sweep_dir).resolve()
    present = {job_key(run.overrides) for run in runs if root in run.path.resolve().parents}
    return [(num, job) for num, job in enumerate(jobs) if job_key(job) not in present]


def sweep_roots(dirs: Iterable[Path]) -> list[Path]:
    """Every sweep root (a folder holding ``multirun.yaml``) at or under ``dirs``, sorted."""
    found: set[Path] = set()
    for root in dirs:
        for marker in [Path(root) / MULTIRUN_FILE, *Path(root).rglob(MULTIRUN_FILE)]:
            if marker.is_file():
                found.add(marker.parent.resolve())
    return sorted(found, key=_natural_key)


def _check_complete(
    dirs: Sequence[Path], runs: Sequence[RunInfo], allow_incomplete: bool, log: Log
) -> list[str]:
    """Refuse (or, if ``allow_incomplete``, warn about) each sweep missing some jobs' results.

    Returns one sentence per incomplete sweep allowed, for the report.
    """
    notes: list[str] = []
    for sweep in sweep_roots(dirs):
        missing = missing_jobs(sweep, runs)
        if not missing:
            continue
        total = len(sweep_jobs(sweep) or ())
        listed = "; ".join(f"job {num}: {' '.join(job)}" for num, job in missing[:5])
        more = f"; and {len(missing) - 5} more" if len(missing) > 5 else ""
        what = f"the sweep {sweep} has results for {total - len(missing)} of its {total} jobs"
        if not allow_incomplete:
            raise CompareRefusal(
                f"{what} (missing {listed}{more}); rerun each missing job with "
                f"'python -m lbn_sim <its overrides> hydra.run.dir={sweep}/<job>', or pass "
                "--allow-incomplete to compare the runs that finished"
            )
        log(f"warning: {what}; comparing those (missing {listed}{more})")
        notes.append(f"Incomplete: {what}; the missing {_plural_jobs(len(missing))} left out.")
    return notes


def _plural_jobs(n: int) -> str:
    return "job is" if n == 1 else f"{n} jobs are"


def run_comparison(
    dirs: Sequence[Path],
    out: Path | None = None,
    force: bool = False,
    log: Log = log_stderr,
    allow_incomplete: bool = False,
    pool: Sequence[str] = (),
) -> Path:
    """Compare the runs under ``dirs`` and write the comparison folder.

    Args:
        dirs: run or sweep directories (searched recursively).
        out: output folder; default ``<dirs[0]>/comparison``.
        force: compare even when runs differ in keys no override sets.
        log: progress sink (default: stderr).
        allow_incomplete: compare a sweep even when some of its jobs have no results
            (each missing job is logged); by default that is refused.
        pool: swept keys whose draws are pooled with the seeds into the bands (draws of
            an uncertain input), instead of compared as variants.

    Returns:
        The comparison folder.

    Raises:
        CompareRefusal: nothing to compare, runs that should not be pooled, or a sweep
            missing some of its jobs' results (unless ``allow_incomplete``).
    """
    if not dirs:
        raise CompareRefusal("give at least one run or sweep directory")
    for d in dirs:
        if not Path(d).is_dir():
            raise CompareRefusal(f"{d} is not a directory")
    out = (Path(out) if out is not None else Path(dirs[0]) / "comparison").resolve()
    paths = [p for p in find_run_dirs(dirs) if out not in (p, *p.parents)]
    if not paths:
        raise CompareRefusal(
            f"no runs found under {', '.join(map(str, dirs))}: a run is a directory holding "
            f"{CONFIG_FILE} and {GROUPS_FILE}"
        )
    log(f"found {len(paths)} run(s)")
    infos = [load_run_info(p) for p in paths]
    notes = _check_complete(dirs, infos, allow_incomplete, log)
    plan = plan_comparison(infos, force=force, pool=pool)
    if plan.pooled:
        log(f"pooled with the seeds: {', '.join(plan.pooled)}")
    for key, values in plan.unswept.items():
        log(f"warning: '{key}' differs without an override ({', '.join(values)}); --force")
    if plan.dims:
        log(f"swept keys besides scenario and seed: {', '.join(plan.dims)}")
    _prepare_out(out)
    root = Path(os.path.commonpath([str(p) for p in paths]))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        _write_comparison(plan, tmp, root, [str(d) for d in dirs], log, notes)
        tmp.chmod(0o755)
        _replace_dir(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    log(f"wrote {out}")
    return out


def pooled_columns(plan: ComparisonPlan) -> list[str]:
    """The flattened config keys at or under the pooled keys whose values differ among the
    runs (a pooled group such as ``mechanisms`` stands for the keys under it that vary)."""
    keys = {
        k
        for run in plan.runs
        for k in run.config
        if any(k == p or k.startswith(p + ".") for p in plan.pooled)
    }
    return sorted(
        k
        for k in keys
        if len({json.dumps(run.config.get(k), sort_keys=True, default=str) for run in plan.runs})
        > 1
    )


def _write_comparison(
    plan: ComparisonPlan,
    tmp: Path,
    root: Path,
    sources: Sequence[str],
    log: Log,
    notes: Sequence[str] = (),
) -> None:
    """Summarise every cell of ``plan`` and write tables, figures and report into ``tmp``
    (``notes``: sentences the report states first, such as an incomplete sweep)."""
    (tmp / MARKER_FILE).write_text("lbn_sim comparison folder\n")
    inventory = []
    stacked: dict[str, list[pd.DataFrame]] = defaultdict(list)
    variants: list[VariantResult] = []
    several = len(plan.cells) > 1
    drawn = pooled_columns(plan)
    for cell, by_scenario in plan.cells.items():
        label = variant_label(cell)
        if label:
            log(f"variant {label}")
        ensembles: dict[str, ScenarioEnsemble] = {}
        for name in fg.ordered_scenarios(list(by_scenario)):
            runs = by_scenario[name]
            draws = Counter((str(r.seed), *(str(r.config.get(k)) for k in drawn)) for r in runs)
            repeated = sorted({d[0] for d, n in draws.items() if n > 1})
            if repeated:
                log(f"  warning: {name} has repeated seed(s) {', '.join(repeated)}")
            log(f"  {name}: reading {len(runs)} run(s)")
            tables = []
            for run in runs:
                run_id = str(run.path.relative_to(root)) if run.path != root else "."
                tables.append(load_run_tables(run, run_id))
                inventory.append(
                    {"run": run_id, "path": str(run.path), "scenario": name, "seed": run.seed}
                    | dict(cell)
                    | {k: run.config.get(k) for k in drawn}
                )
            ensembles[name] = summarise_runs(tables)
        policy = by_scenario[next(iter(by_scenario))][0].config.get("policy_start")
        any_ens = next(iter(ensembles.values()))
        policy_start = int(policy) if policy is not None else int(any_ens.groups["year"].min())
        tables_by_stem = _stack(ensembles, cell)
        for stem, table in tables_by_stem.items():
            stacked[stem].append(table)
        fig_dir = tmp / "figures" / (variant_slug(cell) if several else "")
        log("  drawing figures")
        pngs = _draw_variant(tables_by_stem, policy_start, fig_dir, log)
        rel = {name: p.relative_to(tmp).as_posix() for name, p in pngs.items()}
        variants.append(VariantResult(label, ensembles, policy_start, rel))
    log("writing tables")
    written: list[str] = []
    for stem, parts in stacked.items():
        paths = write_table(pd.concat(parts, ignore_index=True), tmp / "tables", stem)
        written.append(paths[1].relative_to(tmp).with_suffix("").as_posix())
    pd.DataFrame(inventory).to_csv(tmp / "runs.csv", index=False)
    log("writing report")
    text = build_report(
        variants, sources, tables=[f"{w}.csv" for w in written], pooled=plan.pooled, notes=notes
    )
    (tmp / "report.md").write_text(text, encoding="utf-8")
