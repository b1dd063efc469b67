"""Comparison figures drawn from ensemble band tables (matplotlib, no pyplot state).

Every ``*_figure`` function takes tidy band tables (see :mod:`lbn_sim.ensemble`)
with an added ``scenario`` column, draws one :class:`matplotlib.figure.Figure`
and returns it; the caller saves it with :func:`save_figure` (PNG and SVG).
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

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.typing import LineStyleType

OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
"""The Okabe-Ito colour-blind-safe palette."""

SCENARIO_ORDER: tuple[str, ...] = ("worst_case", "base_case", "best_case")
SCENARIO_COLOURS: dict[str, str] = {
    "worst_case": OKABE_ITO["vermillion"],
    "base_case": OKABE_ITO["orange"],
    "best_case": OKABE_ITO["bluish_green"],
}
_EXTRA_COLOURS = (
    OKABE_ITO["blue"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["yellow"],
)
HISTORY_COLOUR = OKABE_ITO["black"]
GROUP_ORDER: tuple[str, ...] = ("left_behind", "other_deprived", "england")
GROUP_STYLES: dict[str, LineStyleType] = {
    "left_behind": "-",
    "other_deprived": "--",
    "england": ":",
}
GROUP_LABELS: dict[str, str] = {
    "left_behind": "left-behind wards",
    "other_deprived": "other deprived wards",
    "england": "England",
}

_SCORE = "score 0-1, higher is worse"
MEASURE_LABELS: dict[str, tuple[str, str]] = {
    "income_deprivation": ("Income deprivation", _SCORE),
    "employment_deprivation": ("Employment deprivation", _SCORE),
    "education_deprivation": ("Education and skills deprivation", _SCORE),
    "health_deprivation": ("Health deprivation", _SCORE),
    "crime": ("Crime", _SCORE),
    "housing_access_deprivation": ("Barriers to housing and services", _SCORE),
    "living_environment_deprivation": ("Living environment deprivation", _SCORE),
    "civic_assets_need": ("Civic assets need", _SCORE),
    "connectedness_need": ("Connectedness need", _SCORE),
    "engagement_need": ("Engaged community need", _SCORE),
    "financial_stress": ("Financial stress", _SCORE),
    "funding_per_head": ("Funding per head", "GBP per resident per year"),
    "imd_like": ("IMD-like score", "points, higher is more deprived"),
    "cni_like": ("CNI-like score", "points, higher is more need"),
    "population": ("Population", "persons"),
    "n_left_behind": ("Left-behind wards", "wards"),
}
"""Display name and unit of every measure."""

PANEL_MEASURES: tuple[str, ...] = (
    "imd_like",
    "cni_like",
    "income_deprivation",
    "employment_deprivation",
    "education_deprivation",
    "health_deprivation",
)
"""Measures whose left-behind gap to England fills the small-multiples panel."""

POLICY_GID = "policy_start"
A4_PORTRAIT = (8.27, 11.69)


def measure_label(measure: str) -> str:
    """Display name of a measure."""
    return MEASURE_LABELS.get(measure, (measure.replace("_", " ").capitalize(), ""))[0]


def measure_unit(measure: str) -> str:
    """Unit of a measure (empty when unknown)."""
    return MEASURE_LABELS.get(measure, ("", ""))[1]


def scenario_label(name: str) -> str:
    """``best_case`` -> ``best case``."""
    return name.replace("_", " ")


def ordered_scenarios(names: Iterable[object]) -> list[str]:
    """Scenario names in the order worst, base, best, then any other sorted."""
    present = {str(n) for n in names}
    known = [s for s in SCENARIO_ORDER if s in present]
    return known + sorted(present - set(SCENARIO_ORDER))


def scenario_colours(names: Sequence[str]) -> dict[str, str]:
    """A colour per scenario: the fixed future colours, then further Okabe-Ito colours."""
    extra = iter(_EXTRA_COLOURS * (1 + len(names) // len(_EXTRA_COLOURS)))
    return {n: SCENARIO_COLOURS[n] if n in SCENARIO_COLOURS else next(extra) for n in names}


def history_scenario(names: Sequence[str]) -> str:
    """The scenario whose years before the policy start are drawn as the shared history:
    ``base_case`` when present, else the first in :func:`ordered_scenarios` order."""
    order = ordered_scenarios(names)
    if not order:
        raise ValueError("no scenario to draw")
    return "base_case" if "base_case" in order else order[0]


def _runs_phrase(table: pd.DataFrame) -> str:
    """``10 runs`` or ``8-10 runs`` from the ``n_runs`` column of a band table."""
    if "n_runs" not in table or table.empty:
        return "runs"
    per = table.groupby("scenario")["n_runs"].max()
    lo, hi = int(per.min()), int(per.max())
    return f"{hi} run{'' if hi == 1 else 's'}" if lo == hi else f"{lo}-{hi} runs"


def _band_line(
    ax: Axes,
    series: pd.DataFrame,
    colour: str,
    linestyle: LineStyleType,
    alpha: float,
    linewidth: float = 1.6,
) -> None:
    """One median line and its 5-95% band from a table with ``year``, ``median``,
    ``p05``, ``p95`` (sorted by year here)."""
    s = series.sort_values("year")
    x = s["year"].to_numpy(dtype=float)
    ax.fill_between(
        x,
        s["p05"].to_numpy(dtype=float),
        s["p95"].to_numpy(dtype=float),
        color=colour,
        alpha=alpha,
        linewidth=0,
    )
    ax.plot(x, s["median"].to_numpy(dtype=float), color=colour, linestyle=linestyle, lw=linewidth)


def _draw_futures(
    ax: Axes,
    table: pd.DataFrame,
    policy_start: int,
    linestyle: LineStyleType = "-",
    alpha: float = 0.18,
    linewidth: float = 1.6,
) -> None:
    """Draw one series per scenario (``table`` has ``scenario``, ``year``, ``median``,
    ``p05``, ``p95``): the shared history (years < ``policy_start``) once in
    black, then each future from the last history year on."""
    scenarios = ordered_scenarios(table["scenario"].unique())
    if not scenarios:
        return
    colours = scenario_colours(scenarios)
    hist = table[(table["scenario"] == history_scenario(scenarios))]
    hist = hist[hist["year"] < policy_start]
    if not hist.empty:
        _band_line(ax, hist, HISTORY_COLOUR, linestyle, alpha, linewidth)
    junction = policy_start - 1 if not hist.empty else policy_start
    for name in scenarios:
        part = table[(table["scenario"] == name) & (table["year"] >= junction)]
        if not part.empty:
            _band_line(ax, part, colours[name], linestyle, alpha, linewidth)


def _policy_marker(ax: Axes, policy_start: int, fontsize: float = 8.0) -> None:
    """Vertical dashed line at ``policy_start`` with a text label."""
    ax.axvline(
        policy_start,
        color="0.35",
        linestyle=(0, (4, 2)),
        linewidth=1.0,
        gid=POLICY_GID,
        label=f"policy start ({policy_start})",
    )
    ax.annotate(
        f"policy start {policy_start}",
        xy=(policy_start, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(3, -3),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=fontsize,
        color="0.25",
    )


def _year_axis(ax: Axes, table: pd.DataFrame, fontsize: float | None = None) -> None:
    ax.set_xlim(float(table["year"].min()), float(table["year"].max()))
    ax.set_xlabel("Year", fontsize=fontsize)
    ax.grid(True, color="0.9", linewidth=0.6)


def _future_handles(scenarios: Sequence[str], has_history: bool) -> list[Line2D | Patch]:
    colours = scenario_colours(scenarios)
    handles: list[Line2D | Patch] = []
    if has_history:
        handles.append(Line2D([], [], color=HISTORY_COLOUR, label="shared history"))
    handles += [Line2D([], [], color=colours[s], label=scenario_label(s)) for s in scenarios]
    handles.append(Patch(color="0.6", alpha=0.4, label="5-95% band across runs"))
    return handles


def _require(table: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{what} needs column(s) {missing}; got {list(table.columns)}")


_BAND_KEYS = ("scenario", "year", "median", "p05", "p95")


def trajectory_figure(group_bands: pd.DataFrame, measure: str, policy_start: int) -> Figure:
    """The futures on one axes for the left-behind, other deprived and England groups.

    Args:
        group_bands: :func:`lbn_sim.ensemble.group_bands` of every scenario
            stacked, with a ``scenario`` column.
        measure: the indicator or composite to draw.
        policy_start: the year the futures branch (years before are shared).

    Returns:
        A figure with one axes: per group, one history line and one line per
        future (medians), each with a band, and the policy-start marker.
    """
    _require(group_bands, [*_BAND_KEYS, "group", "measure"], "trajectory_figure")
    table = group_bands[group_bands["measure"] == measure]
    if table.empty:
        raise ValueError(f"trajectory_figure: no rows for measure {measure!r}")
    fig = Figure(figsize=(9.0, 5.6), layout="constrained")
    ax = fig.add_subplot()
    groups = [g for g in GROUP_ORDER if g in set(table["group"])]
    for group in groups:
        _draw_futures(ax, table[table["group"] == group], policy_start, GROUP_STYLES[group])
    _policy_marker(ax, policy_start)
    _year_axis(ax, table)
    label, unit = measure_label(measure), measure_unit(measure)
    ax.set_ylabel(f"{label} ({unit})" if unit else label)
    scenarios = ordered_scenarios(table["scenario"].unique())
    futures = ", ".join(scenario_label(s) for s in scenarios)
    ax.set_title(
        f"{label}: left-behind wards, other deprived wards and England under {futures}\n"
        f"population-weighted group means; median and 5-95% band across "
        f"{_runs_phrase(table)} per future",
        fontsize=10,
    )
    handles = _future_handles(scenarios, bool((table["year"] < policy_start).any()))
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
) -> Figure:
    """The left-behind group's gap to a reference under every future.

    Args:
        group_gap_bands: :func:`lbn_sim.ensemble.group_gap_bands` stacked with a
            ``scenario`` column.
        measure: indicator or composite.
        policy_start: the year the futures branch.
        reference: ``england`` or ``other_deprived``.
        ax: draw into this axes (for panels) instead of a new figure.

    Returns:
        The figure holding the axes.
    """
    table = _band_rows(group_gap_bands, "gap_figure", measure=measure, reference=reference)
    fig, ax, small, fontsize = _futures_axes(ax, table, policy_start)
    label, unit = measure_label(measure), measure_unit(measure).split(",")[0]
    ref = GROUP_LABELS.get(reference, reference)
    ax.set_ylabel(f"Gap to {ref} ({unit})" if unit else f"Gap to {ref}", fontsize=fontsize)
    if small:
        ax.set_title(f"{label}: left-behind gap to {ref}", fontsize=8)
        ax.tick_params(labelsize=6.5)
    else:
        scenarios = ordered_scenarios(table["scenario"].unique())
        ax.set_title(
            f"{label}: gap between the left-behind wards and {ref} (left-behind minus {ref})\n"
            f"median and 5-95% band across {_runs_phrase(table)} per future",
            fontsize=10,
        )
        handles = _future_handles(scenarios, bool((table["year"] < policy_start).any()))
        fig.legend(handles=handles, loc="outside lower center", ncol=5, fontsize=8, frameon=False)
    return fig


def _band_rows(bands: pd.DataFrame, caller: str, **match: str) -> pd.DataFrame:
    """Rows of a bands table whose columns equal ``match``; a ValueError naming them if none."""
    _require(bands, [*_BAND_KEYS, *match], caller)
    keep = np.ones(len(bands), dtype=bool)
    for column, value in match.items():
        keep &= (bands[column] == value).to_numpy()
    table = bands[keep]
    if table.empty:
        wanted = ", ".join(f"{k} {v!r}" for k, v in match.items())
        raise ValueError(f"{caller}: no rows for {wanted}")
    return table


def _futures_axes(
    ax: Axes | None, table: pd.DataFrame, policy_start: int
) -> tuple[Figure, Axes, bool, float]:
    """A new figure (or the given panel axes) with the futures' median lines and bands drawn,
    the policy start marked and the year axis set; returns ``(fig, ax, small, fontsize)``."""
    fig, ax, small, fontsize = _canvas(ax)
    _draw_futures(ax, table, policy_start, "-", linewidth=1.2 if small else 1.6)
    _policy_marker(ax, policy_start, fontsize=6.0 if small else 8.0)
    _year_axis(ax, table, fontsize=fontsize)
    return fig, ax, small, fontsize


def _canvas(ax: Axes | None) -> tuple[Figure, Axes, bool, float]:
    """A new 8 x 5 inch figure, or the given panel axes (small text); returns
    ``(fig, ax, small, fontsize)``."""
    if ax is None:
        fig = Figure(figsize=(8.0, 5.0), layout="constrained")
        return fig, fig.add_subplot(), False, 10.0
    return _figure_of(ax), ax, True, 7.0


def _figure_of(ax: Axes) -> Figure:
    fig = ax.get_figure()
    if not isinstance(fig, Figure):
        raise TypeError("axes is not attached to a figure")
    return fig


def left_behind_count_figure(
    count_bands: pd.DataFrame, policy_start: int, ax: Axes | None = None
) -> Figure:
    """Number of left-behind wards over time under every future.

    Solid: every ward left behind that year (``n_left_behind``); dashed: those of
    them that were left behind at the start (``n_still_left_behind``).

    Args:
        count_bands: :func:`lbn_sim.ensemble.count_bands` stacked with ``scenario``.
        policy_start: the year the futures branch.
        ax: draw into this axes instead of a new figure.
    """
    _require(count_bands, [*_BAND_KEYS, "measure"], "left_behind_count_figure")
    fig, ax, small, fontsize = _canvas(ax)
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
            _draw_futures(ax, part, policy_start, style, linewidth=1.2 if small else 1.6)
    _policy_marker(ax, policy_start, fontsize=6.0 if small else 8.0)
    _year_axis(ax, drawn, fontsize=fontsize)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("Left-behind wards (wards)", fontsize=fontsize)
    if small:
        ax.set_title("Wards left behind (dashed: of those at start)", fontsize=8)
        ax.tick_params(labelsize=6.5)
    else:
        ax.set_title(
            "Number of wards classed left behind each year, by future\n"
            "solid: all left-behind wards; dashed: those left behind at the start; "
            f"median and 5-95% band across {_runs_phrase(drawn)}",
            fontsize=10,
        )
        scenarios = ordered_scenarios(drawn["scenario"].unique())
        handles = _future_handles(scenarios, bool((drawn["year"] < policy_start).any()))
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
) -> Figure:
    """Sigma convergence: population-weighted dispersion of a composite across wards.

    Args:
        sigma_bands: :func:`lbn_sim.ensemble.sigma_bands` stacked with ``scenario``.
        policy_start: the year the futures branch.
        measure: composite (``imd_like`` or ``cni_like``).
        statistic: ``sd`` (the measure's points) or ``cv`` (dimensionless).
        ax: draw into this axes instead of a new figure.
    """
    table = _band_rows(sigma_bands, "sigma_figure", measure=measure, statistic=statistic)
    fig, ax, small, fontsize = _futures_axes(ax, table, policy_start)
    label = measure_label(measure)
    what = "Standard deviation" if statistic == "sd" else "Coefficient of variation"
    unit = "points" if statistic == "sd" else "ratio"
    ax.set_ylabel(f"{what} ({unit})", fontsize=fontsize)
    if small:
        ax.set_title(f"Dispersion of {label} across wards", fontsize=8)
        ax.tick_params(labelsize=6.5)
    else:
        ax.set_title(
            f"Sigma convergence: population-weighted {what.lower()} of the {label} "
            f"across all wards\nmedian and 5-95% band across {_runs_phrase(table)} per future "
            "(falling = wards converging)",
            fontsize=10,
        )
        scenarios = ordered_scenarios(table["scenario"].unique())
        handles = _future_handles(scenarios, bool((table["year"] < policy_start).any()))
        fig.legend(handles=handles, loc="outside lower center", ncol=5, fontsize=8, frameon=False)
    return fig


def _ward_medians(ward_bands: pd.DataFrame, measure: str, start_group: str | None) -> pd.DataFrame:
    _require(ward_bands, ["scenario", "ward_code", "measure", "median"], "ward figure")
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
) -> Figure:
    """Distribution across wards of the change of their composite gap, per future.

    Each ward contributes its median across runs (``ward_bands['median']``).
    Violins (where a kernel density can be formed) with box plots on top; the
    line at 0 is no change, below 0 the ward closed on England.

    Args:
        ward_bands: :func:`lbn_sim.ensemble.ward_end_bands` stacked with ``scenario``.
        measure: ``imd_gap_change`` or ``cni_gap_change``.
        start_group: only wards of this start group (default the left-behind
            wards); None for every ward.
        ax: draw into this axes instead of a new figure.
    """
    table = _ward_medians(ward_bands, measure, start_group)
    small = ax is not None
    if ax is None:
        fig = Figure(figsize=(7.0, 5.0), layout="constrained")
        ax = fig.add_subplot()
    else:
        fig = _figure_of(ax)
    fontsize = 7.0 if small else 10.0
    scenarios = ordered_scenarios(table["scenario"].unique())
    colours = scenario_colours(scenarios)
    data = [
        table.loc[table["scenario"] == s, "median"].dropna().to_numpy(dtype=float)
        for s in scenarios
    ]
    positions = np.arange(1, len(scenarios) + 1, dtype=float)
    ax.axhline(0.0, color="0.5", linewidth=0.8, linestyle=(0, (2, 2)))
    for pos, values, name in zip(positions, data, scenarios, strict=True):
        if values.size >= 2 and float(np.ptp(values)) > 0:
            parts = ax.violinplot([values], positions=[pos], widths=0.8, showextrema=False)
            for body in cast(list[PolyCollection], parts["bodies"]):
                body.set_facecolor(colours[name])
                body.set_edgecolor(colours[name])
                body.set_alpha(0.35)
    ax.boxplot(
        [d if d.size else np.array([np.nan]) for d in data],
        positions=positions,
        widths=0.18,
        showfliers=False,
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
        ax.set_title(
            f"How far each of the {len(data[0]) if data else 0} {who} moved relative to "
            "England, by future\nward medians across runs; below 0 the ward closed on England",
            fontsize=10,
        )
    return fig


def _unique_labels(rows: pd.DataFrame) -> list[str]:
    """``ward_name``, with ``(la_code)`` appended where a name repeats."""
    names = rows["ward_name"].astype(str) if "ward_name" in rows else rows["ward_code"]
    dup = names.duplicated(keep=False)
    if "la_code" in rows:
        names = names.where(~dup, names + " (" + rows["la_code"].astype(str) + ")")
    return list(names)


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
) -> Figure:
    """The wards that diverge most under each future: top ``n`` leap and top ``n`` fall.

    Wards are ranked by their median change of the composite gap across runs:
    the ``n`` most negative (leap: the gap to England narrowed most, or widened
    least) on top, the ``n`` most positive (fall) below. Bars are green where the
    gap narrowed and vermillion where it widened; whiskers are the 5-95% range
    across runs. With fewer than ``2 n`` wards, each block gets half.

    Args:
        ward_bands: :func:`lbn_sim.ensemble.ward_end_bands` stacked with ``scenario``.
        n: wards per side.
        measure: ``imd_gap_change`` or ``cni_gap_change``.
        start_group: only wards of this start group (default left-behind); None for all.

    Returns:
        A figure with one axes per future, ``2 n`` horizontal bars each (fewer if
        the group is small), labelled with ward names.
    """
    table = _ward_medians(ward_bands, measure, start_group)
    scenarios = ordered_scenarios(table["scenario"].unique())
    height = max(4.5, 0.24 * 2 * n + 1.8)
    fig = Figure(figsize=(5.2 * len(scenarios), height), layout="constrained")
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
        ax.set_yticks(y, _unique_labels(shown), fontsize=7)
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
        f"The {who} that diverge most, by future: up to {n} that fare best (upper block) "
        f"and {n} that fare worst (lower block)\n"
        f"median change of the {_composite(measure)} gap to England from start to horizon; "
        "whiskers 5-95% across runs",
        fontsize=10,
    )
    fig.legend(
        handles=[
            Patch(color=OKABE_ITO["bluish_green"], label="gap to England narrowed"),
            Patch(color=OKABE_ITO["vermillion"], label="gap to England widened"),
        ],
        loc="outside lower center",
        ncol=2,
        fontsize=8,
        frameon=False,
    )
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
        handles=_future_handles(scenarios, has_history),
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
            f"median and 5-95% band across {_runs_phrase(count_bands)} per future"
        ),
        fontsize=10,
    )
    return fig


def save_figure(fig: Figure, directory: Path, stem: str, dpi: int = 150) -> list[Path]:
    """Save ``fig`` as ``<directory>/<stem>.png`` and ``<stem>.svg``.

    Returns:
        The two paths written.
    """
    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / f"{stem}.png", directory / f"{stem}.svg"]
    fig.savefig(paths[0], dpi=dpi)
    fig.savefig(paths[1])
    return paths
