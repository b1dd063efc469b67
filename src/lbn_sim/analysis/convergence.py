"""Convergence statistics computed from result tables (pure functions, no model).

This module holds the dispersion and catch-up statistics across wards: sigma
convergence (:func:`sigma_convergence`, the population-weighted spread of one
measure every year) and beta convergence in levels (:func:`beta_convergence`
and its record :class:`BetaConvergence`, the slope of each ward's yearly change
on its start level, with the implied catch-up speed and half-life).

Like :mod:`lbn_sim.analysis.divergence` (whose notation the docstrings use: ``x_i(t)``,
``p_i(t)``, ``m(t)``), every function reads the tables a run writes (see
``docs/contracts.md``) and returns a new :class:`pandas.DataFrame` or a small
record; nothing is written to disk and the engine is never imported.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lbn_sim.analysis.divergence import require


def sigma_convergence(
    wards: pd.DataFrame,
    measure: str = "imd_like",
    start_groups: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Sigma convergence: dispersion of one measure across wards, every year.

    ``mean(t) = m(t)`` (population-weighted), ``sd(t) = sqrt(sum_i p_i(t)
    (x_i(t) - m(t))^2 / sum_i p_i(t))``. Sigma convergence holds over a period
    when ``sd`` falls. No coefficient of variation: the composites have no fixed
    zero (``imd_like`` can go below 0), so ``sd / mean`` has no meaning for them.

    Args:
        wards: ``wards.parquet``.
        measure: the measure column (default ``imd_like``).
        start_groups: restrict to wards whose ``start_group`` is listed;
            default every ward (England).

    Returns:
        One row per year: ``year``, ``n_wards``, ``mean`` and ``sd`` (the
        measure's unit).
    """
    require(wards, ["year", "population", measure], "sigma_convergence")
    frame = wards
    if start_groups is not None:
        require(wards, ["start_group"], "sigma_convergence with start_groups")
        frame = wards[wards["start_group"].isin(list(start_groups))]
    x = frame[measure].astype(float)
    p = frame["population"].astype(float).where(x.notna(), 0.0)
    xs = x.fillna(0.0)
    by_year = frame["year"]
    # One grouped pass for the three sums (the same sums as three, at a third of the cost).
    sums = pd.DataFrame({"sw": p, "swx": p * xs, "n": x.notna()}).groupby(by_year).sum()
    sw, swx, n = sums["sw"], sums["swx"], sums["n"]
    mean = swx / sw.where(sw > 0)
    # Two passes (deviations from the year's mean) keep long runs numerically sane.
    at, years = pd.factorize(by_year, sort=True)
    if (at >= 0).all() and np.array_equal(years, mean.index.to_numpy()):
        dev = xs - mean.to_numpy(dtype=float)[at]
    else:
        dev = xs - mean.reindex(by_year.to_numpy()).to_numpy(dtype=float)
    var = (p * dev * dev).groupby(by_year).sum() / sw.where(sw > 0)
    sd = np.sqrt(var)
    out = pd.DataFrame({"n_wards": n.astype(int), "mean": mean, "sd": sd})
    out.index.name = "year"
    return out.reset_index()


@dataclass(frozen=True, slots=True)
class BetaConvergence:
    """Result of :func:`beta_convergence` (one measure, one window), in levels.

    Attributes:
        measure: the measure regressed.
        year_from, year_to: the window ``[t1, t2]`` (years).
        slope: ``beta`` (per year: the measure's unit per year per unit of the
            start level); negative means wards that started higher fell faster
            (catch-up, for a higher-is-worse measure), positive that they rose
            faster (falling further behind).
        intercept: ``alpha`` (the measure's unit per year).
        slope_se: standard error of ``beta`` (NaN when ``n < 3``).
        r2: coefficient of determination.
        n: wards used; n_dropped: wards left out (a value missing or non-finite
            at either end, or a non-positive weight).
        speed: implied catch-up speed ``lambda = -ln(1 + beta*(t2 - t1)) / (t2 - t1)``
            (per year; negative when ``beta > 0``); NaN when ``1 + beta*(t2 - t1) <= 0``.
        half_life: ``ln 2 / lambda`` (years) when ``lambda > 0``; ``inf`` when
            ``lambda <= 0`` (never halves); NaN when ``lambda`` is.
    """

    measure: str
    year_from: int
    year_to: int
    slope: float
    intercept: float
    slope_se: float
    r2: float
    n: int
    n_dropped: int
    speed: float
    half_life: float

    def as_dict(self) -> dict[str, float | int | str]:
        """The record as a plain mapping (one row of a table)."""
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class _LineFit:
    """Weighted least-squares line ``y = intercept + slope * x`` (NaN where undefined)."""

    slope: float
    intercept: float
    slope_se: float
    r2: float


def _weighted_line(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> _LineFit:
    """Weighted least squares of ``y`` on ``x``.

    ``x``, ``y``: float64 ``[n]`` finite; ``w``: float64 ``[n]`` positive
    weights (normalised here). The slope's standard error uses ``n`` as the
    number of observations; it is NaN when ``n < 3``. Slope, its error and
    ``r2`` are NaN when ``x`` does not vary.
    """
    n = len(x)
    ww = w / w.sum()
    mx = float((ww * x).sum())
    my = float((ww * y).sum())
    sxx = float((ww * (x - mx) ** 2).sum())
    if sxx <= 0.0:
        return _LineFit(math.nan, my, math.nan, math.nan)
    slope = float((ww * (x - mx) * (y - my)).sum() / sxx)
    intercept = my - slope * mx
    resid = y - intercept - slope * x
    ss_res = float((ww * resid**2).sum())
    ss_tot = float((ww * (y - my) ** 2).sum())
    r2 = 1.0 - ss_res / ss_tot if ss_tot > 0 else 1.0
    se = math.sqrt(ss_res / sxx / (n - 2)) if n > 2 else math.nan
    return _LineFit(slope, intercept, se, r2)


def _speed_and_half_life(slope: float, horizon: float) -> tuple[float, float]:
    """``lambda = -ln(1 + beta T) / T`` (per year) and ``ln 2 / lambda`` (years).

    ``lambda`` is NaN when ``1 + beta T <= 0`` (the fitted line overshoots: the
    order of wards flips), and so is the half-life; when ``lambda <= 0`` (no
    catch-up) the gap never halves and the half-life is ``inf``, so that a band
    across runs counts those runs instead of leaving them out.
    """
    base = 1.0 + slope * horizon
    speed = -math.log(base) / horizon if math.isfinite(base) and base > 0 else math.nan
    if not math.isfinite(speed):
        half_life = math.nan
    else:
        half_life = math.log(2.0) / speed if speed > 0 else math.inf
    return speed, half_life


def _ward_order(first: pd.Series, second: pd.Series) -> np.ndarray | None:
    """When two years' ``ward_code`` columns list the same wards, each once, in the same
    order, none missing: the positions that put them in order of their codes (as an outer
    join on the codes orders its rows). Else None."""
    if (
        isinstance(first.dtype, pd.CategoricalDtype)
        and first.dtype == second.dtype
        and first.cat.categories.is_monotonic_increasing
    ):
        a, b = first.cat.codes.to_numpy(), second.cat.codes.to_numpy()
        same = len(a) == len(b) and bool((a == b).all()) and bool((a >= 0).all())
        return np.argsort(a, kind="stable") if same and len(np.unique(a)) == len(a) else None
    x, y = first.to_numpy(dtype=object), second.to_numpy(dtype=object)
    if len(x) != len(y) or not bool((x == y).all()) or pd.isna(x).any():
        return None
    return None if pd.Index(x).has_duplicates else np.argsort(x, kind="stable")


def beta_convergence(
    wards: pd.DataFrame,
    measure: str = "imd_like",
    year_from: int | None = None,
    year_to: int | None = None,
    weighted: bool = False,
    start_groups: Sequence[str] | None = None,
) -> BetaConvergence:
    """Beta convergence in levels: OLS of the yearly change on the starting level.

    For each ward, ``change_i = (x_i(t2) - x_i(t1)) / T`` with ``T = t2 - t1``
    (the measure's unit per year), and ``change_i = alpha + beta * x_i(t1) + e_i``
    is fitted by least squares (weighted by ``p_i(t1)`` if ``weighted``).
    ``beta < 0`` means wards that started more deprived fare better than the
    rest (improve more, or worsen less): catch-up; ``beta > 0`` means they fare
    worse: falling further behind.

    Levels, not logs: a composite such as ``imd_like`` is the start score plus
    weighted domain changes, so it can reach zero or go negative for the least
    deprived wards; the log specification would have to drop those wards and
    turns scores near zero into huge growth rates. In levels every finite value
    counts. Since ``x_i(t2) = alpha T + (1 + beta T) x_i(t1) + e_i T``, the
    implied speed of convergence is exactly ``lambda = -ln(1 + beta T) / T``
    (per year) and the half-life ``ln 2 / lambda`` (years).

    Args:
        wards: ``wards.parquet`` (needs ``year``, ``ward_code``, the measure and,
            if ``weighted``, ``population``).
        measure: the measure column (default ``imd_like``).
        year_from, year_to: ``t1`` and ``t2``; default the first and last year.
        weighted: weight wards by population at ``t1``.
        start_groups: restrict to wards whose ``start_group`` is listed.

    Returns:
        A :class:`BetaConvergence`; wards with a missing or non-finite value at
        either end, or a non-positive weight, are counted in ``n_dropped``.
    """
    require(wards, ["year", "ward_code", measure], "beta_convergence")
    t1 = int(wards["year"].min()) if year_from is None else int(year_from)
    t2 = int(wards["year"].max()) if year_to is None else int(year_to)
    if t2 <= t1:
        raise ValueError(f"beta_convergence needs year_to > year_from, got {t1} and {t2}")
    frame = wards
    if start_groups is not None:
        require(wards, ["start_group"], "beta_convergence with start_groups")
        frame = wards[wards["start_group"].isin(list(start_groups))]
    cols = ["ward_code", measure, *(["population"] if weighted else [])]
    a = frame.loc[frame["year"] == t1, cols]
    b = frame.loc[frame["year"] == t2, ["ward_code", measure]]
    if a.empty or b.empty:
        raise ValueError(f"beta_convergence: no ward has data in both {t1} and {t2}")
    at = _ward_order(a["ward_code"], b["ward_code"])
    if at is not None:
        # The same wards in the same order both years (every lbn_sim table): the outer join
        # below is these rows in the order of their codes, without the join's cost.
        x0 = a[measure].to_numpy(dtype=float)[at]
        x1 = b[measure].to_numpy(dtype=float)[at]
        w = a["population"].to_numpy(dtype=float)[at] if weighted else np.ones(len(at))
        joined = a
    else:
        joined = a.merge(b, on="ward_code", how="outer", suffixes=("", "_end"))
        x0 = joined[measure].to_numpy(dtype=float)
        x1 = joined[f"{measure}_end"].to_numpy(dtype=float)
        w = joined["population"].to_numpy(dtype=float) if weighted else np.ones(len(joined))
    ok = np.isfinite(x0) & np.isfinite(x1) & np.isfinite(w) & (w > 0)
    n = int(ok.sum())
    horizon = float(t2 - t1)
    if n < 2:
        nan = math.nan
        return BetaConvergence(measure, t1, t2, nan, nan, nan, nan, n, len(joined) - n, nan, nan)
    fit = _weighted_line(x0[ok], (x1[ok] - x0[ok]) / horizon, w[ok])
    speed, half_life = _speed_and_half_life(fit.slope, horizon)
    return BetaConvergence(
        measure=measure,
        year_from=t1,
        year_to=t2,
        slope=fit.slope,
        intercept=fit.intercept,
        slope_se=fit.slope_se,
        r2=fit.r2,
        n=n,
        n_dropped=len(joined) - n,
        speed=speed,
        half_life=half_life,
    )
