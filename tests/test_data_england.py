"""The real England loader against the facts of the data README.

Needs ``LBN_SIM_DATA_DIR`` naming a directory holding the seven files (the ``data_dir``
fixture: skipped without it, except in CI, where it must be set).
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lbn_sim.data.england import AGE_BANDS, CONTRACT_COLUMNS, DataReport, load_england
from lbn_sim.data.files import FILE_NAMES, ChecksumError, MissingDataError

# From the data README ("Facts these files reproduce"); the codes are what the
# README's counts (12 and 6) consist of.
N_LEFT_BEHIND = 225
LEFT_BEHIND_POPULATION = 2_386_368
CNI_ONLY = [  # in the CNI, with no LSOA in the lookup and no ward IMD row
    "E05003230",
    "E05003257",
    "E05003259",
    "E05006760",
    "E05006764",
    "E05008917",
    "E05008922",
    "E05009880",
    "E05010102",
    "E05010187",
    "E05010593",
    "E05010599",
]
IMD_ONLY = [  # in the ward IMD (and the lookup), not in the CNI: City of London, Scilly
    "E05009288",
    "E05009302",
    "E05009304",
    "E05009308",
    "E05009311",
    "E05011093",
]


@pytest.fixture(scope="module")
def loaded(data_dir: Path) -> tuple[pd.DataFrame, DataReport]:
    return load_england(data_dir)


@pytest.fixture(scope="module")
def wards(loaded: tuple[pd.DataFrame, DataReport]) -> pd.DataFrame:
    return loaded[0]


@pytest.fixture(scope="module")
def report(loaded: tuple[pd.DataFrame, DataReport]) -> DataReport:
    return loaded[1]


def test_left_behind_wards_and_residents(wards: pd.DataFrame, report: DataReport) -> None:
    lb = wards[wards["left_behind"]]
    assert len(lb) == N_LEFT_BEHIND
    assert lb["population"].sum() == LEFT_BEHIND_POPULATION
    assert (lb["start_group"] == "left_behind").all()
    assert report.n_left_behind == N_LEFT_BEHIND
    assert report.left_behind_population == LEFT_BEHIND_POPULATION


def test_report_lists_every_dropped_ward_with_its_reason(
    wards: pd.DataFrame, report: DataReport
) -> None:
    assert report.dropped_codes == sorted(CNI_ONLY + IMD_ONLY)
    by_code = {d.ward_code: d for d in report.dropped}
    for code in CNI_ONLY:
        d = by_code[code]
        assert d.in_cni and not d.in_imd and not d.has_population
        assert d.population is None and d.ward_name  # named from the CNI
        assert "no row in the ward IMD" in d.reason and "population unknown" in d.reason
    for code in IMD_ONLY:
        d = by_code[code]
        assert d.in_imd and not d.in_cni and d.has_population
        assert d.population is not None and d.population > 0  # reported, not zeroed
        assert d.lsoa_names and "no row in the CNI" in d.reason
    assert not set(report.dropped_codes) & set(wards["ward_code"])
    assert report.n_cni_wards == 7433 and report.n_imd_wards == 7427
    assert report.n_kept == len(wards) == 7433 - len(CNI_ONLY)
    md = report.to_markdown()
    for code in CNI_ONLY + IMD_ONLY:
        assert code in md


def test_contract_columns_and_dtypes(wards: pd.DataFrame) -> None:
    contract = list(CONTRACT_COLUMNS)
    assert list(wards.columns[: len(contract)]) == contract
    assert all(c.startswith("extra_") for c in wards.columns[len(contract) :])
    for col in ("ward_code", "ward_name", "la_code", "la_name", "start_group"):
        assert pd.api.types.is_string_dtype(wards[col]), col
        assert all(isinstance(v, str) for v in wards[col]), col
    assert wards["left_behind"].dtype == np.dtype(bool)
    text = {"ward_code", "ward_name", "la_code", "la_name", "start_group", "left_behind"}
    for col in [c for c in wards.columns if c not in text]:
        assert wards[col].dtype == np.dtype("float64"), col
    assert not wards[contract].isna().any().any()
    assert isinstance(wards.index, pd.RangeIndex) and wards.index.start == 0
    assert wards["ward_code"].is_unique


def test_sorted_by_la_then_ward(wards: pd.DataFrame) -> None:
    keys = list(zip(wards["la_code"], wards["ward_code"], strict=True))
    assert keys == sorted(keys)


def test_real_names_and_codes(wards: pd.DataFrame) -> None:
    w = wards.set_index("ward_code")
    assert w.loc["E05000026", "ward_name"] == "Abbey"
    assert w.loc["E05000026", "la_code"] == "E09000002"
    assert w.loc["E05000026", "la_name"] == "Barking and Dagenham"
    assert wards["ward_code"].str.fullmatch(r"E05\d{6}").all()  # English ward17 codes only
    assert wards["la_code"].str.fullmatch(r"E0[6-9]\d{6}").all()
    assert 300 <= wards["la_code"].nunique() <= 330
    assert "Hartlepool" in set(wards["la_name"])


def test_age_shares_sum_to_one(wards: pd.DataFrame) -> None:
    shares = wards[list(AGE_BANDS)].to_numpy()
    assert ((shares >= 0) & (shares <= 1)).all()
    np.testing.assert_allclose(shares.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    assert (wards["population"] > 0).all()
    assert (wards["population"] == wards["population"].round()).all()  # whole persons


def test_value_ranges(wards: pd.DataFrame) -> None:
    for col in ("income", "employment"):
        assert wards[col].between(0, 1).all(), col
    for col in ("imd_score", "education", "housing_access", "living_environment"):
        assert wards[col].between(0, 100).all(), col
    for col in ("health", "crime"):
        assert wards[col].between(-4, 4).all(), col
    for col in ("civic_assets", "connectedness", "engaged_community"):
        assert wards[col].between(0, 100).all(), col
    domains = wards[["civic_assets", "connectedness", "engaged_community"]].sum(axis=1)
    np.testing.assert_allclose(domains, wards["cni_score"], atol=1e-4)


def test_start_groups(wards: pd.DataFrame, report: DataReport) -> None:
    assert set(wards["start_group"]) == {"left_behind", "other_deprived", "rest"}
    cutoff = len(wards) // 10
    assert report.decile_cutoff == cutoff
    rank = wards["imd_score"].rank(ascending=False, method="min")
    other = wards["start_group"] == "other_deprived"
    assert (rank[other] <= cutoff).all() and not wards.loc[other, "left_behind"].any()
    rest = wards["start_group"] == "rest"
    assert (rank[rest] > cutoff).all() and not wards.loc[rest, "left_behind"].any()
    counts = wards["start_group"].value_counts()
    assert report.group_wards == {g: int(counts[g]) for g in report.group_wards}


def test_population_is_accounted_for(wards: pd.DataFrame, report: DataReport) -> None:
    dropped = sum(d.population or 0.0 for d in report.dropped)
    assert wards["population"].sum() == report.kept_population
    assert report.kept_population + dropped == report.england_population
    assert 56_000_000 < report.england_population < 56_500_000  # England, mid-2019


def test_rule_against_the_flag(report: DataReport) -> None:
    # The README finds 225 wards, 218 flagged, ranking the published ward IMD;
    # ranking among the kept wards gives the same.
    assert report.rule_n_found == 225
    assert report.rule_n_found_flagged == 218
    assert len(report.rule_flagged_not_found) == 225 - 218
    assert len(report.rule_found_not_flagged) == 225 - 218
    for case in report.rule_disagreements:
        assert case.flagged != case.by_rule
        # every flagged ward is in the CNI's top 10%; only the IMD rank disagrees
        assert case.cni_rank <= report.decile_cutoff


def test_extra_columns(wards: pd.DataFrame) -> None:
    rate = wards["extra_income_rate_lsoa"]
    assert rate.notna().all() and rate.between(0, 1).all()
    assert np.corrcoef(rate, wards["income"])[0, 1] > 0.99
    assert wards["extra_distance_gp_km"].gt(0).all()


def test_report_markdown_and_write(report: DataReport, tmp_path: Path) -> None:
    md = report.to_markdown()
    assert "225" in md and "2,386,368" in md and "Open Government Licence" in md
    path = report.write(tmp_path / "data_report.md")
    assert path.read_text(encoding="utf-8") == md
    # The report is part of a run's output: the same data give the same bytes, however long
    # the loading took (no timings in it).
    slow = dataclasses.replace(report, load_seconds=report.load_seconds + 100.0)
    assert slow.to_markdown() == md


@pytest.mark.slow  # a second load of England (about 4 s); test_golden loads without extras too
def test_without_extras_same_contract_columns(wards: pd.DataFrame, data_dir: Path) -> None:
    plain, rep = load_england(data_dir, extras=False)
    assert list(plain.columns) == list(CONTRACT_COLUMNS)
    pd.testing.assert_frame_equal(plain, wards[list(CONTRACT_COLUMNS)])
    assert rep.extra_columns == []


def test_missing_or_corrupt_file_in_a_copy(tmp_path: Path, data_dir: Path) -> None:
    src = data_dir
    for name in FILE_NAMES[1:]:
        shutil.copyfile(src / name, tmp_path / name)
    with pytest.raises(MissingDataError, match=FILE_NAMES[0]):
        load_england(tmp_path)
    data = bytearray((src / FILE_NAMES[0]).read_bytes())
    data[-1] ^= 0x01
    (tmp_path / FILE_NAMES[0]).write_bytes(bytes(data))
    with pytest.raises(ChecksumError, match=FILE_NAMES[0]) as info:
        load_england(tmp_path)
    assert f"Replace it with a good copy: python -m lbn_sim.data download {tmp_path}" in str(
        info.value
    )


@pytest.mark.slow
def test_imd2015_extra(wards: pd.DataFrame, data_dir: Path) -> None:
    only, _ = load_england(data_dir, extras=False, imd2015=True)
    assert list(only.columns) == [*CONTRACT_COLUMNS, "extra_imd2015_score"]
    score = only["extra_imd2015_score"]
    assert score.notna().all() and score.between(0, 100).all()
    assert np.corrcoef(score, only["imd_score"])[0, 1] > 0.95
