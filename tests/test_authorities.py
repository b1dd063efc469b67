"""Local authorities' choice of services under budget pressure (agents.authorities)."""

from __future__ import annotations

import numpy as np

from lbn_sim.engine.model import LBNModel
from lbn_sim.engine.services import RING_FENCED, SERVICE_NAMES


def test_equal_elasticities_keep_the_start_mix_exactly(toy_model: LBNModel) -> None:
    la = toy_model.authorities
    la.elasticity = np.where(RING_FENCED, 1.0, 1.3)
    for factor in (0.0, 0.5, 2.0):
        spend = np.rint(la.core0 * factor).astype(np.int64)
        assert la.service_mix(spend) is la.core_mix


def test_shares_stay_finite_and_whole_at_any_budget(toy_model: LBNModel) -> None:
    """Down to an authority that spends nothing (a long run of deep cuts reached it), the
    discretionary shares of every ward are finite and sum to 1."""
    la = toy_model.authorities
    core = ~RING_FENCED
    for factor in (0.0, 1e-9, 0.3, 1.0, 4.0):
        mix = la.service_mix(np.rint(la.core0 * factor).astype(np.int64))
        assert np.isfinite(mix).all()
        np.testing.assert_allclose(mix[core].sum(axis=0), 1.0, rtol=1e-12)
        assert (mix[RING_FENCED] == 0).all()


def test_a_service_is_cut_by_its_elasticity_against_the_others(toy_model: LBNModel) -> None:
    """Near the start, a service's spending moves with the authority's core spending at
    elasticity 1 + e - (start-share-weighted mean e), read off a small change of budget;
    when money falls, the service with the highest elasticity loses share."""
    la = toy_model.authorities
    core = ~RING_FENCED
    e = la.elasticity
    eps = 1e-4
    up = la.service_mix(np.rint(la.core0 * (1 + eps)).astype(np.int64)) * (1 + eps)
    down = la.service_mix(np.rint(la.core0 * (1 - eps)).astype(np.int64)) * (1 - eps)
    ward = 0
    m0 = la.core_mix[core, ward]
    e_bar = float((m0 * e[core]).sum())
    measured = (np.log(up[core, ward]) - np.log(down[core, ward])) / (
        np.log1p(eps) - np.log1p(-eps)
    )
    np.testing.assert_allclose(measured, 1.0 + e[core] - e_bar, atol=2e-3)
    cut = la.service_mix(np.rint(la.core0 * 0.6).astype(np.int64))[:, ward]
    highest = int(np.flatnonzero(core)[np.argmax(e[core])])
    assert SERVICE_NAMES[highest] == "employment_support"
    assert cut[highest] < la.core_mix[highest, ward]
