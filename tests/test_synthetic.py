"""Tests of the synthetic England generator (``lbn_sim.data.synthetic``).

All tests read only the committed calibration table; the tests of the table itself
and of its transforms are in ``test_synthetic_calibration.py``.

Tolerances (default size, seed 0): group sizes exact; group populations within 5%;
model-scale group means within 0.15 sd (sampling noise alone is 1/sqrt(225) = 0.07
sd for the left-behind group); key correlations within 0.1; sds within 20%.
Start groups against the table's own 10% cuts (several seeds and sizes): the
left-behind rule (top 10% on both scores) selects at least 95% of the labelled
wards and their count within 5%, as on the real data (218 of 225).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from lbn_sim.data.synthetic import between_la_share, generate_wards, normal_scores
from lbn_sim.data.synthetic_calibration import (
    CNI_COLUMNS,
    GROUPS,
    VARIABLES,
    Calibration,
    load_calibration,
    to_model_scale,
)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
COMMITTED_TABLE = PROJECT_ROOT / "src" / "lbn_sim" / "data" / "synthetic_calibration.csv"

# The ward-table contract of docs/contracts.md, spelt out independently of the module.
CONTRACT_COLUMNS = [
    "ward_code",
    "ward_name",
    "la_code",
    "la_name",
    "population",
    "share_0_15",
    "share_16_29",
    "share_30_49",
    "share_50_64",
    "share_65_plus",
    "imd_score",
    "income",
    "employment",
    "education",
    "health",
    "crime",
    "housing_access",
    "living_environment",
    "cni_score",
    "civic_assets",
    "connectedness",
    "engaged_community",
    "left_behind",
    "start_group",
]
STRING_COLUMNS = ["ward_code", "ward_name", "la_code", "la_name", "start_group"]
FLOAT_COLUMNS = [c for c in CONTRACT_COLUMNS if c not in [*STRING_COLUMNS, "left_behind"]]
SHARES = ["share_0_15", "share_16_29", "share_30_49", "share_50_64", "share_65_plus"]
KEY_PAIRS = [
    ("logit_income", "logit_employment"),
    ("logit_income", "health"),
    ("logit_income", "imd_score"),
    ("logit_employment", "health"),
    ("logit_share_0_15", "logit_share_65_plus"),
]


@pytest.fixture(scope="module")
def cal() -> Calibration:
    return load_calibration()


@pytest.fixture(scope="module")
def wards() -> pd.DataFrame:
    return generate_wards(seed=0)


def check_contract(frame: pd.DataFrame) -> None:
    """Invariants every ward table must satisfy, whatever its size."""
    assert list(frame.columns) == CONTRACT_COLUMNS
    assert isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0
    for col in STRING_COLUMNS:
        assert pd.api.types.is_string_dtype(frame[col]), col
        assert all(isinstance(v, str) for v in frame[col]), col
    for col in FLOAT_COLUMNS:
        assert frame[col].dtype == np.float64, col
        assert np.isfinite(frame[col]).all(), col
    assert frame["left_behind"].dtype == np.bool_
    ordered = frame.sort_values(["la_code", "ward_code"], kind="stable")
    assert ordered.index.equals(frame.index), "not sorted by la_code, ward_code"
    assert frame["ward_code"].is_unique
    assert frame["ward_code"].str.fullmatch(r"S\d{8}").all()
    assert frame["ward_name"].str.fullmatch(r"Synthetic ward \d{4,}").all()
    assert frame["la_code"].str.fullmatch(r"SLA\d{3,}").all()
    assert (frame["la_name"].str[len("Synthetic LA ") :] == frame["la_code"].str[3:]).all()
    assert frame.groupby("la_code")["la_name"].nunique().eq(1).all()
    assert set(frame["start_group"]) <= set(GROUPS)
    assert (frame["left_behind"] == (frame["start_group"] == "left_behind")).all()
    # rates in [0, 1], shares summing to 1
    for col in ["income", "employment", *SHARES]:
        assert frame[col].between(0.0, 1.0).all(), col
    np.testing.assert_allclose(frame[SHARES].sum(axis=1), 1.0, atol=1e-12)
    # scores on their contract scales
    for col in ["civic_assets", "connectedness", "engaged_community"]:
        assert frame[col].between(0.0, 100.0).all(), col
    np.testing.assert_allclose(
        frame["cni_score"],
        frame[["civic_assets", "connectedness", "engaged_community"]].sum(axis=1),
        rtol=1e-12,
    )
    for col in ["education", "housing_access", "living_environment", "imd_score"]:
        assert frame[col].between(0.0, 100.0).all(), col
    for col in ["health", "crime"]:
        assert frame[col].between(-4.0, 4.0).all(), col
    assert (frame["population"] >= 1.0).all()
    assert (frame["population"] == np.round(frame["population"])).all()


def test_default_table_meets_contract(wards: pd.DataFrame) -> None:
    check_contract(wards)


def test_default_group_sizes_and_populations(wards: pd.DataFrame, cal: Calibration) -> None:
    assert len(wards) == cal.n_wards
    assert 7_000 < len(wards) < 8_000
    for group in GROUPS:
        part = wards[wards["start_group"] == group]
        assert len(part) == cal.groups[group].n_wards, group
        real = cal.groups[group].population_total
        assert part["population"].sum() == pytest.approx(real, rel=0.05), group
    assert wards["left_behind"].sum() == 225
    assert wards.loc[wards["left_behind"], "population"].sum() == pytest.approx(2.4e6, rel=0.05)
    assert wards["population"].sum() == pytest.approx(cal.population_total, rel=0.05)
    assert 55e6 < wards["population"].sum() < 57.5e6


def test_default_local_authorities(wards: pd.DataFrame, cal: Calibration) -> None:
    assert wards["la_code"].nunique() == cal.n_las
    per_la = wards.groupby("la_code").size()
    assert per_la.min() >= 1
    assert np.log(per_la).mean() == pytest.approx(cal.la_log_size_mean, abs=0.1)
    # deprived wards cluster in LAs about as much as the real ones do
    for group in ("left_behind", "other_deprived"):
        real = cal.groups[group].n_las
        synthetic = wards.loc[wards["start_group"] == group, "la_code"].nunique()
        assert synthetic == pytest.approx(real, rel=0.25), group
    for var in ("imd_score", "cni_score"):
        r2 = between_la_share(normal_scores(wards[var].to_numpy()), wards["la_code"].to_numpy())
        assert r2 == pytest.approx(cal.la_r2[var], abs=0.15), var


def test_default_group_moments(wards: pd.DataFrame, cal: Calibration) -> None:
    model = to_model_scale(wards)
    for group in GROUPS:
        g = cal.groups[group]
        values = model[wards["start_group"] == group]
        mean_gap = (values.mean().to_numpy() - g.mean) / g.sd
        assert np.abs(mean_gap).max() < 0.15, (group, dict(zip(VARIABLES, mean_gap, strict=True)))
        sd_ratio = values.std().to_numpy() / g.sd
        assert np.all((sd_ratio > 0.8) & (sd_ratio < 1.2)), (group, sd_ratio)
        # within the group's observed range (population is rescaled, so skip it)
        inside = values.drop(columns="log_population")
        keep = [VARIABLES.index(c) for c in inside.columns]
        assert (inside.to_numpy() >= g.lower[keep] - 1e-9).all(), group
        assert (inside.to_numpy() <= g.upper[keep] + 1e-9).all(), group
        corr = np.corrcoef(values.to_numpy(), rowvar=False)
        for a, b in KEY_PAIRS:
            i, j = VARIABLES.index(a), VARIABLES.index(b)
            assert corr[i, j] == pytest.approx(g.corr[i, j], abs=0.1), (group, a, b)


def test_deprived_groups_are_more_deprived(wards: pd.DataFrame) -> None:
    by_group = wards.groupby("start_group")
    cni = by_group["cni_score"].mean().to_dict()
    imd = by_group["imd_score"].mean().to_dict()
    income = by_group["income"].mean().to_dict()
    assert cni["left_behind"] > cni["other_deprived"] > cni["rest"]
    assert imd["other_deprived"] > imd["rest"] and imd["left_behind"] > imd["rest"]
    assert income["left_behind"] > income["rest"]


def test_same_seed_same_table_other_seed_other_table() -> None:
    first = generate_wards(seed=7)
    pd.testing.assert_frame_equal(first, generate_wards(seed=7))
    other = generate_wards(seed=8)
    assert not first.equals(other)
    assert not np.allclose(first["imd_score"], other["imd_score"])


def test_no_global_random_state() -> None:
    # the legacy global state must be left alone by the generator
    before = np.random.get_state(legacy=False)  # noqa: NPY002
    generate_wards(n_wards=50, seed=1)
    after = np.random.get_state(legacy=False)  # noqa: NPY002
    assert isinstance(before, dict) and isinstance(after, dict)
    assert after["state"]["pos"] == before["state"]["pos"]
    assert np.array_equal(after["state"]["key"], before["state"]["key"])


@pytest.mark.parametrize("n_wards", [3, 4, 10, 57, 500])
def test_shrunk_tables(n_wards: int, cal: Calibration) -> None:
    frame = generate_wards(n_wards=n_wards, seed=3)
    check_contract(frame)
    assert len(frame) == n_wards
    counts = frame["start_group"].value_counts()
    assert all(counts.get(g, 0) >= 1 for g in GROUPS)
    share_lb = cal.groups["left_behind"].n_wards / cal.n_wards
    assert counts["left_behind"] == max(1, round(n_wards * share_lb))
    expected_las = max(1, round(cal.n_las * n_wards / cal.n_wards))
    assert frame["la_code"].nunique() == expected_las


def top_decile(score: pd.Series) -> NDArray[np.bool_]:
    """The model's cut: the floor(n/10) highest scores, ties by ward order."""
    top = np.zeros(len(score), dtype=np.bool_)
    top[np.argsort(-score.to_numpy(), kind="stable")[: len(score) // 10]] = True
    return top


@pytest.mark.parametrize("n_wards", [None, 50, 57, 123, 500, 1_500])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_groups_agree_with_the_tables_own_cuts(
    n_wards: int | None, seed: int, cal: Calibration
) -> None:
    frame = generate_wards(n_wards=n_wards, seed=seed)
    group = frame["start_group"].to_numpy()
    in_imd = top_decile(frame["imd_score"])
    # contract: other_deprived is the IMD top 10% less the left-behind wards
    assert in_imd[group == "other_deprived"].all()
    assert not in_imd[group == "rest"].any()
    # the left-behind rule agrees with the labels about as well as on the real data
    # (218 of 225): at least 95% of the labelled wards, a count within 5%
    rule = in_imd & top_decile(frame["cni_score"])
    labelled = frame["left_behind"].to_numpy()
    assert (rule & labelled).sum() >= 0.95 * labelled.sum()
    assert abs(rule.sum() - labelled.sum()) <= 0.05 * labelled.sum()
    assert not (rule & (group == "other_deprived")).any()
    if n_wards is None:
        assert (rule & labelled).sum() == 218
    # the moved scores stay within each group's observed range
    model = to_model_scale(frame)
    for name in GROUPS:
        g = cal.groups[name]
        for var in ("imd_score", *(f"probit_{d}" for d in CNI_COLUMNS)):
            values = model.loc[group == name, var]
            i = VARIABLES.index(var)
            assert values.min() >= g.lower[i] - 1e-9, (name, var)
            assert values.max() <= g.upper[i] + 1e-9, (name, var)


@settings(max_examples=25, deadline=None)
@given(n_wards=st.integers(min_value=20, max_value=3_000), seed=st.integers(0, 2**32 - 1))
def test_any_size_from_20_agrees_with_its_cuts(n_wards: int, seed: int) -> None:
    frame = generate_wards(n_wards=n_wards, seed=seed)
    group = frame["start_group"].to_numpy()
    in_imd = top_decile(frame["imd_score"])
    assert in_imd[group == "other_deprived"].all()
    assert not in_imd[group == "rest"].any()
    rule = in_imd & top_decile(frame["cni_score"])
    labelled = frame["left_behind"].to_numpy()
    assert not (rule & ~labelled).any()
    assert (rule & labelled).sum() >= 0.95 * labelled.sum()


def test_shrunk_table_keeps_population_per_ward(cal: Calibration) -> None:
    frame = generate_wards(n_wards=1_000, seed=5)
    per_ward = frame["population"].mean()
    assert per_ward == pytest.approx(cal.population_total / cal.n_wards, rel=0.05)
    log_pop = np.log(frame.loc[frame["start_group"] == "rest", "population"])
    rest = cal.groups["rest"]
    i = VARIABLES.index("log_population")
    assert log_pop.std() == pytest.approx(rest.sd[i], rel=0.15)


@settings(max_examples=25, deadline=None)
@given(n_wards=st.integers(min_value=3, max_value=400), seed=st.integers(0, 2**32 - 1))
def test_any_size_meets_contract(n_wards: int, seed: int) -> None:
    frame = generate_wards(n_wards=n_wards, seed=seed)
    check_contract(frame)
    assert len(frame) == n_wards


@pytest.mark.parametrize("bad", [2, 0, -5, 2.5, True, "10"])
def test_bad_n_wards(bad: object) -> None:
    with pytest.raises(ValueError, match="n_wards"):
        generate_wards(n_wards=bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [-1, 1.5, None])
def test_bad_seed(bad: object) -> None:
    with pytest.raises(ValueError, match="seed"):
        generate_wards(n_wards=10, seed=bad)  # type: ignore[arg-type]


def test_missing_calibration_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="calibration table not found"):
        generate_wards(calibration=tmp_path / "nope.csv")


def test_incomplete_calibration_table(tmp_path: Path) -> None:
    table = pd.read_csv(COMMITTED_TABLE, keep_default_na=False)
    drop = (table["group"] == "rest") & (table["stat"] == "sd") & (table["var"] == "crime")
    path = tmp_path / "broken.csv"
    table[~drop].to_csv(path, index=False)
    with pytest.raises(ValueError, match=r"group='rest', stat='sd', var='crime'"):
        generate_wards(n_wards=10, calibration=path)


def test_explicit_calibration_path_matches_packaged() -> None:
    packaged = generate_wards(n_wards=30, seed=2)
    explicit = generate_wards(n_wards=30, seed=2, calibration=COMMITTED_TABLE)
    pd.testing.assert_frame_equal(packaged, explicit)
