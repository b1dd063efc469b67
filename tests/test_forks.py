"""Futures that share a history continue from one snapshot of it: the same bytes as full runs."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from lbn_sim.config import Config
from lbn_sim.data.synthetic import generate_wards
from lbn_sim.engine.model import LBNModel
from lbn_sim.runs.forks import ForkCache
from lbn_sim.runs.runner import simulate

FUTURES = ("worst_case", "base_case", "best_case")
TABLES = ("wards", "groups", "summary", "ledger", "balances")


@pytest.mark.slow
def test_forked_futures_are_the_same_bytes_as_full_runs(toy_cfg: Callable[..., Config]) -> None:
    forks = ForkCache()
    for future in FUTURES:
        cfg = toy_cfg(f"scenario={future}")
        full, forked = simulate(cfg), simulate(cfg, forks=forks)
        for table in TABLES:
            assert getattr(forked, table).equals(getattr(full, table)), (future, table)
    # The first future saved the history; the other two continued from it.
    assert (forks.misses, forks.hits) == (1, 2)


@pytest.mark.slow
def test_a_different_history_is_never_continued(toy_cfg: Callable[..., Config]) -> None:
    """Another seed, parameter or history lever is another history: it is run, not forked."""
    forks = ForkCache(capacity=4)
    simulate(toy_cfg("scenario=base_case"), forks=forks)
    for other in ("seed=1", "params.move_rate=0.06", "history.levers.programme_per_head=30"):
        cfg = toy_cfg("scenario=best_case", other)
        assert forks.get(cfg) is None, other
        forked = simulate(cfg, forks=forks)
        assert forked.wards.equals(simulate(cfg).wards), other
    assert forks.hits == 0


@pytest.mark.slow
def test_a_snapshot_refuses_a_config_with_another_history(
    toy_cfg: Callable[..., Config],
) -> None:
    wards = generate_wards(n_wards=120, seed=0)
    model = LBNModel(toy_cfg(), wards)
    model.run(until=2024)
    snap = model.snapshot()
    with pytest.raises(ValueError, match="cannot continue from a snapshot of 2024"):
        LBNModel.from_snapshot(toy_cfg("seed=3"), wards, snap)
    with pytest.raises(ValueError, match="last shared year 2026"):
        LBNModel.from_snapshot(toy_cfg("policy_start=2027"), wards, snap)
    # The snapshot is not changed by the futures that continue from it.
    first = LBNModel.from_snapshot(toy_cfg("scenario=best_case"), wards, snap)
    first.run()
    again = LBNModel.from_snapshot(toy_cfg("scenario=best_case"), wards, snap)
    again.run()
    assert first.ledger.flows().equals(again.ledger.flows())
    assert (first.history[-1]["imd_like"] == again.history[-1]["imd_like"]).all()
