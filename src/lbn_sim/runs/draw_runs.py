"""Run groups of configs on worker processes and read figures from each run.

The engine behind the calibration (``scripts/calibrate_history.py``) and the
parameter-uncertainty ensembles (``experiments/parameter_uncertainty.py``): each job is a
:class:`Group` of override lists that share a history (the same parameter vector and seed,
different futures), run in turn by one worker, the later ones continuing from the history
the first saved (:class:`lbn_sim.runs.forks.ForkCache`; the same tables as full runs). A
worker loads each ward table once and keeps it. ``read(result, cfg, wards)`` turns a run
into a row of figures (``wards``: the input ward table); it must be a module-level function
(the workers receive it by reference). Nothing is written: the callers keep the figures.

Every run draws only from its own seed, so the figures do not depend on the number of
workers or the order the groups run in.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from lbn_sim.config import Config, DataConfig

#: A run's reader: ``(result, cfg, input ward table) -> {figure: value}``.
Reader = Callable[..., dict[str, object]]
Log = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Group:
    """Runs sharing one history: ``jobs`` are override lists that differ only in their own
    keys (the scenario, the horizon); ``tags`` are copied into each run's row."""

    jobs: tuple[tuple[str, ...], ...]
    tags: tuple[tuple[str, object], ...] = ()


def compose(overrides: Sequence[str]) -> Config:
    """The project's config with ``overrides`` (and no figures), checked as the command line
    checks it."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from lbn_sim.config import refuse_params_with_draw, register_configs, to_config
    from lbn_sim.runs.cli import conf_dir

    register_configs()
    GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=conf_dir(), version_base="1.3"):
        dcfg = hydra_compose(config_name="config", overrides=[*overrides, "plots=false"])
    cfg = to_config(dcfg)
    refuse_params_with_draw(overrides, cfg.param_draw)
    return cfg


# One worker's saved histories and ward table, kept from group to group.
_FORKS = None
_LOADED: dict[str, tuple[pd.DataFrame, str | None]] = {}


def _data_key(data: DataConfig) -> str:
    return json.dumps(asdict(data), sort_keys=True, default=repr)


def run_group(group: Group, read: Reader) -> tuple[list[dict[str, object]], float]:
    """Run the jobs of ``group`` in turn (one worker's task); a row per job (the group's
    tags, ``job``: its position in the group, then ``read``'s figures) and the wall seconds."""
    global _FORKS
    from lbn_sim.runs.forks import ForkCache
    from lbn_sim.runs.runner import load_wards, simulate

    logging.getLogger("MESA").setLevel(logging.WARNING)
    if _FORKS is None:
        _FORKS = ForkCache(capacity=1)
    tic = time.perf_counter()
    rows = []
    for position, job in enumerate(group.jobs):
        cfg = compose(job)
        key = _data_key(cfg.data)
        if key not in _LOADED:
            _LOADED.clear()  # one data source at a time: a real ward table is large
            _LOADED[key] = load_wards(cfg.data)
        result = simulate(cfg, forks=_FORKS if cfg.fork_histories else None, loaded=_LOADED[key])
        rows.append({**dict(group.tags), "job": position, **read(result, cfg, _LOADED[key][0])})
    return rows, time.perf_counter() - tic


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_groups(
    groups: Sequence[Group],
    read: Reader,
    workers: int = 1,
    log: Log = _say,
    record: Path | None = None,
    setup: dict[str, object] | None = None,
) -> list[dict[str, object]]:
    """Every group's rows, in the order of ``groups`` (whatever order they finish in), on
    ``workers`` processes (1: this one). Reports each group done, with the time so far and
    an estimate of the time left.

    ``record``: a CSV the rows are appended to as each group finishes (a ``group`` column
    numbers them), with ``setup`` (what the groups are: any JSON-able description) in a
    ``.json`` beside it. A record left by a run stopped part-way, with the same setup, is
    resumed: its groups are not run again, and every row is read back from the file, so a
    resumed run returns what a whole one does. The caller removes the record when it has
    kept the rows.

    Raises:
        ValueError: ``workers`` below 1, or a record made for another setup (or without its
            ``.json``).
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    skip: set[int] = set()
    if record is not None:
        skip = _open_record(record, setup or {})
        if skip:
            log(f"  resuming {record}: {len(skip)} of {len(groups)} groups done before")
    todo = [i for i in range(len(groups)) if i not in skip]
    tic = time.perf_counter()
    out: dict[int, list[dict[str, object]]] = {}

    def done(index: int, rows: list[dict[str, object]], seconds: float) -> None:
        out[index] = rows
        if record is not None:
            _append(record, [{"group": index, **row} for row in rows])
        spent = time.perf_counter() - tic
        left = spent / len(out) * (len(todo) - len(out))
        log(
            f"  group {len(out) + len(skip)}/{len(groups)} done ({seconds:.0f} s; "
            f"{spent / 60:.1f} min so far, about {left / 60:.1f} min left)"
        )

    if workers == 1 or len(todo) <= 1:
        for i in todo:
            done(i, *run_group(groups[i], read))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(run_group, groups[i], read): i for i in todo}
            for future in as_completed(futures):
                done(futures[future], *future.result())
    if record is not None:
        table = pd.read_csv(record).sort_values(["group", "job"], kind="stable")
        return [{k: v for k, v in row.items() if k != "group"} for row in table.to_dict("records")]
    return [row for i in sorted(out) for row in out[i]]


def _open_record(record: Path, setup: dict[str, object]) -> set[int]:
    """The groups a record already holds (none for a new record, whose setup is written)."""
    header = record.with_suffix(".json")
    text = json.dumps(setup, sort_keys=True, default=repr)
    if record.exists():
        if not header.is_file() or header.read_text() != text:
            raise ValueError(
                f"{record} holds the rows of other runs (its {header.name} differs or is "
                "missing): delete both to start again, or give another output"
            )
        return {int(g) for g in pd.read_csv(record, usecols=["group"])["group"].unique()}
    record.parent.mkdir(parents=True, exist_ok=True)
    header.write_text(text)
    return set()


def _append(record: Path, rows: list[dict[str, object]]) -> None:
    """Append ``rows`` to the CSV ``record``; a column the file lacks is added to it (the
    earlier rows left empty there)."""
    frame = pd.DataFrame(rows)
    if not (record.exists() and record.stat().st_size):
        frame.to_csv(record, index=False)
        return
    columns = list(pd.read_csv(record, nrows=0).columns)
    if set(frame.columns) <= set(columns):
        frame.reindex(columns=columns).to_csv(record, mode="a", header=False, index=False)
        return
    whole = pd.concat([pd.read_csv(record), frame], ignore_index=True)
    staged = record.with_suffix(".tmp")
    whole.to_csv(staged, index=False)
    staged.replace(record)
