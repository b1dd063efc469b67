"""Make the calibration table of lbn_sim's synthetic England from the real open data.

Reads the published ward-level CNI 2019 and IMD 2019 tables and the LSOA mid-2019
populations (summed to wards through the ONS best-fit lookup) from the data
directory, keeps the wards that have all three, and writes two small files:

- ``synthetic_calibration.csv``: summary figures only (long format, columns
  ``group, stat, var, var2, value``), read by ``lbn_sim.data.synthetic``;
- ``synthetic_calibration.md``: how the table was made (command, date, source
  files with their SHA-256) and what its rows mean.

No raw data are written. Usage (from the project root, package importable)::

    PYTHONPATH=src python scripts/calibrate_synthetic.py [--data-dir DIR] [--out-dir DIR]

The data directory is ``--data-dir``, else ``$LBN_SIM_DATA_DIR``, else
``../shared/data/england`` relative to the project root.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import rdata

from lbn_sim.data.synthetic import between_la_share, normal_scores
from lbn_sim.data.synthetic_calibration import CNI_COLUMNS as CNI_DOMAINS
from lbn_sim.data.synthetic_calibration import GROUPS, VARIABLES, to_model_scale
from lbn_sim.data.synthetic_calibration import IMD_COLUMNS as IMD_DOMAINS

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA_DIR = PROJECT_ROOT / ".." / "shared" / "data" / "england"
DEFAULT_OUT_DIR = PROJECT_ROOT / "src" / "lbn_sim" / "data"

CNI_FILE = "cni2019_england_ward17.csv"
IMD_FILE = "imd2019_england_ward17.csv"
POPULATION_FILE = "population19_lsoa11.rda"
LOOKUP_FILE = "lookup_lsoa11_ward17.rda"
SOURCE_FILES = (CNI_FILE, IMD_FILE, POPULATION_FILE, LOOKUP_FILE)

EXPECTED_LEFT_BEHIND_WARDS = 225
EXPECTED_LEFT_BEHIND_POPULATION = 2_386_368

IMD_COLUMNS = {
    "Score": "imd_score",
    "Income_Score": "income",
    "Employment_Score": "employment",
    "Education_Score": "education",
    "Health_Score": "health",
    "Crime_Score": "crime",
    "Housing_and_Access_Score": "housing_access",
    "Environment_Score": "living_environment",
}
CNI_COLUMNS = {
    "ward17_code": "ward_code",
    "ward17_name": "ward_name",
    "lad19_code": "la_code",
    "lad19_name": "la_name",
    "Civic Assets score": "civic_assets",
    "Connectedness score": "connectedness",
    "Engaged community score": "engaged_community",
    "Community Needs Index score": "cni_score",
    "Left Behind Area?": "left_behind",
}
AGE_BANDS = {
    "share_0_15": (0, 15),
    "share_16_29": (16, 29),
    "share_30_49": (30, 49),
    "share_50_64": (50, 64),
    "share_65_plus": (65, 90),  # 90 stands for the "90+" column
}
FLOAT_FORMAT = "%.10g"


def default_data_dir() -> Path:
    """``$LBN_SIM_DATA_DIR`` if set, else ``../shared/data/england`` from the project root."""
    env = os.environ.get("LBN_SIM_DATA_DIR")
    return Path(env) if env else DEFAULT_DATA_DIR


def _read_rda(path: Path, name: str) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rdata warns about the tbl_df / tbl classes
        frames = rdata.read_rda(path)
    if name not in frames:
        raise ValueError(f"{path} holds no data frame named {name!r} (has {sorted(frames)})")
    frame = frames[name]
    assert isinstance(frame, pd.DataFrame)
    return frame


def ward_populations(data_dir: Path) -> pd.DataFrame:
    """Residents and age shares per ward17: ``population`` (persons) and the ``share_*``."""
    pop = _read_rda(data_dir / POPULATION_FILE, "population19_lsoa11")
    lookup = _read_rda(data_dir / LOOKUP_FILE, "lookup_lsoa11_ward17")
    ages = [str(a) for a in range(90)] + ["90+"]
    merged = pop.merge(lookup, on="lsoa11_code", how="inner", validate="one_to_one")
    by_ward = merged.groupby("ward17_code")[["total_population", *ages]].sum()
    if not np.allclose(by_ward[ages].sum(axis=1), by_ward["total_population"]):
        raise ValueError("single years of age do not add up to total_population")
    out = pd.DataFrame({"population": by_ward["total_population"].astype(np.float64)})
    for band, (lo, hi) in AGE_BANDS.items():
        cols = ages[lo : hi + 1]
        out[band] = by_ward[cols].sum(axis=1) / by_ward["total_population"]
    out.index.name = "ward_code"
    return out.reset_index()


def real_wards(data_dir: Path) -> pd.DataFrame:
    """The real ward table (contract column names) with ``start_group`` set.

    Keeps the wards present in the CNI, the ward-level IMD and the population table.
    """
    cni = pd.read_csv(data_dir / CNI_FILE)[list(CNI_COLUMNS)].rename(columns=CNI_COLUMNS)
    imd = pd.read_csv(data_dir / IMD_FILE)[["WD17CD", *IMD_COLUMNS]]
    imd = imd.rename(columns={"WD17CD": "ward_code", **IMD_COLUMNS})
    wards = cni.merge(imd, on="ward_code", how="inner", validate="one_to_one")
    wards = wards.merge(ward_populations(data_dir), on="ward_code", how="inner")
    wards["left_behind"] = wards["left_behind"].astype(bool)

    n_top = int(np.floor(0.1 * len(wards)))
    top = wards["imd_score"].rank(ascending=False, method="first") <= n_top
    wards["start_group"] = np.where(
        wards["left_behind"], "left_behind", np.where(top, "other_deprived", "rest")
    )
    lb = wards[wards["left_behind"]]
    if len(lb) != EXPECTED_LEFT_BEHIND_WARDS:
        raise AssertionError(f"expected 225 left-behind wards, found {len(lb)}")
    if round(lb["population"].sum()) != EXPECTED_LEFT_BEHIND_POPULATION:
        raise AssertionError(
            f"expected 2,386,368 left-behind residents, found {lb['population'].sum():,.0f}"
        )
    return wards.sort_values(["la_code", "ward_code"]).reset_index(drop=True)


def calibration_table(wards: pd.DataFrame) -> pd.DataFrame:
    """Summary figures of ``wards`` in the long format ``group, stat, var, var2, value``."""
    rows: list[tuple[str, str, str, str, float]] = []
    model = to_model_scale(wards)

    def totals(group: str, part: pd.DataFrame) -> None:
        rows.append((group, "n_wards", "", "", float(len(part))))
        rows.append((group, "population_total", "", "", float(part["population"].sum())))
        rows.append((group, "n_las", "", "", float(part["la_code"].nunique())))

    for group in GROUPS:
        mask = (wards["start_group"] == group).to_numpy()
        totals(group, wards[mask])
        values = model[mask]
        for var in VARIABLES:
            x = values[var]
            rows.append((group, "mean", var, "", float(x.mean())))
            rows.append((group, "sd", var, "", float(x.std(ddof=1))))
            rows.append((group, "min", var, "", float(x.min())))
            rows.append((group, "max", var, "", float(x.max())))
        corr = np.corrcoef(values.to_numpy(), rowvar=False)
        for i, var in enumerate(VARIABLES):
            for j in range(i + 1, len(VARIABLES)):
                rows.append((group, "corr", var, VARIABLES[j], float(corr[i, j])))

    totals("england", wards)
    middle = (wards["share_30_49"] + wards["share_50_64"]) * wards["population"]
    ratio = (wards["share_30_49"] * wards["population"]).sum() / middle.sum()
    rows.append(("england", "ratio_30_49_of_30_64", "", "", float(ratio)))
    share_30_64 = wards["share_30_49"] + wards["share_50_64"]
    rows.append(("england", "min", "share_30_64", "", float(share_30_64.min())))
    log_size = np.log(wards.groupby("la_code").size().astype(np.float64))
    rows.append(("england", "mean", "log_la_n_wards", "", float(log_size.mean())))
    rows.append(("england", "sd", "log_la_n_wards", "", float(log_size.std(ddof=1))))
    rows.append(("england", "min", "log_la_n_wards", "", float(log_size.min())))
    rows.append(("england", "max", "log_la_n_wards", "", float(log_size.max())))
    la_codes = wards["la_code"].to_numpy()
    for var in ("imd_score", "cni_score"):
        z = normal_scores(wards[var].to_numpy(np.float64))
        rows.append(("england", "la_r2", var, "", between_la_share(z, la_codes)))
    for var in (*IMD_DOMAINS, *CNI_DOMAINS):
        rows.append(("england", "p01", var, "", float(wards[var].quantile(0.01))))
        rows.append(("england", "p99", var, "", float(wards[var].quantile(0.99))))
    return pd.DataFrame(rows, columns=["group", "stat", "var", "var2", "value"])


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _display_path(path: Path) -> str:
    try:
        return os.path.relpath(path.resolve(), PROJECT_ROOT)
    except ValueError:  # another drive (Windows)
        return str(path)


def note(table: pd.DataFrame, data_dir: Path, command: str) -> str:
    """The Markdown note describing how ``table`` was made."""
    fig = {(g, s): v for g, s, v in zip(table["group"], table["stat"], table["value"], strict=True)}
    sources = "\n".join(f"| `{name}` | `{_sha256(data_dir / name)}` |" for name in SOURCE_FILES)
    groups = "\n".join(
        f"| `{g}` | {fig[(g, 'n_wards')]:,.0f} | {fig[(g, 'population_total')]:,.0f} "
        f"| {fig[(g, 'n_las')]:,.0f} |"
        for g in (*GROUPS, "england")
    )
    variables = ", ".join(f"`{v}`" for v in VARIABLES)
    return f"""# Calibration of the synthetic England

`synthetic_calibration.csv` holds the summary figures from which
`lbn_sim.data.synthetic.generate_wards` draws a synthetic England. It holds no
raw data: only counts, totals, means, standard deviations, ranges, correlations
and percentiles over groups of wards.

## How it was made

- Command (from the project root): `{command}`
- Date: {dt.date.today().isoformat()}
- Data directory: `{_display_path(data_dir)}` (the offline mirror of the published files)
- Source files:

| file | SHA-256 |
| --- | --- |
{sources}

Steps: the CNI 2019 ward table (`{CNI_FILE}`: domain scores, names, lad19 LA and
the `Left Behind Area?` flag) is joined on the ward17 code to the ward-level IMD
2019 (`{IMD_FILE}`: the population-weighted `Score` and the seven domain
`*_Score` columns) and to mid-2019 populations by single year of age, summed
from LSOAs (`{POPULATION_FILE}`) to wards through the ONS best-fit lookup
(`{LOOKUP_FILE}`). Wards with all three are kept. Groups: `left_behind` (flag
TRUE; the script asserts 225 wards and 2,386,368 residents), `other_deprived`
(among the floor(10%) of kept wards with the highest IMD `Score`, not flagged)
and `rest`; `england` is every kept ward.

| group | wards | residents | LAs |
| --- | --- | --- | --- |
{groups}

The group sizes imply the real cuts: the floor(10%) IMD top holds 742 wards, the
524 `other_deprived` ones and 218 of the 225 flagged ones, so 7 flagged wards lie
below the IMD cut, which falls between the `other_deprived` minimum and the `rest`
maximum of `imd_score` (35.06 points). Because the groups are drawn independently,
the generator then moves the draws that land on the wrong side of the drawn
table's own cuts (at the real size about 20 flagged wards' IMD and 30 to 40
flagged and 40 to 55 `other_deprived` wards' CNI) into a 0.01-point band beside
the cut: `imd_score` about that IMD cut (the k - n_od highest flagged wards and
`other_deprived` above, the other flagged wards and `rest` below), and, for the
CNI, flagged wards above and `other_deprived` below the (k - n_lb + 1)-th highest
`rest` `cni_score` (the three domains scaled by one factor, within the group's
range). The rule 'top 10% on both scores' then selects exactly the flagged wards
above the IMD cut (218 of 225 at the real size, as on the real data); group means
move by at most about 0.06 sd.

## Rows

Columns `group, stat, var, var2, value`; `var` and `var2` are empty where unused.

- Per group (`left_behind`, `other_deprived`, `rest`, `england`): `n_wards`,
  `population_total` (persons, mid-2019), `n_las` (distinct lad19 LAs holding at
  least one ward of the group).
- Per start group and model-scale variable (`var`): `mean`, `sd` (ddof 1),
  `min`, `max`. Variables: {variables}.
  `logit_*` are logits of proportions clipped to [1e-4, 1 - 1e-4] (income and
  employment domain scores; age shares 0-15, 16-29, 65+). `probit_*` are normal
  scores of the CNI domains: each CNI domain score is an exponential transform
  `-23 log(1 - r (1 - exp(-100/23)))` of the ward's need rank fraction `r`, so
  the script inverts it to `r` and takes `Phi^-1(r)` (clipped to [1e-4, 1 - 1e-4]);
  over England these are standard normal, whereas the raw scores are
  exponential (skew 1.4, a mass near 0). `log_population` is the natural log of
  residents. `education`, `health`, `crime`, `housing_access`,
  `living_environment` and `imd_score` are the published scores.
- Per start group, `corr`: Pearson correlation of `var` and `var2`, one row per
  unordered pair, `var` before `var2` in the variable order above (upper
  triangle; the diagonal is 1).
- `england`, `ratio_30_49_of_30_64`: England's residents aged 30-49 over those
  aged 30-64 (the generator splits the remainder of the age shares with it).
- `england`, `min`, `share_30_64`: the smallest share aged 30-64 of any ward
  (the generator's floor for that remainder).
- `england`, `mean` / `sd` / `min` / `max`, `log_la_n_wards`: the distribution
  of log(wards per LA) over the LAs (the generator's LA sizes).
- `england`, `la_r2`, `imd_score` / `cni_score`: the share of the variance of
  the score's normal scores (of ranks over wards) that lies between LAs (the
  R-squared of a one-way ANOVA on LA), a measure of how deprived wards cluster
  in LAs; the generator's LA scheme is checked against it.
- `england`, `p01` / `p99` of each domain on the contract's raw scale
  (`income`, `employment`, `education`, `health`, `crime`, `housing_access`,
  `living_environment`, `civic_assets`, `connectedness`, `engaged_community`):
  1st and 99th percentiles over wards (unweighted, linear interpolation).

Contains public sector information licensed under the Open Government Licence
v3.0; Community Needs Index © OCSI / Local Trust.
"""


def main(argv: list[str] | None = None) -> int:
    """Run the calibration; return the process exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=None, help="real data directory")
    parser.add_argument(
        "--out-dir", type=Path, default=DEFAULT_OUT_DIR, help="where to write the two files"
    )
    args = parser.parse_args(argv)
    data_dir: Path = args.data_dir if args.data_dir is not None else default_data_dir()
    missing = [name for name in SOURCE_FILES if not (data_dir / name).is_file()]
    if missing:
        parser.error(f"data directory {data_dir} lacks {', '.join(missing)}")

    table = calibration_table(real_wards(data_dir))
    out_dir: Path = args.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    table.to_csv(out_dir / "synthetic_calibration.csv", index=False, float_format=FLOAT_FORMAT)
    words = [
        "PYTHONPATH=src",
        "python",
        "scripts/calibrate_synthetic.py",
        *(sys.argv[1:] if argv is None else argv),
    ]
    command = " ".join(words)
    (out_dir / "synthetic_calibration.md").write_text(
        note(table, data_dir, command), encoding="utf-8"
    )
    print(f"wrote {len(table)} rows to {out_dir / 'synthetic_calibration.csv'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
