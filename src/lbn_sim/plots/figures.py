"""Comparison figures drawn from ensemble band tables (matplotlib, no pyplot state).

Every ``*_figure`` function takes tidy band tables (see :mod:`lbn_sim.analysis.ensemble`)
with an added ``scenario`` column, draws one :class:`matplotlib.figure.Figure`
and returns it; the caller saves it with :func:`save_figure` (PNG and SVG). The
futures' figures are here; the ward-level ones in :mod:`lbn_sim.plots.wards`, the
shared palette, labels and helpers in :mod:`lbn_sim.plots.parts`.
Figures are built with :class:`~matplotlib.figure.Figure` directly, so no GUI
backend and no global pyplot state are involved.

Conventions: futures are coloured with the Okabe-Ito palette (worst case
vermillion, base case orange, best case bluish green; shared history black);
groups are told apart by line style (left-behind wards solid, other deprived
dashed, England dotted); lines are across-run medians and shaded bands the
5-95% range across runs; years before the policy start are shared by every
future and drawn once, in black; a vertical line (``gid="policy_start"``) marks
the policy start.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.typing import LineStyleType

from lbn_sim.plots.parts import (
    A4_PORTRAIT,
    BAND_KEYS,
    GROUP_LABELS,
    GROUP_ORDER,
    GROUP_STYLES,
    HISTORY_COLOUR,
    MEASURE_LABELS,
    OKABE_ITO,
    PANEL_MEASURES,
    POLICY_GID,
    SCENARIO_COLOURS,
    SCENARIO_ORDER,
    band_rows,
    canvas,
    draw_futures,
    future_handles,
    futures_axes,
    history_scenario,
    measure_label,
    measure_unit,
    on_data,
    ordered_scenarios,
    policy_marker,
    require_columns,
    runs_phrase,
    save_figure,
    scenario_colours,
    scenario_label,
    ward_labels,
    year_axis,
)
from lbn_sim.plots.wards import divergence_distribution_figure, top_movers_figure

__all__ = [
    "HISTORY_COLOUR",
    "MEASURE_LABELS",
    "OKABE_ITO",
    "PANEL_MEASURES",
    "POLICY_GID",
    "SCENARIO_COLOURS",
    "SCENARIO_ORDER",
    "divergence_distribution_figure",
    "gap_figure",
    "history_scenario",
    "left_behind_count_figure",
    "measure_label",
    "measure_unit",
    "ordered_scenarios",
    "panel_figure",
    "save_figure",
    "scenario_colours",
    "scenario_label",
    "sigma_figure",
    "top_movers_figure",
    "trajectory_figure",
    "ward_labels",
]


def trajectory_figure(
    group_bands: pd.DataFrame, measure: str, policy_start: int, data: str | None = None
) -> Figure:
    """The futures on one axes for the left-behind, other deprived and England groups.

    Args:
        group_bands: :func:`lbn_sim.analysis.ensemble.group_bands` of every scenario
            stacked, with a ``scenario`` column.
        measure: the indicator or composite to draw.
        policy_start: the first year of the futures' own levers (years before are shared).
        data: the data the runs come from, in words (``"the synthetic England (300
            synthetic wards)"``, see :func:`lbn_sim.compare.report.data_words`), named at the
            end of the title's first line; None: not named.

    Returns:
        A figure with one axes: per group, one history line and one line per
        future (medians), each with a band, and the policy-start marker.
    """
    require_columns(group_bands, [*BAND_KEYS, "group", "measure"], "trajectory_figure")
    table = group_bands[group_bands["measure"] == measure]
    if table.empty:
        raise ValueError(f"trajectory_figure: no rows for measure {measure!r}")
    fig = Figure(figsize=(9.0, 5.6), layout="constrained")
    ax = fig.add_subplot()
    groups = [g for g in GROUP_ORDER if g in set(table["group"])]
    for group in groups:
        draw_futures(ax, table[table["group"] == group], policy_start, GROUP_STYLES[group])
    policy_marker(ax, policy_start)
    year_axis(ax, table)
    label, unit = measure_label(measure), measure_unit(measure)
    ax.set_ylabel(f"{label} ({unit})" if unit else label)
    scenarios = ordered_scenarios(table["scenario"].unique())
    futures = ", ".join(scenario_label(s) for s in scenarios)
    ax.set_title(
        f"{on_data(f'{label} by group and future', data)}\n"
        "population-weighted means of the left-behind wards, other deprived wards and England\n"
        f"under {futures}; median and 5-95% band across {runs_phrase(table)} per future",
        fontsize=10,
    )
    handles = future_handles(scenarios, bool((table["year"] < policy_start).any()))
    handles += [
        Line2D([], [], color="0.2", linestyle=GROUP_STYLES[g], label=GROUP_LABELS[g])
        for g in groups
    ]
    fig.legend(handles=handles, loc="outside lower center", ncol=4, fontsize=8, frameon=False)
    return fig


def gap_figure(
    group_gap_bands: pd.DataFrame,
    measure: str,
    policy_start: int,
    reference: str = "england",
    ax: Axes | None = None,
    data: str | None = None,
) -> Figure:
    """The left-behind group's gap to a reference under every future.

    Args:
        group_gap_bands: :func:`lbn_sim.analysis.ensemble.group_gap_bands` stacked with a
            ``scenario`` column.
        measure: indicator or composite.
        policy_start: the first year of the futures' own levers.
        reference: ``england`` or ``other_deprived``.
        ax: draw into this axes (for panels) instead of a new figure.
        data: the data the runs come from, in words (:func:`lbn_sim.compare.report.data_words`),
            named at the end of the title's first line; None, or drawing into ``ax``
            (the panel's own title names it): not named.

    Returns:
        The figure holding the axes.
    """
    table = band_rows(group_gap_bands, "gap_figure", measure=measure, reference=reference)
    fig, ax, small, fontsize = futures_axes(ax, table, policy_start)
    label, unit = measure_label(measure), measure_unit(measure).split(",")[0]
    ref = GROUP_LABELS.get(reference, reference)
    ax.set_ylabel(f"Gap to {ref} ({unit})" if unit else f"Gap to {ref}", fontsize=fontsize)
    if small:
        ax.set_title(f"{label}: left-behind gap to {ref}", fontsize=8)
        ax.tick_params(labelsize=6.5)
    else:
        scenarios = ordered_scenarios(table["scenario"].unique())
        ax.set_title(
            f"{on_data(f'{label} gap', data)}\n"
            f"{GROUP_LABELS['left_behind']} minus {ref}\n"
            f"median and 5-95% band across {runs_phrase(table)} per future",
            fontsize=10,
        )
        handles = future_handles(scenarios, bool((table["year"] < policy_start).any()))
        fig.legend(handles=handles, loc="outside lower center", ncol=5, fontsize=8, frameon=False)
    return fig


def left_behind_count_figure(
    count_bands: pd.DataFrame,
    policy_start: int,
    ax: Axes | None = None,
    data: str | None = None,
) -> Figure:
    """Number of left-behind wards over time under every future.

    Solid: every ward left behind that year (``n_left_behind``); dashed: those of
    them that were left behind at the start (``n_still_left_behind``).

    Args:
        count_bands: :func:`lbn_sim.analysis.ensemble.count_bands` stacked with ``scenario``.
        policy_start: the first year of the futures' own levers.
        ax: draw into this axes instead of a new figure.
        data: the data the runs come from, in words (:func:`lbn_sim.compare.report.data_words`),
            named at the end of the title's first line; None, or drawing into ``ax``:
            not named.
    """
    require_columns(count_bands, [*BAND_KEYS, "measure"], "left_behind_count_figure")
    fig, ax, small, fontsize = canvas(ax)
    series: tuple[tuple[str, LineStyleType], ...] = (
        ("n_left_behind", "-"),
        ("n_still_left_behind", "--"),
    )
    drawn = count_bands[count_bands["measure"].isin([m for m, _ in series])]
    if drawn.empty:
        raise ValueError("left_behind_count_figure: no n_left_behind rows")
    for measure, style in series:
        part = count_bands[count_bands["measure"] == measure]
        if not part.empty:
            draw_futures(ax, part, policy_start, style, linewidth=1.2 if small else 1.6)
    policy_marker(ax, policy_start, fontsize=6.0 if small else 8.0)
    year_axis(ax, drawn, fontsize=fontsize)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("Left-behind wards (wards)", fontsize=fontsize)
    if small:
        ax.set_title("Wards left behind (dashed: of those at start)", fontsize=8)
        ax.tick_params(labelsize=6.5)
    else:
        ax.set_title(
            f"{on_data('Wards left behind each year, by future', data)}\n"
            "solid: all left-behind wards; dashed: those left behind at the start\n"
            f"median and 5-95% band across {runs_phrase(drawn)}",
            fontsize=10,
        )
        scenarios = ordered_scenarios(drawn["scenario"].unique())
        handles = future_handles(scenarios, bool((drawn["year"] < policy_start).any()))
        handles += [
            Line2D([], [], color="0.2", linestyle="-", label="all left behind"),
            Line2D([], [], color="0.2", linestyle="--", label="of which left behind at start"),
        ]
        fig.legend(handles=handles, loc="outside lower center", ncol=4, fontsize=8, frameon=False)
    return fig


def sigma_figure(
    sigma_bands: pd.DataFrame,
    policy_start: int,
    measure: str = "imd_like",
    statistic: str = "sd",
    ax: Axes | None = None,
    data: str | None = None,
) -> Figure:
    """Sigma convergence: population-weighted dispersion of a composite across wards.

    Args:
        sigma_bands: :func:`lbn_sim.analysis.ensemble.sigma_bands` stacked with ``scenario``.
        policy_start: the first year of the futures' own levers.
        measure: composite (``imd_like`` or ``cni_like``).
        statistic: ``sd`` (the measure's points) or ``mean``.
        ax: draw into this axes instead of a new figure.
        data: the data the runs come from, in words (:func:`lbn_sim.compare.report.data_words`),
            named at the end of the title's first line; None, or drawing into ``ax``:
            not named.
    """
    table = band_rows(sigma_bands, "sigma_figure", measure=measure, statistic=statistic)
    fig, ax, small, fontsize = futures_axes(ax, table, policy_start)
    label = measure_label(measure)
    what = "Standard deviation" if statistic == "sd" else "Mean"
    ax.set_ylabel(f"{what} (points)", fontsize=fontsize)
    if small:
        ax.set_title(f"Dispersion of {label} across wards", fontsize=8)
        ax.tick_params(labelsize=6.5)
    else:
        ax.set_title(
            f"{on_data(f'Sigma convergence: {label}', data)}\n"
            f"population-weighted {what.lower()} of the {label} across all wards\n"
            f"median and 5-95% band across {runs_phrase(table)} per future "
            "(falling = wards converging)",
            fontsize=10,
        )
        scenarios = ordered_scenarios(table["scenario"].unique())
        handles = future_handles(scenarios, bool((table["year"] < policy_start).any()))
        fig.legend(handles=handles, loc="outside lower center", ncol=5, fontsize=8, frameon=False)
    return fig


def panel_figure(
    group_gap_bands: pd.DataFrame,
    count_bands: pd.DataFrame,
    policy_start: int,
    ward_bands: pd.DataFrame | None = None,
    sigma_bands: pd.DataFrame | None = None,
    measures: Sequence[str] = PANEL_MEASURES,
    title: str | None = None,
) -> Figure:
    """Small multiples on one A4 portrait page.

    Panels: the left-behind gap to England for each of ``measures`` present,
    the count of left-behind wards, the dispersion of the IMD-like score across
    wards (if ``sigma_bands`` has rows), the distribution of ward divergence (if
    ``ward_bands`` has rows); one shared legend.

    Returns:
        A figure of A4 size (8.27 x 11.69 inches).
    """
    present = [m for m in measures if m in set(group_gap_bands["measure"])]
    extra = ["counts"]
    if sigma_bands is not None and not sigma_bands.empty:
        extra.append("sigma")
    if ward_bands is not None and not ward_bands.empty:
        extra.append("wards")
    n_panels = len(present) + len(extra)
    n_rows = max(1, -(-n_panels // 2))
    fig = Figure(figsize=A4_PORTRAIT, layout="constrained")
    axes = fig.subplots(n_rows, 2, squeeze=False).ravel()
    for ax, measure in zip(axes, present, strict=False):
        gap_figure(group_gap_bands, measure, policy_start, ax=ax)
    rest = list(axes[len(present) :])
    left_behind_count_figure(count_bands, policy_start, ax=rest.pop(0))
    if "sigma" in extra and sigma_bands is not None:
        sigma_figure(sigma_bands, policy_start, ax=rest.pop(0))
    if "wards" in extra and ward_bands is not None:
        divergence_distribution_figure(ward_bands, ax=rest.pop(0))
    for ax in rest:
        ax.set_axis_off()
    scenarios = ordered_scenarios(count_bands["scenario"].unique())
    has_history = bool((count_bands["year"] < policy_start).any())
    fig.legend(
        handles=future_handles(scenarios, has_history),
        loc="outside lower center",
        ncol=5,
        fontsize=8,
        frameon=False,
    )
    fig.suptitle(
        title
        or (
            f"Left-behind wards under {len(scenarios)} future{'s' if len(scenarios) != 1 else ''}: "
            "gaps to England, counts and divergence\n"
            f"median and 5-95% band across {runs_phrase(count_bands)} per future"
        ),
        fontsize=10,
    )
    return fig
