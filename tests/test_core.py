"""Invariants of the core over long runs: rates in [0, 1], nothing NaN, every household placed."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np
import pytest
from tests.conftest import quiet_year

from lbn_sim.config import Config, ConfigError
from lbn_sim.data.synthetic import generate_wards
from lbn_sim.engine.model import LBNModel
from lbn_sim.engine.parameters import Params
from lbn_sim.engine.step import advance, update_stocks
from lbn_sim.names import RATE_INDICATORS
from lbn_sim.runs.forks import ForkCache
from lbn_sim.runs.runner import simulate


@pytest.mark.slow
def test_hundred_years_stay_sane(toy_cfg: Callable[..., Config]) -> None:
    for scenario in ("worst_case", "best_case"):
        cfg = toy_cfg(f"scenario={scenario}", "horizon=2119")
        model = LBNModel(cfg, generate_wards(n_wards=120, seed=1))
        n0 = model.households.n
        model.run()
        assert model.year == 2119
        for row in model.history:
            for k in RATE_INDICATORS:  # (clipped to [0, 1] when computed: finiteness is the test)
                assert np.isfinite(row[k]).all(), (k, int(row["year"]))
            assert np.isfinite(row["imd_like"]).all() and np.isfinite(row["cni_like"]).all()
            assert np.isfinite(row["labour_demand"]).all() and row["labour_demand"].min() > 0
        hh = model.households
        assert hh.n == n0
        assert hh.ward.min() >= 0 and hh.ward.max() < model.n_wards
        for name in ("skills", "health", "stress", "participation"):
            arr = getattr(hh, name)
            assert np.isfinite(arr).all() and arr.min() >= 0 and arr.max() <= 1, name
        w = model.wards
        assert w.quality.min() >= 0 and w.quality.max() <= 1
        assert w.capacity.min() >= 0 and w.capacity.max() <= 1
        assert w.scar.min() >= 0 and w.scar.max() <= 0.95
        assert (model.wards.agg.people > 0).all()


def test_recession_scars_heal_more_slowly_where_resilience_is_low(
    toy_model: LBNModel,
) -> None:
    """A recession cuts more labour demand where resilience is low and its scar heals more
    slowly there; with resilience off every ward heals as England's mean; a price spike
    raises stress targets more where resilience is low; with no shock resilience changes
    nothing."""
    from lbn_sim.engine.mechanisms.resilience import resilience
    from lbn_sim.engine.step import ward_year

    model = toy_model
    wards, base, params = model.wards, model.baseline, model.params
    res = resilience(wards)
    low, high = res < np.quantile(res, 0.25), res > np.quantile(res, 0.75)
    hit = ward_year(
        wards, dataclasses.replace(quiet_year(2020, base.spend), recession=0.04), params, base
    )[0]
    assert hit.scar[low].mean() > hit.scar[high].mean() > 0
    scarred = wards.with_(scar=np.full_like(wards.jobs, 0.2), jobs=np.full_like(wards.jobs, 0.8))
    healed = ward_year(scarred, quiet_year(2021, base.spend), params, base)[0]
    assert healed.scar[low].mean() > healed.scar[high].mean()
    assert (healed.scar < 0.2).all()
    off = Params(params.changed(), switches=dataclasses.replace(params.switches, resilience=False))
    even = ward_year(scarred, quiet_year(2021, base.spend), off, base)[0]
    assert np.ptp(even.scar) < 1e-12
    # A price spike raises an income-deprived household's stress target more where
    # resilience is low; off, every ward takes England's mean.
    spike = dataclasses.replace(quiet_year(2022, base.spend), price_shock=0.15)
    cond = ward_year(wards, spike, params, base)[1]
    calm = ward_year(wards, quiet_year(2022, base.spend), params, base)[1]
    extra = cond.stress_deprived - calm.stress_deprived
    assert extra[low].mean() > extra[high].mean() > 0
    # Its full size at England's mean resilience: the population-weighted mean extra.
    size = 0.15 * params.cost_of_living_exposure
    assert np.average(extra, weights=wards.agg.people) == pytest.approx(size, rel=1e-5)
    even_spike = ward_year(wards, spike, off, base)[1].stress_deprived - calm.stress_deprived
    np.testing.assert_allclose(even_spike, size, rtol=1e-5)
    calm_on = ward_year(wards, quiet_year(2021, base.spend), params, base)[0]
    calm_off = ward_year(wards, quiet_year(2021, base.spend), off, base)[0]
    np.testing.assert_array_equal(calm_on.jobs, calm_off.jobs)


def test_advance_is_pure(toy_model: LBNModel) -> None:
    model = toy_model
    model.step()  # reach a state with inputs
    hh, wards = model.households, model.wards
    before = {f.name: getattr(hh, f.name).copy() for f in dataclasses.fields(hh)}
    quality = wards.quality.copy()
    inputs = quiet_year(2021, np.zeros_like(quality))
    out1, w1 = advance(hh, wards, inputs, model.params, model.baseline, np.random.default_rng(5))
    out2, _ = advance(hh, wards, inputs, model.params, model.baseline, np.random.default_rng(5))
    for name, arr in before.items():
        np.testing.assert_array_equal(getattr(hh, name), arr, err_msg=name)
        np.testing.assert_array_equal(getattr(out1, name), getattr(out2, name), err_msg=name)
    np.testing.assert_array_equal(wards.quality, quality)
    # No money: services decay.
    assert (w1.quality.mean(axis=1) < quality.mean(axis=1)).all()


def test_capable_communities_keep_cut_services_going(toy_model: LBNModel) -> None:
    from lbn_sim.engine.mechanisms.social_infrastructure import COMMUNITY_RUN

    model = toy_model
    wards, base, params = model.wards, model.baseline, model.params
    charity = base.spend - base.public_spend

    def quality(
        capacity: float, public_factor: float, charity_factor: float = 1.0, p: Params = params
    ) -> np.ndarray:
        w = wards.with_(capacity=np.full_like(wards.capacity, capacity))
        public = public_factor * base.public_spend
        inputs = quiet_year(2020, public + charity_factor * charity, public)
        return update_stocks(w, inputs, base, p).quality

    able, unable = quality(0.6, 0.5), quality(0.2, 0.5)
    run = COMMUNITY_RUN
    # Half the public money gone: a capable community keeps part of its community-run
    # services going; the others are untouched.
    assert (able[run] > unable[run] + 1e-4).all()
    np.testing.assert_array_equal(able[~run], unable[~run])
    # Nothing to take over when the public money holds, even if donations fall, or when the
    # mechanism is off.
    np.testing.assert_array_equal(quality(0.6, 1.0), quality(0.2, 1.0))
    np.testing.assert_array_equal(quality(0.6, 1.0, 0.5), quality(0.2, 1.0, 0.5))
    off = Params(
        params.changed(),
        switches=dataclasses.replace(params.switches, social_infrastructure=False),
    )
    np.testing.assert_array_equal(quality(0.6, 0.5, p=off), quality(0.2, 0.5, p=off))


def test_growth_goes_to_better_links() -> None:
    """Agglomeration: growth favours wards with better reach than England's, never moves
    England's population-weighted investment, and stays bounded by convergence; without
    growth (or at strength 0) no premium builds up."""
    from lbn_sim.engine.agents.investors import growth_factor
    from lbn_sim.engine.mechanisms.connectivity import agglomerate

    params = Params({"agglomeration": 7.0})
    reach = np.array([0.7, 1.0, 1.3, 1.1])
    people = np.array([1.0, 5.0, 2.0, 0.5])
    reach = reach / np.average(reach, weights=people)
    premium = np.zeros(4)
    for _ in range(1000):
        premium = agglomerate(premium, 0.03, reach, params, people)
        assert np.average(np.exp(premium), weights=people) == pytest.approx(1.0)
    assert np.argsort(premium).tolist() == np.argsort(reach).tolist()
    # Settled at strength g (reach - 1) / convergence, less the common shift that keeps
    # England's mean at 1, and no longer moving.
    settled = 7.0 * 0.03 * (reach - 1.0) / params.convergence
    settled -= np.log(np.average(np.exp(settled), weights=people))
    np.testing.assert_allclose(premium, settled, atol=1e-6)
    np.testing.assert_allclose(
        agglomerate(premium, 0.03, reach, params, people), premium, atol=1e-6
    )
    for g, strength in ((0.03, 0.0), (0.0, 7.0), (-0.02, 7.0)):
        p = Params({"agglomeration": strength})
        np.testing.assert_array_equal(agglomerate(np.zeros(4), g, reach, p, people), 0.0)
    assert growth_factor(0.02, Params()) == pytest.approx(1.02 / 1.01)


def test_newcomers_follow_growing_labour_demand(toy_model: LBNModel) -> None:
    """Selective migration's pull side: where labour demand has grown more than England's,
    newcomers are more skilled and more often in work than where it has not; the chance of
    work stays a probability however far demand runs ahead; with the mechanism off, labour
    demand does not select newcomers."""
    from lbn_sim.engine.step import ward_year

    model = toy_model
    wards, base, params = model.wards, model.baseline, model.params
    inputs = quiet_year(2020, base.spend)
    ahead = np.arange(wards.jobs.shape[0]) % 2 == 0

    def newcomers(jobs: np.ndarray, p: Params = params) -> list[np.ndarray]:
        w = wards.with_(jobs=jobs)
        cond = ward_year(w, dataclasses.replace(inputs, investment_ratio=jobs), p, base)[1]
        return [cond.mover_skill, cond.new_employment, cond.new_log_income]

    # Start-of-year labour demand and this year's target differ, so the year moves it; the
    # pull reads the year's end, against England's population-weighted mean.
    start_jobs = np.where(ahead, 1.1, 0.95)
    target = np.where(ahead, 1.4, 1.1)
    stocks, cond = ward_year(
        wards.with_(jobs=start_jobs),
        dataclasses.replace(inputs, investment_ratio=target),
        params,
        base,
    )
    jobs = stocks.jobs
    assert np.abs(jobs - start_jobs).min() > 0.005
    pull = np.clip(jobs / np.average(jobs, weights=wards.agg.people) - 1.0, 0.0, 1.0)
    e_ward = 1.0 - wards.agg.employment_deprivation
    e_england = np.average(e_ward, weights=wards.agg.people)  # England now, not at the start
    push = np.maximum(e_england - e_ward, 0.0) / e_england
    e0 = 1.0 - base.agg.employment_deprivation
    push0 = np.maximum(np.average(e0, weights=base.agg.people) - e0, 0.0)
    push0 /= np.average(e0, weights=base.agg.people)
    sel = params.newcomer_selectivity * (push - push0 - pull)
    np.testing.assert_allclose(cond.new_employment, np.clip(e_ward - sel, 0.0, 1.0), atol=1e-12)
    np.testing.assert_allclose(cond.new_log_income, base.income_centre - 2.0 * sel, atol=1e-12)
    assert pull[ahead].min() > 0.05 and pull[~ahead].max() == 0.0

    flat = np.ones_like(wards.jobs)
    uneven = np.where(ahead, 1.3, 1.0)
    (skill_up, work_up, _), (skill_flat, work_flat, _) = newcomers(uneven), newcomers(flat)
    assert (skill_up[ahead] > skill_flat[ahead] + 0.005).mean() > 0.9
    room = work_flat[ahead] < 0.98  # a few toy wards are all in work: nothing to add
    assert room.mean() > 0.8
    assert (work_up[ahead][room] > work_flat[ahead][room] + 0.005).all()
    np.testing.assert_array_equal(work_up[~ahead], work_flat[~ahead])
    far = newcomers(np.where(ahead, 50.0, 0.05))[1]
    assert far.min() >= 0.0 and far.max() <= 1.0
    off = Params(
        params.changed(), switches=dataclasses.replace(params.switches, out_migration=False)
    )
    for a, b in zip(newcomers(uneven, off), newcomers(flat, off), strict=True):
        np.testing.assert_array_equal(a, b)
    # Without selective migration newcomers are a random draw: the ward's mean skill, not the
    # (higher) skill of the selected leavers, so switching it off adds no skills anywhere.
    np.testing.assert_allclose(
        newcomers(flat, off)[0], np.clip(wards.agg.skills, 0.02, 0.98), atol=1e-12
    )


def test_agglomeration_moves_investment_between_wards_only(
    toy_cfg: Callable[..., Config],
) -> None:
    """In a model run, the premium spreads wards apart and England's population-weighted
    mean of it stays 1 every year; the ward table records it and labour demand."""
    model = LBNModel(
        toy_cfg("scenario=best_case", "policy_start=2020", "horizon=2030"),
        generate_wards(n_wards=120, seed=0),
    )
    while model.year < 2030:
        people = model.wards.agg.people.copy()
        model.step()
        premium = model.investors.premium
        assert np.average(np.exp(premium), weights=people) == pytest.approx(1.0, abs=1e-12)
    assert premium.max() - premium.min() > 0.01
    last = model.history[-1]
    np.testing.assert_array_equal(last["agglomeration_premium"], np.exp(premium))
    np.testing.assert_array_equal(last["labour_demand"], model.wards.jobs)


def test_regional_growth_moves_investment_between_regions_only() -> None:
    """Regional economies: a ward takes the longest matching LA-code prefix's differential;
    its index grows at the differential against the rest; England's population-weighted
    mean stays 1; no differential, no index; a key matching no LA fails naming it."""
    from lbn_sim.engine.agents.investors import regionalise
    from lbn_sim.engine.regimes import differentials

    las = np.array(["E09000001", "E09000002", "E08000001", "E06000001"])
    d = differentials({"E09": 0.01, "E09000002": 0.03, "E08": -0.005}, las)
    np.testing.assert_array_equal(d, [0.01, 0.03, -0.005, 0.0])
    np.testing.assert_array_equal(differentials({}, las), 0.0)
    with pytest.raises(ConfigError, match=r"'E10'.*matches no local authority"):
        differentials({"E10": 0.01}, las)

    people = np.array([3.0, 1.0, 4.0, 2.0])
    index = np.zeros(4)
    for _ in range(10):
        index = regionalise(index, 0.01, d, people)
        assert np.average(np.exp(index), weights=people) == pytest.approx(1.0, abs=1e-12)
    # Against the ward with no differential, each grows by (1 + g + d) / (1 + g) a year.
    np.testing.assert_allclose(
        index - index[3], 10 * (np.log1p(0.01 + d) - np.log1p(0.01)), atol=1e-12
    )
    np.testing.assert_allclose(regionalise(np.zeros(4), 0.02, np.zeros(4), people), 0.0)


def test_local_fortunes_move_job_finding_between_wards_only() -> None:
    """A ward's own fortune: an AR(1) of its shocks, shifted so that England's
    population-weighted mean of ``exp(fortune)`` stays 1; without shocks it fades by the
    persistence (relative to the others); at sd 0 it never moves."""
    from lbn_sim.engine.agents.investors import fortune_after

    people = np.array([3.0, 1.0, 4.0, 2.0])
    params = Params({"local_fortune_sd": 0.1, "local_fortune_persistence": 0.8})
    rng = np.random.default_rng(0)
    fortune = np.zeros(4)
    for _ in range(20):
        fortune = fortune_after(fortune, rng.standard_normal(4), params, people)
        assert np.average(np.exp(fortune), weights=people) == pytest.approx(1.0, abs=1e-12)
    assert np.ptp(fortune) > 0.05
    faded = fortune_after(fortune, np.zeros(4), params, people)
    np.testing.assert_allclose(faded - faded[0], 0.8 * (fortune - fortune[0]), atol=1e-12)
    off = Params({"local_fortune_sd": 0.0})
    np.testing.assert_array_equal(
        fortune_after(np.zeros(4), rng.standard_normal(4), off, people), 0
    )


def test_no_fortune_is_drawn_when_its_sd_is_zero(toy_cfg: Callable[..., Config]) -> None:
    """At ``local_fortune_sd`` 0 the fortunes' stream is never opened (nothing is drawn,
    so the run's other draws are those of a model without the mechanism); above 0 it is
    opened once a year."""
    from lbn_sim.engine.agents.investors import LOCAL_FORTUNE_STREAM

    wards = generate_wards(n_wards=120, seed=0)
    opened = {}
    for sd in ("0", "0.1"):
        cfg = toy_cfg("policy_start=2021", "horizon=2022", f"params.local_fortune_sd={sd}")
        model = LBNModel(cfg, wards)
        streams: list[int] = []
        real = model.year_rng

        def spy(year: int, stream: int, real=real, streams=streams) -> np.random.Generator:
            streams.append(stream)
            return real(year, stream)

        model.year_rng = spy
        model.run()
        opened[sd] = streams.count(LOCAL_FORTUNE_STREAM)
    assert opened == {"0": 0, "0.1": 3}


@pytest.mark.slow
def test_local_fortunes_in_a_model_run(toy_cfg: Callable[..., Config]) -> None:
    """With sd above 0 every ward draws its own fortune each year from its own stream: the
    same seed gives the same fortunes in every future (common random numbers) and a
    forked future continues them exactly; a lucky ward's residents find work more often
    than in the same run without fortunes; at sd 0 the fortunes stay 0."""
    wards = generate_wards(n_wards=120, seed=0)
    common = ("policy_start=2022", "horizon=2024")
    lucky = {}
    for future in ("base_case", "best_case"):
        model = LBNModel(
            toy_cfg(f"scenario={future}", *common, "params.local_fortune_sd=0.2"), wards
        )
        model.run()
        lucky[future] = model.investors.fortune.copy()
        assert np.ptp(model.investors.fortune) > 0.1
    # The same shocks in both futures: only the population weights of the recentring differ.
    np.testing.assert_allclose(lucky["base_case"], lucky["best_case"], atol=0.02)
    plain = LBNModel(toy_cfg("scenario=base_case", *common, "params.local_fortune_sd=0"), wards)
    plain.run()
    np.testing.assert_array_equal(plain.investors.fortune, 0.0)
    shocked = LBNModel(toy_cfg("scenario=base_case", *common, "params.local_fortune_sd=0.2"), wards)
    shocked.run()
    # Toy wards hold a few households each, so read it across wards: the luckier the ward,
    # the more its employment deprivation fell against the run without fortunes.
    employment = shocked.wards.agg.employment_deprivation - plain.wards.agg.employment_deprivation
    assert np.corrcoef(shocked.investors.fortune, employment)[0, 1] < -0.3
    forks = ForkCache()
    for future in ("worst_case", "best_case"):
        cfg = toy_cfg(f"scenario={future}", *common, "params.local_fortune_sd=0.2")
        full, forked = simulate(cfg), simulate(cfg, forks=forks)
        assert forked.wards.equals(full.wards), future
    assert forks.hits == 1


def test_regional_growth_in_a_model_run(toy_cfg: Callable[..., Config]) -> None:
    """A differential for one local authority opens a gap in its wards' regional index from
    the first year its regime is in force, by ``log((1 + g + d) / (1 + g))`` a year, and
    only then: a history differential stops at the policy start, a scenario one starts
    there. It raises the wards' labour demand against a run without it; the ward table
    records the index; a key that matches no LA fails when the model is built, naming it."""
    wards = generate_wards(n_wards=120, seed=0)
    region = (wards["la_code"] == "SLA001").to_numpy()
    common = ("scenario=base_case", "policy_start=2024", "horizon=2028")
    key = "macro.regional_growth.SLA001=0.05"
    runs = {}
    for label, extra in (
        ("flat", ()),
        ("history", (f"+history.{key}",)),
        ("scenario", (f"+scenario.{key}",)),
    ):
        model = LBNModel(toy_cfg(*common, *extra), wards)
        gaps = []
        while model.year < 2028:
            model.step()
            index = model.investors.regional
            gaps.append(index[region].mean() - index[~region].mean())
        runs[label] = model, np.array(gaps)  # years 2020..2028
    flat = runs["flat"][0]
    np.testing.assert_array_equal(runs["flat"][1], 0.0)

    def step(part: str) -> float:
        g = getattr(flat.cfg, part).macro.real_wage_growth
        return float(np.log1p(g + 0.05) - np.log1p(g))

    history, scenario = runs["history"][1], runs["scenario"][1]
    # History regime: 2020..2023 (four years), then the gap holds.
    np.testing.assert_allclose(history[:4], step("history") * np.arange(1, 5), atol=1e-12)
    np.testing.assert_allclose(history[4:], history[3], atol=1e-12)
    # Scenario regime: nothing before 2024, then five years of it.
    np.testing.assert_array_equal(scenario[:4], 0.0)
    np.testing.assert_allclose(scenario[4:], step("scenario") * np.arange(1, 6), atol=1e-12)
    boom = runs["history"][0]
    assert boom.wards.jobs[region].mean() > flat.wards.jobs[region].mean() + 0.05
    np.testing.assert_array_equal(
        boom.history[-1]["regional_index"], np.exp(boom.investors.regional)
    )
    with pytest.raises(ConfigError, match=r"scenario\.macro\.regional_growth key 'E09'"):
        LBNModel(toy_cfg("+scenario.macro.regional_growth.E09=0.01"), wards)
