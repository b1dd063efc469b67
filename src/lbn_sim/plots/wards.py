"""Ward-level comparison figures: the distribution of ward divergence and the top movers."""

from __future__ import annotations

from typing import cast

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from lbn_sim.plots.parts import (
    GROUP_LABELS,
    OKABE_ITO,
    figure_of,
    on_data,
    ordered_scenarios,
    require_columns,
    scenario_colours,
    scenario_label,
    ward_labels,
)


def _ward_medians(ward_bands: pd.DataFrame, measure: str, start_group: str | None) -> pd.DataFrame:
    require_columns(ward_bands, ["scenario", "ward_code", "measure", "median"], "ward figure")
    table = ward_bands[ward_bands["measure"] == measure]
    if start_group is not None and "start_group" in table.columns:
        table = table[table["start_group"] == start_group]
    if table.empty:
        raise ValueError(f"no ward rows for measure {measure!r} and start group {start_group!r}")
    return table


def _composite(measure: str) -> str:
    return "IMD-like" if measure.startswith("imd") else "CNI-like"


def _gap_change_label(measure: str) -> str:
    return f"Change in {_composite(measure)} gap to England, start to horizon (points)"


def divergence_distribution_figure(
    ward_bands: pd.DataFrame,
    measure: str = "imd_gap_change",
    start_group: str | None = "left_behind",
    ax: Axes | None = None,
    data: str | None = None,
) -> Figure:
    """Distribution across wards of the change of their composite gap, per future.

    Each ward contributes its median across runs (``ward_bands['median']``).
    Violins (where a kernel density can be formed) with box plots on top (whiskers
    to 1.5 interquartile ranges, wards beyond as dots); the line at 0 is no
    change, below 0 the ward closed on England.

    Args:
        ward_bands: :func:`lbn_sim.analysis.ensemble.ward_end_bands` stacked with ``scenario``.
        measure: ``imd_gap_change`` or ``cni_gap_change``.
        start_group: only wards of this start group (default the left-behind
            wards); None for every ward.
        ax: draw into this axes instead of a new figure.
        data: the data the runs come from, in words (:func:`lbn_sim.compare.report.data_words`),
            named at the end of the title's first line; None, or drawing into ``ax``:
            not named.
    """
    table = _ward_medians(ward_bands, measure, start_group)
    small = ax is not None
    if ax is None:
        fig = Figure(figsize=(8.0, 5.0), layout="constrained")
        ax = fig.add_subplot()
    else:
        fig = figure_of(ax)
    fontsize = 7.0 if small else 10.0
    scenarios = ordered_scenarios(table["scenario"].unique())
    colours = scenario_colours(scenarios)
    values_of = [
        table.loc[table["scenario"] == s, "median"].dropna().to_numpy(dtype=float)
        for s in scenarios
    ]
    positions = np.arange(1, len(scenarios) + 1, dtype=float)
    ax.axhline(0.0, color="0.5", linewidth=0.8, linestyle=(0, (2, 2)))
    for pos, values, name in zip(positions, values_of, scenarios, strict=True):
        if values.size >= 2 and float(np.ptp(values)) > 0:
            parts = ax.violinplot([values], positions=[pos], widths=0.8, showextrema=False)
            for body in cast(list[PolyCollection], parts["bodies"]):
                body.set_facecolor(colours[name])
                body.set_edgecolor(colours[name])
                body.set_alpha(0.35)
    ax.boxplot(
        [d if d.size else np.array([np.nan]) for d in values_of],
        positions=positions,
        widths=0.18,
        flierprops={"marker": ".", "markersize": 3, "markerfacecolor": "0.3", "alpha": 0.6},
        medianprops={"color": "black"},
    )
    ax.set_xticks(positions, [scenario_label(s) for s in scenarios], fontsize=fontsize)
    ax.set_xlim(0.4, len(scenarios) + 0.6)
    ax.set_xlabel("Future", fontsize=fontsize)
    ax.set_ylabel(_gap_change_label(measure), fontsize=fontsize)
    who = "left-behind wards" if start_group == "left_behind" else "wards"
    if start_group not in (None, "left_behind"):
        who = f"{GROUP_LABELS.get(start_group, start_group)}"
    if small:
        ax.set_ylabel("Change in gap (points)", fontsize=fontsize)
        ax.set_title(f"Divergence of {who} (below 0: catching up)", fontsize=8)
        ax.tick_params(labelsize=6.5)
    else:
        first = f"Divergence of the {len(values_of[0]) if values_of else 0:,} {who}"
        ax.set_title(
            f"{on_data(first, data)}\n"
            "each ward's median change across runs, by future; below 0 the ward closed on England\n"
            "Box: middle half of wards; whiskers: to 1.5 box-lengths; dots: wards beyond; "
            "shading: density of wards",
            fontsize=9,
        )
    return fig


def _block_label(ax: Axes, text: str, y_low: float, y_high: float) -> None:
    """Name a block of bars in the margin right of ``ax``, outside the plot area, so
    it can never cover a bar: rotated, centred on the block's bars at data heights
    ``y_low`` .. ``y_high``."""
    ax.annotate(
        text,
        xy=(1.0, (y_low + y_high) / 2),
        xycoords=("axes fraction", "data"),
        xytext=(4, 0),
        textcoords="offset points",
        ha="center",
        va="bottom",
        rotation=270,
        rotation_mode="anchor",
        fontsize=7,
        color="0.3",
        annotation_clip=False,
    )


def top_movers_figure(
    ward_bands: pd.DataFrame,
    n: int = 10,
    measure: str = "imd_gap_change",
    start_group: str | None = "left_behind",
    data: str | None = None,
) -> Figure:
    """The wards that diverge most under each future: top ``n`` leap and top ``n`` fall.

    Wards are ranked by their median change of the composite gap across runs:
    the ``n`` most negative (leap: the gap to England fell most, or rose
    least) on top, the ``n`` most positive (fall) below. Bars are green where the
    gap fell and vermillion where it rose; whiskers are the 5-95% range
    across runs. With fewer than ``2 n`` wards, each block gets half.

    Args:
        ward_bands: :func:`lbn_sim.analysis.ensemble.ward_end_bands` stacked with ``scenario``.
        n: wards per side.
        measure: ``imd_gap_change`` or ``cni_gap_change``.
        start_group: only wards of this start group (default left-behind); None for all.
        data: the data the runs come from, in words (:func:`lbn_sim.compare.report.data_words`),
            named at the end of the title's first line; None: not named.

    Returns:
        A figure with one axes per future, ``2 n`` horizontal bars each (fewer if
        the group is small), labelled with ward names.
    """
    table = _ward_medians(ward_bands, measure, start_group)
    labels = ward_labels(table)  # a name shared by two wards of the group gets its code
    scenarios = ordered_scenarios(table["scenario"].unique())
    height = max(4.5, 0.24 * 2 * n + 1.8)
    # At least 8.5 inches wide, so the title fits above a single future.
    fig = Figure(figsize=(max(8.5, 5.2 * len(scenarios)), height), layout="constrained")
    axes = fig.subplots(1, len(scenarios), squeeze=False)[0]
    for ax, name in zip(axes, scenarios, strict=True):
        rows = table[table["scenario"] == name].dropna(subset=["median"])
        rows = rows.sort_values(["median", "ward_code"])
        n_leap = n if len(rows) >= 2 * n else len(rows) // 2
        leap = rows.head(n_leap)
        fall = rows.drop(leap.index).tail(min(n, len(rows) - n_leap))
        shown = pd.concat([leap, fall])
        y = np.arange(len(shown), dtype=float)[::-1]
        y[len(leap) :] -= 0.8  # a gap between the two blocks
        med = shown["median"].to_numpy(dtype=float)
        colours = np.where(med < 0, OKABE_ITO["bluish_green"], OKABE_ITO["vermillion"])
        lo = np.clip(med - shown["p05"].to_numpy(dtype=float), 0, None)
        hi = np.clip(shown["p95"].to_numpy(dtype=float) - med, 0, None)
        ax.barh(y, med, color=list(colours), height=0.7)
        ax.errorbar(med, y, xerr=np.vstack([lo, hi]), fmt="none", ecolor="0.2", lw=0.8)
        ax.set_yticks(y, list(labels[shown["ward_code"].astype(str)]), fontsize=7)
        if len(leap) and len(fall):
            ax.axhline(float(y[len(leap) - 1] - 0.9), color="0.5", linewidth=0.8)
        # A block is called 'leap' only if every gap in it narrowed, 'fall' only if every one
        # widened (in the worst case the best-placed wards may still have fallen behind).
        blocks = (
            (leap, y[: len(leap)], "leap" if (leap["median"] < 0).all() else "fared best"),
            (fall, y[len(leap) :], "fall" if (fall["median"] > 0).all() else "fared worst"),
        )
        for block, ys, text in blocks:
            if len(block):
                _block_label(ax, f"top {len(block)} {text}", float(ys.min()), float(ys.max()))
        ax.axvline(0.0, color="0.3", linewidth=0.8)
        ax.set_xlabel(_gap_change_label(measure).replace(", start to horizon", ""), fontsize=8)
        ax.set_title(scenario_label(name), fontsize=10, color=scenario_colours(scenarios)[name])
        ax.grid(True, axis="x", color="0.9", linewidth=0.6)
        ax.set_axisbelow(True)
    who = "left-behind wards" if start_group == "left_behind" else "wards"
    fig.suptitle(
        f"{on_data(f'The {who} that diverge most', data)}\n"
        f"by future, up to {n} that fare best (upper block) and {n} that fare worst (lower block)\n"
        f"median change of the {_composite(measure)} gap to England from start to horizon; "
        "whiskers 5-95% across runs",
        fontsize=10,
    )
    fig.legend(
        handles=[
            Patch(color=OKABE_ITO["bluish_green"], label="gap to England fell"),
            Patch(color=OKABE_ITO["vermillion"], label="gap to England rose"),
        ],
        loc="outside lower center",
        ncol=2,
        fontsize=8,
        frameon=False,
    )
    return fig
