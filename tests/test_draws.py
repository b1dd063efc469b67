"""Parameter draws from the registry (:mod:`lbn_sim.params.draws`): deterministic, every value
within its range, whole numbers whole, overrides a config accepts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.conftest import TOY, compose_cfg

from lbn_sim.errors import ConfigError
from lbn_sim.params import BY_NAME, REGISTRY
from lbn_sim.params.draws import (
    ORDERED_PAIRS,
    Draws,
    check_orderings,
    default_names,
    from_frame,
    latin_hypercube,
    main,
    overrides,
)


def test_the_same_seed_gives_the_same_draws_and_another_seed_others() -> None:
    a, b = latin_hypercube(20, seed=3), latin_hypercube(20, seed=3)
    np.testing.assert_array_equal(a.values, b.values)
    assert a.names == b.names == default_names()
    assert not np.array_equal(a.values, latin_hypercube(20, seed=4).values)


def test_every_value_is_within_its_range_and_whole_numbers_stay_whole() -> None:
    draws = latin_hypercube(64, seed=0)
    assert draws.values.shape == (64, len(default_names()))
    whole = 0
    for j, name in enumerate(draws.names):
        p, column = BY_NAME[name], draws.values[:, j]
        assert (column >= p.low).all() and (column <= p.high).all(), name
        if p.whole:
            whole += 1
            assert (column == np.round(column)).all(), name
            # Every whole number of a small range is drawn (a Latin hypercube's strata).
            assert set(column) == set(np.arange(p.low, p.high + 1)), name
    assert whole >= 1
    for i in range(len(draws)):
        for text in draws.overrides(i):
            name, value = text.removeprefix("params.").split("=")
            if BY_NAME[name].whole:
                assert value.isdigit(), text


def test_a_latin_hypercube_fills_every_stratum_of_every_range() -> None:
    n = 10
    draws = latin_hypercube(n, seed=1, names=["move_rate", "agglomeration"])
    for j, name in enumerate(draws.names):
        p = BY_NAME[name]
        strata = np.floor((draws.values[:, j] - p.low) / (p.high - p.low) * n)
        assert sorted(strata) == list(range(n))


def test_the_default_set_is_every_entry_with_a_range() -> None:
    assert set(default_names()) == {p.name for p in REGISTRY if p.low < p.high}
    assert len(default_names()) == len(REGISTRY)  # every entry has a range today


def test_orderings_named_by_the_table_hold_in_every_draw() -> None:
    for low, high in ORDERED_PAIRS:
        assert low in BY_NAME and high in BY_NAME
    draws = latin_hypercube(50, seed=2)
    for i in range(len(draws)):
        row = draws.row(i)
        for low, high in ORDERED_PAIRS:
            assert row[low] < row[high]


def test_overrides_compose_into_a_config_that_reads_them() -> None:
    draws = latin_hypercube(2, seed=0, names=["move_rate", "long_term_max_years"])
    cfg = compose_cfg([*TOY, *draws.overrides(1)])
    assert cfg.params.move_rate == draws.row(1)["move_rate"]
    assert cfg.params.long_term_max_years == draws.row(1)["long_term_max_years"]
    # Every entry drawn, at once: the config's schema accepts the whole vector.
    full = latin_hypercube(1, seed=5)
    cfg = compose_cfg([*TOY, *full.overrides(0)])
    assert cfg.params.agglomeration == full.row(0)["agglomeration"]


def test_bad_requests_fail_with_a_message() -> None:
    with pytest.raises(ConfigError, match=r"did you mean params\.move_rate"):
        latin_hypercube(3, names=["move_rat"])
    with pytest.raises(ConfigError, match="at least one"):
        latin_hypercube(0)
    with pytest.raises(ConfigError, match="named twice"):
        latin_hypercube(3, names=["move_rate", "move_rate"])
    with pytest.raises(ConfigError, match=r"params.move_rate must be in"):
        overrides({"move_rate": 0.5})
    # The registry's ranges of ordered pairs do not overlap, so no draw can break an order;
    # the check itself refuses one that does.
    with pytest.raises(ConfigError, match="must be below"):
        check_orderings({"takeover_capacity_low": 0.5, "takeover_capacity_high": 0.45})
    with pytest.raises(ValueError, match="shape"):
        Draws(("move_rate",), np.zeros((2, 2)))


def test_a_table_of_draws_reads_back() -> None:
    draws = latin_hypercube(5, seed=7, names=["move_rate", "legacy_min_years"])
    table = draws.frame().assign(implausibility=1.0)
    with pytest.raises(ConfigError, match="implausibility are not registry entries"):
        from_frame(table)
    back = from_frame(table, other=("draw", "implausibility"))
    assert back.names == draws.names
    np.testing.assert_array_equal(back.values, draws.values)
    with pytest.raises(ConfigError, match="no column"):
        from_frame(pd.DataFrame({"x": [1.0]}), other=("x",))
    bad = table.copy()
    bad.loc[0, "move_rate"] = 9.0
    with pytest.raises(ConfigError, match="move_rate"):
        from_frame(bad, other=("draw", "implausibility"))


def test_the_command_writes_csv(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["3", "--seed", "1", "--names", "move_rate"]) == 0
    out = capsys.readouterr()
    assert out.out.splitlines()[0] == "draw,move_rate"
    assert len(out.out.splitlines()) == 4
    assert "1 registry entries drawn" in out.err
    assert main(["3", "--names", "nope"]) == 2


def test_the_shipped_accepted_set_reads_with_today_s_registry() -> None:
    """The history matching's kept vectors (``docs/calibration.md``) are registry entries
    within today's ranges, as many as its note says were kept, each a vector it tried."""
    import json

    from lbn_sim.params.draws import ACCEPTED, accepted

    draws, ids = accepted()
    meta = json.loads(ACCEPTED.with_suffix(".json").read_text())
    assert len(draws) == len(ids) == meta["kept"] > 0
    if "replay_wave" in meta:  # a second wave kept these of the first wave's
        assert meta["replay_wave"]["kept"] == meta["kept"] <= meta["replay_wave"]["first_wave_kept"]
    assert len(set(ids)) == len(ids)
    spans = [  # a joined set's batches (scripts/merge_accepted.py), else one batch from 0
        (b["first_number"], b["first_number"] + b["tried"])
        for b in meta.get(
            "draw_batches", [{"first_number": meta.get("first_number", 0), "tried": meta["tried"]}]
        )
    ]
    assert sum(end - start for start, end in spans) == meta["tried"]
    assert all(any(start <= i < end for start, end in spans) for i in ids)
    assert set(draws.names) <= set(BY_NAME)
    table = pd.read_csv(ACCEPTED)
    assert (table["max_implausibility"] < meta["cut"]).all()


def test_a_missing_or_empty_accepted_set_says_so(tmp_path: Path) -> None:
    from lbn_sim.params.draws import accepted

    with pytest.raises(ConfigError, match="no accepted set"):
        accepted(tmp_path / "none.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("draw,move_rate,max_implausibility\n")
    with pytest.raises(ConfigError, match="holds no vector"):
        accepted(empty)
