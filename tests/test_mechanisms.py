"""Each of the ten mechanisms, switched off, moves the outcome the way DESIGN.md implies.

Runs share a seed (and so their random numbers), so a difference between a run
with a mechanism and one without comes from the mechanism. Sizes are small
but not tiny: 600 wards, 30% of left-behind households simulated.
"""

from __future__ import annotations

import functools

import pandas as pd
import pytest
from tests.conftest import compose_cfg

from lbn_sim.analysis.money import per_head_by_group
from lbn_sim.runs.runner import RunResult, simulate

pytestmark = pytest.mark.slow

SIZE = [
    "data.n_wards=600",
    "households.sample_rate=0.03",
    "households.left_behind_sample_rate=0.3",
    "households.min_per_ward=30",
    "plots=false",
]


@functools.cache
def run(scenario: str, *overrides: str) -> RunResult:
    return simulate(compose_cfg([*SIZE, f"scenario={scenario}", *overrides]))


def off(name: str) -> str:
    return f"mechanisms.{name}=false"


def gap(result: RunResult, column: str = "imd_like", year: int = 2050) -> float:
    """Left-behind minus England (population-weighted means) in a year."""
    g = result.groups.set_index(["group", "year"])[column]
    return float(g[("left_behind", year)] - g[("england", year)])


def level(result: RunResult, column: str, year: int = 2050) -> float:
    """The left-behind wards' population-weighted mean of an indicator in a year (an
    absolute level, where the composites are relative)."""
    return float(result.groups.set_index(["group", "year"])[column][("left_behind", year)])


def mean_gap(runs: list[RunResult], column: str) -> float:
    """Mean over runs of :func:`gap` in the horizon year."""
    return sum(gap(r, column) for r in runs) / len(runs)


def programme_per_head(result: RunResult, mechanism: str, last_year: int = 2050) -> pd.Series:
    """Mean programme money per resident by start group, policy years up to ``last_year``."""
    ph = per_head_by_group(result.ledger, result.wards)
    ph = ph[(ph["mechanism"] == mechanism) & (ph["year"] > 2025) & (ph["year"] <= last_year)]
    return ph.groupby("start_group")["per_head"].mean()


def test_capacity_trap() -> None:
    with_trap = programme_per_head(run("base_case"), "competitive")
    without = programme_per_head(run("base_case", off("capacity_trap")), "competitive")
    ratio_on = with_trap["left_behind"] / with_trap["other_deprived"]
    ratio_off = without["left_behind"] / without["other_deprived"]
    assert ratio_on < 0.75
    assert ratio_off > ratio_on + 0.1
    assert gap(run("base_case", off("capacity_trap"))) < gap(run("base_case"))


def test_capacity_trap_in_expected_awards() -> None:
    """Over many competitive rounds, per-head awards follow capacity only with the trap on."""
    import mesa
    import numpy as np

    from lbn_sim.config import MechanismsConfig, PolicyLevers
    from lbn_sim.engine.agents.programmes import Programmes
    from lbn_sim.engine.parameters import Params

    n = 400
    rng = np.random.default_rng(0)
    population = rng.uniform(5_000, 10_000, n)
    imd = np.linspace(80, 5, n)  # the first 40 wards are the most deprived decile
    lb = np.arange(n) < 20  # low capacity, most deprived
    od = (np.arange(n) >= 20) & (np.arange(n) < 60)
    capacity = np.where(lb, 0.15, 0.5)
    levers = PolicyLevers(allocation="competitive")

    def per_head(mech: MechanismsConfig) -> tuple[float, float]:
        programmes = Programmes(mesa.Model(rng=0), n, Params(switches=mech))
        total = np.zeros(n)
        for _ in range(400):
            w = programmes.weights(levers, imd, imd, population, capacity, rng)
            total += w / w.sum()
        return total[lb].sum() / population[lb].sum(), total[od].sum() / population[od].sum()

    lb_on, od_on = per_head(MechanismsConfig())
    lb_off, od_off = per_head(MechanismsConfig(capacity_trap=False))
    assert lb_on < 0.5 * od_on
    assert abs(lb_off / od_off - 1.0) < 0.1


def test_austerity_gradient() -> None:
    on, no = run("worst_case"), run("worst_case", off("austerity_gradient"))
    assert gap(on, "funding_per_head") < gap(no, "funding_per_head")
    assert gap(on) > gap(no) + 1.0


def test_social_infrastructure() -> None:
    on, no = run("best_case"), run("best_case", off("social_infrastructure"))
    # Civic investment feeds participation, health and jobs only through this mechanism.
    assert gap(on, "engagement_need") < gap(no, "engagement_need")
    assert gap(on) < gap(no)


def test_connectivity() -> None:
    """Better links reach jobs only with the mechanism.

    Best case invests in transport and digital links. Growth's pull towards places that
    already have good links (agglomeration, the mechanism's other half) is held off here
    and tested below. The effect is modest, so it is judged on the mean of three seeds.
    """
    seeds = [f"seed={s}" for s in range(3)]
    flat = "params.agglomeration=0"
    on = [run("best_case", s, flat) for s in seeds]
    no = [run("best_case", s, flat, off("connectivity")) for s in seeds]
    assert mean_gap(on, "employment_deprivation") < mean_gap(no, "employment_deprivation")
    assert mean_gap(on, "imd_like") < mean_gap(no, "imd_like")


def test_growth_goes_to_connected_places() -> None:
    """Agglomeration (part of connectivity): growth favours good links, so the left-behind
    wards, whose links are poor, fall further behind in work; with the mechanism off the
    strength changes nothing. Work is read with every left-behind household simulated: at
    the module's sample the change is within the sampling noise of one seed."""
    flat = "params.agglomeration=0"
    full = ("households.left_behind_sample_rate=1.0", "households.sample_rate=0.1")
    on, no = run("base_case", *full), run("base_case", flat, *full)
    assert gap(on, "labour_demand") < gap(no, "labour_demand") - 0.03
    assert gap(on, "employment_deprivation") > gap(no, "employment_deprivation") + 0.005
    pd.testing.assert_frame_equal(
        run("base_case", off("connectivity")).wards,
        run("base_case", off("connectivity"), flat).wards,
    )


def test_cost_of_living() -> None:
    # Price pressure bites harder on the indebted: the left-behind wards' financial stress
    # pulls away from England's, in every seed. (Its effect on the IMD-like composite, through
    # health and crime, is within run-to-run noise at this size: the IMD has no debt domain.)
    for s in range(3):
        on = run("worst_case", f"seed={s}")
        no = run("worst_case", f"seed={s}", off("cost_of_living"))
        assert gap(on, "financial_stress") > gap(no, "financial_stress") + 0.01


def test_education_and_skills() -> None:
    # Adult learning is a bounded level effect since issue 20 (at most 0.06 of skills), so
    # the left-behind wards' education gap is smaller with it, but by little (toy size,
    # seed 0: 0.2819 against 0.2868); its effect on the IMD-like gap is not asserted.
    on, no = run("best_case"), run("best_case", off("education_skills"))
    assert gap(on, "education_deprivation") < gap(no, "education_deprivation") - 0.002


def test_local_power() -> None:
    """Local power reaches the left-behind wards' levels in the best case (devolved money,
    half of decisions taken locally). Its direction is not asserted: since issue 20 a
    partnership costs 15% of the money it decides and gains only above a capacity of 0.3,
    so at toy size it can cost more than it gains (seed 0: civic-assets need 0.4916 with it
    against 0.4895 without). Its cost and threshold are tested in
    tests/test_bounded_mechanisms.py.
    """
    for seed in ("seed=0", "seed=1"):
        on, no = run("best_case", seed), run("best_case", seed, off("local_power"))
        assert level(on, "civic_assets_need") != pytest.approx(
            level(no, "civic_assets_need"), abs=1e-6
        )


def test_long_term_money() -> None:
    # Capacity built over years lowers the left-behind wards' engagement need in every seed,
    # and through it their crime. Its effect on the relative IMD-like composite is within
    # one seed's noise at this size (issue 19), so crime is read on its level.
    on = [run("best_case", f"seed={s}") for s in range(2)]
    no = [run("best_case", f"seed={s}", off("long_term_money")) for s in range(2)]
    for a, b in zip(on, no, strict=True):
        assert gap(a, "engagement_need") < gap(b, "engagement_need") - 0.02
        assert level(a, "crime") < level(b, "crime") - 0.005


def test_out_migration() -> None:
    """Those who can leave do: with out-migration the left-behind wards' education gap and
    their IMD-like gap are wider in 2050, averaged over four seeds. (Since the local
    authorities choose their services under budget pressure, the IMD-like gap's difference
    at this size is within one seed's noise: on minus off, seeds 0-5, -0.14, 0.32, 0.63,
    0.79, -0.55 and 0.01 points; 1.69, 1.26, 0.63, 0.60, 0.57 and -0.70 with the fixed mix.)
    """
    seeds = [f"seed={s}" for s in range(4)]
    on = [run("base_case", s) for s in seeds]
    no = [run("base_case", s, off("out_migration")) for s in seeds]
    assert mean_gap(on, "education_deprivation") > mean_gap(no, "education_deprivation")
    assert mean_gap(on, "imd_like") > mean_gap(no, "imd_like")


def test_resilience() -> None:
    """The 2033 recession widens the left-behind wards' employment gap more with resilience on.

    Under worst case, where cuts leave the left-behind wards least resilient; averaged over
    three seeds, as one year's jump is small (about 0.01) beside its noise.
    """
    seeds = [f"seed={s}" for s in range(3)]

    def jump(result: RunResult) -> float:
        return gap(result, "employment_deprivation", 2033) - gap(
            result, "employment_deprivation", 2032
        )

    on = sum(jump(run("worst_case", s)) for s in seeds) / 3
    no = sum(jump(run("worst_case", s, off("resilience"))) for s in seeds) / 3
    assert on > no


def test_resilience_acts_only_through_shocks() -> None:
    """With no recession or price spike anywhere, switching resilience off changes nothing:
    it shapes how hard shocks hit and how fast they heal, not the ordinary pace of labour
    demand."""
    calm = (
        "history.macro.recession_years=[]",
        "scenario.macro.recession_years=[]",
        "history.macro.price_shock_years=[]",
    )
    on, no = run("worst_case", *calm), run("worst_case", *calm, off("resilience"))
    pd.testing.assert_frame_equal(on.groups, no.groups)


def test_allocation_mechanisms_with_equal_budgets() -> None:
    """Competitive bidding gives left-behind wards less per head than other deprived wards;
    the needs-based formula gives them more, judged on the awards to 2028. (Over the whole
    of 2026-2050 the two groups' money per head ends up close and its order depends on the
    seed, with or without agglomeration: left-behind against other deprived GBP 124/119,
    119/122 and 130/113 for seeds 0-2 without it, 124/120, 119/124 and 126/115 with it,
    although the left-behind wards' CNI-like need stays about 1.7 times the others'. The
    least-first share goes to the top tenth by IMD-like score, and the left-behind wards
    leave it faster (seed 1: 67% of them in it in 2025, 50% from 2030, against 67-81% of
    the other deprived wards). The first awards show the rule itself: 1.2-1.4 times.)"""
    levers = "scenario.levers"
    same = [f"{levers}.programme_per_head=20", f"{levers}.award_years=2"]
    comp = programme_per_head(
        run("base_case", *same, f"{levers}.allocation=competitive"), "competitive"
    )
    form_run = run("base_case", *same, f"{levers}.allocation=formula")
    early = programme_per_head(form_run, "formula", last_year=2028)
    form = programme_per_head(form_run, "formula")
    assert comp["left_behind"] < comp["other_deprived"]
    assert early["left_behind"] > 1.1 * early["other_deprived"]
    assert abs(comp.sum() / form.sum() - 1) < 0.5  # comparable budgets reach wards
