"""Group runs into variants (swept keys) and futures, refusing runs not made as one sweep."""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lbn_sim.compare.runs import (
    CONFIG_FILE,
    OVERRIDES_FILE,
    SCENARIO_KEY,
    SEED_KEY,
    CompareRefusal,
    RunInfo,
    override_key,
)

IGNORED_PREFIXES: tuple[str, ...] = ("hydra", "plots")
"""Config keys that never split runs: Hydra's own, and output-only switches."""

DATA_PREFIX = "data"
"""Config group of the data the runs start from: runs that differ in a key under it are
never compared side by side in one variant (see :func:`plan_comparison`)."""

DATA_SOURCE_KEYS: tuple[str, ...] = ("data.name", "data.n_wards")
"""Keys that say which wards a run simulates: never pooled within one future."""

PARAM_DRAW = "param_draw"
"""The key running one vector of the calibration's accepted set (:class:`lbn_sim.config.Config`):
pooled, the bands carry the parameters' uncertainty and the report splits each headline's
spread between the vectors and the seeds."""

CALENDAR_KEYS: tuple[str, ...] = ("start_year", "policy_start", "horizon")
"""Keys that set a run's years: like the data keys, they split variants (the futures of
one variant share their years) and are never pooled (a band would mix years)."""


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
    """True when an override (not in ``exclude``) sets ``key``, a group holding it, or a part
    of it (``scenario.phases.0.from_year`` sets ``scenario.phases``, a list kept as one key)."""
    return any(
        (key == o or key.startswith(o + ".") or o.startswith(key + ".")) and o not in exclude
        for o in overridden
    )


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
    if key in CALENDAR_KEYS:
        raise CompareRefusal(
            f"--pool {key}: it sets the runs' years, so pooling would put different years "
            f"in one band and one future's horizon or branch year; compare them as variants "
            f"(without --pool {key})"
        )
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
    for data_key in DATA_SOURCE_KEYS:
        if not (data_key == key or data_key.startswith(key + ".")):
            continue
        by_future: dict[str, list[Any]] = defaultdict(list)
        for run in runs:
            by_future[run.scenario].append(run.config.get(data_key, _MISSING))
        for name, values in sorted(by_future.items()):
            if len({json.dumps(v, default=str) for v in values}) > 1:
                raise CompareRefusal(
                    f"--pool {key}: the runs of {name} differ in '{data_key}' "
                    f"({', '.join(_value_text(values))}), so pooling them would mix "
                    "different wards in one band; compare them as variants (without "
                    f"--pool {key})"
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
    config group's other fields) do not clutter labels. A key under ``data`` (the
    wards the runs simulate) is a dimension whenever it splits the runs, even when it
    varies only with the future: futures run on different data are never drawn side
    by side as if on the same wards.

    Raises:
        CompareRefusal: no runs, a run without ``scenario.name``, unswept keys
            without ``force``, or a ``pool`` key that is the scenario or the seed, that
            no run has, that has one value in every run, or that would pool runs of one
            future on different data (:data:`DATA_SOURCE_KEYS`).
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
        # A data or calendar key splits the variants themselves, so that it never varies
        # between the futures of one variant; any other key, the runs of one future.
        together = key.startswith(DATA_PREFIX + ".") or key in CALENDAR_KEYS
        apart = () if together else (SCENARIO_KEY,)
        before = {(*_cell_key(run, dims), *_cell_key(run, apart)) for run in runs}
        after = {(*_cell_key(run, [*dims, key]), *_cell_key(run, apart)) for run in runs}
        if len(after) > len(before):
            dims.append(key)
    cells: dict[tuple[tuple[str, Any], ...], dict[str, list[RunInfo]]] = {}
    for run in runs:
        cells.setdefault(_cell_key(run, dims), {}).setdefault(run.scenario, []).append(run)
    return ComparisonPlan(tuple(runs), tuple(dims), unswept, cells, tuple(pool))


def _cell_key(run: RunInfo, dims: Sequence[str]) -> tuple[tuple[str, Any], ...]:
    return tuple((k, run.config.get(k, _MISSING)) for k in dims)


def _is_set(value: Any) -> bool:
    return value is not None and value != _MISSING


def variant_label(cell: Sequence[tuple[str, Any]]) -> str:
    """``"data.name=england_2019, households.sample_rate=0.1"`` ("" for none).

    A key that is None (or absent) for the variant is left out (the real data have no
    ``data.n_wards``); when every key is, the label says so
    (``"data.n_wards not set"``).
    """
    shown = [(k, v) for k, v in cell if _is_set(v)]
    if not shown:
        return ", ".join(f"{k} not set" for k, _ in cell)
    return ", ".join(f"{k}={v}" for k, v in shown)


#: Longest variant folder name: a list-valued key (``scenario.phases``) can be long, and
#: file systems refuse names beyond 255 bytes.
MAX_SLUG = 120


def variant_slug(cell: Sequence[tuple[str, Any]]) -> str:
    """A file-name-safe form of :func:`variant_label`; one longer than :data:`MAX_SLUG` is
    cut and ends with a short hash of the whole (so two long labels stay apart)."""
    text = "__".join(f"{k}-{v}" for k, v in cell)
    slug = "".join(c if c.isalnum() or c in "-_.=" else "_" for c in text) or "all"
    if len(slug) > MAX_SLUG:
        digest = hashlib.sha256(text.encode()).hexdigest()[:10]
        slug = f"{slug[: MAX_SLUG - 11]}_{digest}"
    return slug


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
