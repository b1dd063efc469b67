"""Compare finished runs: discover them, group them, summarise, draw and report.

``python -m lbn_sim.compare RUN_OR_SWEEP_DIR ... [--out DIR] [--force] [--pool KEY]``

1. **Discover**: every directory under the given ones holding both
   ``.hydra/config.yaml`` and ``groups.parquet`` is a run. A folder holding
   ``.hydra/`` without ``groups.parquet`` (a run interrupted or failed) is skipped
   and said to be (a sweep whose ``multirun.yaml`` lists jobs without results is
   refused unless ``--allow-incomplete``, see :func:`check_complete`).
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
   runs are pooled with the seeds, so the bands cover both. Runs on different
   data (``data.name``, ``data.n_wards``) are always in different variants, never
   pooled.
3. **Summarise**: per variant and scenario, ensemble band tables
   (:mod:`lbn_sim.analysis.ensemble`), stacked into one table per kind with
   ``scenario`` and the swept keys as columns.
4. **Write** the comparison folder (default ``<first dir>/comparison/``):
   ``tables/`` (parquet and csv), ``figures/`` (PNG and SVG), ``report.md`` and
   ``runs.csv``; the report and the panel figure name the data the runs come
   from. Everything is written into a temporary sibling directory that is
   renamed into place at the end, so a failure never leaves a half-written
   folder; an output folder that cannot be written is refused before any work.

Runs made by different code (their ``provenance.json`` differ in lbn_sim's version,
the git commit, the dirty flag, Python's or a library's version, or some runs have none)
are compared all the same, with a warning in the log and in the report: their differences
are then not only the seeds'.

Only result tables are read; the model is never imported.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from lbn_sim.analysis import divergence as dv
from lbn_sim.analysis.ensemble import RunTables, ScenarioEnsemble, summarise_runs, write_table
from lbn_sim.analysis.uncertainty import COMPARE_HEADLINES, run_headlines, split_table
from lbn_sim.bad_files import BadFile
from lbn_sim.compare.code_sentence import CodeSentence, code_sentence
from lbn_sim.compare.completeness import check_complete, missing_jobs, sweep_roots
from lbn_sim.compare.maps import comparison_maps, maps_section
from lbn_sim.compare.plan import (
    IGNORED_PREFIXES,
    PARAM_DRAW,
    ComparisonPlan,
    plan_comparison,
    pooled_columns,
    variant_label,
    variant_slug,
)
from lbn_sim.compare.reader import RunReader
from lbn_sim.compare.report import SideBySide, VariantResult, build_report
from lbn_sim.compare.runs import (
    CONFIG_FILE,
    GROUPS_FILE,
    OVERRIDES_FILE,
    PROVENANCE_FILE,
    SCENARIO_KEY,
    SEED_KEY,
    SUMMARY_FILE,
    WARD_COLUMNS,
    WARDS_FILE,
    CompareRefusal,
    RunInfo,
    find_dirs_without_results,
    find_run_dirs,
    flatten,
    load_provenance,
    load_run_info,
    load_run_tables,
    override_key,
)
from lbn_sim.data.sources import data_words
from lbn_sim.folders import unwritable
from lbn_sim.plots import figures as fg
from lbn_sim.plots.parts import runs_phrase
from lbn_sim.plots.variants import variant_summary, variants_figure

__all__ = [
    "CONFIG_FILE",
    "GROUPS_FILE",
    "IGNORED_PREFIXES",
    "MARKER_FILE",
    "OVERRIDES_FILE",
    "PROVENANCE_COLUMNS",
    "PROVENANCE_FILE",
    "SCENARIO_KEY",
    "SEED_KEY",
    "SUMMARY_FILE",
    "WARDS_FILE",
    "WARD_COLUMNS",
    "CompareRefusal",
    "ComparisonPlan",
    "RunInfo",
    "find_dirs_without_results",
    "find_run_dirs",
    "flatten",
    "load_provenance",
    "load_run_info",
    "load_run_tables",
    "log_stderr",
    "missing_jobs",
    "override_key",
    "plan_comparison",
    "pooled_columns",
    "run_comparison",
    "sweep_roots",
    "variant_label",
    "variant_slug",
]

MARKER_FILE = ".lbn_sim_comparison"

PROVENANCE_COLUMNS: tuple[str, ...] = ("lbn_sim", "git_commit", "git_dirty")
"""Keys of each run's ``provenance.json`` that ``runs.csv`` gives (empty when unknown)."""

Log = Callable[[str], None]


def log_stderr(message: str) -> None:
    """Default progress sink: one line on stderr."""
    print(f"lbn_sim.compare: {message}", file=sys.stderr, flush=True)


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


def panel_title(counts: pd.DataFrame, data: str | None) -> str:
    """The panel figure's title: the futures, the data the runs come from (``data``, in
    words; left out when None) and the runs behind the bands (``counts``: the stacked
    :func:`lbn_sim.analysis.ensemble.count_bands`)."""
    n = len(set(counts["scenario"]))
    first = f"Left-behind wards under {n} future{'s' if n != 1 else ''}"
    if data is not None:
        first += f", on {data}"
    return (
        f"{first}\ngaps to England, counts and divergence; median and 5-95% band across "
        f"{runs_phrase(counts)} per future"
    )


def _draw_variant(
    tables: Mapping[str, pd.DataFrame],
    policy_start: int,
    directory: Path,
    log: Log,
    data: str | None = None,
) -> dict[str, Path]:
    """Draw every figure of one variant into ``directory``; name -> PNG path (``data``:
    the data the runs come from, in words, named in every figure's title)."""
    written: dict[str, Path] = {}

    def save(name: str, fig: Figure) -> None:
        written[name] = fg.save_figure(fig, directory, name)[0]

    group_bands = tables["group_bands"]
    measures = [m for m in dv.MEASURES if m in set(group_bands["measure"])]
    for measure in measures:
        save(
            f"trajectory_{measure}",
            fg.trajectory_figure(group_bands, measure, policy_start, data=data),
        )
    log(f"  drew {len(measures)} trajectory figures")
    counts = tables["left_behind_count_bands"]
    save("left_behind_count", fg.left_behind_count_figure(counts, policy_start, data=data))
    wards = tables.get("ward_end_bands")
    if wards is not None and not wards.empty and "imd_gap_change" in set(wards["measure"]):
        save("divergence_distribution", fg.divergence_distribution_figure(wards, data=data))
        save("top_movers", fg.top_movers_figure(wards, data=data))
    else:
        wards = None
        log("  no ward summaries: skipping ward divergence figures")
    sigma = tables.get("sigma_bands")
    if sigma is not None and not sigma.empty:
        save("sigma_imd_like", fg.sigma_figure(sigma, policy_start, data=data))
    else:
        sigma = None
    panel = fg.panel_figure(
        tables["group_gap_bands"],
        counts,
        policy_start,
        ward_bands=wards,
        sigma_bands=sigma,
        title=panel_title(counts, data),
    )
    save("panel", panel)
    return written


def _prepare_out(out: Path) -> None:
    """Refuse to replace an existing directory that is not an earlier comparison, and an
    output folder whose parent (where it is built) cannot be created or written."""
    if out.exists():
        if not out.is_dir():
            raise CompareRefusal(f"output path {out} exists and is not a directory")
        if any(out.iterdir()) and not (out / MARKER_FILE).is_file():
            raise CompareRefusal(
                f"output directory {out} exists and is not an lbn_sim comparison folder; "
                "choose another --out"
            )
    reason = unwritable(out.parent)
    if reason is not None:
        raise CompareRefusal(
            f"cannot write the comparison folder {out} (in {out.parent}: {reason}); "
            "choose another with --out DIR"
        )


def _remove_empty(folders: Sequence[Path]) -> None:
    """Remove ``folders`` (deepest first) where they are empty."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            pass


def _listed(paths: Sequence[Path], first: int = 5) -> str:
    """The first ``first`` of ``paths``, and how many more."""
    text = ", ".join(str(p) for p in paths[:first])
    return text + (f" and {len(paths) - first} more" if len(paths) > first else "")


def _replace_dir(tmp: Path, out: Path) -> None:
    """Move ``tmp`` to ``out``, replacing an earlier comparison folder."""
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.rename(out)


def run_comparison(
    dirs: Sequence[Path],
    out: Path | None = None,
    force: bool = False,
    log: Log = log_stderr,
    allow_incomplete: bool = False,
    pool: Sequence[str] = (),
    workers: int | None = 1,
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
        workers: processes that read the runs of a future with many of them
            (:class:`lbn_sim.compare.reader.RunReader`; None: one per CPU). The comparison
            is the same for any number; with more than one, the maps are drawn on one of
            them too. More than one helps only where cores are free: 600 real-data runs
            took 51 to 54 s on 2 and 101 s on 1 with two free cores, 145 s and 102 s on an
            earlier machine shared with other work.
            Workers are started fresh (``spawn``), so a script that asks for them guards its
            own code with ``if __name__ == "__main__":``.

    Returns:
        The comparison folder.

    Folders holding ``.hydra/`` but no results (interrupted or failed runs) are skipped,
    and the log says which.

    Raises:
        CompareRefusal: nothing to compare, runs that should not be pooled, a sweep
            missing some of its jobs' results (unless ``allow_incomplete``), or an
            output folder that cannot be written (checked before anything is read).
        lbn_sim.bad_files.BadFile: a damaged file, named (a table that cannot be read or
            lacks its columns, a ``.hydra`` YAML or ``multirun.yaml`` that is not valid),
            or an output folder that fails part-way (a full disk); nothing is written
            and an earlier comparison folder is kept as it was.
    """
    if not dirs:
        raise CompareRefusal("give at least one run or sweep directory")
    for d in dirs:
        if not Path(d).is_dir():
            raise CompareRefusal(f"{d} is not a directory")
    out = (Path(out) if out is not None else Path(dirs[0]) / "comparison").resolve()
    # Folders the output check creates are removed again if the comparison fails.
    created = [p for p in out.parents if not p.exists()]
    _prepare_out(out)
    try:
        return _compare_into(dirs, out, force, log, allow_incomplete, pool, workers)
    except BaseException:
        _remove_empty(created)
        raise


def _compare_into(
    dirs: Sequence[Path],
    out: Path,
    force: bool,
    log: Log,
    allow_incomplete: bool,
    pool: Sequence[str],
    workers: int | None = None,
) -> Path:
    """:func:`run_comparison` once ``out`` is known to be writable."""
    paths = [p for p in find_run_dirs(dirs) if out not in (p, *p.parents)]
    if not paths:
        raise CompareRefusal(
            f"no runs found under {', '.join(map(str, dirs))}: a run is a directory holding "
            f"{CONFIG_FILE} and {GROUPS_FILE}"
        )
    log(f"found {len(paths)} run(s)")
    infos = [load_run_info(p) for p in paths]
    notes = check_complete(dirs, infos, allow_incomplete, log)
    unfinished = [p for p in find_dirs_without_results(dirs) if out not in (p, *p.parents)]
    if unfinished:
        log(
            f"skipped {len(unfinished)} folder{'s' if len(unfinished) != 1 else ''} without "
            f"results (a .hydra folder but no {GROUPS_FILE}: an interrupted or failed run): "
            f"{_listed(unfinished)}"
        )
    plan = plan_comparison(infos, force=force, pool=pool)
    if plan.pooled:
        log(f"pooled with the seeds: {', '.join(plan.pooled)}")
    for key, values in plan.unswept.items():
        log(f"warning: '{key}' differs without an override ({', '.join(values)}); --force")
    if plan.dims:
        log(f"swept keys besides scenario and seed: {', '.join(plan.dims)}")
    compared = [r for by_scenario in plan.cells.values() for rs in by_scenario.values() for r in rs]
    code = code_sentence([r.provenance for r in compared])
    if code is not None and code.differs:
        log(f"warning: {code.text[0].lower()}{code.text[1:].removesuffix('.')}")
    root = Path(os.path.commonpath([str(p) for p in paths]))
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    except OSError as err:
        raise BadFile(out.parent, f"cannot be written ({err.strerror or err})") from None
    try:
        with RunReader(workers) as reader:
            _write_comparison(plan, tmp, root, [str(d) for d in dirs], log, notes, code, reader)
        tmp.chmod(0o755)
        _replace_dir(tmp, out)
    except OSError as err:  # a full disk, a folder made read-only part-way
        shutil.rmtree(tmp, ignore_errors=True)
        reason = err.strerror or " ".join(str(err).split())
        raise BadFile(
            out, f"cannot be written ({reason}); nothing was written and nothing replaced"
        ) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    log(f"wrote {out}")
    return out


def _n_wards(tables: Sequence[RunTables], runs: Sequence[RunInfo]) -> int | None:
    """The number of wards the runs simulate: rows of their ward summaries, else their
    ``data.n_wards``; None when no run says, or when the runs disagree."""
    counts = set()
    for table, run in zip(tables, runs, strict=True):
        n = len(table.ward_summary) if table.ward_summary is not None else None
        if n is None:
            n = run.config.get("data.n_wards")
        if isinstance(n, int) and not isinstance(n, bool):
            counts.add(n)
    return counts.pop() if len(counts) == 1 else None


def _provenance_columns(run: RunInfo) -> dict[str, Any]:
    """A run's :data:`PROVENANCE_COLUMNS` for ``runs.csv`` (None, an empty cell, when the
    run has no ``provenance.json`` or its file lacks the key)."""
    made_by = run.provenance or {}
    return {key: made_by.get(key) for key in PROVENANCE_COLUMNS}


def _inventory_frame(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """``runs.csv`` as a table: each value as the run's config has it (an integer key
    that some runs leave None prints as ``300``, not ``300.0``; None as an empty cell)."""
    return pd.DataFrame(list(rows), dtype=object)


def _side_by_side(
    plan: ComparisonPlan,
    stacked: Mapping[str, Sequence[pd.DataFrame]],
    variants: Sequence[VariantResult],
    tmp: Path,
    log: Log,
) -> SideBySide:
    """Every future of every variant on one figure and in one table (written into
    ``tmp``): the values of a swept key read against each other."""
    keys = list(dict.fromkeys(k for cell in plan.cells for k, _ in cell))
    gaps = pd.concat(stacked["group_gap_bands"], ignore_index=True)
    counts = pd.concat(stacked["left_behind_count_bands"], ignore_index=True)
    data = list(dict.fromkeys(v.data for v in variants))
    log("drawing the variants side by side")
    figure = fg.save_figure(
        variants_figure(
            gaps,
            counts,
            keys,
            [v.policy_start for v in variants],
            data=data[0] if len(data) == 1 else None,
        ),
        tmp / "figures",
        "variants",
    )[0]
    summary = variant_summary(gaps, counts, keys)
    write_table(summary, tmp / "tables", "variant_summary")
    return SideBySide(figure.relative_to(tmp).as_posix(), summary)


def _write_comparison(
    plan: ComparisonPlan,
    tmp: Path,
    root: Path,
    sources: Sequence[str],
    log: Log,
    notes: Sequence[str] = (),
    code: CodeSentence | None = None,
    reader: RunReader | None = None,
) -> None:
    """Summarise every cell of ``plan`` and write tables, figures and report into ``tmp``
    (``notes``: sentences the report states first, such as an incomplete sweep; ``code``:
    the sentence on the code that made the runs)."""
    (tmp / MARKER_FILE).write_text("lbn_sim comparison folder\n")
    inventory = []
    stacked: dict[str, list[pd.DataFrame]] = defaultdict(list)
    variants: list[VariantResult] = []
    several = len(plan.cells) > 1
    drawn = pooled_columns(plan)
    drawn_maps: dict[str, list[str] | str] = {}
    splits: list[pd.DataFrame] = []
    for cell, by_scenario in plan.cells.items():
        label = variant_label(cell)
        if label:
            log(f"variant {label}")
        ensembles: dict[str, ScenarioEnsemble] = {}
        n_wards: set[int | None] = set()
        # Each run's headlines, by parameter vector and seed, when the vectors are pooled.
        headlines: list[dict[str, Any]] = []
        names = fg.ordered_scenarios(list(by_scenario))
        ids_of = {
            name: [
                str(run.path.relative_to(root)) if run.path != root else "."
                for run in by_scenario[name]
            ]
            for name in names
        }
        # The workers (if any) read the next future's runs while this process summarises
        # this one's: one future asked for ahead, so at most two futures' tables wait here.
        rdr = reader or RunReader(1)
        ahead = rdr.read_later(by_scenario[names[0]], ids_of[names[0]])
        for i, name in enumerate(names):
            runs = by_scenario[name]
            draws = Counter((str(r.seed), *(str(r.config.get(k)) for k in drawn)) for r in runs)
            repeated = sorted({d[0] for d, n in draws.items() if n > 1})
            if repeated:
                log(f"  warning: {name} has repeated seed(s) {', '.join(repeated)}")
            log(f"  {name}: reading {len(runs)} run(s)")
            ids = ids_of[name]
            collect = ahead
            if i + 1 < len(names):
                ahead = rdr.read_later(by_scenario[names[i + 1]], ids_of[names[i + 1]])
            tables = collect()
            for run, run_id in zip(runs, ids, strict=True):
                inventory.append(
                    {"run": run_id, "path": str(run.path), "scenario": name, "seed": run.seed}
                    | dict(cell)
                    | {k: run.config.get(k) for k in drawn}
                    | _provenance_columns(run)
                )
            ensembles[name] = summarise_runs(tables)
            n_wards.add(_n_wards(tables, runs))
            if PARAM_DRAW in plan.pooled:
                headlines += [
                    {"scenario": name, "draw": r.config.get(PARAM_DRAW), "seed": r.seed}
                    | run_headlines(t)
                    for r, t in zip(runs, tables, strict=True)
                ]
        policy = by_scenario[next(iter(by_scenario))][0].config.get("policy_start")
        any_ens = next(iter(ensembles.values()))
        policy_start = int(policy) if policy is not None else int(any_ens.groups["year"].min())
        tables_by_stem = _stack(ensembles, cell)
        for stem, table in tables_by_stem.items():
            stacked[stem].append(table)
        # One data source a variant (plan_comparison splits or refuses the others).
        all_runs = [r for runs in by_scenario.values() for r in runs]
        data_name = all_runs[0].config.get("data.name")
        data_name = None if data_name is None else str(data_name)
        n_wards.discard(None)
        wards = n_wards.pop() if len(n_wards) == 1 else None
        fig_dir = tmp / "figures" / (variant_slug(cell) if several else "")
        # The maps on a reading worker, if there are any, while this process draws the
        # figures (each takes about 9 s for all of England's wards).
        maps_job = (
            None
            if reader is None
            else reader.start(_maps_on_worker, tables_by_stem, all_runs[0], fig_dir, wards, tmp)
        )
        log("  drawing figures" + ("" if maps_job is None else " (and the maps, on a worker)"))
        data = data_words(data_name, wards)
        pngs = _draw_variant(tables_by_stem, policy_start, fig_dir, log, data)
        if maps_job is None:
            drawn_maps[label] = _maps(tables_by_stem, all_runs[0], fig_dir, wards, log, tmp)
        else:
            if not maps_job.done():
                log("  waiting for the maps")
            drawn_maps[label], lines = maps_job.result()
            for line in lines:  # what the worker would have said, in its order
                log(line)
        rel = {name: p.relative_to(tmp).as_posix() for name, p in pngs.items()}
        spread = _spread(headlines) if headlines else None
        if spread is not None:
            extra = {k: str(v) for k, v in cell}
            splits.append(spread.reset_index().assign(**extra))
        variants.append(
            VariantResult(label, ensembles, policy_start, rel, data_name, wards, spread)
        )
    log("writing tables")
    written: list[str] = []
    for stem, parts in stacked.items():
        paths = write_table(pd.concat(parts, ignore_index=True), tmp / "tables", stem)
        written.append(paths[1].relative_to(tmp).with_suffix("").as_posix())
    if splits:
        paths = write_table(pd.concat(splits, ignore_index=True), tmp / "tables", "spread_split")
        written.append(paths[1].relative_to(tmp).with_suffix("").as_posix())
    side: SideBySide | None = None
    if several:
        side = _side_by_side(plan, stacked, variants, tmp, log)
        written.append("tables/variant_summary")
    _inventory_frame(inventory).to_csv(tmp / "runs.csv", index=False)
    log("writing report")
    vectors = {
        str(r.config.get(PARAM_DRAW)) for r in plan.runs if r.config.get(PARAM_DRAW) is not None
    }
    text = build_report(
        variants,
        sources,
        tables=[f"{w}.csv" for w in written],
        pooled=plan.pooled,
        param_draws=len(vectors) if PARAM_DRAW in plan.pooled else None,
        notes=notes,
        code=code,
        side_by_side=side,
    )
    for label, maps in drawn_maps.items():
        text += "\n" + maps_section(maps, f"Maps, {label}" if label else "Maps")
    (tmp / "report.md").write_text(text, encoding="utf-8")


def _spread(headlines: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """How much of each headline's spread comes from the parameter vectors and how much from
    the seeds, per future (:func:`lbn_sim.analysis.uncertainty.split_table` of
    :data:`~lbn_sim.analysis.uncertainty.COMPARE_HEADLINES`: one-way analysis of variance
    over the vectors, each vector's seeds as replicates). ``headlines``: a row per run,
    ``scenario``, ``draw`` (its ``param_draw``), ``seed`` and the headlines."""
    frame = pd.DataFrame(list(headlines))
    frame["draw"] = pd.to_numeric(frame["draw"], errors="coerce")
    return split_table(frame, COMPARE_HEADLINES, by="scenario")


def _maps_on_worker(
    tables: Mapping[str, pd.DataFrame],
    run: RunInfo,
    fig_dir: Path,
    n_wards: int | None,
    tmp: Path,
) -> tuple[list[str] | str, list[str]]:
    """:func:`_maps` on a worker process: what it returns, and the progress lines it logged
    (the boundaries read, dissolved or not cached), for this process to pass on."""
    lines: list[str] = []
    return _maps(tables, run, fig_dir, n_wards, lines.append, tmp), lines


def _maps(
    tables: Mapping[str, pd.DataFrame],
    run: RunInfo,
    fig_dir: Path,
    n_wards: int | None,
    log: Log,
    tmp: Path,
) -> list[str] | str:
    """A variant's ward maps (:func:`lbn_sim.compare.maps.comparison_maps`), as paths relative
    to the comparison folder ``tmp``, or the sentence the report says instead."""
    bands = tables.get("ward_end_bands")
    if bands is None or bands.empty:
        return "No map: the runs have no ward summaries."
    start, horizon = run.config.get("start_year"), run.config.get("horizon")
    years = (int(start), int(horizon)) if start is not None and horizon is not None else None
    if years is None:
        return "No map: the runs' config does not give their start year and horizon."
    data_dir = run.config.get("data.dir")
    maps = comparison_maps(
        bands,
        years,
        run.config.get("data.name"),
        None if data_dir is None else str(data_dir),
        fig_dir,
        n_wards,
        log,
    )
    return maps if isinstance(maps, str) else [p.relative_to(tmp).as_posix() for p in maps]
