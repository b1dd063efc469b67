"""The calibration of lbn_sim's synthetic England: its table, parsed, and its scales.

Holds what :mod:`lbn_sim.data.synthetic` draws ward tables from:

- the calibration table ``lbn_sim/data/synthetic_calibration.csv`` shipped beside
  this module (made by ``scripts/calibrate_synthetic.py`` from the real open data,
  see the note ``synthetic_calibration.md``), read and checked by
  :func:`load_calibration` into a :class:`Calibration`: for each start group
  (:data:`GROUPS`, one :class:`GroupCalibration` each) the means, standard
  deviations, ranges and correlations of the model-scale :data:`VARIABLES`, and
  England's totals;
- the transforms between the ward table's contract scales and the model scale
  (:func:`to_model_scale`, :func:`from_model_scale`, :func:`cni_domain_to_probit`,
  :func:`cni_domain_from_probit`) and the domain columns they map
  (:data:`IMD_COLUMNS`, :data:`CNI_COLUMNS`);
- :func:`nearest_correlation`, which makes a group's correlation matrix positive
  definite before it is drawn from.

Nothing here draws random numbers; nothing runs at import.
"""

from __future__ import annotations

import importlib.resources
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import special

from lbn_sim.data.contract import CNI_COLUMNS, IMD_COLUMNS
from lbn_sim.names import START_GROUPS

__all__ = [
    "CALIBRATION_FILE",
    "CNI_COLUMNS",
    "GROUPS",
    "IMD_COLUMNS",
    "VARIABLES",
    "Calibration",
    "GroupCalibration",
    "cni_domain_from_probit",
    "cni_domain_to_probit",
    "from_model_scale",
    "load_calibration",
    "nearest_correlation",
    "to_model_scale",
]

FloatArray = NDArray[np.float64]

CALIBRATION_FILE = "synthetic_calibration.csv"
"""Name of the calibration table shipped as package data in ``lbn_sim.data``."""

GROUPS: tuple[str, ...] = START_GROUPS
"""Start groups, in the order the generator draws them."""

VARIABLES: tuple[str, ...] = (
    "logit_income",
    "logit_employment",
    "education",
    "health",
    "crime",
    "housing_access",
    "living_environment",
    "probit_civic_assets",
    "probit_connectedness",
    "probit_engaged_community",
    "imd_score",
    "log_population",
    "logit_share_0_15",
    "logit_share_16_29",
    "logit_share_65_plus",
)
"""Model-scale variables: the group distributions are multivariate normal in these.

``logit_*``: logit of a proportion clipped to ``[RATE_CLIP, 1 - RATE_CLIP]``;
``probit_*``: normal score of a CNI domain (see :func:`cni_domain_to_probit`);
``log_population``: natural log of residents; the rest are the IMD scores as
published (points or z-like scores).
"""

RATE_CLIP = 1e-4
"""Proportions are clipped to ``[RATE_CLIP, 1 - RATE_CLIP]`` before a logit."""

CNI_SCALE = 23.0
"""Scale of the exponential transformation behind each CNI domain score.

OCSI builds each domain score from the ward's need rank fraction ``r`` in
``[0, 1]`` (1 = most need) as ``-23 * log(1 - r * (1 - exp(-100 / 23)))``, so
scores run from 0 to 100 and are exponentially distributed over England
(checked against the published scores and ranks: largest error 0.003 points).
"""

CNI_MAX = 100.0
"""Largest CNI domain score."""


@dataclass(frozen=True, slots=True)
class GroupCalibration:
    """Summary figures of one start group, on the model scale.

    Attributes:
        name: group name, one of :data:`GROUPS`.
        n_wards: number of wards in the real group.
        population_total: residents of the real group (persons, mid-2019).
        n_las: number of LAs holding at least one ward of the group.
        mean, sd, lower, upper: float64 ``[n_vars]``, mean, standard deviation,
            minimum and maximum of each of :data:`VARIABLES`.
        corr: float64 ``[n_vars, n_vars]``, Pearson correlations (unit diagonal).
    """

    name: str
    n_wards: int
    population_total: float
    n_las: int
    mean: FloatArray
    sd: FloatArray
    lower: FloatArray
    upper: FloatArray
    corr: FloatArray


@dataclass(frozen=True, slots=True)
class Calibration:
    """The calibration table, parsed.

    Attributes:
        groups: the three start groups by name.
        n_wards, population_total, n_las: England totals (wards, persons, LAs).
        ratio_30_49_of_30_64: England's residents aged 30-49 over those aged 30-64.
        min_share_30_64: smallest share of residents aged 30-64 of any real ward.
        la_log_size_mean, la_log_size_sd, la_log_size_min, la_log_size_max:
            distribution of log(wards per LA) over England's LAs.
        la_r2: between-LA share of the variance of the normal scores of
            ``imd_score`` and ``cni_score`` (see
            :func:`lbn_sim.data.synthetic.between_la_share`), by name.
        p01, p99: England's 1st and 99th percentiles of each domain column
            (contract scales), by column name.
    """

    groups: dict[str, GroupCalibration]
    n_wards: int
    population_total: float
    n_las: int
    ratio_30_49_of_30_64: float
    min_share_30_64: float
    la_log_size_mean: float
    la_log_size_sd: float
    la_log_size_min: float
    la_log_size_max: float
    la_r2: dict[str, float]
    p01: dict[str, float]
    p99: dict[str, float]


def cni_domain_to_probit(score: FloatArray) -> FloatArray:
    """Map CNI domain scores to normal scores.

    Args:
        score: float64 ``[n]``, CNI domain scores (0 to 100, higher is more need).

    Returns:
        float64 ``[n]``: ``Phi^-1(r)`` where ``r`` is the need rank fraction that the
        exponential transformation (:data:`CNI_SCALE`) turns into ``score``, clipped to
        ``[RATE_CLIP, 1 - RATE_CLIP]``. Over all of England's wards it is standard
        normal.
    """
    x = np.clip(np.asarray(score, dtype=np.float64), 0.0, CNI_MAX)
    r = -np.expm1(-x / CNI_SCALE) / -math.expm1(-CNI_MAX / CNI_SCALE)
    return np.asarray(special.ndtri(np.clip(r, RATE_CLIP, 1.0 - RATE_CLIP)), dtype=np.float64)


def cni_domain_from_probit(z: FloatArray) -> FloatArray:
    """Inverse of :func:`cni_domain_to_probit` (up to its clipping).

    Args:
        z: float64 ``[n]``, normal scores.

    Returns:
        float64 ``[n]``: CNI domain scores in ``[0, 100]``.
    """
    r = special.ndtr(np.asarray(z, dtype=np.float64))
    score = -CNI_SCALE * np.log1p(r * math.expm1(-CNI_MAX / CNI_SCALE))
    return np.asarray(np.clip(score, 0.0, CNI_MAX), dtype=np.float64)


def _logit(p: pd.Series | FloatArray) -> FloatArray:
    clipped = np.clip(np.asarray(p, dtype=np.float64), RATE_CLIP, 1.0 - RATE_CLIP)
    return np.asarray(special.logit(clipped), dtype=np.float64)


def to_model_scale(wards: pd.DataFrame) -> pd.DataFrame:
    """Transform a ward table (contract columns) to the model-scale :data:`VARIABLES`.

    Args:
        wards: ward table with at least ``population``, the share columns,
            ``imd_score`` and the ten domain columns, ``[n_wards]`` rows.

    Returns:
        float64 frame ``[n_wards, len(VARIABLES)]`` with columns :data:`VARIABLES`
        and the index of ``wards``.
    """
    out = {
        "logit_income": _logit(wards["income"]),
        "logit_employment": _logit(wards["employment"]),
        "education": wards["education"].to_numpy(np.float64),
        "health": wards["health"].to_numpy(np.float64),
        "crime": wards["crime"].to_numpy(np.float64),
        "housing_access": wards["housing_access"].to_numpy(np.float64),
        "living_environment": wards["living_environment"].to_numpy(np.float64),
        "probit_civic_assets": cni_domain_to_probit(wards["civic_assets"].to_numpy(np.float64)),
        "probit_connectedness": cni_domain_to_probit(wards["connectedness"].to_numpy(np.float64)),
        "probit_engaged_community": cni_domain_to_probit(
            wards["engaged_community"].to_numpy(np.float64)
        ),
        "imd_score": wards["imd_score"].to_numpy(np.float64),
        "log_population": np.log(wards["population"].to_numpy(np.float64)),
        "logit_share_0_15": _logit(wards["share_0_15"]),
        "logit_share_16_29": _logit(wards["share_16_29"]),
        "logit_share_65_plus": _logit(wards["share_65_plus"]),
    }
    return pd.DataFrame(out, index=wards.index, columns=list(VARIABLES))


def from_model_scale(
    values: FloatArray, ratio_30_49_of_30_64: float, min_share_30_64: float
) -> dict[str, FloatArray]:
    """Transform model-scale draws back to the contract's columns.

    Args:
        values: float64 ``[n_wards, len(VARIABLES)]``, columns in :data:`VARIABLES` order.
        ratio_30_49_of_30_64: share of the 30-64 age band aged 30-49 (England ratio).
        min_share_30_64: floor of the 30-64 share; when the three drawn shares
            leave less than this, they are scaled down to leave exactly this.

    Returns:
        float64 ``[n_wards]`` arrays by column: ``population`` (persons, not rounded),
        the five ``share_*`` (each in [0, 1], summing to 1), ``imd_score``, the seven
        IMD and three CNI domains, and ``cni_score`` (sum of the CNI domains).
    """
    col = {name: values[:, i] for i, name in enumerate(VARIABLES)}
    out: dict[str, FloatArray] = {"population": np.exp(col["log_population"])}

    young = special.expit(col["logit_share_0_15"])
    adult = special.expit(col["logit_share_16_29"])
    old = special.expit(col["logit_share_65_plus"])
    drawn = young + adult + old
    scale = np.minimum(1.0, (1.0 - min_share_30_64) / drawn)
    young, adult, old = young * scale, adult * scale, old * scale
    middle = np.clip(1.0 - (young + adult + old), 0.0, 1.0)
    out["share_0_15"] = young
    out["share_16_29"] = adult
    out["share_30_49"] = middle * ratio_30_49_of_30_64
    out["share_50_64"] = middle * (1.0 - ratio_30_49_of_30_64)
    out["share_65_plus"] = old

    out["imd_score"] = col["imd_score"].copy()
    out["income"] = special.expit(col["logit_income"])
    out["employment"] = special.expit(col["logit_employment"])
    for name in ("education", "health", "crime", "housing_access", "living_environment"):
        out[name] = col[name].copy()
    for name in CNI_COLUMNS:
        out[name] = cni_domain_from_probit(col[f"probit_{name}"])
    out["cni_score"] = out["civic_assets"] + out["connectedness"] + out["engaged_community"]
    return out


def symmetric_eigen(a: FloatArray, orient: bool = True) -> tuple[FloatArray, FloatArray]:
    """Eigenvalues and eigenvectors of a small symmetric matrix, the same bytes with any
    OpenBLAS kernel.

    LAPACK's ``eigh`` rounds differently with the BLAS kernel OpenBLAS picks for a CPU (or as
    ``OPENBLAS_CORETYPE`` says): on this project's machine the synthetic wards' last bits
    differed between kernels. This is the cyclic Jacobi method (Press et al., *Numerical
    Recipes*, 3rd ed., section 11.1) in Python floats, which uses no BLAS. (NumPy's own
    SIMD paths are another matter: ``np.exp`` and ``np.log`` round differently with and
    without AVX-512, so bytes recorded on one CPU hold on CPUs with the same NumPy SIMD
    level.)

    With ``orient``, each vector takes the sign of LAPACK's when the eigenvalues are well
    apart (every relative gap at least 1e-6: the inner product of the two vectors is then
    +-1 to about 1e-10, whatever the kernel), so the draws keep the orientation they had with
    ``eigh``; for the calibration's matrices (relative gaps of 1e-3 or more) the vectors are
    LAPACK's to about 1e-14. With eigenvalues closer than that, LAPACK's vectors are not
    determined, so each vector's largest component (the first, on a tie) is made positive
    instead. Without ``orient`` the signs are the rotations' own (for uses where signs
    cancel).

    Args:
        a: float64 ``[k, k]``, symmetric (its upper triangle is read); ``k`` small (15 here).
        orient: choose the signs as above (calls LAPACK once, for the signs only).

    Returns:
        ``(eigval, eigvec)``: float64 ``[k]`` ascending, and ``[k, k]`` with the vectors as
        columns (``a @ eigvec[:, i] == eigval[i] * eigvec[:, i]``).
    """
    m = np.asarray(a, dtype=np.float64)
    k = m.shape[0]
    w = [[float(m[min(i, j), max(i, j)]) for j in range(k)] for i in range(k)]
    v = [[1.0 if i == j else 0.0 for j in range(k)] for i in range(k)]
    for sweep in range(100):
        if all(w[p][q] == 0.0 for p in range(k) for q in range(p + 1, k)):
            break
        for p in range(k - 1):
            for q in range(p + 1, k):
                apq = w[p][q]
                g = 100.0 * abs(apq)
                negligible = abs(w[p][p]) + g == abs(w[p][p]) and abs(w[q][q]) + g == abs(w[q][q])
                if apq == 0.0 or (sweep > 3 and negligible):
                    w[p][q] = w[q][p] = 0.0
                    continue
                theta = (w[q][q] - w[p][p]) / (2.0 * apq)
                t = math.copysign(1.0, theta) / (abs(theta) + math.sqrt(theta * theta + 1.0))
                c = 1.0 / math.sqrt(t * t + 1.0)
                s = t * c
                for r in range(k):  # columns p and q of w @ J
                    wrp, wrq = w[r][p], w[r][q]
                    w[r][p], w[r][q] = c * wrp - s * wrq, s * wrp + c * wrq
                for r in range(k):  # rows p and q of J.T @ (w @ J)
                    wpr, wqr = w[p][r], w[q][r]
                    w[p][r], w[q][r] = c * wpr - s * wqr, s * wpr + c * wqr
                w[p][q] = w[q][p] = 0.0
                for r in range(k):
                    vrp, vrq = v[r][p], v[r][q]
                    v[r][p], v[r][q] = c * vrp - s * vrq, s * vrp + c * vrq
    else:
        raise ValueError(f"Jacobi eigen-solve did not converge in 100 sweeps ({k} x {k})")
    order = sorted(range(k), key=lambda i: (w[i][i], i))
    eigval = np.asarray([w[i][i] for i in order], dtype=np.float64)
    eigvec = np.asarray([[v[r][i] for i in order] for r in range(k)], dtype=np.float64)
    if not orient:
        return eigval, eigvec
    scale = max(abs(float(eigval[0])), abs(float(eigval[-1])), 1e-300)
    apart = all(float(eigval[i + 1] - eigval[i]) >= 1e-6 * scale for i in range(k - 1))
    lapack = np.linalg.eigh(m)[1] if apart else None  # its default (lower) triangle: as before
    for i in range(k):
        if lapack is not None:
            pairs = zip(eigvec[:, i], lapack[:, i], strict=True)
            flip = math.fsum(float(x) * float(y) for x, y in pairs) < 0.0
        else:
            largest = max(range(k), key=lambda r: (abs(float(eigvec[r, i])), -r))
            flip = float(eigvec[largest, i]) < 0.0
        if flip:
            eigvec[:, i] = -eigvec[:, i]
    return eigval, eigvec


def nearest_correlation(corr: FloatArray, floor: float = 1e-8) -> FloatArray:
    """Nearest positive-definite correlation matrix by eigenvalue clipping.

    Args:
        corr: float64 ``[k, k]``, symmetric matrix with unit diagonal (approximately).
        floor: smallest eigenvalue kept, relative to 1.

    Returns:
        float64 ``[k, k]``: symmetric, unit diagonal, eigenvalues at least about
        ``floor``. Equal to ``corr`` (symmetrised) when that is already positive
        definite. Computed without BLAS or LAPACK's rounding (:func:`symmetric_eigen`,
        sums in Python floats), so the same with any OpenBLAS kernel.
    """
    sym = (np.asarray(corr, dtype=np.float64) + np.asarray(corr, dtype=np.float64).T) / 2.0
    eigval, eigvec = symmetric_eigen(sym, orient=False)  # the signs cancel below
    if eigval.min() >= floor:
        return sym
    k = sym.shape[0]
    kept = np.maximum(eigval, floor)
    fixed = np.asarray(
        [
            [math.fsum(eigvec[i, m] * kept[m] * eigvec[j, m] for m in range(k)) for j in range(k)]
            for i in range(k)
        ],
        dtype=np.float64,
    )
    d = np.sqrt(np.diag(fixed))
    out = fixed / (d[:, None] * d[None, :])
    np.fill_diagonal(out, 1.0)
    return np.asarray(out, dtype=np.float64)


def _read_table(calibration: Path | None) -> pd.DataFrame:
    if calibration is None:
        resource = importlib.resources.files("lbn_sim.data").joinpath(CALIBRATION_FILE)
        with resource.open("r", encoding="utf-8") as fh:
            return pd.read_csv(fh, keep_default_na=False, dtype={"var": str, "var2": str})
    path = Path(calibration)
    if not path.is_file():
        raise FileNotFoundError(f"calibration table not found: {path}")
    return pd.read_csv(path, keep_default_na=False, dtype={"var": str, "var2": str})


def load_calibration(calibration: Path | None = None) -> Calibration:
    """Read and check the calibration table.

    Args:
        calibration: path of a table in the format written by
            ``scripts/calibrate_synthetic.py`` (columns ``group, stat, var, var2,
            value``); ``None`` reads the one shipped with the package.

    Returns:
        The parsed :class:`Calibration`.

    Raises:
        FileNotFoundError: ``calibration`` does not exist.
        ValueError: the table lacks a required row or holds an impossible value.
    """
    table = _read_table(calibration)
    missing_cols = {"group", "stat", "var", "var2", "value"} - set(table.columns)
    if missing_cols:
        raise ValueError(f"calibration table lacks columns {sorted(missing_cols)}")
    values: dict[tuple[str, str, str, str], float] = {
        (str(g), str(s), str(v), str(v2)): float(x)
        for g, s, v, v2, x in zip(
            table["group"], table["stat"], table["var"], table["var2"], table["value"], strict=True
        )
    }

    def get(group: str, stat: str, var: str = "", var2: str = "") -> float:
        key = (group, stat, var, var2)
        if key not in values:
            raise ValueError(
                "calibration table lacks the row "
                f"group={group!r}, stat={stat!r}, var={var!r}, var2={var2!r}"
            )
        value = values[key]
        if not math.isfinite(value):
            raise ValueError(f"calibration value for {key} is not finite: {value}")
        return value

    n_vars = len(VARIABLES)
    groups: dict[str, GroupCalibration] = {}
    for group in GROUPS:
        stats = {
            stat: np.array([get(group, stat, var) for var in VARIABLES], dtype=np.float64)
            for stat in ("mean", "sd", "min", "max")
        }
        if np.any(stats["sd"] < 0.0) or np.any(stats["min"] > stats["max"]):
            raise ValueError(f"calibration of group {group!r} has a negative sd or min > max")
        corr = np.eye(n_vars)
        for i in range(n_vars):
            for j in range(i + 1, n_vars):
                r = get(group, "corr", VARIABLES[i], VARIABLES[j])
                if not -1.0 <= r <= 1.0:
                    raise ValueError(
                        f"correlation {VARIABLES[i]}-{VARIABLES[j]} of {group!r} is {r}"
                    )
                corr[i, j] = corr[j, i] = r
        n_wards = get(group, "n_wards")
        if n_wards < 1:
            raise ValueError(f"calibration group {group!r} has no wards")
        groups[group] = GroupCalibration(
            name=group,
            n_wards=round(n_wards),
            population_total=get(group, "population_total"),
            n_las=round(get(group, "n_las")),
            mean=stats["mean"],
            sd=stats["sd"],
            lower=stats["min"],
            upper=stats["max"],
            corr=corr,
        )
    ratio = get("england", "ratio_30_49_of_30_64")
    if not 0.0 < ratio < 1.0:
        raise ValueError(f"ratio_30_49_of_30_64 must lie in (0, 1), got {ratio}")
    min_share = get("england", "min", "share_30_64")
    if not 0.0 <= min_share < 1.0:
        raise ValueError(f"min share_30_64 must lie in [0, 1), got {min_share}")
    domains = (*IMD_COLUMNS, *CNI_COLUMNS)
    return Calibration(
        groups=groups,
        n_wards=round(get("england", "n_wards")),
        population_total=get("england", "population_total"),
        n_las=round(get("england", "n_las")),
        ratio_30_49_of_30_64=ratio,
        min_share_30_64=min_share,
        la_log_size_mean=get("england", "mean", "log_la_n_wards"),
        la_log_size_sd=get("england", "sd", "log_la_n_wards"),
        la_log_size_min=get("england", "min", "log_la_n_wards"),
        la_log_size_max=get("england", "max", "log_la_n_wards"),
        la_r2={name: get("england", "la_r2", name) for name in ("imd_score", "cni_score")},
        p01={name: get("england", "p01", name) for name in domains},
        p99={name: get("england", "p99", name) for name in domains},
    )
