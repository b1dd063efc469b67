"""Where the money went: the funding ledger summarised by mechanism, group and year
(the figure is :func:`lbn_sim.plots.money.money_figure`).

Reads result tables (``ledger.parquet`` and ``wards.parquet``); never runs the model.
"""

from __future__ import annotations

import pandas as pd


def per_head_by_group(ledger: pd.DataFrame, wards: pd.DataFrame) -> pd.DataFrame:
    """Money reaching wards per resident, by year, start group and mechanism (GBP/resident/yr).

    Counts flows whose destination is a ward (local authority core spending,
    ring-fenced grants, programme payments, charity); divides by the group's residents that year.
    Columns: ``year, start_group, mechanism, amount, population, n_wards, per_head``.
    """
    meta = wards[["year", "ward_code", "start_group", "population"]].astype(
        {"ward_code": str, "start_group": str}
    )
    # Each ward's start group (fixed at the start), read on the ledger's distinct
    # destinations: the ledger has millions of rows, and a string per row took about
    # 200 MB at England's size.
    group_of = meta.drop_duplicates("ward_code").set_index("ward_code")["start_group"]
    destination = ledger["destination"].astype("category")
    names = pd.Index(destination.cat.categories.astype(str))
    mechanism = ledger["mechanism"].astype("category")
    keep = (
        destination.isin(destination.cat.categories[names.isin(group_of.index)])
        & ~mechanism.isin(["private"])
    ).to_numpy()
    # Category code of the destination -> its ward's start group.
    group_by_code = group_of.reindex(names).to_numpy()
    to_wards = pd.DataFrame(
        {
            "year": ledger["year"].to_numpy()[keep],
            "start_group": group_by_code[destination.cat.codes.to_numpy()[keep]],
            "mechanism": mechanism[keep],
            "amount": ledger["amount"].to_numpy()[keep],
        }
    )
    money = (
        to_wards.groupby(["year", "start_group", "mechanism"], observed=True)["amount"]
        .sum()
        .reset_index()
    )
    money["mechanism"] = money["mechanism"].astype(str)
    pop = (
        meta.groupby(["year", "start_group"], observed=True)
        .agg(population=("population", "sum"), n_wards=("ward_code", "nunique"))
        .reset_index()
    )
    out = money.merge(pop, on=["year", "start_group"])
    out["per_head"] = out["amount"] / out["population"]
    return out


def programme_totals(
    ledger: pd.DataFrame, balances: pd.DataFrame, first_year: int, last_year: int
) -> tuple[float, float, float, float]:
    """National programme money from ``first_year`` to ``last_year``: ``(owed_before,
    awarded, paid, owed)`` in GBP, with ``owed_before + awarded == paid + owed``.

    ``owed_before``: the programmes' balance at the end of the year before ``first_year``
    (awarded earlier, still to be paid); ``awarded``: what central government put into
    the programmes in those years; ``paid``: what the programmes paid to wards in those
    years (instalments of earlier awards included); ``owed``: the programmes' balance at
    the end of ``last_year``, awarded but still to be paid (an award is planned in equal
    yearly instalments over its ``award_years`` and spent later than planned, so long
    awards made late are mostly owed).
    """
    years = ledger["year"].between(first_year, last_year)

    def programme(column: str) -> pd.Series:
        """Rows whose ``column`` is a programme account (read on the distinct values only:
        the ledger has millions of rows)."""
        values = ledger[column].astype("category")
        names = values.cat.categories.astype(str)
        return values.isin(values.cat.categories[names.str.startswith("programme:")])

    awarded = ledger.loc[years & programme("destination"), "pence"].sum()
    paid = ledger.loc[years & programme("source"), "pence"].sum()
    accounts = balances["account"].astype(str).str.startswith("programme:")

    def owed_at(year: int) -> float:
        return float(balances.loc[accounts & (balances["year"] == year), "pence"].sum()) / 100.0

    return owed_at(first_year - 1), float(awarded) / 100.0, float(paid) / 100.0, owed_at(last_year)
