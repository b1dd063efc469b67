"""Divergence metrics on small hand-made tables whose answers are known by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lbn_sim.analysis import divergence as dv

YEARS = list(range(2019, 2026))  # 2019 .. 2025
# Ward A (left behind, pop 100), B (other deprived, pop 100), C (rest, pop 200).
A_IMD = [40.0, 36.0, 32.0, 28.0, 26.0, 20.0, 16.0]
A_LB = [True, False, False, True, True, False, False]  # leaves 2020, re-enters 2022, leaves 2024
C_LB = [False, False, False, False, False, True, True]  # falls in 2024


def three_wards() -> pd.DataFrame:
    """England mean of imd_like is (100 A + 100*30 + 200*10) / 400 = (A + 50) / 4, so the
    gap of A to England is (3A - 50) / 4: 17.5, 14.5, 11.5, 8.5, 7, 2.5, -0.5."""
    rows = []
    for k, year in enumerate(YEARS):
        for code, name, group, pop, imd, lb in (
            ("W1", "Alpha", "left_behind", 100.0, A_IMD[k], A_LB[k]),
            ("W2", "Beta", "other_deprived", 100.0, 30.0, False),
            ("W3", "Gamma", "rest", 200.0, 10.0, C_LB[k]),
        ):
            rows.append(
                {
                    "year": year,
                    "ward_code": code,
                    "ward_name": name,
                    "la_code": "L1",
                    "start_group": group,
                    "left_behind": lb,
                    "population": pop,
                    "imd_like": imd,
                    "cni_like": 2 * imd,
                    "income_deprivation": imd / 100,
                }
            )
    return pd.DataFrame(rows)


def one(frame: pd.DataFrame, **where: object) -> pd.Series:
    mask = np.ones(len(frame), dtype=bool)
    for col, value in where.items():
        mask &= (frame[col] == value).to_numpy()
    rows = frame[mask]
    assert len(rows) == 1, where
    return rows.iloc[0]


def test_reference_means_are_population_weighted() -> None:
    refs = dv.reference_means(three_wards(), ["imd_like"])
    for k, year in enumerate(YEARS):
        eng = one(refs, year=year, reference="england")["imd_like"]
        assert eng == pytest.approx((A_IMD[k] + 50) / 4)
        assert one(refs, year=year, reference="other_deprived")["imd_like"] == 30.0


def test_missing_values_are_left_out_of_the_mean() -> None:
    wards = three_wards()
    wards.loc[(wards["ward_code"] == "W3") & (wards["year"] == 2019), "imd_like"] = np.nan
    refs = dv.reference_means(wards, ["imd_like"])
    assert one(refs, year=2019, reference="england")["imd_like"] == pytest.approx(35.0)


def test_gap_to_england_and_other_deprived() -> None:
    gaps = dv.ward_gaps(three_wards(), ["imd_like"])
    a = gaps[gaps["ward_code"] == "W1"].set_index("year")
    assert list(a["gap_england"]) == pytest.approx([17.5, 14.5, 11.5, 8.5, 7.0, 2.5, -0.5])
    assert list(a["gap_other_deprived"]) == pytest.approx([10, 6, 2, -2, -4, -10, -14])
    assert set(gaps.columns) >= {"ward_name", "la_code", "start_group", "england", "value"}


def test_gap_changes_since_start_and_policy() -> None:
    changes = dv.gap_changes(dv.ward_gaps(three_wards(), ["imd_like"]), policy_start=2022)
    a = changes[changes["ward_code"] == "W1"].set_index("year")
    assert a.loc[2025, "change_since_start_england"] == pytest.approx(-0.5 - 17.5)
    # Measured from 2021, the last year the futures share (2022 is their first own year).
    assert a.loc[2025, "change_since_policy_england"] == pytest.approx(-0.5 - 11.5)
    assert a.loc[2022, "change_since_policy_england"] == pytest.approx(8.5 - 11.5)
    assert a.loc[2021, "change_since_policy_england"] == 0.0
    assert math.isnan(a.loc[2020, "change_since_policy_england"])
    assert a.loc[2019, "change_since_start_other_deprived"] == 0.0


def test_gap_halves_in_year_three_and_closes_in_year_six() -> None:
    gaps = dv.ward_gaps(three_wards(), ["imd_like"])
    closure = dv.gap_closure(gaps, "england").set_index("ward_code")
    assert closure.loc["W1", "gap_start"] == pytest.approx(17.5)
    assert closure.loc["W1", "gap_end"] == pytest.approx(-0.5)
    assert closure.loc["W1", "year_half_closed"] == 2022  # 8.5 <= 17.5 / 2, three years on
    assert closure.loc["W1", "year_closed"] == 2025  # -0.5 <= 0
    assert closure.loc["W1", "year_closed_for_good"] == 2025  # and it stays closed
    # C starts better off than England (negative gap): it has no gap to close.
    assert closure.loc["W3", "gap_start"] == pytest.approx(-12.5)
    assert pd.isna(closure.loc["W3", "year_half_closed"])
    assert pd.isna(closure.loc["W3", "year_closed"])
    assert str(closure["year_closed"].dtype) == "Int64"


def test_closing_years_only_for_unfavourable_gaps_and_for_good_when_kept() -> None:
    years = np.arange(2019, 2025)
    gap = np.array(
        [
            [10.0, 11.0, 12.0, 12.0, 12.0, 12.0],  # widens: never closes
            [-5.0, -1.0, 2.0, 5.0, 8.0, 8.0],  # starts ahead and falls behind: nothing closed
            [10.0, 4.0, -1.0, 3.0, -2.0, -2.0],  # halves 2020, closes 2021, reopens, closes 2023
            [10.0, 4.0, -1.0, 3.0, 3.0, 3.0],  # closes 2021 and reopens: never for good
            [0.0, -1.0, -2.0, -2.0, -2.0, -2.0],  # starts level: nothing to close
            [np.nan, 1.0, -1.0, -1.0, -1.0, -1.0],  # start missing
        ]
    )
    got = dv.closing_years(gap, years)
    nan = np.nan
    np.testing.assert_array_equal(got["half"], [nan, nan, 2020, 2020, nan, nan])
    np.testing.assert_array_equal(got["closed"], [nan, nan, 2021, 2021, nan, nan])
    np.testing.assert_array_equal(got["for_good"], [nan, nan, 2023, nan, nan, nan])
    # Where higher is better (funding per head), a negative start gap is the one to close.
    flipped = dv.closing_years(-gap, years, sign=-1.0)
    for name in ("half", "closed", "for_good"):
        np.testing.assert_array_equal(flipped[name], got[name])


def test_gap_closure_to_other_deprived_and_zero_start_gap() -> None:
    gaps = dv.ward_gaps(three_wards(), ["imd_like"])
    closure = dv.gap_closure(gaps, "other_deprived").set_index("ward_code")
    assert closure.loc["W1", "year_half_closed"] == 2021  # 2 <= 10 / 2
    assert closure.loc["W1", "year_closed"] == 2022  # -2 <= 0
    assert pd.isna(closure.loc["W2", "year_half_closed"])  # start gap 0: undefined
    with pytest.raises(ValueError, match="reference"):
        dv.gap_closure(gaps, "scotland")


def test_rank_and_rank_mobility() -> None:
    ranks = dv.rank_mobility(three_wards(), ["imd_like"])
    at = ranks.set_index(["ward_code", "year"])
    assert at.loc[("W1", 2019), "rank"] == 1
    assert at.loc[("W1", 2024), "rank"] == 2  # 20 < 30: B is now the most deprived
    assert at.loc[("W1", 2024), "rank_change"] == 1
    assert at.loc[("W2", 2024), "rank_change"] == -1
    assert at.loc[("W3", 2024), "rank_change"] == 0


def test_rank_uses_the_model_rank_columns_when_present() -> None:
    wards = three_wards()
    wards["imd_rank"] = 7.0
    ranks = dv.rank_mobility(wards, ["imd_like", "income_deprivation"])
    assert set(ranks.loc[ranks["measure"] == "imd_like", "rank"]) == {7.0}
    assert set(ranks.loc[ranks["measure"] == "income_deprivation", "rank"]) == {1.0, 2.0, 3.0}


def test_ward_that_leaves_and_reenters_left_behind_status() -> None:
    status = dv.left_behind_status(three_wards()).set_index(["ward_code", "year"])
    assert [status.loc[("W1", y), "status"] for y in YEARS] == [
        "remained",
        "exited",
        "exited",
        "remained",
        "remained",
        "exited",
        "exited",
    ]
    assert status.loc[("W3", 2024), "status"] == "entered"
    assert status.loc[("W2", 2024), "status"] == "never"
    spells = dv.left_behind_spells(three_wards()).set_index("ward_code")
    assert spells.loc["W1", "n_exits"] == 2
    assert spells.loc["W1", "n_entries"] == 1
    assert spells.loc["W1", "first_exit_year"] == 2020
    assert spells.loc["W1", "first_entry_year"] == 2022
    assert spells.loc["W1", "years_left_behind"] == 3
    assert bool(spells.loc["W1", "left_behind_start"]) and not spells.loc["W1", "left_behind_end"]
    assert spells.loc["W3", "first_entry_year"] == 2024
    assert pd.isna(spells.loc["W2", "first_exit_year"])


def test_left_behind_counts_still_and_fallen_in() -> None:
    counts = dv.left_behind_counts(three_wards()).set_index("year")
    assert counts.loc[2019].to_dict() == {
        "n_left_behind": 1,
        "n_start_left_behind": 1,
        "n_still_left_behind": 1,
        "n_exited": 0,
        "n_fallen_in": 0,
    }
    assert counts.loc[2022, "n_still_left_behind"] == 1  # A re-entered
    assert counts.loc[2024, "n_still_left_behind"] == 0
    assert counts.loc[2024, "n_exited"] == 1
    assert counts.loc[2024, "n_fallen_in"] == 1
    assert counts.loc[2024, "n_left_behind"] == 1


def test_counts_from_groups_match_counts_from_wards() -> None:
    wards = three_wards()
    rows = []
    for year, at in wards.groupby("year"):
        for group in dv.GROUPS:
            sub = at if group == "england" else at[at["start_group"] == group]
            rows.append({"year": year, "group": group, "n_left_behind": sub["left_behind"].sum()})
    from_groups = dv.left_behind_counts_from_groups(pd.DataFrame(rows)).set_index("year")
    from_wards = dv.left_behind_counts(wards).set_index("year")
    pd.testing.assert_frame_equal(from_groups.astype(int), from_wards, check_dtype=False)


def test_group_gaps() -> None:
    groups = pd.DataFrame(
        {
            "year": [2019] * 3,
            "group": ["left_behind", "other_deprived", "england"],
            "imd_like": [40.0, 30.0, 22.5],
        }
    )
    gaps = dv.group_gaps(groups)
    row = one(gaps, year=2019, measure="imd_like")
    assert row["gap_england"] == 17.5
    assert row["gap_other_deprived"] == 10.0


def test_ward_summary_and_divergence() -> None:
    summary = dv.ward_divergence(dv.ward_summary(three_wards())).set_index("ward_code")
    assert summary.loc["W1", "imd_gap_start"] == pytest.approx(17.5)
    assert summary.loc["W1", "imd_gap_end"] == pytest.approx(-0.5)
    assert summary.loc["W1", "imd_gap_change"] == pytest.approx(-18.0)
    assert summary.loc["W1", "cni_gap_change"] == pytest.approx(-36.0)
    assert summary.loc["W1", "imd_like_start"] == 40.0
    assert bool(summary.loc["W3", "left_behind_end"])
    assert summary.loc["W1", "imd_gap_closed_year"] == 2025
    assert pd.isna(summary.loc["W3", "imd_gap_closed_year"])  # starts below England's mean
    assert {"ward_name", "la_code", "start_group", "cni_like_end"} <= set(summary.columns)


def test_missing_column_is_named() -> None:
    with pytest.raises(ValueError, match="population"):
        dv.reference_means(three_wards().drop(columns="population"), ["imd_like"])


@settings(max_examples=40, deadline=None)
@given(
    values=arrays(np.float64, 6, elements=st.floats(0, 100)),
    pops=arrays(np.float64, 6, elements=st.floats(1, 1e4)),
)
def test_population_weighted_gaps_to_england_sum_to_zero(
    values: np.ndarray, pops: np.ndarray
) -> None:
    wards = pd.DataFrame(
        {
            "year": 2019,
            "ward_code": [f"W{i}" for i in range(6)],
            "start_group": ["left_behind", "other_deprived"] * 3,
            "population": pops,
            "imd_like": values,
        }
    )
    gaps = dv.ward_gaps(wards, ["imd_like"]).set_index("ward_code")
    weighted = (gaps["gap_england"] * wards.set_index("ward_code")["population"]).sum()
    assert abs(weighted) <= 1e-9 * pops.sum() * max(1.0, values.max())
    assert dv.weighted_mean(values, pops) == pytest.approx(float(np.average(values, weights=pops)))
    assert dv.weighted_std(values, pops) >= 0
