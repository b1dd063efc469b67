"""Money: every pound is accounted for, to the penny."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from tests.conftest import TOY, compose_cfg

from lbn_sim.data.synthetic import generate_wards
from lbn_sim.engine.agents.accounts import CENTRAL, EXTERNAL_SOURCES
from lbn_sim.engine.ledger import DELIVERED, conservation_errors, split_pence
from lbn_sim.engine.model import LBNModel

EXTERNAL = set(EXTERNAL_SOURCES)


@given(
    totals=st.lists(st.integers(0, 10**12), min_size=1, max_size=6),
    data=st.data(),
)
def test_split_pence_is_exact(totals: list[int], data: st.DataObject) -> None:
    n_groups = len(totals)
    n_items = data.draw(st.integers(1, 40))
    groups = np.array(
        data.draw(st.lists(st.integers(0, n_groups - 1), min_size=n_items, max_size=n_items))
    )
    weights = np.array(data.draw(st.lists(st.floats(0, 1e6), min_size=n_items, max_size=n_items)))
    parts = split_pence(np.array(totals, dtype=np.int64), groups, weights)
    assert parts.dtype == np.int64 and (parts >= 0).all()
    got = np.bincount(groups, weights=parts, minlength=n_groups)
    wsum = np.bincount(groups, weights=weights, minlength=n_groups)
    for g in range(n_groups):
        expected = totals[g] if wsum[g] > 0 else 0
        assert int(got[g]) == expected
    assert (parts[weights == 0] == 0).all()


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # each example is a whole run
)
@pytest.mark.slow
@given(
    allocation=st.sampled_from(["competitive", "formula", "devolved"]),
    award_years=st.integers(1, 15),
    spend_share=st.floats(0.5, 1.0),
    capital_share=st.floats(0.0, 1.0),
    programme=st.floats(0, 50),
    growth=st.floats(-0.05, 0.05),
    gradient=st.floats(-0.02, 0.02),
    ring_fenced=st.floats(-0.2, 0.2),
    seed=st.integers(0, 1000),
)
def test_money_is_conserved_to_the_penny(
    allocation: str,
    award_years: int,
    spend_share: float,
    capital_share: float,
    programme: float,
    growth: float,
    gradient: float,
    ring_fenced: float,
    seed: int,
) -> None:
    lv = "scenario.levers"
    cfg = compose_cfg(
        [
            *TOY,
            "data.n_wards=40",
            "horizon=2040",
            f"seed={seed}",
            f"{lv}.allocation={allocation}",
            f"{lv}.award_years={award_years}",
            f"{lv}.la_spend_share={spend_share}",
            f"{lv}.capital_share={capital_share}",
            f"{lv}.programme_per_head={programme}",
            f"{lv}.capacity_building_per_head={programme / 3}",
            f"{lv}.la_real_growth={growth}",
            f"{lv}.la_deprivation_gradient={gradient}",
            f"{lv}.ring_fenced_growth={ring_fenced}",
        ]
    )
    model = LBNModel(cfg, generate_wards(n_wards=40, seed=seed % 7))
    model.run()
    flows, balances = model.ledger.flows(), model.ledger.balances()
    errors = conservation_errors(flows, balances, EXTERNAL)
    assert errors.empty, errors.head()
    # Every pound central government sent reached a ward service or sits in an account.
    for year in range(cfg.start_year + 1, cfg.horizon + 1):
        f = flows[flows["year"] == year]
        sent = int(f.loc[f["source"] == CENTRAL, "pence"].sum())
        delivered = int(
            f.loc[(f["destination"] == DELIVERED) & (f["mechanism"] == "delivery"), "pence"].sum()
            - f.loc[f["source"] == "donors", "pence"].sum()
        )
        b = balances[balances["year"] == year]
        b_prev = balances[balances["year"] == year - 1]
        held_change = int(b["pence"].sum()) - int(b_prev["pence"].sum())
        assert sent == delivered + held_change, year


def test_money_used_by_services_is_the_money_delivered() -> None:
    """With local power off, what services spend is exactly what the ledger delivered."""
    cfg = compose_cfg(
        [
            *TOY,
            "data.n_wards=40",
            "horizon=2032",
            "scenario=best_case",
            "mechanisms.local_power=false",
        ]
    )
    model = LBNModel(cfg, generate_wards(n_wards=40, seed=0))
    for _ in range(cfg.horizon - cfg.start_year):
        model.step()
        assert model.ward_services.delivered is not None
        m_other, m_dev, charity, ring = model.ward_services.delivered
        used = sum(
            float(m.running.sum() + m.capital.sum() + m.capacity_support.sum())
            for m in (m_other, m_dev)
        ) + float(charity.sum() + ring.sum())
        flows = model.ledger.flows()
        f = flows[(flows["year"] == model.year) & (flows["destination"] == DELIVERED)]
        delivered = int(f.loc[f["mechanism"] == "delivery", "pence"].sum())
        assert abs(used * 100 - delivered) < 1.0 + 1e-9 * delivered, model.year


def test_conservation_check_can_fail() -> None:
    cfg = compose_cfg([*TOY, "data.n_wards=30", "policy_start=2020", "horizon=2022"])
    model = LBNModel(cfg, generate_wards(n_wards=30, seed=0))
    model.run()
    flows = model.ledger.flows()
    flows.loc[flows.index[-1], "pence"] += 1  # one penny appears from nowhere
    assert not conservation_errors(flows, model.ledger.balances(), EXTERNAL).empty


def test_local_power_does_not_stretch_ring_fenced_grants() -> None:
    """With local power on, the services' running money is the ring-fenced grants as
    delivered plus the other money times the local-power multiplier: schools and health
    grants are spent as Whitehall sets them, however capable the community."""
    from lbn_sim.engine.mechanisms.local_power import local_power
    from lbn_sim.engine.step import YearInputs

    seen: list[YearInputs] = []

    def spy(m: LBNModel) -> None:
        """The inputs the core advanced each simulated year with."""
        if m.year > m.cfg.start_year:
            assert m.now.inputs is not None
            seen.append(m.now.inputs)

    cfg = compose_cfg([*TOY, "data.n_wards=40", "horizon=2028", "scenario=best_case"])
    model = LBNModel(cfg, generate_wards(n_wards=40, seed=0), on_year=spy)
    for _ in range(cfg.horizon - cfg.start_year):
        # The multiplier reads the capacity at the start of the year being simulated.
        levers = model.regime(model.year + 1).levers
        p_other, p_dev = local_power(model.wards.capacity, levers.devolution_share, model.params)
        model.step()
        assert len(seen) == model.year - cfg.start_year
        assert model.ward_services.delivered is not None
        m_other, m_dev, charity, ring = model.ward_services.delivered
        expected = (m_other.running + charity) * p_other + ring + m_dev.running * p_dev
        np.testing.assert_allclose(seen[-1].spend, expected, rtol=1e-12)
    # Grants flow and local power bites (its partnership cost and gain move the rest).
    assert ring.sum() > 0 and np.abs(p_other - 1.0).max() > 0.02
