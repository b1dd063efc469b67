"""The funding ledger: every flow as (year, source, destination, purpose, mechanism, amount).

Amounts are held in whole pence (int64), so conservation can be checked to
the penny: money is split with the largest-remainder method, which never
creates or loses a penny. Account balances are recorded at the end of each
year beside the flows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray

I64 = NDArray[np.int64]

#: Where spent money ends: delivered as services in a ward.
DELIVERED = "service_delivery"


#: The largest amount (pence) the ledger takes in one flow: about GBP 11 trillion, four times
#: England's yearly output. Below it, splits and sums of a year's flows are exact in float64
#: (integers to 2**53); above it, pence would be lost without a word.
MAX_PENCE = 2**50
#: A million million, for messages in GBP trillions.
TRILLION = 10**12


class MoneyRangeError(ValueError):
    """An amount beyond :data:`MAX_PENCE`: levers or conditions compounded too far."""


def check_pence(pence: NDArray[np.float64] | NDArray[np.int64], what: str) -> None:
    """Raise :class:`MoneyRangeError` if any of ``pence`` is not finite or not below
    :data:`MAX_PENCE` in size. ``what`` names the money in the message."""
    values = np.abs(np.asarray(pence, dtype=np.float64))
    if not values.size:
        return
    if not np.isfinite(values).all():
        raise MoneyRangeError(f"{what} is not a finite amount (NaN or infinite pence)")
    if values.max() >= MAX_PENCE:
        raise MoneyRangeError(
            f"{what} reached GBP {values.max() / 100:.3g}, beyond the GBP "
            f"{MAX_PENCE / 100 / TRILLION:.0f} trillion the ledger counts to the penny: the levers "
            "or conditions compound too far over the horizon (e.g. real_wage_growth, "
            "la_real_growth or regional_growth over a long run); use smaller growth or a "
            "shorter horizon"
        )


def pounds_to_pence(pounds: NDArray[np.float64] | float, what: str = "an amount") -> I64:
    """Round GBP to whole pence (int64); refuse amounts beyond :data:`MAX_PENCE`."""
    pence = np.asarray(pounds, dtype=np.float64) * 100.0
    check_pence(pence, what)
    return np.rint(pence).astype(np.int64)


def split_pence(totals: I64, groups: NDArray[np.integer], weights: NDArray[np.float64]) -> I64:
    """Split each group's total among its items in proportion to weights, exactly.

    Args:
        totals: int64 ``[n_groups]``, pence to split per group (>= 0).
        groups: int ``[n_items]``, the group of each item (0 .. n_groups - 1).
        weights: float64 ``[n_items]``, non-negative weights.

    Returns:
        int64 ``[n_items]``: pence per item. Within each group with a positive
        weight sum the parts add up to the group's total exactly (largest
        remainder); a group whose weights sum to zero gets nothing.
    """
    totals = np.asarray(totals, dtype=np.int64)
    n_groups = totals.shape[0]
    weights = np.asarray(weights, dtype=np.float64)
    if weights.size and weights.min() < 0:
        raise ValueError("split_pence: weights must be non-negative")
    if totals.size and totals.min() < 0:
        raise ValueError("split_pence: totals must be non-negative")
    check_pence(totals, "money to split")
    wsum = np.bincount(groups, weights=weights, minlength=n_groups)
    has = wsum[groups] > 0
    share = np.where(has, weights / np.where(has, wsum[groups], 1.0), 0.0)
    exact = totals[groups].astype(np.float64) * share
    base = np.floor(exact).astype(np.int64)
    given = np.bincount(groups, weights=base, minlength=n_groups).astype(np.int64)
    remainder = np.where(wsum > 0, totals - given, 0)
    frac = exact - base
    order = np.lexsort((-frac, groups))
    g_sorted = groups[order]
    first = np.searchsorted(g_sorted, g_sorted, side="left")
    pos = np.arange(order.shape[0]) - first
    extra = (pos < remainder[g_sorted]) & has[order]
    base[order[extra]] += 1
    return base


@dataclass(frozen=True, slots=True)
class _Flows:
    """One :meth:`Ledger.record` call's flows, the zero ones dropped (``k`` flows).

    Attributes:
        year: the year of every flow.
        source, destination: object ``[k]``, account names.
        purpose, mechanism: the same for every flow.
        pence: int64 ``[k]``, amounts (> 0).
    """

    year: int
    source: NDArray[np.object_]
    destination: NDArray[np.object_]
    purpose: str
    mechanism: str
    pence: I64


@dataclass
class Ledger:
    """Flows and end-of-year balances, appended year by year as arrays.

    Records are kept as arrays and made into one table when asked for (:meth:`flows`,
    :meth:`balances`): a table per record cost about 3 ms each, 2 s a default run.
    """

    _flows: list[_Flows] = field(default_factory=list)
    _balances: list[tuple[int, NDArray[np.object_], I64]] = field(default_factory=list)

    def record(
        self,
        year: int,
        source: str | NDArray[np.str_] | list[str],
        destination: str | NDArray[np.str_] | list[str],
        purpose: str,
        mechanism: str,
        pence: I64,
    ) -> None:
        """Record flows (one per element of ``pence``; zero flows are dropped)."""
        pence = np.atleast_1d(np.asarray(pence, dtype=np.int64))
        if pence.size and pence.min() < 0:
            raise ValueError(f"negative flow recorded for {purpose!r} in {year}")
        n = pence.shape[0]
        src = np.broadcast_to(np.asarray(source, dtype=object), (n,))
        dst = np.broadcast_to(np.asarray(destination, dtype=object), (n,))
        keep = pence > 0
        self._flows.append(_Flows(year, src[keep], dst[keep], purpose, mechanism, pence[keep]))

    def balance(self, year: int, account: str | list[str] | NDArray[np.str_], pence: I64) -> None:
        """Record end-of-year balances of accounts."""
        pence = np.atleast_1d(np.asarray(pence, dtype=np.int64)).copy()
        acc = np.broadcast_to(np.asarray(account, dtype=object), pence.shape).copy()
        self._balances.append((year, acc, pence))

    def copy(self) -> Ledger:
        """A ledger holding the same records (which are never changed once recorded), to
        which new records can be added without touching this one's."""
        other = Ledger()
        other._flows = list(self._flows)
        other._balances = list(self._balances)
        return other

    def flows(self) -> pd.DataFrame:
        """All flows: ``year, source, destination, purpose, mechanism, pence, amount`` (GBP);
        the four names categorical (categories: the names in sorted order)."""
        cols = ["year", "source", "destination", "purpose", "mechanism", "pence"]
        if not self._flows:
            df = pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
            for c in ("source", "destination", "purpose", "mechanism"):
                df[c] = df[c].astype("category")
        else:
            records = self._flows
            counts = [r.pence.shape[0] for r in records]
            df = pd.DataFrame(
                {
                    "year": np.repeat(np.array([r.year for r in records], np.int32), counts),
                    "source": _categorical(np.concatenate([r.source for r in records])),
                    "destination": _categorical(np.concatenate([r.destination for r in records])),
                    "purpose": _categorical(np.array([r.purpose for r in records], object), counts),
                    "mechanism": _categorical(
                        np.array([r.mechanism for r in records], object), counts
                    ),
                    "pence": np.concatenate([r.pence for r in records]),
                }
            )
        df["pence"] = df["pence"].astype(np.int64)
        df["amount"] = df["pence"] / 100.0
        return df

    def balances(self) -> pd.DataFrame:
        """End-of-year balances: ``year, account, pence``."""
        if not self._balances:
            return pd.DataFrame({"year": [], "account": [], "pence": []})
        counts = [p.shape[0] for _, _, p in self._balances]
        return pd.DataFrame(
            {
                "year": np.repeat(np.array([y for y, _, _ in self._balances], np.int32), counts),
                "account": np.concatenate([a for _, a, _ in self._balances]),
                "pence": np.concatenate([p for _, _, p in self._balances]),
            }
        )


def _categorical(names: NDArray[np.object_], counts: list[int] | None = None) -> pd.Categorical:
    """The names (object ``[k]``, each repeated ``counts[i]`` times when given) as a
    categorical whose categories are the distinct names sorted (text), as
    ``astype("category")`` makes them, without first making a text column of every row."""
    codes, uniques = pd.factorize(names)
    order = np.argsort(np.asarray(uniques, dtype=str), kind="stable")
    rank = np.empty(order.shape[0], dtype=np.int64)
    rank[order] = np.arange(order.shape[0])
    codes = rank[codes]
    if counts is not None:
        codes = np.repeat(codes, counts)
    categories = pd.Index(np.asarray(uniques, dtype=object)[order], dtype="str")
    return pd.Categorical.from_codes(codes, categories=categories)


def conservation_errors(
    flows: pd.DataFrame, balances: pd.DataFrame, external: set[str]
) -> pd.DataFrame:
    """Accounts whose money does not add up, one row per (year, account) that fails.

    For every account that is not an external source or a final use, each
    year: ``opening balance + inflows == outflows + closing balance``, in
    pence. External sources (central government's budget, donors, private
    investors) may send without receiving; the final use (``DELIVERED``) only
    receives. An empty frame means every penny is accounted for.
    """
    inflow = flows.groupby(["year", "destination"], observed=True)["pence"].sum()
    outflow = flows.groupby(["year", "source"], observed=True)["pence"].sum()
    inflow.index.names = ["year", "account"]
    outflow.index.names = ["year", "account"]
    bal = balances.groupby(["year", "account"])["pence"].sum()
    accounts = sorted(
        (
            set(inflow.index.get_level_values(1))
            | set(outflow.index.get_level_values(1))
            | set(bal.index.get_level_values(1))
        )
        - external
        - {DELIVERED}
    )
    years = sorted(set(flows["year"]).union(balances["year"]))
    full = pd.MultiIndex.from_product([years, accounts], names=["year", "account"])
    t = pd.DataFrame(
        {
            "in": inflow.reindex(full, fill_value=0),
            "out": outflow.reindex(full, fill_value=0),
            "closing": bal.reindex(full, fill_value=0),
        }
    ).astype(np.int64)
    t["opening"] = t.groupby(level="account")["closing"].shift(1, fill_value=0)
    t["error"] = t["opening"] + t["in"] - t["out"] - t["closing"]
    return t[t["error"] != 0].reset_index()
