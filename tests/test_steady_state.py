"""Where nothing changes, nothing moves: the start is a steady state of every rule.

A future in which every lever is at its neutral value and the economy grows at its
trend must not drift: drift there would be read as a policy's effect in every future.
Also the year-to-year pieces that used to break it: the first year's settlement,
newcomers' stress, closed community spaces reopening, and money that cannot overflow
or lose pence.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np
import pytest
from tests.conftest import compose_cfg, quiet_year

from lbn_sim.config import Config, ConfigError
from lbn_sim.data.synthetic import generate_wards
from lbn_sim.engine.ledger import MAX_PENCE, MoneyRangeError, pounds_to_pence, split_pence
from lbn_sim.engine.model import LBNModel
from lbn_sim.engine.services import Service
from lbn_sim.engine.step import update_stocks
from lbn_sim.runs.runner import RunResult, simulate


def neutral(regime: str) -> list[str]:
    """Overrides setting one regime's levers to neutral and its economy to trend growth."""
    levers = {
        "la_real_growth": 0.0,
        "la_deprivation_gradient": 0.0,
        "ring_fenced_growth": 0.0,
        "programme_per_head": 0.0,
        "benefit_uprating": 0.0,
        "devolution_share": 0.0,
        "capacity_building_per_head": 0.0,
        "education_per_head": 0.0,
        "health_per_head": 0.0,
        "connectivity_per_head": 0.0,
        "jobs_per_head": 0.0,
    }
    macro = {
        "real_wage_growth": 0.01,
        "cost_of_living_pressure": 0.0,
        "price_shock_size": 0.0,
        "price_shock_years": "[]",
        "recession_years": "[]",
    }
    return [f"{regime}.levers.{k}={v}" for k, v in levers.items()] + [
        f"{regime}.macro.{k}={v}" for k, v in macro.items()
    ]


def quiet_run(seed: int, sample_rate: float = 0.1) -> RunResult:
    """A quiet world (every lever neutral, no shocks, no wards' luck) on a 300-ward synthetic
    England, ``sample_rate`` of the households simulated outside the left-behind wards."""
    return simulate(
        compose_cfg(
            [
                "data.n_wards=300",
                f"households.sample_rate={sample_rate}",
                "households.left_behind_sample_rate=1.0",
                "households.min_per_ward=60",
                "plots=false",
                "scenario=base_case",
                # Growth sent to well-linked places is a change of the economy, not drift.
                "params.agglomeration=0",
                # No ward's own luck either: a quiet world has no shocks. (With it, the
                # rank-based composites pull the most deprived wards towards the middle:
                # regression to the mean, about 1.3 points here, not a drift of the model's.)
                "params.local_fortune_sd=0",
                f"seed={seed}",
                *neutral("history"),
                *neutral("scenario"),
            ]
        )
    )


def change(result: RunResult, group: str, column: str) -> float:
    g = result.groups.set_index(["group", "year"])[column]
    return float(g[(group, 2050)] - g[(group, 2019)])


@pytest.fixture(scope="module")
def quiet_runs() -> list[RunResult]:
    """Six quiet worlds (seeds 0-5), shared by the tests below."""
    return [quiet_run(s) for s in range(6)]


@pytest.mark.slow
def test_a_quiet_future_keeps_income_and_stress(quiet_runs: list[RunResult]) -> None:
    # Before newcomers' stress started at their rule's level, England's financial stress
    # rose 0.0055.
    income = [change(r, "left_behind", "income_deprivation") for r in quiet_runs]
    assert abs(np.mean(income)) < 0.006, income
    for r in quiet_runs:
        assert abs(change(r, "england", "financial_stress")) < 0.003


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason=(
        "the quiet world's left-behind gap narrows by about 0.8 points by 2050 (16 seeds: "
        "-0.84 with today's defaults, -0.78 with spend_elasticity 1.0), about half of it in "
        "the first year; the six seeds here read -0.77 (-0.63 before the defaults' "
        "re-sizing, inside the bound by luck). With every household simulated "
        "(households.sample_rate=1.0) 16 seeds read -0.17: it is mostly the sampled wards' "
        "noise reordering ranks at the extreme, where the left-behind wards sit. Strict: it "
        "fails when the drift is fixed, so the mark goes."
    ),
)
def test_a_quiet_future_does_not_drift(quiet_runs: list[RunResult]) -> None:
    # Before newcomers were selected by the change in a ward's opportunities (not by where it
    # stood), the left-behind wards' IMD-like gap grew 2.0-2.2 points by 2050 here, with
    # nothing changed. One seed's gap moves -1.4 to +0.4 (2026-12-08; the mean of six was
    # +0.02 on an earlier model).
    gap = [
        change(r, "left_behind", "imd_like") - change(r, "england", "imd_like") for r in quiet_runs
    ]
    assert abs(np.mean(gap)) < 0.75, gap


@pytest.mark.slow
def test_the_model_itself_does_not_drift_when_every_household_is_simulated() -> None:
    # The same quiet world with no sampling: what is left is the model's own dynamics.
    # (16 seeds read -0.17 points by 2050, sd 0.4; the sampled test above reads -0.84.)
    runs = [quiet_run(s, sample_rate=1.0) for s in range(6)]
    gap = [change(r, "left_behind", "imd_like") - change(r, "england", "imd_like") for r in runs]
    assert abs(np.mean(gap)) < 0.75, gap


def test_the_first_year_changes_the_settlement(toy_cfg: Callable[..., Config]) -> None:
    cfg = toy_cfg("history.levers.la_real_growth=-0.05", "history.levers.la_deprivation_gradient=0")
    model = LBNModel(cfg, generate_wards(n_wards=120, seed=0))
    core0 = model.government.core.copy()
    model.step()
    flows = model.ledger.flows()
    paid = flows[(flows["year"] == 2020) & (flows["purpose"] == "la_settlement")]["pence"].sum()
    assert paid == np.rint(core0 * 0.95).sum()


def test_levers_that_would_overflow_the_ledger_are_refused(toy_cfg: Callable[..., Config]) -> None:
    cfg = toy_cfg(
        "scenario.levers.la_real_growth=0.2",
        "scenario.levers.la_deprivation_gradient=0.2",
        "horizon=2119",
    )
    with pytest.raises(ConfigError, match=r"scenario\.levers la_real_growth=0\.2.*horizon"):
        LBNModel(cfg, generate_wards(n_wards=120, seed=0))
    # The same growth for the default horizon is allowed.
    LBNModel(toy_cfg("scenario.levers.la_real_growth=0.2"), generate_wards(n_wards=120, seed=0))


def test_growth_that_would_carry_money_beyond_the_ledger_is_refused(
    toy_cfg: Callable[..., Config],
) -> None:
    # Grants growing 20% a year to 2100 pass GBP 11 trillion (2**50 pence), where float64
    # splits stop being exact: refused before the run, not pence lost in 2089.
    cfg = toy_cfg("scenario.levers.ring_fenced_growth=0.2", "horizon=2100")
    with pytest.raises(ConfigError, match=r"ring_fenced_growth=0\.2"):
        LBNModel(cfg, generate_wards(n_wards=120, seed=0))
    # The economy at the schema's largest growth for three centuries: private investment would
    # overflow int64 pence in the 2270s; refused up front, naming the condition.
    cfg = toy_cfg("scenario.macro.real_wage_growth=0.1", "horizon=2319")
    with pytest.raises(ConfigError, match=r"scenario\.macro\.real_wage_growth=0\.1 over 295 years"):
        LBNModel(cfg, generate_wards(n_wards=120, seed=0))
    LBNModel(toy_cfg("scenario.macro.real_wage_growth=0.1"), generate_wards(n_wards=120, seed=0))
    # Growth in the history uses up the room: the message names it, not only the scenario.
    late = ("policy_start=2080", "scenario.macro.recession_years=[]")
    cfg = toy_cfg("history.levers.ring_fenced_growth=0.2", *late, "horizon=2100")
    with pytest.raises(ConfigError, match=r"^history\.levers .*ring_fenced_growth=0\.2 over 60"):
        LBNModel(cfg, generate_wards(n_wards=120, seed=0))
    # Reserves: an authority that spends 1% of what it holds piles up its settlements.
    cfg = toy_cfg(
        "history.levers.la_real_growth=0.2",
        "history.levers.la_spend_share=0.01",
        *late,
        "horizon=2081",
    )
    with pytest.raises(ConfigError, match="with the reserves an authority may hold"):
        LBNModel(cfg, generate_wards(n_wards=120, seed=0))


def test_money_beyond_the_ledger_stops_the_run_rather_than_losing_pence() -> None:
    assert int(pounds_to_pence(1e12)) == 10**14
    for bad in (MAX_PENCE / 100.0, -MAX_PENCE / 100.0):
        with pytest.raises(MoneyRangeError, match=r"private investment reached GBP 1\.13e"):
            pounds_to_pence(np.array([1.0, bad]), "private investment")
    for bad in (np.inf, np.nan):
        with pytest.raises(MoneyRangeError, match="private investment is not a finite amount"):
            pounds_to_pence(np.array([1.0, bad]), "private investment")
    # Just below the limit a split is still exact to the penny; at it, refused.
    groups = np.zeros(200, dtype=np.int64)
    weights = np.random.default_rng(0).random(200)
    total = MAX_PENCE - 3
    assert split_pence(np.array([total]), groups, weights).sum() == total
    with pytest.raises(MoneyRangeError):
        split_pence(np.array([MAX_PENCE]), groups, weights)


def test_closed_community_spaces_reopen_when_their_money_returns(
    toy_model: LBNModel,
) -> None:
    model = toy_model
    wards, base, params = model.wards, model.baseline, model.params
    cs = Service.COMMUNITY_SPACES
    # The capacity at which a community takes its spaces over: the takeover ramp's middle.
    takeover_capacity = (params.takeover_capacity_low + params.takeover_capacity_high) / 2
    weak = np.full_like(wards.capacity, 0.5 * takeover_capacity)
    start = base.quality[cs]
    closure = params.closure_quality
    low = (start > closure) & (start < 5 * closure)
    assert low.sum() >= 5  # spaces one year's growth from nothing cannot lift above the line
    # Money cut by 90%: the spaces decay and, below the line, close, as fast as such places
    # close (space_closure_rate of the stock a year), not all at once.
    cut = base.spend.copy()
    cut[cs] *= 0.1
    w = wards.with_(capacity=weak)
    for year in range(2020, 2040):
        quality = update_stocks(w, quiet_year(year, cut), base, params).quality
        w = w.with_(quality=quality)
    closed = start[low] * (1.0 - params.space_closure_rate) ** 20
    np.testing.assert_allclose(w.quality[cs][low], closed, rtol=1e-9)
    # The money back: they reopen and grow back towards where they started, no faster than
    # space_opening_rate of their start a year.
    for year in range(2040, 2080):
        before = w.quality[cs]
        quality = update_stocks(w, quiet_year(year, base.spend), base, params).quality
        w = w.with_(quality=quality)
        growth = quality[cs][low] - before[low]
        assert (growth <= params.space_opening_rate * start[low] + 1e-12).all()
    np.testing.assert_allclose(w.quality[cs][low], start[low], rtol=0.02)


def test_spaces_that_start_low_close_only_on_a_real_cut(toy_model: LBNModel) -> None:
    """Spaces starting below the closure line (a few real wards' published civic need puts
    them there) survive a drift of money of a tenth of a percent, year after year, and
    close when a real cut takes them 5% below where they started."""
    model = toy_model
    wards, base, params = model.wards, model.baseline, model.params
    cs = Service.COMMUNITY_SPACES
    start = base.quality.copy()
    start[cs] = np.linspace(0.02, 0.07, start.shape[1])  # every ward below the 0.08 line
    low = dataclasses.replace(base, quality=start)
    weak = wards.with_(quality=start, capacity=np.zeros_like(wards.capacity))

    def run(factor: float, years: int = 30) -> np.ndarray:
        spend = base.spend.copy()
        spend[cs] *= factor
        w = weak
        for year in range(2020, 2020 + years):
            q = update_stocks(w, quiet_year(year, spend, spend), low, params).quality
            w = w.with_(quality=q)
        return w.quality[cs]

    kept = run(0.999)
    assert (kept > 0.9 * start[cs]).all()
    # A real cut closes them, as fast as such places close.
    assert (run(0.8) < start[cs] * (1.0 - params.space_closure_rate) ** 25).all()
