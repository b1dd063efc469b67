"""Fuzzing the inputs a user types or damages (issue 23).

* Random overrides of the levers and conditions (NaN, infinity, huge and negative numbers,
  numbers of the wrong kind, text, lists), in the scenario, its phases and the history:
  each composes to a clean config, or is refused by one error naming the key.
* A few random valid settings run at toy size: the money balances to the penny and every
  rate stays in [0, 1].
* Random damage to one file of a finished sweep (cut short, emptied, another table copied
  over it, garbage): ``lbn_sim.compare`` exits 2 with one line naming the file (or the
  run whose tables disagree), writes nothing, and changes neither the runs nor an
  earlier comparison.

Examples are drawn from a fixed seed (``derandomize=True``), so CI sees the same ones
every time; the budgets are fixed (:data:`N_OVERRIDES`, :data:`N_RUNS`,
:data:`N_DAMAGES`).
"""

from __future__ import annotations

import math
import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hydra.errors import HydraException
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from omegaconf.errors import OmegaConfBaseException
from tests.conftest import TOY, compose_cfg
from tests.test_reliability_inputs import (
    ERROR,
    earlier_comparison,
    error_lines,
    tree_digest,
)

from lbn_sim.config import MAX_PER_HEAD, Config, ConfigError, PolicyLevers

#: Examples tried by each property (a fixed budget; about 0.15 s a composition).
N_OVERRIDES = 40
N_RUNS = 6
N_DAMAGES = 40

FLOAT_LEVERS = (
    "la_real_growth",
    "la_deprivation_gradient",
    "ring_fenced_growth",
    "la_spend_share",
    "programme_per_head",
    "least_first_share",
    "devolution_share",
    "capacity_building_per_head",
    "education_per_head",
    "health_per_head",
    "connectivity_per_head",
    "jobs_per_head",
    "benefit_uprating",
)
MACRO = ("real_wage_growth", "cost_of_living_pressure", "price_shock_size", "recession_severity")
SPECIAL = (math.nan, math.inf, -math.inf, 1e308, -1e308, 1e-300, -0.0, 10_000.0, 10_000.01)


def numbers() -> st.SearchStrategy[Any]:
    """Floats of every kind (NaN, infinities, huge, tiny, negative), integers, booleans."""
    return st.one_of(
        st.sampled_from(SPECIAL),
        st.floats(allow_nan=True, allow_infinity=True),
        st.floats(-1.0, 1.0),
        st.integers(-(10**20), 10**20),
        st.booleans(),
    )


def wrong() -> st.SearchStrategy[Any]:
    """Values of the wrong kind for a number."""
    return st.one_of(
        st.sampled_from(["abc", "", "1,5", "nan", "1e999"]),
        st.lists(st.integers(0, 3), max_size=2),
        st.none(),
    )


def hydra_value(value: Any) -> str:
    """``value`` written as Hydra's override grammar reads it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if value is None:
        return "null"
    if isinstance(value, list):
        return "[" + ",".join(hydra_value(v) for v in value) + "]"
    return "'" + str(value).replace("'", "\\'") + "'"


@st.composite
def lever_override(draw: st.DrawFn) -> tuple[str, str, str]:
    """``(override, key as the error names it, lever)``: one lever or condition set to a
    random value, in the scenario, the history or a phase."""
    where = draw(st.sampled_from(["scenario.levers", "history.levers", "phase", "macro"]))
    value = draw(st.one_of(st.sampled_from(SPECIAL), numbers(), wrong()))
    if where == "macro":
        owner = draw(st.sampled_from(["scenario.macro", "history.macro"]))
        name = draw(st.sampled_from(MACRO))
        return f"{owner}.{name}={hydra_value(value)}", f"{owner}.{name}", name
    # (The money levers first: the draws lean towards the first of a list.)
    money = [n for n in FLOAT_LEVERS if n.endswith("_per_head")]
    others = [n for n in FLOAT_LEVERS if n not in money]
    name = draw(st.sampled_from([*money, *others, "award_years", "allocation"]))
    if where == "phase":
        text = f"+scenario.phases=[{{from_year:2030,levers:{{{name}:{hydra_value(value)}}}}}]"
        return text, f"scenario.phases[0].levers.{name}", name
    return f"{where}.{name}={hydra_value(value)}", f"{where}.{name}", name


def assert_clean(cfg: Config) -> None:
    """Every lever and condition of ``cfg`` is finite (NaN and infinity never get in)."""
    stages = [levers for _, levers, _ in cfg.scenario.stages(cfg.policy_start, cfg.horizon)]
    for levers in [*stages, cfg.history.levers]:
        for name in FLOAT_LEVERS:
            assert math.isfinite(getattr(levers, name)), name
    for macro in (cfg.scenario.macro, cfg.history.macro):
        for name in MACRO:
            assert math.isfinite(getattr(macro, name)), name


@settings(
    max_examples=N_OVERRIDES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(overrides=st.lists(lever_override(), min_size=1, max_size=2))
@pytest.mark.slow
def test_random_lever_overrides_compose_cleanly_or_are_refused_by_name(
    overrides: list[tuple[str, str, str]], tmp_path: Path
) -> None:
    phase = [o for o in overrides if o[0].startswith("+scenario.phases")]
    overrides = [o for o in overrides if not o[0].startswith("+scenario.phases")] + phase[:1]
    before = sorted(tmp_path.iterdir())
    try:
        cfg = compose_cfg([*TOY, *(text for text, _, _ in overrides)])
    except ConfigError as err:  # a domain rule: names the key it is about
        message = str(err)
        assert "\n" not in message, message
        assert any(message.startswith(key) for _, key, _ in overrides), (message, overrides)
    except (HydraException, OmegaConfBaseException) as err:  # a value of the wrong type
        message = " ".join(str(err).split())
        assert any(name in message for _, _, name in overrides), (message, overrides)
    else:
        assert_clean(cfg)
    assert sorted(tmp_path.iterdir()) == before  # composing writes nothing


# -- a few clean runs -------------------------------------------------------------------


@settings(
    max_examples=N_RUNS,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@pytest.mark.slow
@given(
    programme=st.floats(0, 200),
    extra=st.floats(0, MAX_PER_HEAD),
    which=st.sampled_from(FLOAT_LEVERS[7:12]),
    growth=st.floats(-0.2, 0.2),
    devolution=st.floats(0, 1),
    allocation=st.sampled_from(["competitive", "formula", "devolved"]),
    phase_programme=st.one_of(st.none(), st.floats(0, 200)),
    seed=st.integers(0, 100),
)
def test_random_clean_settings_keep_the_money_balanced_and_rates_in_range(
    programme: float,
    extra: float,
    which: str,
    growth: float,
    devolution: float,
    allocation: str,
    phase_programme: float | None,
    seed: int,
) -> None:
    from lbn_sim.analysis.divergence import RATE_INDICATORS
    from lbn_sim.engine.agents.accounts import EXTERNAL_SOURCES
    from lbn_sim.engine.ledger import conservation_errors
    from lbn_sim.runs.runner import simulate

    lv = "scenario.levers"
    overrides = [
        *TOY,
        "data.n_wards=40",
        "horizon=2035",
        f"seed={seed}",
        f"{lv}.programme_per_head={programme!r}",
        f"{lv}.{which}={extra!r}",
        f"{lv}.la_real_growth={growth!r}",
        f"{lv}.devolution_share={devolution!r}",
        f"{lv}.allocation={allocation}",
    ]
    if phase_programme is not None:
        overrides.append(
            f"+scenario.phases=[{{from_year:2030,levers:{{programme_per_head:{phase_programme!r}}}}}]"
        )
    cfg = compose_cfg(overrides)
    assert_clean(cfg)
    result = simulate(cfg)
    errors = conservation_errors(result.ledger, result.balances, set(EXTERNAL_SOURCES))
    assert errors.empty, errors.head()
    rates = result.wards[list(RATE_INDICATORS)].to_numpy(dtype=float)
    assert np.isfinite(rates).all()
    assert ((rates >= 0) & (rates <= 1)).all()


# -- random damage to a finished sweep --------------------------------------------------

TABLES = ("groups.parquet", "wards.parquet", "ward_summary.csv")
YAMLS = (".hydra/config.yaml", ".hydra/overrides.yaml")


@pytest.fixture(scope="module")
def clean_sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.test_compare import FEW, write_multirun

    return write_multirun(tmp_path_factory.mktemp("fuzz") / "sweep", range(1), FEW)


@st.composite
def damage(draw: st.DrawFn) -> tuple[str, str, Any]:
    """``(file relative to the sweep, kind, parameter)``."""
    target = draw(
        st.one_of(
            st.tuples(st.sampled_from("012"), st.sampled_from(TABLES + YAMLS)).map(
                lambda t: f"{t[0]}/{t[1]}"
            ),
            st.just("multirun.yaml"),
        )
    )
    kinds = ["empty", "garbage", "other table"]
    if target.endswith(".parquet"):
        kinds.append("cut")
    if target.endswith(".csv"):
        kinds.append("cut")  # (cut well short: a row lost)
    if target.endswith(".yaml"):
        kinds += ["unclosed", "not a mapping"]
    kind = draw(st.sampled_from(kinds))
    if kind == "cut":
        return target, kind, draw(st.floats(0.0, 0.9))
    if kind == "garbage":
        return target, kind, draw(st.binary(min_size=0, max_size=300))
    if kind == "other table":
        return target, kind, draw(st.sampled_from(TABLES))
    return target, kind, None


def apply_damage(sweep: Path, target: str, kind: str, param: Any) -> None:
    path = sweep / target
    data = path.read_bytes()
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "cut":
        path.write_bytes(data[: int(len(data) * param)])
    elif kind == "garbage":
        path.write_bytes(b"\xff\x00[" + param)  # never valid UTF-8, YAML, CSV or parquet
    elif kind == "other table":
        run = target.split("/")[0] if "/" in target else "0"
        source = sweep / run / param
        if source.resolve() == path.resolve():
            source = path.parent / (TABLES[(TABLES.index(param) + 1) % len(TABLES)])
        shutil.copyfile(source, path)
    elif kind == "unclosed":
        path.write_bytes(data + b"\nseed: [\n")
    elif kind == "not a mapping":
        path.write_bytes(b"- just\n- a list\n" if "overrides" not in target else b"a: 1\n")


@settings(
    max_examples=N_DAMAGES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(hurt=damage())
def test_random_damage_is_named_and_nothing_earlier_is_lost(
    hurt: tuple[str, str, Any],
    clean_sweep: Path,
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from lbn_sim.compare.__main__ import main

    target, kind, param = hurt
    work = tmp_path_factory.mktemp("damaged")
    sweep = work / "sweep"
    shutil.copytree(clean_sweep, sweep)
    apply_damage(sweep, target, kind, param)
    before = tree_digest(sweep)
    out = earlier_comparison(work / "comparison")
    earlier = tree_digest(out)
    capsys.readouterr()
    code = main([str(sweep), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2, (hurt, err)
    (line,) = error_lines(err)
    damaged = sweep / target
    named = (damaged, damaged.parent, damaged.parent.parent)  # the file, or its run
    assert any(line.startswith(f"{ERROR}{p}: ") for p in named), (hurt, line)
    assert tree_digest(sweep) == before, "compare changed the runs"
    assert tree_digest(out) == earlier, "the earlier comparison was not kept"
    assert sorted(p.name for p in work.iterdir()) == ["comparison", "sweep"]
    shutil.rmtree(work)


def test_the_budgets_are_fixed() -> None:
    """The examples tried, for the record (CI runs these with ``derandomize``)."""
    assert (N_OVERRIDES, N_RUNS, N_DAMAGES) == (40, 6, 40)
    assert os.environ.get("CI") is None or settings.default.derandomize
    assert PolicyLevers().programme_per_head == 0.0
