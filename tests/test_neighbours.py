"""Households use their neighbours' better services through their links
(lbn_sim.engine.neighbours)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import compose_cfg, quiet_year

from lbn_sim.config import Config, ConfigError
from lbn_sim.data.synthetic import generate_wards
from lbn_sim.engine.mechanisms.connectivity import services_used
from lbn_sim.engine.model import LBNModel
from lbn_sim.engine.neighbours import Neighbours, neighbour_share, used_quality
from lbn_sim.engine.parameters import Params
from lbn_sim.engine.services import N_SERVICES, Service
from lbn_sim.engine.step import ward_year
from lbn_sim.params import ParamsConfig

#: The share of the gap to better neighbours closed with full reach, by service (defaults).
NEIGHBOUR_SHARE = neighbour_share(Params())


def strength(value: float) -> Params:
    """The default parameters with the neighbours' services at strength ``value``."""
    return Params({"neighbour_services": value})


def test_neighbours_mean_leaves_the_ward_out_and_weights_by_residents() -> None:
    # LA 0: wards 0, 1, 2; LA 1: ward 3 alone.
    nb = Neighbours(np.array([0, 0, 0, 1]), np.array([1.0, 3.0, 1.0, 2.0]))
    values = np.array([[0.2, 0.6, 1.0, 0.5]])
    got = nb.others_mean(values)[0]
    np.testing.assert_allclose(
        got, [(3 * 0.6 + 1.0) / 4, (0.2 + 1.0) / 2, (0.2 + 3 * 0.6) / 4, 0.5]
    )


def test_used_quality_lifts_towards_better_neighbours_only() -> None:
    nb = Neighbours(np.array([0, 0]), np.array([1.0, 1.0]))
    q = np.tile(np.array([[0.2], [0.6]]).T, (N_SERVICES, 1))  # ward 0 worse than ward 1
    full = used_quality(q, np.array([1.0, 1.0]), nb, strength(1.0))
    np.testing.assert_allclose(full[:, 0], 0.2 + NEIGHBOUR_SHARE * 0.4)
    np.testing.assert_allclose(full[:, 1], 0.6)  # its own is better: it uses its own
    half = used_quality(q, np.array([0.5, 0.5]), nb, strength(1.0))
    np.testing.assert_allclose(half[:, 0], 0.2 + 0.5 * NEIGHBOUR_SHARE * 0.4)
    no_reach = used_quality(q, np.array([0.0, 0.0]), nb, strength(1.0))
    np.testing.assert_allclose(no_reach, q)
    np.testing.assert_allclose(used_quality(q, np.array([1.0, 1.0]), nb, strength(0.0)), q)  # off
    # The links themselves are not used across the boundary.
    assert full[Service.TRANSPORT, 0] == full[Service.DIGITAL, 0] == 0.2


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.integers(0, 3), min_size=1, max_size=12),
    st.floats(0.0, 1.0),
    st.integers(0, 2**32 - 1),
)
def test_used_quality_stays_between_own_and_one(las: list[int], value: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = len(las)
    nb = Neighbours(np.array(las, dtype=np.int64), rng.uniform(0.1, 5.0, n))
    q = rng.uniform(0.0, 1.0, (N_SERVICES, n))
    used = used_quality(q, rng.uniform(0.0, 1.0, n), nb, strength(value))
    assert (used >= q - 1e-12).all() and (used <= 1.0).all()


def test_strength_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"params\.neighbour_services"):
        ParamsConfig(neighbour_services=1.5)
    with pytest.raises(ConfigError, match=r"params\.neighbour_services"):
        Params({"neighbour_services": -0.5})
    with pytest.raises(ConfigError, match=r"params\.neighbour_services"):
        compose_cfg(["params.neighbour_services=1.5"])


def test_a_ward_losing_its_own_service_keeps_more_of_it_through_its_neighbours(
    toy_model: LBNModel,
) -> None:
    """One ward's health service loses 80% of its money for ten years while its
    neighbours keep theirs: its residents' health effect falls less when they can use the
    neighbours' service, and less again when its links are better; with the strength at
    0 only its own service counts."""
    model = toy_model
    base = model.baseline
    target = int(
        np.flatnonzero(np.bincount(base.neighbours.la_index)[base.neighbours.la_index] > 5)[0]
    )
    spend = base.spend.copy()
    spend[Service.HEALTH, target] *= 0.2

    def health_effect(value: float, transport: float | None = None) -> float:
        params = strength(value)
        # The start as households used it under this strength.
        baseline = dataclasses.replace(base, used_quality=services_used(base.quality, params, base))
        wards = model.wards
        for year in range(2020, 2030):
            if transport is not None:
                q = wards.quality.copy()
                q[Service.TRANSPORT, target] = transport
                wards = wards.with_(quality=q)
            wards = ward_year(wards, quiet_year(year, spend), params, baseline)[0]
        return float(wards.health_effect[target])

    own_only = health_effect(0.0)
    with_neighbours = health_effect(1.0)
    assert own_only < 0  # the cut harms health
    assert with_neighbours > own_only + 0.1 * abs(own_only)
    poor_links = health_effect(1.0, transport=0.05)
    good_links = health_effect(1.0, transport=0.95)
    assert poor_links < good_links


@pytest.mark.slow
def test_the_start_is_a_steady_state_of_the_services_used(data_dir: Path) -> None:
    """On the real data, a year at the start year's money changes no service a household
    uses (own or neighbours'), and closes no community space, not even in the wards whose
    spaces the published civic need puts below the closure line at the start."""
    from lbn_sim.runs.runner import load_wards

    cfg = compose_cfg(["data=england_2019", f"data.dir={data_dir}"])
    model = LBNModel(cfg, load_wards(cfg.data)[0])
    base = model.baseline
    np.testing.assert_array_equal(
        base.used_quality, services_used(base.quality, model.params, base)
    )
    low = base.quality[Service.COMMUNITY_SPACES] < model.params.closure_quality
    assert low.any()
    stocks = ward_year(model.wards, quiet_year(2020, base.spend), model.params, base)[0]
    assert (stocks.quality[Service.COMMUNITY_SPACES][low] > 0).all()
    np.testing.assert_array_equal(
        services_used(stocks.quality, model.params, base), base.used_quality
    )


def test_at_strength_zero_households_use_their_own_ward_s_services(
    toy_cfg: Callable[..., Config],
) -> None:
    model = LBNModel(toy_cfg("params.neighbour_services=0"), generate_wards(n_wards=120, seed=0))
    base = model.baseline
    np.testing.assert_array_equal(base.used_quality, base.quality)
    later = model.wards.quality * 0.7
    np.testing.assert_array_equal(services_used(later, model.params, base), later)
