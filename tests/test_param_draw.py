"""``param_draw``: one vector of the calibration's accepted set as a run's parameters.

The key selects that vector's values (every entry it draws), leaves the registry's defaults
when unset, refuses a value outside the set and a ``params.NAME`` given with it, and runs
of one vector and seed share their history as runs of one seed do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path

import pytest
from tests.conftest import TOY, compose_cfg, run_cli

from lbn_sim.config import Config, refuse_params_with_draw
from lbn_sim.engine.snapshot import history_key
from lbn_sim.errors import ConfigError
from lbn_sim.params import BY_NAME
from lbn_sim.params.draws import accepted, accepted_count, accepted_vector
from lbn_sim.runs.sweep import check_jobs


def test_the_key_selects_that_vector_of_the_accepted_set() -> None:
    draws, _ = accepted()
    n = accepted_count()
    assert n == len(draws) >= 2
    for position in (0, n - 1):
        cfg = compose_cfg([*TOY, f"param_draw={position}"])
        assert cfg.param_draw == position
        params = asdict(cfg.params)
        assert {name: params[name] for name in draws.names} == draws.row(position)
        # an entry the set does not draw keeps its default
        assert all(params[k] == BY_NAME[k].default for k in params if k not in draws.names)
    assert accepted_vector(1) != accepted_vector(0)


def test_unset_it_leaves_the_registry_defaults() -> None:
    cfg = compose_cfg(TOY)
    assert cfg.param_draw is None
    assert asdict(cfg.params) == {name: p.default for name, p in BY_NAME.items()}
    # The history key is what it was before the key existed (it leaves param_draw out).
    assert "param_draw" in asdict(cfg)
    assert history_key(cfg) == history_key(compose_cfg([*TOY, "param_draw=null"]))


@pytest.mark.parametrize("bad", ["-1", "100000", "1.5", "abc", "true", "[1]"])
def test_a_value_outside_the_set_is_refused_naming_the_range(bad: str) -> None:
    n = accepted_count()
    with pytest.raises(ConfigError) as err:
        compose_cfg([*TOY, f"param_draw={bad}"])
    message = str(err.value)
    assert f"param_draw must be a whole number from 0 to {n - 1}" in message
    assert "got " in message


def test_a_parameter_given_with_a_draw_is_refused() -> None:
    # A value that is neither the default nor the vector's: refused by the config itself.
    with pytest.raises(ConfigError, match=r"params\.move_rate=0\.03 is given with param_draw=2"):
        compose_cfg([*TOY, "param_draw=2", "params.move_rate=0.03"])
    # One equal to the default cannot be told from one not given: the overrides say it.
    with pytest.raises(ConfigError, match="is given with param_draw=2"):
        refuse_params_with_draw(["param_draw=2", "params.move_rate=0.05"], 2)
    refuse_params_with_draw(["params.move_rate=0.05"], None)  # no draw: any params allowed
    refuse_params_with_draw(["param_draw=2", "mechanisms.connectivity=false"], 2)


def test_a_drawn_config_stays_drawn_when_changed() -> None:
    cfg = compose_cfg([*TOY, "param_draw=1"])
    other = replace(cfg, seed=5)
    assert asdict(other.params) == asdict(cfg.params)


def test_runs_of_one_vector_and_seed_share_a_history_key() -> None:
    key = history_key
    a = compose_cfg([*TOY, "param_draw=0", "scenario=worst_case"])
    b = compose_cfg([*TOY, "param_draw=0", "scenario=best_case"])
    c = compose_cfg([*TOY, "param_draw=1", "scenario=worst_case"])
    d = compose_cfg([*TOY, "param_draw=0", "scenario=worst_case", "seed=1"])
    assert key(a) == key(b)
    assert len({key(a), key(c), key(d), key(compose_cfg(TOY))}) == 4


def test_a_sweep_checks_every_jobs_draw_before_any_runs() -> None:
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from tests.conftest import CONF_DIR

    GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=CONF_DIR, version_base="1.3"):
        master = compose(config_name="config", overrides=TOY, return_hydra_config=True)
        with pytest.raises(ConfigError, match=r"sweep job 1 \(param_draw=100000\): param_draw"):
            check_jobs(master, [("param_draw=0",), ("param_draw=100000",)])
        with pytest.raises(ConfigError, match=r"sweep job 0 .*is given with param_draw=0"):
            check_jobs(master, [("param_draw=0", "params.move_rate=0.05")])
    GlobalHydra.instance().clear()


def test_a_draw_changes_the_run(toy_cfg: Callable[..., Config]) -> None:
    from lbn_sim.runs.runner import simulate

    short = ["horizon=2021", "policy_start=2020"]
    plain = simulate(toy_cfg(*short)).groups
    drawn = simulate(toy_cfg(*short, "param_draw=0")).groups
    assert not plain.equals(drawn)


def test_the_headline_names_the_parameter_vector(toy_cfg: Callable[..., Config]) -> None:
    """A single run says which vector it took: the registry's values (and that bands over the
    accepted set are what to quote), or its position in the set."""
    from lbn_sim.params.draws import accepted_count
    from lbn_sim.runs.runner import headline, simulate

    short = ["horizon=2021", "policy_start=2020"]
    n = accepted_count()
    plain_cfg = toy_cfg(*short)
    plain = headline(simulate(plain_cfg), plain_cfg).splitlines()[-1]
    assert plain.startswith("Parameters: the registry's values")
    assert f"sweep param_draw over the {n} accepted vectors" in plain
    drawn_cfg = toy_cfg(*short, "param_draw=3", "seed=5")
    drawn = headline(simulate(drawn_cfg), drawn_cfg).splitlines()[-1]
    assert drawn.startswith(f"Parameters: vector 3 of the calibration's {n} accepted vectors")
    assert "seed 5" in drawn


def test_the_command_line_refuses_a_bad_draw_before_anything_runs(tmp_path: Path) -> None:
    result = run_cli(
        "param_draw=-1", "data.n_wards=120", f"hydra.run.dir={tmp_path / 'run'}", cwd=tmp_path
    )
    assert result.returncode == 2, result.stderr
    assert "lbn_sim: error: param_draw must be a whole number from 0 to" in result.stderr
    assert "got -1" in result.stderr
    assert not (tmp_path / "run").exists()
