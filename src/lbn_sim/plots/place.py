"""A place's wards, one small panel each: the IMD-like gap to England under each future.

Reads the band table of :attr:`lbn_sim.compare.place.PlaceView.trajectories` (one row per
future, ward and year: ``scenario``, ``ward_code``, ``ward_name``, ``la_name``,
``start_group``, ``year``, ``p05``, ``median``, ``p95``, ``left_behind_share``); the model
is never imported.
"""

from __future__ import annotations

import math

import pandas as pd
from matplotlib.figure import Figure

from lbn_sim.plots.parts import (
    draw_futures,
    future_handles,
    on_data,
    ordered_scenarios,
    require_columns,
    runs_phrase,
    ward_labels,
)

#: At most this many wards get a panel (the most deprived at the start first): a figure of a
#: city's 70 wards would be unreadable; the page's table keeps every ward.
MAX_PANELS = 30
#: Panels per row.
COLUMNS = 5


def panel_wards(trajectories: pd.DataFrame, limit: int = MAX_PANELS) -> list[str]:
    """The ward codes drawn, most deprived first (largest median gap in the first year of the
    first future), at most ``limit``."""
    first = trajectories[trajectories["year"] == trajectories["year"].min()]
    first = first[first["scenario"] == ordered_scenarios(first["scenario"].unique())[0]]
    order = first.sort_values(["median", "ward_code"], ascending=[False, True])
    return [str(c) for c in order["ward_code"].drop_duplicates()][:limit]


def place_figure(
    trajectories: pd.DataFrame,
    policy_start: int,
    place: str,
    data: str | None = None,
    limit: int = MAX_PANELS,
) -> Figure:
    """One panel per ward (at most ``limit``, most deprived first): the ward's IMD-like gap
    to England (points) under each future, median and 5-95% band across runs, the shared
    history in black; a ward left behind at the start has its title in bold.

    Args:
        trajectories: the place's band table (see the module docstring), one variant.
        policy_start: the first year of the futures' own levers.
        place: the place's name, for the title.
        data: the data the runs come from, in words; None: not named.
        limit: the most panels drawn.

    Returns:
        The figure; its suptitle says how many of the place's wards are drawn.
    """
    require_columns(
        trajectories,
        ["scenario", "ward_code", "start_group", "year", "p05", "median", "p95"],
        "place_figure",
    )
    if trajectories.empty:
        raise ValueError("place_figure: no rows to draw")
    codes = panel_wards(trajectories, limit)
    n_all = trajectories["ward_code"].nunique()
    cols = min(COLUMNS, len(codes))
    rows = math.ceil(len(codes) / cols)
    # At least 7.5 inches wide: the three-line title of a place of one or two wards fits.
    fig = Figure(figsize=(max(2.6 * cols + 0.6, 7.5), 2.1 * rows + 1.6), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False, sharex=True, sharey=True)
    labels = ward_labels(trajectories)
    for ax in axes.flat[len(codes) :]:
        ax.set_visible(False)
    for ax, code in zip(axes.flat, codes, strict=False):
        ward = trajectories[trajectories["ward_code"] == code]
        draw_futures(ax, ward, policy_start, linewidth=1.2)
        ax.axhline(0.0, color="0.55", linewidth=0.7)
        ax.axvline(policy_start, color="0.6", linestyle=(0, (4, 2)), linewidth=0.7)
        left_behind = (ward["start_group"] == "left_behind").any()
        ax.set_title(
            str(labels[code]).split(", ")[0],
            fontsize=8,
            fontweight="bold" if left_behind else "normal",
        )
        ax.tick_params(labelsize=7)
        ax.grid(True, color="0.92", linewidth=0.5)
    for ax in axes[:, 0]:
        ax.set_ylabel("gap to England\n(IMD-like points)", fontsize=7)
    shown = f"all {n_all} wards" if len(codes) == n_all else f"the {len(codes)} of {n_all} wards"
    shown += "" if len(codes) == n_all else " most deprived at the start"
    fig.suptitle(
        f"{on_data(f'{place}: each ward under each future', data)}\n"
        f"IMD-like gap to England's mean (points; 0 is England's mean, above is more "
        f"deprived), {shown}; bold: left behind at the start;\n"
        f"median and 5-95% band across {runs_phrase(trajectories)} per future; dashed: "
        f"policy start {policy_start}",
        fontsize=9,
    )
    scenarios = ordered_scenarios(trajectories["scenario"].unique())
    has_history = bool((trajectories["year"] < policy_start).any())
    fig.legend(
        handles=future_handles(scenarios, has_history),
        loc="outside lower center",
        ncol=len(scenarios) + 2,
        fontsize=8,
        frameon=False,
    )
    return fig
