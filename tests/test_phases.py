"""Scenario phases: a future's levers changed from a year on ("fund capacity building for
two years, then stop"), checked like the levers themselves."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from lbn_sim.config import Config, ConfigError
from lbn_sim.data.synthetic import generate_wards
from lbn_sim.engine.model import LBNModel
from lbn_sim.runs.runner import headline, simulate

STOP = "scenario.phases=[{from_year:2028,levers:{capacity_building_per_head:0.0}}]"


def committed(ledger: pd.DataFrame, purpose: str) -> pd.Series:
    """Programme money committed by central government to ``purpose``, by year (pence)."""
    rows = ledger[(ledger["source"] == "central_government") & (ledger["purpose"] == purpose)]
    return rows.groupby("year")["pence"].sum()


def test_a_phase_stops_a_lever_from_its_year_and_changes_nothing_before(
    toy_cfg: Callable[..., Config],
) -> None:
    steady = simulate(toy_cfg("scenario=best_case", "horizon=2032"))
    stopped = simulate(toy_cfg("scenario=best_case", "horizon=2032", STOP))
    money = committed(stopped.ledger, "programme_capacity_building")
    assert money.index.max() == 2027  # committed 2025-2027, none from 2028
    assert money.loc[2025:2027].gt(0).all()
    pd.testing.assert_series_equal(
        money, committed(steady.ledger, "programme_capacity_building").loc[:2027]
    )
    # Other purposes go on as before, and the years before the phase are the same run.
    pd.testing.assert_series_equal(
        committed(stopped.ledger, "programme_general"),
        committed(steady.ledger, "programme_general"),
    )
    before = steady.wards["year"] < 2028
    pd.testing.assert_frame_equal(
        stopped.wards[before].reset_index(drop=True), steady.wards[before].reset_index(drop=True)
    )
    # Stopping it leaves community organisations with less capacity by the horizon.
    end = steady.groups[(steady.groups["year"] == 2032) & (steady.groups["group"] == "left_behind")]
    end_stopped = stopped.groups[
        (stopped.groups["year"] == 2032) & (stopped.groups["group"] == "left_behind")
    ]
    assert float(end_stopped["engagement_need"].iloc[0]) > float(end["engagement_need"].iloc[0])


def test_a_phase_that_changes_nothing_changes_nothing(toy_cfg: Callable[..., Config]) -> None:
    same = "scenario.phases=[{from_year:2030,levers:{capacity_building_per_head:2.0}}]"
    a = simulate(toy_cfg("scenario=best_case", "horizon=2032"))
    b = simulate(toy_cfg("scenario=best_case", "horizon=2032", same))
    pd.testing.assert_frame_equal(a.wards, b.wards)
    pd.testing.assert_frame_equal(a.ledger, b.ledger)


def test_later_phases_build_on_earlier_ones(toy_cfg: Callable[..., Config]) -> None:
    cfg = toy_cfg(
        "scenario=best_case",
        "scenario.phases=[{from_year:2030,levers:{award_years:2,allocation:competitive}},"
        "{from_year:2040,levers:{programme_per_head:0}}]",
    )
    stages = cfg.scenario.levers_by_phase()
    assert [y for y, _ in stages] == [None, 2030, 2040]
    assert [(lv.award_years, lv.allocation, lv.programme_per_head) for _, lv in stages] == [
        (12, "devolved", 25.0),
        (2, "competitive", 25.0),
        (2, "competitive", 0.0),
    ]
    model = LBNModel(cfg, generate_wards(n_wards=120, seed=0))
    assert model.regime(2029).levers.award_years == 12
    assert model.regime(2030).levers.allocation == "competitive"
    assert model.regime(2045).levers.programme_per_head == 0.0
    assert model.regime(2024).levers == cfg.history.levers


@pytest.mark.parametrize(
    ("phases", "message"),
    [
        (
            "[{from_year:2030,levers:{capacity_bulding_per_head:0}}]",
            r"capacity_bulding_per_head "
            r"is not a lever; did you mean capacity_building_per_head\?",
        ),
        ("[{from_year:2030,levers:{award_years:2.5}}]", r"award_years must be a whole number"),
        ("[{from_year:2030,levers:{allocation:1}}]", r"levers\.allocation must be a name"),
        (
            "[{from_year:2030,levers:{devolution_share:2.0}}]",
            r"^scenario\.phases\[0\]\.levers\.devolution_share must be a share",
        ),
        ("[{from_year:2025,levers:{}}]", r"phases\[0\]\.from_year must be after policy_start"),
        (
            "[{from_year:2030,levers:{}},{from_year:2030,levers:{}}]",
            r"phases\[1\]\.from_year must be after the phase before it \(2030\)",
        ),
        (
            "[{from_year:2035,levers:{}},{from_year:2030,levers:{}}]",
            r"phases\[1\]\.from_year must be after the phase before it \(2035\)",
        ),
    ],
)
def test_a_bad_phase_is_refused_naming_it(
    toy_cfg: Callable[..., Config], phases: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        toy_cfg("scenario=best_case", f"scenario.phases={phases}")


def test_a_phase_whose_growth_overflows_the_ledger_is_named(
    toy_cfg: Callable[..., Config],
) -> None:
    cfg = toy_cfg(
        "scenario=base_case",
        "horizon=2119",
        "scenario.phases=[{from_year:2040,levers:{ring_fenced_growth:0.2}}]",
    )
    with pytest.raises(ConfigError, match=r"then scenario\.phases\[0\]\.levers .*=0\.2 over 80"):
        LBNModel(cfg, generate_wards(n_wards=120, seed=0))


def test_the_headline_gives_every_award_length(toy_cfg: Callable[..., Config]) -> None:
    cfg = toy_cfg(
        "scenario=best_case",
        "horizon=2032",
        "scenario.phases=[{from_year:2030,levers:{award_years:2}}]",
    )
    expected = "(this future's awards are planned over 2 or 12 years and spent later)."
    assert expected in headline(simulate(cfg), cfg)


def test_a_phase_keeps_the_conditions_and_one_after_the_horizon_never_begins(
    toy_cfg: Callable[..., Config],
) -> None:
    cfg = toy_cfg(
        "scenario=best_case",
        "horizon=2035",
        "++scenario.macro.regional_growth={SLA001: 0.01}",
        "scenario.phases=[{from_year:2030,levers:{programme_per_head:0}},"
        "{from_year:2040,levers:{award_years:2}}]",
    )
    model = LBNModel(cfg, generate_wards(n_wards=120, seed=0))
    scenario, phase = model.regimes.scenario, model.regime(2030)
    assert phase.levers.programme_per_head == 0.0
    assert phase.macro == scenario.macro
    assert np.any(scenario.differential > 0)  # the regional growth the phase must keep
    np.testing.assert_array_equal(phase.differential, scenario.differential)
    # The 2040 phase lies after the horizon: accepted (like a later recession), never begun.
    assert model.regime(2035).levers.award_years == 12
    assert [years for _, _, years in cfg.scenario.stages(2025, 2035)] == [5, 6, 0]
