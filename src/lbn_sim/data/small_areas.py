"""The small areas the published indices are built from: LSOAs for the IMD, wards for the CNI.

The IMD 2019 ranks LSOAs on each domain, turns each rank into a 0-100 score with the
exponential transformation, and weights them into the IMD score; a ward's score is the
population-weighted mean of its LSOAs' (the ward file reproduces, to within 0.001 points, the
IMD 2019 LSOA domain ranks combined that way and weighted by mid-2019 populations through the
best-fit lookup; ``tests/test_composites.py``). The CNI ranks wards on each of its three
domains, transforms the ranks the same way and adds them. :func:`load_small_areas` reads what
those constructions need from the shared files.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from lbn_sim.data.england import _as_str, _read_csv, _read_table
from lbn_sim.data.files import DataError, resolve_data_dir

__all__ = ["IMD_RANK_COLUMNS", "SmallAreaTables", "load_small_areas"]

#: The IMD 2019 domain rank columns of ``imd2019_england_lsoa11.rda``, in the order of
#: :data:`lbn_sim.names.IMD_DOMAINS`.
IMD_RANK_COLUMNS = (
    "Income_rank",
    "Employment_rank",
    "Education_rank",
    "Health_rank",
    "Crime_rank",
    "Housing_and_Access_rank",
    "Environment_rank",
)
#: The CNI 2019 domain columns (score, rank) of ``cni2019_england_ward17.csv``, in the order
#: of :data:`lbn_sim.names.CNI_DOMAINS`.
CNI_DOMAIN_COLUMNS = ("Civic Assets", "Connectedness", "Engaged community")


@dataclass(frozen=True, slots=True)
class SmallAreaTables:
    """What the published constructions need, for every English unit they rank.

    Attributes:
        lsoa_ward: str ``[n_lsoas]`` each English LSOA's 2017 ward (best-fit lookup).
        lsoa_population: float64 ``[n_lsoas]`` mid-2019 residents.
        lsoa_ranks: int64 ``[7, n_lsoas]`` IMD 2019 domain ranks (1 = most deprived).
        cni_wards: str ``[n_cni]`` every ward the CNI ranks.
        cni_scores: float64 ``[3, n_cni]`` its published domain scores (0 to 100).
        cni_ranks: int64 ``[3, n_cni]`` its published domain ranks (1 = most deprived).
        lsoa_rates: float64 ``[2, n_lsoas]`` each LSOA's income and employment deprivation
            rates (shares): the IMD's numerators (people in income-deprived families; people
            of working age out of work) over mid-2019 residents and residents aged 18 to 63
            (the IMD counts women to 59 and men to 64; the shared file has no sex split);
            NaN where a count is missing.
    """

    lsoa_ward: NDArray[np.str_]
    lsoa_population: NDArray[np.float64]
    lsoa_ranks: NDArray[np.int64]
    cni_wards: NDArray[np.str_]
    cni_scores: NDArray[np.float64]
    cni_ranks: NDArray[np.int64]
    lsoa_rates: NDArray[np.float64]


#: The IMD's numerator columns of ``imd2019_england_lsoa11_indicators.rda`` for the income
#: and employment domains, and the ages (inclusive) of the employment rate's denominator.
RATE_NUMERATORS = ("income_domain_numerator", "employment_domain_numerator")
WORKING_AGES = (18, 63)


def _lsoa_rates(path: Path, codes: pd.Series) -> NDArray[np.float64]:
    """Income and employment deprivation rates of the LSOAs ``codes`` (``[2, n]``, shares;
    NaN where a count is missing), from the IMD's numerators and mid-2019 residents."""
    ind = _read_table(path / "imd2019_england_lsoa11_indicators.rda")
    pop = _read_table(path / "population19_lsoa11.rda")
    missing = [c for c in ("lsoa11_code", *RATE_NUMERATORS) if c not in ind.columns]
    ages = [str(a) for a in range(WORKING_AGES[0], WORKING_AGES[1] + 1)]
    missing += [f"population19_lsoa11.rda:{c}" for c in ages if c not in pop.columns]
    if missing:
        raise DataError(f"imd2019_england_lsoa11_indicators.rda: columns missing {missing}")
    ind = ind.set_index(_as_str(ind["lsoa11_code"]))
    pop = pop.set_index(_as_str(pop["lsoa11_code"]))
    residents = pop["total_population"].astype(np.float64)
    working = pop[ages].astype(np.float64).sum(axis=1)
    income = ind[RATE_NUMERATORS[0]].astype(np.float64) / residents.where(residents > 0)
    employment = ind[RATE_NUMERATORS[1]].astype(np.float64) / working.where(working > 0)
    return np.stack(
        [income.reindex(codes).to_numpy(np.float64), employment.reindex(codes).to_numpy(np.float64)]
    )


@functools.lru_cache(maxsize=2)
def _load(root: str) -> SmallAreaTables:
    path = Path(root)
    ranks = _read_table(path / "imd2019_england_lsoa11.rda")
    lookup = _read_table(path / "lookup_lsoa11_ward17.rda")
    pop = _read_table(path / "population19_lsoa11.rda")
    missing = [c for c in ("lsoa11_code", *IMD_RANK_COLUMNS) if c not in ranks.columns]
    if missing:
        raise DataError(f"imd2019_england_lsoa11.rda lacks the columns {missing}")
    lsoa = pd.DataFrame({"lsoa11_code": _as_str(ranks["lsoa11_code"])})
    for col in IMD_RANK_COLUMNS:
        lsoa[col] = ranks[col].to_numpy()
    wards = pd.DataFrame(
        {"lsoa11_code": _as_str(lookup["lsoa11_code"]), "ward": _as_str(lookup["ward17_code"])}
    )
    people = pd.DataFrame(
        {
            "lsoa11_code": _as_str(pop["lsoa11_code"]),
            "population": pop["total_population"].to_numpy(np.float64),
        }
    )
    lsoa = lsoa.merge(wards, on="lsoa11_code", how="left").merge(
        people, on="lsoa11_code", how="left"
    )
    bad = lsoa[lsoa[["ward", "population", *IMD_RANK_COLUMNS]].isna().any(axis=1)]
    if len(bad):
        raise DataError(
            f"imd2019_england_lsoa11.rda: {len(bad)} LSOAs lack a ward in "
            f"lookup_lsoa11_ward17.rda, a population in population19_lsoa11.rda or a rank "
            f"(first: {', '.join(bad['lsoa11_code'].head(5))})"
        )
    cni = _read_csv(path / "cni2019_england_ward17.csv")
    cols = [f"{d} {k}" for d in CNI_DOMAIN_COLUMNS for k in ("score", "rank")]
    missing = [c for c in ("ward17_code", *cols) if c not in cni.columns]
    if missing:
        raise DataError(f"cni2019_england_ward17.csv lacks the columns {missing}")
    return SmallAreaTables(
        lsoa_ward=lsoa["ward"].to_numpy(str),
        lsoa_population=lsoa["population"].to_numpy(np.float64),
        lsoa_ranks=lsoa[list(IMD_RANK_COLUMNS)].to_numpy(np.int64).T.copy(),
        cni_wards=_as_str(cni["ward17_code"]).str.strip().to_numpy(str),
        cni_scores=cni[[f"{d} score" for d in CNI_DOMAIN_COLUMNS]].to_numpy(np.float64).T.copy(),
        cni_ranks=cni[[f"{d} rank" for d in CNI_DOMAIN_COLUMNS]].to_numpy(np.int64).T.copy(),
        lsoa_rates=_lsoa_rates(path, lsoa["lsoa11_code"]),
    )


def load_small_areas(data_dir: str | os.PathLike[str] | None = None) -> SmallAreaTables:
    """The LSOA and CNI-ward tables of the real data in ``data_dir`` (``None``: see
    :func:`~lbn_sim.data.files.resolve_data_dir`), read once per process (about 1 s; 12 s
    parsing the ``.rda`` files before the user cache holds them,
    :mod:`lbn_sim.data.table_cache`)."""
    return _load(str(resolve_data_dir(data_dir)))
