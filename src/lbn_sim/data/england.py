"""The real ward table for England (2017 wards, data of 2019).

:func:`load_england` joins the published files described in the data README
into the ward table of ``docs/contracts.md``:

- ``cni2019_england_ward17.csv``: ward and local authority (lad19) names and
  codes, the Community Needs Index score and domains, the ``Left Behind Area?``
  flag;
- ``imd2019_england_ward17.csv``: the IMD 2019 score and domain scores at ward
  level;
- ``population19_lsoa11.rda`` summed to wards through
  ``lookup_lsoa11_ward17.rda``: mid-2019 residents and age shares;
- ``imd2019_england_lsoa11_indicators.rda`` (``extras=True``, the default)
  and ``imd2015_england_lsoa11.rda`` (``imd2015=True``), aggregated from
  LSOAs to ``extra_*`` columns.

A ward is kept only when it has a CNI row, an IMD row and at least one LSOA in
the lookup, with no missing value in a contract column; every other ward is
listed, with the reason, in the :class:`DataReport`. Nothing is zeroed or
imputed in the contract columns.
"""

from __future__ import annotations

import os
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lbn_sim.data.contract import CONTRACT_COLUMNS, STRING_COLUMNS
from lbn_sim.data.data_report import DataReport, DroppedWard, RuleCase
from lbn_sim.data.files import DataError, check_files, resolve_data_dir, unreadable
from lbn_sim.names import START_GROUPS

__all__ = [
    "AGE_BANDS",
    "CONTRACT_COLUMNS",
    "DataReport",
    "DroppedWard",
    "RuleCase",
    "load_england",
]

AGE_BANDS: dict[str, tuple[int, int | None]] = {
    "share_0_15": (0, 15),
    "share_16_29": (16, 29),
    "share_30_49": (30, 49),
    "share_50_64": (50, 64),
    "share_65_plus": (65, None),
}
"""Age band column -> (first age, last age or None for 'and over'); ``90+`` counts as 90."""

_CNI_COLUMNS = {
    "ward17_code": "ward_code",
    "ward17_name": "ward_name",
    "lad19_code": "la_code",
    "lad19_name": "la_name",
    "Community Needs Index score": "cni_score",
    "Civic Assets score": "civic_assets",
    "Connectedness score": "connectedness",
    "Engaged community score": "engaged_community",
    "Left Behind Area?": "left_behind",
}

_IMD_COLUMNS = {
    "WD17CD": "ward_code",
    "Score": "imd_score",
    "Income_Score": "income",
    "Employment_Score": "employment",
    "Education_Score": "education",
    "Health_Score": "health",
    "Crime_Score": "crime",
    "Housing_and_Access_Score": "housing_access",
    "Environment_Score": "living_environment",
}

# extra_* columns: population-weighted (mid-2019 LSOA residents) means of IoD 2019
# indicators, as published (see the IoD 2019 technical report for units and direction).
_EXTRA_MEANS = {
    "extra_staying_on_post16": "staying_on_in_education_post_16_indicator",
    "extra_entry_to_higher_education": "entry_to_higher_education_indicator",
    "extra_adult_skills": "adult_skills_and_english_language_proficiency_indicator",
    "extra_years_potential_life_lost": "years_of_potential_life_lost_indicator",
    "extra_illness_disability_ratio": "comparative_illness_and_disability_ratio_indicator",
    "extra_acute_morbidity": "acute_morbidity_indicator",
    "extra_mood_anxiety": "mood_and_anxiety_disorders_indicator",
    "extra_distance_post_office_km": "road_distance_to_a_post_office_indicator_km",
    "extra_distance_primary_school_km": "road_distance_to_a_primary_school_indicator_km",
    "extra_distance_general_store_km": (
        "road_distance_to_general_store_or_supermarket_indicator_km"
    ),
    "extra_distance_gp_km": "road_distance_to_a_gp_surgery_indicator_km",
    "extra_overcrowding": "household_overcrowding_indicator",
    "extra_no_central_heating": "houses_without_central_heating_indicator",
    "extra_air_quality": "air_quality_indicator",
}


def _read_rda(path: Path) -> pd.DataFrame:
    """The single data frame an ``.rda`` file holds."""
    import rdata

    with warnings.catch_warnings():
        # tibbles are plain data frames to us; rdata warns that it converts them so.
        warnings.filterwarnings(
            "ignore",
            message=r'Missing constructor for R class "(tbl_df|tbl)"',
            category=UserWarning,
        )
        try:
            data: dict[str, Any] = rdata.read_rda(path)
        except OSError as err:
            raise unreadable(path, err) from None
    frames = [v for v in data.values() if isinstance(v, pd.DataFrame)]
    if len(frames) != 1:
        raise DataError(f"{path} holds {len(frames)} data frames, expected exactly one")
    return frames[0]


def _read_table(path: Path) -> pd.DataFrame:
    """:func:`_read_rda`, kept parsed in the user cache (:mod:`lbn_sim.data.table_cache`:
    about 0.1 s instead of 1 to 4 s a file)."""
    from lbn_sim.data.table_cache import read_cached

    return read_cached(path, _read_rda)


def _read_csv(path: Path) -> pd.DataFrame:
    """A published CSV file; one that cannot be read raises :class:`DataError` naming it."""
    try:
        return pd.read_csv(path)
    except OSError as err:
        raise unreadable(path, err) from None


def _as_str(s: pd.Series) -> pd.Series:
    """Text as the ``str`` dtype, keeping missing values missing (not ``"nan"``)."""
    return s.astype(str).where(s.notna())


def _weighted_mean(values: pd.Series, weights: pd.Series, groups: pd.Series) -> pd.Series:
    """Weighted mean of ``values`` per group, over rows where ``values`` is known."""
    known = values.notna()
    w = weights.where(known, 0.0)
    num = (values.fillna(0.0) * w).groupby(groups).sum()
    den = w.groupby(groups).sum()
    return (num / den.where(den > 0)).astype("float64")


def load_england(
    data_dir: str | os.PathLike[str] | None = None,
    *,
    extras: bool = True,
    imd2015: bool = False,
    verify: bool = True,
) -> tuple[pd.DataFrame, DataReport]:
    """Load the ward table of England and the report of what was kept and dropped.

    ``data_dir``: the directory of the seven files (``None``: see
    :func:`~lbn_sim.data.files.resolve_data_dir`). ``extras``: add the
    ``extra_*`` columns of the LSOA indicators (one more file, about 0.6 s).
    ``imd2015``: also add ``extra_imd2015_score`` (about 2 s more; for
    calibrating 2015-2019 trends). ``verify``: check every file's SHA-256
    first (about 20 ms). Without extras a load takes about 3 s, almost
    all of it ``rdata`` parsing the population and lookup files.

    Returns ``(wards, report)``: ``wards`` has one row per kept ward, sorted by
    ``la_code`` then ``ward_code`` with a fresh RangeIndex, the contract
    columns in contract order, then the ``extra_*`` columns (float64, NaN where
    no LSOA of the ward has the indicator).
    """
    t0 = time.perf_counter()
    root = resolve_data_dir(data_dir)
    if verify:
        check_files(root)
    notes: list[str] = []

    # -- ward sources ---------------------------------------------------------------
    cni_raw = _read_csv(root / "cni2019_england_ward17.csv")
    imd_raw = _read_csv(root / "imd2019_england_ward17.csv")
    _require_columns(cni_raw, _CNI_COLUMNS, "cni2019_england_ward17.csv")
    _require_columns(imd_raw, _IMD_COLUMNS, "imd2019_england_ward17.csv")
    cni = cni_raw[list(_CNI_COLUMNS)].rename(columns=_CNI_COLUMNS)
    imd = imd_raw[list(_IMD_COLUMNS)].rename(columns=_IMD_COLUMNS)
    for col in ("ward_code", "ward_name", "la_code", "la_name"):
        cni[col] = _as_str(cni[col]).str.strip()
    imd["ward_code"] = _as_str(imd["ward_code"]).str.strip()
    for name, frame in (("cni2019_england_ward17.csv", cni), ("imd2019_england_ward17.csv", imd)):
        dup = frame["ward_code"][frame["ward_code"].duplicated()]
        if len(dup):
            raise DataError(f"{name} repeats ward codes: {', '.join(sorted(set(dup)))}")
    if cni["left_behind"].dtype != bool:
        raise DataError(
            "cni2019_england_ward17.csv: 'Left Behind Area?' is not a TRUE/FALSE column "
            f"(dtype {cni['left_behind'].dtype})"
        )

    # -- population through the LSOA lookup -----------------------------------------
    pop_raw = _read_table(root / "population19_lsoa11.rda")
    lookup = _read_table(root / "lookup_lsoa11_ward17.rda")
    lookup = pd.DataFrame(
        {
            "lsoa11_code": _as_str(lookup["lsoa11_code"]),
            "ward_code": _as_str(lookup["ward17_code"]),
        }
    )
    if lookup["lsoa11_code"].duplicated().any():
        raise DataError("lookup_lsoa11_ward17.rda maps an LSOA to more than one ward")
    ages = [str(a) for a in range(90)] + ["90+"]
    missing_ages = [a for a in ages if a not in pop_raw.columns]
    if missing_ages:
        raise DataError(f"population19_lsoa11.rda lacks age columns {missing_ages}")
    age_counts = pop_raw[ages].to_numpy(dtype="float64")
    lsoa = pd.DataFrame({"lsoa11_code": _as_str(pop_raw["lsoa11_code"])})
    for band, (lo, hi) in AGE_BANDS.items():
        stop = len(ages) if hi is None else hi + 1
        lsoa[band] = age_counts[:, lo:stop].sum(axis=1)
    lsoa["population"] = age_counts.sum(axis=1)
    lsoa["pop_18_64"] = age_counts[:, 18:65].sum(axis=1)
    if "lsoa11_name" in pop_raw.columns:
        lsoa["lsoa11_name"] = _as_str(pop_raw["lsoa11_name"])
    if "total_population" in pop_raw.columns:
        gap = np.abs(lsoa["population"].to_numpy() - pop_raw["total_population"].to_numpy())
        if np.nanmax(gap) > 0.5:
            notes.append(
                f"population19_lsoa11.rda: single years of age differ from total_population "
                f"in {(gap > 0.5).sum()} LSOAs; the single years are used."
            )
    lsoa = lsoa.merge(lookup, on="lsoa11_code", how="outer", indicator=True)
    no_ward = lsoa[lsoa["_merge"] == "left_only"]["lsoa11_code"]
    no_pop = lsoa[lsoa["_merge"] == "right_only"]["lsoa11_code"]
    if len(no_ward):
        notes.append(
            f"{len(no_ward)} LSOAs with population have no ward in the lookup and are not "
            f"counted: {', '.join(sorted(no_ward)[:20])}{' ...' if len(no_ward) > 20 else ''}"
        )
    if len(no_pop):
        notes.append(
            f"{len(no_pop)} LSOAs in the lookup have no population row: "
            f"{', '.join(sorted(no_pop)[:20])}{' ...' if len(no_pop) > 20 else ''}"
        )
    lsoa = lsoa[lsoa["_merge"] == "both"].drop(columns="_merge")
    english = lsoa["ward_code"].str.startswith("E")
    n_lsoas_other = int((~english).sum())
    lsoa = lsoa[english].reset_index(drop=True)
    band_cols = [*AGE_BANDS, "population"]
    ward_pop = lsoa.groupby("ward_code", sort=True)[band_cols].sum()
    ward_pop = ward_pop.loc[ward_pop["population"] > 0]
    empty = sorted(set(lsoa["ward_code"]) - set(ward_pop.index))
    if empty:
        notes.append(f"Wards whose LSOAs hold no residents (treated as no population): {empty}")
    shares = ward_pop[list(AGE_BANDS)].div(ward_pop["population"], axis=0)
    ward_pop = pd.concat([ward_pop[["population"]], shares], axis=1)

    # -- join and account for every ward ------------------------------------------------
    cni_codes, imd_codes, pop_codes = (
        set(cni["ward_code"]),
        set(imd["ward_code"]),
        set(ward_pop.index),
    )
    wards = cni.merge(imd, on="ward_code", how="inner").merge(
        ward_pop, left_on="ward_code", right_index=True, how="inner"
    )
    numeric_contract = [c for c in CONTRACT_COLUMNS if c not in (*STRING_COLUMNS, "left_behind")]
    bad_rows = wards[list(numeric_contract)].isna().any(axis=1) | wards[
        ["ward_name", "la_code", "la_name"]
    ].isna().any(axis=1)
    all_pop = lsoa.groupby("ward_code")["population"].sum()
    cni_idx = cni.set_index("ward_code")
    dropped: list[DroppedWard] = []
    for code in sorted((cni_codes | imd_codes | pop_codes) - set(wards["ward_code"])):
        dropped.append(_dropped(code, cni_idx, code in imd_codes, all_pop, lsoa, ()))
    for _, row in wards[bad_rows].iterrows():
        missing = tuple(c for c in CONTRACT_COLUMNS if c in row.index and pd.isna(row[c]))
        dropped.append(_dropped(row["ward_code"], cni_idx, True, all_pop, lsoa, missing))
    dropped.sort(key=lambda d: d.ward_code)
    wards = wards[~bad_rows]

    # -- start groups and the rule ------------------------------------------------------
    wards = wards.sort_values(["la_code", "ward_code"], kind="stable").reset_index(drop=True)
    n_kept = len(wards)
    cutoff = n_kept // 10
    imd_rank = wards["imd_score"].rank(ascending=False, method="min").astype("int64")
    cni_rank = wards["cni_score"].rank(ascending=False, method="min").astype("int64")
    flag = wards["left_behind"].astype(bool)
    imd_decile = imd_rank <= cutoff
    by_rule = imd_decile & (cni_rank <= cutoff)
    wards["left_behind"] = flag
    wards["start_group"] = np.where(
        flag, "left_behind", np.where(imd_decile, "other_deprived", "rest")
    )
    disagree = wards.index[flag != by_rule]
    rule_cases = [
        RuleCase(
            ward_code=str(wards.at[i, "ward_code"]),
            ward_name=str(wards.at[i, "ward_name"]),
            la_name=str(wards.at[i, "la_name"]),
            imd_rank=int(imd_rank[i]),
            cni_rank=int(cni_rank[i]),
            flagged=bool(flag[i]),
            by_rule=bool(by_rule[i]),
        )
        for i in disagree
    ]
    rule_cases.sort(key=lambda c: (c.flagged, c.imd_rank))

    # -- extras ---------------------------------------------------------------------------
    extra_cols: list[str] = []
    if extras or imd2015:
        extra = _extras(root, lsoa, notes, indicators=extras, imd2015=imd2015)
        extra_cols = list(extra.columns)
        wards = wards.merge(extra, left_on="ward_code", right_index=True, how="left")

    # -- contract types and checks ------------------------------------------------------
    for col in STRING_COLUMNS:
        wards[col] = _as_str(wards[col])
    for col in numeric_contract:
        wards[col] = wards[col].astype("float64")
    for col in extra_cols:
        wards[col] = wards[col].astype("float64")
    wards = wards[[*CONTRACT_COLUMNS, *extra_cols]].reset_index(drop=True)
    _check_contract(wards)

    groups = wards.groupby("start_group")["population"].agg(["size", "sum"])
    report = DataReport(
        data_dir=str(root),
        n_cni_wards=len(cni_codes),
        n_imd_wards=len(imd_codes),
        n_population_wards=len(pop_codes),
        n_lsoas_england=len(lsoa),
        n_lsoas_other=n_lsoas_other,
        n_kept=n_kept,
        n_local_authorities=int(wards["la_code"].nunique()),
        dropped=dropped,
        n_left_behind=int(flag.sum()),
        left_behind_population=float(wards.loc[wards["left_behind"], "population"].sum()),
        kept_population=float(wards["population"].sum()),
        england_population=float(lsoa["population"].sum()),
        group_wards={g: int(groups["size"].get(g, 0)) for g in START_GROUPS},
        group_population={g: float(groups["sum"].get(g, 0.0)) for g in START_GROUPS},
        decile_cutoff=cutoff,
        rule_n_found=int(by_rule.sum()),
        rule_n_found_flagged=int((by_rule & flag).sum()),
        rule_disagreements=rule_cases,
        files_verified=verify,
        extra_columns=extra_cols,
        notes=notes,
    )
    report.load_seconds = time.perf_counter() - t0
    return wards, report


def _require_columns(frame: pd.DataFrame, columns: dict[str, str], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(f"{name} lacks column(s) {missing}")


def _dropped(
    code: str,
    cni_idx: pd.DataFrame,
    in_imd: bool,
    all_pop: pd.Series,
    lsoa: pd.DataFrame,
    missing: tuple[str, ...],
) -> DroppedWard:
    in_cni = code in cni_idx.index
    row = cni_idx.loc[code] if in_cni else None
    pop = all_pop.get(code)
    has_pop = pop is not None and bool(pop > 0)
    names: tuple[str, ...] = ()
    if "lsoa11_name" in lsoa.columns:
        names = tuple(sorted(str(n) for n in lsoa.loc[lsoa["ward_code"] == code, "lsoa11_name"]))
    return DroppedWard(
        ward_code=code,
        ward_name=None if row is None else str(row["ward_name"]),
        la_code=None if row is None else str(row["la_code"]),
        la_name=None if row is None else str(row["la_name"]),
        in_cni=in_cni,
        in_imd=in_imd,
        has_population=has_pop,
        population=float(pop) if pop is not None else None,
        missing_values=missing,
        lsoa_names=names,
    )


def _extras(
    root: Path, lsoa: pd.DataFrame, notes: list[str], *, indicators: bool, imd2015: bool
) -> pd.DataFrame:
    """``extra_*`` columns per ward (index ``ward_code``) from the LSOA files."""
    base = lsoa[["lsoa11_code", "ward_code", "population", "pop_18_64"]]
    out: dict[str, pd.Series] = {}
    if indicators:
        ind = _read_table(root / "imd2019_england_lsoa11_indicators.rda")
        ind = ind.assign(lsoa11_code=_as_str(ind["lsoa11_code"]))
        x = base.merge(ind, on="lsoa11_code", how="left")
        ward, pop = x["ward_code"], x["population"]
        out["extra_income_rate_lsoa"] = _ratio(x["income_domain_numerator"], pop, ward)
        out["extra_employment_rate_lsoa"] = _ratio(
            x["employment_domain_numerator"], x["pop_18_64"], ward
        )
        for name in ("income_domain_numerator", "employment_domain_numerator"):
            miss = x[name].isna()
            if miss.any():
                notes.append(
                    f"`{name}` is missing (suppressed small count) for {int(miss.sum())} "
                    f"LSOAs in {x.loc[miss, 'ward_code'].nunique()} wards; those LSOAs are "
                    "left out of both numerator and denominator of the ward rate."
                )
        notes.append(
            "`extra_income_rate_lsoa` and `extra_employment_rate_lsoa` divide IoD 2019 "
            "numerators (people) by mid-2019 residents (all ages; aged 18-64), not by the "
            "IoD's own denominators: close to, not equal to, `income` and `employment`."
        )
        for col, source in _EXTRA_MEANS.items():
            out[col] = _weighted_mean(x[source], pop, ward)
    if imd2015:
        imd15 = _read_table(root / "imd2015_england_lsoa11.rda")
        imd15 = pd.DataFrame(
            {"lsoa11_code": _as_str(imd15["lsoa11_code"]), "score": imd15["IMD_score"]}
        )
        y = base.merge(imd15, on="lsoa11_code", how="left")
        out["extra_imd2015_score"] = _weighted_mean(y["score"], y["population"], y["ward_code"])
        notes.append(
            "`extra_imd2015_score` weights LSOA IMD 2015 scores by mid-2019 residents; "
            "`imd_score` (2019) comes aggregated in the published ward file, so the two "
            "differ slightly in method as well as in year."
        )
    return pd.DataFrame(out)


def _ratio(num: pd.Series, den: pd.Series, groups: pd.Series) -> pd.Series:
    known = num.notna()
    n = num.where(known, 0.0).groupby(groups).sum()
    d = den.where(known, 0.0).groupby(groups).sum()
    return (n / d.where(d > 0)).astype("float64")


def _check_contract(wards: pd.DataFrame) -> None:
    """Raise :class:`DataError` if ``wards`` breaks the ward-table contract."""
    problems: list[str] = []
    contract = wards[list(CONTRACT_COLUMNS)]
    nan_cols = [c for c in CONTRACT_COLUMNS if contract[c].isna().any()]
    if nan_cols:
        problems.append(f"missing values in {nan_cols}")
    if wards["ward_code"].duplicated().any():
        problems.append("repeated ward codes")
    if not (wards["population"] > 0).all():
        problems.append("a ward with no residents")
    shares = wards[list(AGE_BANDS)].to_numpy()
    if ((shares < 0) | (shares > 1)).any():
        problems.append("an age share outside [0, 1]")
    if np.abs(shares.sum(axis=1) - 1.0).max(initial=0.0) > 1e-9:
        problems.append("age shares that do not sum to 1")
    unknown = set(wards["start_group"]) - set(START_GROUPS)
    if unknown:
        problems.append(f"unknown start groups {sorted(unknown)}")
    if problems:
        raise DataError("the England ward table breaks its contract: " + "; ".join(problems))
