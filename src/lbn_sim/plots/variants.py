"""Swept settings side by side: every (future, variant) of a comparison on the same axes.

A comparison whose runs differ in a swept key (``scenario.levers.award_years=2,20``,
say) has one variant per value; each variant's own figures show its futures. This
module puts every future of every variant on one figure and in one table, so the
values of the swept key can be read against each other.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.typing import LineStyleType

from lbn_sim.plots.parts import (
    OKABE_ITO,
    band_line,
    on_data,
    ordered_scenarios,
    policy_marker,
    require_columns,
    runs_phrase,
    scenario_colours,
    scenario_label,
    year_axis,
)

__all__ = ["LINE_KEY", "line_labels", "natural_key", "variant_summary", "variants_figure"]

#: Column naming each drawn line: the future and the variant, in words.
LINE_KEY = "line"
#: Colours of the lines when there are more variants than line styles (Okabe-Ito without
#: black, and without yellow, too pale on white).
LINE_COLOURS = tuple(c for name, c in OKABE_ITO.items() if name not in ("black", "yellow"))
LINE_STYLES: tuple[LineStyleType, ...] = ("-", "--", ":", "-.")


def _variant_text(table: pd.DataFrame, keys: Sequence[str]) -> pd.Series:
    """``"scenario.levers.award_years=20"`` per row (the keys a row sets; "" for none)."""
    out = pd.Series("", index=table.index)
    for key in keys:
        if key not in table.columns:
            continue
        values = table[key].astype(str)
        set_ = table[key].notna() & ~values.isin(["None", "nan", ""])
        text = key + "=" + values
        out = out.where(~set_, out.where(out == "", out + ", ") + text)
    return out


def line_labels(table: pd.DataFrame, keys: Sequence[str]) -> pd.Series:
    """``"best case, scenario.levers.award_years=20"`` per row of a stacked band table
    (``scenario`` and the variant ``keys`` as columns; a key a row does not set, shown as
    ``"None"`` or missing, is left out)."""
    future = table["scenario"].astype(str).map(scenario_label)
    variant = _variant_text(table, keys)
    return future.where(variant == "", future + ", " + variant)


def natural_key(text: str) -> tuple[tuple[int, float, str], ...]:
    """Sort key reading numbers as numbers (``award_years=2`` before ``award_years=12``)."""
    parts = re.split(r"(-?\d+(?:\.\d+)?)", text)
    return tuple(
        (0, float(p), "") if i % 2 else (1, 0.0, p) for i, p in enumerate(parts) if p != ""
    )


def _line_order(table: pd.DataFrame) -> list[str]:
    """Lines grouped by future (worst, base, best), then by their variant (numbers read
    as numbers)."""
    order = {s: i for i, s in enumerate(ordered_scenarios(table["scenario"].unique()))}
    future = dict(zip(table[LINE_KEY], table["scenario"].astype(str), strict=True))
    return sorted(future, key=lambda line: (order[future[line]], natural_key(line)))


def _styles(
    table: pd.DataFrame, keys: Sequence[str], lines: Sequence[str]
) -> dict[str, tuple[LineStyleType, str]]:
    """Line style and colour per line: the future's colour (as in every other figure) and
    one line style per variant; with more variants than line styles, a colour per line."""
    texts = _variant_text(table, keys)
    variants = sorted(set(texts), key=natural_key)
    future = dict(zip(table[LINE_KEY], table["scenario"].astype(str), strict=True))
    variant = dict(zip(table[LINE_KEY], texts, strict=True))
    if len(variants) <= len(LINE_STYLES):
        colours = scenario_colours(ordered_scenarios(set(future.values())))
        return {
            line: (LINE_STYLES[variants.index(variant[line])], colours[future[line]])
            for line in lines
        }
    styles = list(itertools.product(LINE_STYLES, LINE_COLOURS))
    return {line: styles[i % len(styles)] for i, line in enumerate(lines)}


def variants_figure(
    group_gap_bands: pd.DataFrame,
    count_bands: pd.DataFrame,
    keys: Sequence[str],
    policy_starts: Sequence[int],
    data: str | None = None,
) -> Figure:
    """Two panels, every future of every variant as its own line with its band: the
    left-behind wards' IMD-like gap to England (points) and the wards left behind.

    Args:
        group_gap_bands: :func:`lbn_sim.analysis.ensemble.group_gap_bands` of every variant,
            stacked with ``scenario`` and the variant ``keys`` as columns.
        count_bands: :func:`lbn_sim.analysis.ensemble.count_bands`, stacked the same way.
        keys: the swept keys that tell the variants apart.
        policy_starts: each variant's first year of the futures' own levers (each marked).
        data: the data the runs come from, in words; None: not named.
    """
    gaps = group_gap_bands[
        (group_gap_bands["measure"] == "imd_like") & (group_gap_bands["reference"] == "england")
    ]
    counts = count_bands[count_bands["measure"] == "n_left_behind"]
    for table, what in ((gaps, "group_gap_bands"), (counts, "count_bands")):
        require_columns(table, ["scenario", "year", "median", "p05", "p95"], what)
        if table.empty:
            raise ValueError(f"variants_figure: no rows in {what}")
    gaps = gaps.assign(**{LINE_KEY: line_labels(gaps, keys)})
    counts = counts.assign(**{LINE_KEY: line_labels(counts, keys)})
    lines = _line_order(gaps)
    style = _styles(gaps, keys, lines)
    fig = Figure(figsize=(12.0, 5.8), layout="constrained")
    left, right = fig.subplots(1, 2)
    for ax, table, ylabel in (
        (left, gaps, "IMD-like gap to England (points)"),
        (right, counts, "Wards left behind (wards)"),
    ):
        for line in lines:
            part = table[table[LINE_KEY] == line]
            if not part.empty:
                linestyle, colour = style[line]
                band_line(ax, part, colour, linestyle, alpha=0.12)
        for start in sorted(set(policy_starts)):
            policy_marker(ax, start)
        year_axis(ax, table)
        ax.set_ylabel(ylabel)
    right.set_ylim(bottom=0)
    left.set_title("Left-behind wards' gap to England", fontsize=10)
    right.set_title("Wards left behind each year", fontsize=10)
    fig.suptitle(
        f"{on_data('Futures and swept settings side by side', data)}\n"
        f"varying {', '.join(keys)}; median and 5-95% band across {runs_phrase(gaps)} per line",
        fontsize=10,
    )
    handles: list[Line2D | Patch] = [
        Line2D([], [], color=style[line][1], linestyle=style[line][0], label=line) for line in lines
    ]
    handles.append(Patch(color="0.6", alpha=0.4, label="5-95% band across runs"))
    fig.legend(handles=handles, loc="outside lower center", ncol=2, fontsize=8, frameon=False)
    return fig


def variant_summary(
    group_gap_bands: pd.DataFrame, count_bands: pd.DataFrame, keys: Sequence[str]
) -> pd.DataFrame:
    """One row per future and variant at its own horizon (``year``: variants may end in
    different years): the left-behind wards' IMD-like and CNI-like gaps to England
    (points), the wards of the start still left behind and all wards left behind (wards),
    each as median, p05 and p95 across runs, and the runs.

    Inputs as :func:`variants_figure`. Rows are ordered by future, then by variant.
    """
    measures = (
        ("imd_gap", group_gap_bands, "imd_like", "england"),
        ("cni_gap", group_gap_bands, "cni_like", "england"),
        ("still_left_behind", count_bands, "n_still_left_behind", None),
        ("left_behind", count_bands, "n_left_behind", None),
    )
    ids: pd.DataFrame | None = None
    columns: dict[str, pd.Series] = {}
    for name, table, measure, reference in measures:
        part = table[table["measure"] == measure]
        if reference is not None:
            part = part[part["reference"] == reference]
        part = part.assign(**{LINE_KEY: line_labels(part, keys)})
        horizon = part.groupby(LINE_KEY)["year"].transform("max")
        part = part[part["year"] == horizon].set_index(LINE_KEY)
        if ids is None:
            ids = part[["scenario", "year", "n_runs"]]
        for stat in ("median", "p05", "p95"):
            columns[f"{name}_{stat}"] = part[stat]
    assert ids is not None
    out = ids.join(pd.DataFrame(columns), how="outer").reset_index()
    return out.set_index(LINE_KEY).loc[_line_order(out)].reset_index()
