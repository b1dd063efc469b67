"""Invariants of the core over long runs: rates in [0, 1], nothing NaN, every household placed."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np
import pytest

from lbn_sim.config import Config
from lbn_sim.core import YearInputs, advance, update_stocks
from lbn_sim.data.synthetic import generate_wards
from lbn_sim.indicators import RATE_INDICATORS
from lbn_sim.model import LBNModel
from lbn_sim.params import CoreParams
from lbn_sim.services import COMMUNITY_RUN


def quiet_year(year: int, spend: np.ndarray, public: np.ndarray | None = None) -> YearInputs:
    """A year's inputs with running money ``spend`` ``[n_services, n_wards]``, of which
    ``public`` (default: all of it) is public, and nothing else: no investment or support,
    no shocks, start-year labour demand and benefits."""
    n_wards = spend.shape[1]
    return YearInputs(
        year=year,
        spend=spend,
        public_spend=spend if public is None else public,
        invest=np.zeros_like(spend),
        capacity_support=np.zeros(n_wards),
        community_funded=np.zeros(n_wards, dtype=bool),
        cost_of_living=0.0,
        recession=0.0,
        investment_ratio=np.ones(n_wards),
        benefit_level=1.0,
    )


@pytest.mark.slow
def test_hundred_years_stay_sane(toy_cfg: Callable[..., Config]) -> None:
    for scenario in ("worst_case", "best_case"):
        cfg = toy_cfg(f"scenario={scenario}", "horizon=2119")
        model = LBNModel(cfg, generate_wards(n_wards=120, seed=1))
        n0 = model.households.n
        model.run()
        assert model.year == 2119
        for row in model.history:
            for k in RATE_INDICATORS:
                v = row[k]
                assert np.isfinite(v).all(), (k, int(row["year"]))
                assert v.min() >= 0.0 and v.max() <= 1.0, (k, int(row["year"]))
            assert np.isfinite(row["imd_like"]).all() and np.isfinite(row["cni_like"]).all()
        hh = model.households
        assert hh.n == n0
        assert hh.ward.min() >= 0 and hh.ward.max() < model.n_wards
        for name in ("skills", "health", "stress", "participation"):
            arr = getattr(hh, name)
            assert np.isfinite(arr).all() and arr.min() >= 0 and arr.max() <= 1, name
        w = model.wards
        assert w.quality.min() >= 0 and w.quality.max() <= 1
        assert w.capacity.min() >= 0 and w.capacity.max() <= 1
        assert (model.wards.agg.people > 0).all()


def test_advance_is_pure(toy_cfg: Callable[..., Config]) -> None:
    model = LBNModel(toy_cfg(), generate_wards(n_wards=120, seed=0))
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


def test_capable_communities_keep_cut_services_going(toy_cfg: Callable[..., Config]) -> None:
    model = LBNModel(toy_cfg(), generate_wards(n_wards=120, seed=0))
    wards, base, params = model.wards, model.baseline, model.params
    people = wards.agg.people
    charity = base.spend - base.public_spend

    def quality(
        capacity: float, public_factor: float, charity_factor: float = 1.0, p: CoreParams = params
    ) -> np.ndarray:
        w = wards.with_(capacity=np.full_like(wards.capacity, capacity))
        public = public_factor * base.public_spend
        inputs = quiet_year(2020, public + charity_factor * charity, public)
        return update_stocks(w, inputs, people, base, p)[0]

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
    off = dataclasses.replace(
        params, switches=dataclasses.replace(params.switches, social_infrastructure=False)
    )
    np.testing.assert_array_equal(quality(0.6, 0.5, p=off), quality(0.2, 0.5, p=off))


def test_growth_goes_to_better_links() -> None:
    """Agglomeration: growth favours wards with better reach than England's, and England's
    mean moves with growth alone; without growth (or strength 0) every ward moves alike."""
    from lbn_sim.institutions import PrivateInvestors

    growth = PrivateInvestors.growth_factor
    reach = np.array([0.8, 1.0, 1.2])  # mean 1 (equal populations)
    factor = growth(0.02, reach, 7.0)
    assert factor[0] < factor[1] < factor[2]
    assert factor.mean() == pytest.approx(1.02 / 1.01)
    for g, strength in ((0.02, 0.0), (0.0, 7.0), (-0.02, 7.0)):
        f = growth(g, reach, strength)
        np.testing.assert_allclose(f, (1.0 + g) / 1.01)


def test_newcomers_follow_growing_labour_demand(toy_cfg: Callable[..., Config]) -> None:
    """Selective migration's pull side: where labour demand has risen above its start,
    newcomers are more skilled and more often in work than where it has not; with the
    mechanism off, labour demand does not select them."""
    from lbn_sim.core import ward_year

    model = LBNModel(toy_cfg(), generate_wards(n_wards=120, seed=0))
    wards, base, params = model.wards, model.baseline, model.params
    inputs = quiet_year(2020, base.spend)

    def newcomers(jobs: float, p: CoreParams = params) -> tuple[np.ndarray, np.ndarray]:
        w = wards.with_(jobs=np.full_like(wards.jobs, jobs))
        inp = dataclasses.replace(inputs, investment_ratio=np.full_like(wards.jobs, jobs))
        cond = ward_year(w, inp, p, base)[1]
        return cond.mover_skill, cond.new_employment

    skill_up, work_up = newcomers(1.2)
    skill_flat, work_flat = newcomers(1.0)
    assert (skill_up >= skill_flat).all() and (skill_up > skill_flat + 0.01).mean() > 0.9
    assert (work_up > work_flat + 0.01).all()
    off = dataclasses.replace(
        params, switches=dataclasses.replace(params.switches, out_migration=False)
    )
    np.testing.assert_array_equal(newcomers(1.2, off)[0], newcomers(1.0, off)[0])
