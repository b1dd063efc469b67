"""Each channel of a mechanism, tested where it acts (the ward's year or the household's).

The model-level tests (``test_mechanisms.py``) read a mechanism's net effect on the
gaps, which another channel of the same mechanism can carry alone. Here each channel
is switched on and off at the rule that applies it, so deleting it fails a test.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from tests.conftest import quiet_year

from lbn_sim.engine.household_year import household_year
from lbn_sim.engine.model import LBNModel
from lbn_sim.engine.parameters import Params
from lbn_sim.engine.services import Service
from lbn_sim.engine.step import update_stocks, ward_year


def switched_off(params: Params, name: str) -> Params:
    """``params`` with mechanism ``name`` switched off."""
    return Params(params.changed(), switches=dataclasses.replace(params.switches, **{name: False}))


def spend_cut(spend: np.ndarray, service: Service, wards: np.ndarray) -> np.ndarray:
    """``spend`` with one service's money gone in ``wards`` (bool ``[n_wards]``)."""
    out = spend.copy()
    out[service, wards] = 0.0
    return out


def own_services(params: Params) -> Params:
    """``params`` with households using their own ward's services only (no neighbours'), so
    a change in one ward's services reaches no other ward."""
    return Params({**params.changed(), "neighbour_services": 0.0}, switches=params.switches)


def test_civic_assets_feed_health(toy_model: LBNModel) -> None:
    """Social infrastructure: community spaces lost, health follows (ward's lagged effect)."""
    wards, base = toy_model.wards, toy_model.baseline
    params = own_services(toy_model.params)
    cut = np.arange(wards.capacity.shape[0]) % 2 == 0
    low_capacity = wards.with_(capacity=np.zeros_like(wards.capacity))  # no takeover

    def d_health(p: Params, spend: np.ndarray) -> np.ndarray:
        return ward_year(low_capacity, quiet_year(2020, spend), p, base)[1].d_health

    spend = spend_cut(base.spend, Service.COMMUNITY_SPACES, cut)
    on = d_health(params, spend) - d_health(params, base.spend)
    assert (on[cut] < -1e-4).all() and np.abs(on[~cut]).max() < 1e-7
    off = switched_off(params, "social_infrastructure")
    np.testing.assert_allclose(d_health(off, spend), d_health(off, base.spend), atol=1e-7)


def test_networks_help_find_work(toy_model: LBNModel) -> None:
    """Social infrastructure: with the same draws, households who take part find work more
    often than those who do not; switched off, participation changes no one's work."""
    toy_model.step()
    hh, wards, base, params = (
        toy_model.households,
        toy_model.wards,
        toy_model.baseline,
        toy_model.params,
    )
    n_wards = wards.capacity.shape[0]

    def found(p: Params, participation: float) -> np.ndarray:
        cond = ward_year(wards, quiet_year(2021, base.spend), p, base)[1]
        people = hh.with_(participation=np.full_like(hh.participation, participation))
        out = household_year(people, cond, p, n_wards, np.random.default_rng(3))[0]
        return out.employed & ~hh.employed

    assert found(params, 0.9).sum() > 1.1 * found(params, 0.1).sum()
    off = switched_off(params, "social_infrastructure")
    np.testing.assert_array_equal(found(off, 0.9), found(off, 0.1))


def test_three_funded_years_leave_a_legacy(toy_model: LBNModel) -> None:
    """Long-term money: capacity keeps a legacy after three unbroken funded years; two-year
    pots with a gap never leave one; switched off, neither does."""
    wards, base, params = toy_model.wards, toy_model.baseline, toy_model.params
    people = wards.agg.people
    n = wards.capacity.shape[0]

    def legacy(p: Params, pattern: list[bool]) -> np.ndarray:
        w = wards
        for year, funded in enumerate(pattern, start=2020):
            inputs = dataclasses.replace(
                quiet_year(year, base.spend),
                capacity_support=np.full(n, 5.0) * people,
                community_funded=np.full(n, funded),
            )
            stocks = update_stocks(w, inputs, base, p)
            w = w.with_(
                quality=stocks.quality,
                capacity=stocks.capacity,
                legacy=stocks.legacy,
                years_funded=stocks.years_funded,
            )
        return w.legacy

    steady = [True] * 6
    stop_start = [True, True, False] * 2
    assert (legacy(params, steady) > 1e-4).all()
    np.testing.assert_array_equal(legacy(params, stop_start), 0.0)
    np.testing.assert_array_equal(legacy(switched_off(params, "long_term_money"), steady), 0.0)


def test_households_leave_where_work_is_scarce(toy_model: LBNModel) -> None:
    """Out-migration: more households move where employment is below England's; switched
    off, every ward moves at the same base rate."""
    wards, base, params = toy_model.wards, toy_model.baseline, toy_model.params
    employment = 1.0 - wards.agg.employment_deprivation
    england = np.average(employment, weights=wards.agg.people)
    move = ward_year(wards, quiet_year(2020, base.spend), params, base)[1].move
    below = employment < england - 0.01
    assert below.sum() >= 10 and (~below).sum() >= 10
    assert (move[below] > params.move_rate * 1.01).all()
    assert move[below].mean() > move[employment >= england].mean()
    off = switched_off(params, "out_migration")
    move_off = ward_year(wards, quiet_year(2020, base.spend), off, base)[1].move
    np.testing.assert_allclose(move_off, params.move_rate, rtol=1e-6)


def test_schools_shape_the_young(toy_model: LBNModel) -> None:
    """Education and skills: young households formed in a ward carry its schools' quality;
    switched off, schools make no difference to them."""
    wards, base = toy_model.wards, toy_model.baseline
    params = own_services(toy_model.params)
    cut = np.arange(wards.capacity.shape[0]) % 3 == 0

    def young(p: Params, spend: np.ndarray) -> np.ndarray:
        return np.asarray(ward_year(wards, quiet_year(2020, spend), p, base)[1].young_skill)

    spend = spend_cut(base.spend, Service.SCHOOLS, cut)
    change = young(params, spend) - young(params, base.spend)
    assert (change[cut] < -1e-4).all() and np.abs(change[~cut]).max() < 1e-9
    off = switched_off(params, "education_skills")
    np.testing.assert_array_equal(young(off, spend), young(off, base.spend))
