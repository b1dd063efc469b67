"""The palette, labels and drawing helpers every comparison figure shares.

Futures are coloured with the Okabe-Ito palette (worst case vermillion, base
case orange, best case bluish green; shared history black); groups are told
apart by line style; lines are across-run medians and shaded bands the 5-95%
range across runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.typing import LineStyleType

from lbn_sim.names import SUMMARY_GROUPS

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
EXTRA_COLOURS = (
    OKABE_ITO["blue"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["yellow"],
)
HISTORY_COLOUR = OKABE_ITO["black"]
GROUP_ORDER: tuple[str, ...] = SUMMARY_GROUPS
GROUP_STYLES: dict[str, LineStyleType] = {
    "left_behind": "-",
    "other_deprived": "--",
    "england": ":",
}
#: The groups are fixed by the wards' status at the start (the data year, 2019): a ward
#: that leaves the status stays in its group, so the labels say when.
GROUP_LABELS: dict[str, str] = {
    "left_behind": "wards left behind in 2019",
    "other_deprived": "other deprived wards in 2019",
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
    extra = iter(EXTRA_COLOURS * (1 + len(names) // len(EXTRA_COLOURS)))
    return {n: SCENARIO_COLOURS[n] if n in SCENARIO_COLOURS else next(extra) for n in names}


def history_scenario(names: Sequence[str]) -> str:
    """The scenario whose years before the policy start are drawn as the shared history:
    ``base_case`` when present, else the first in :func:`ordered_scenarios` order."""
    order = ordered_scenarios(names)
    if not order:
        raise ValueError("no scenario to draw")
    return "base_case" if "base_case" in order else order[0]


def runs_phrase(table: pd.DataFrame) -> str:
    """``10 runs`` or ``8-10 runs`` from the ``n_runs`` column of a band table."""
    if "n_runs" not in table or table.empty:
        return "runs"
    per = table.groupby("scenario")["n_runs"].max()
    lo, hi = int(per.min()), int(per.max())
    return f"{hi} run{'' if hi == 1 else 's'}" if lo == hi else f"{lo}-{hi} runs"


def on_data(line: str, data: str | None) -> str:
    """A title's first line naming the data the figure is drawn from: ``line`` with
    ``", on {data}"`` appended (``data``: the data source in words, as
    :func:`lbn_sim.compare.report.data_words` gives it), or ``line`` unchanged when None."""
    return line if data is None else f"{line}, on {data}"


def band_line(
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


def draw_futures(
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
        band_line(ax, hist, HISTORY_COLOUR, linestyle, alpha, linewidth)
    junction = policy_start - 1 if not hist.empty else policy_start
    for name in scenarios:
        part = table[(table["scenario"] == name) & (table["year"] >= junction)]
        if not part.empty:
            band_line(ax, part, colours[name], linestyle, alpha, linewidth)


def policy_marker(ax: Axes, policy_start: int, fontsize: float = 8.0) -> None:
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


def year_axis(ax: Axes, table: pd.DataFrame, fontsize: float | None = None) -> None:
    ax.set_xlim(float(table["year"].min()), float(table["year"].max()))
    ax.set_xlabel("Year", fontsize=fontsize)
    ax.grid(True, color="0.9", linewidth=0.6)


def future_handles(scenarios: Sequence[str], has_history: bool) -> list[Line2D | Patch]:
    colours = scenario_colours(scenarios)
    handles: list[Line2D | Patch] = []
    if has_history:
        handles.append(Line2D([], [], color=HISTORY_COLOUR, label="shared history"))
    handles += [Line2D([], [], color=colours[s], label=scenario_label(s)) for s in scenarios]
    handles.append(Patch(color="0.6", alpha=0.4, label="5-95% band across runs"))
    return handles


def require_columns(table: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{what} needs column(s) {missing}; got {list(table.columns)}")


BAND_KEYS = ("scenario", "year", "median", "p05", "p95")


def band_rows(bands: pd.DataFrame, caller: str, **match: str) -> pd.DataFrame:
    """Rows of a bands table whose columns equal ``match``; a ValueError naming them if none."""
    require_columns(bands, [*BAND_KEYS, *match], caller)
    keep = np.ones(len(bands), dtype=bool)
    for column, value in match.items():
        keep &= (bands[column] == value).to_numpy()
    table = bands[keep]
    if table.empty:
        wanted = ", ".join(f"{k} {v!r}" for k, v in match.items())
        raise ValueError(f"{caller}: no rows for {wanted}")
    return table


def futures_axes(
    ax: Axes | None, table: pd.DataFrame, policy_start: int
) -> tuple[Figure, Axes, bool, float]:
    """A new figure (or the given panel axes) with the futures' median lines and bands drawn,
    the policy start marked and the year axis set; returns ``(fig, ax, small, fontsize)``."""
    fig, ax, small, fontsize = canvas(ax)
    draw_futures(ax, table, policy_start, "-", linewidth=1.2 if small else 1.6)
    policy_marker(ax, policy_start, fontsize=6.0 if small else 8.0)
    year_axis(ax, table, fontsize=fontsize)
    return fig, ax, small, fontsize


def canvas(ax: Axes | None) -> tuple[Figure, Axes, bool, float]:
    """A new 8 x 5 inch figure, or the given panel axes (small text); returns
    ``(fig, ax, small, fontsize)``."""
    if ax is None:
        fig = Figure(figsize=(8.0, 5.0), layout="constrained")
        return fig, fig.add_subplot(), False, 10.0
    return figure_of(ax), ax, True, 7.0


def figure_of(ax: Axes) -> Figure:
    fig = ax.get_figure()
    if not isinstance(fig, Figure):
        raise TypeError("axes is not attached to a figure")
    return fig


def ward_labels(wards: pd.DataFrame) -> pd.Series:
    """A label per ward code: the ward's name and its local authority's ('Bloomfield,
    Blackpool'), with its code when another ward in ``wards`` has the same label
    (England has nine wards called College); the name alone without an ``la_name``
    column (runs made before it was written), the code alone without a ``ward_name``."""
    table = wards.drop_duplicates("ward_code")
    codes = table["ward_code"].astype(str)
    if "ward_name" not in table.columns:
        return pd.Series(codes.to_numpy(), index=codes.to_numpy())
    names = table["ward_name"].astype(str)
    if "la_name" in table.columns:
        la = table["la_name"]
        known = la.notna().to_numpy() & ~la.astype(str).isin(["", "nan", "None"]).to_numpy()
        names = names.where(~known, names + ", " + la.astype(str))
    shared = names.duplicated(keep=False).to_numpy()
    text = [f"{n} ({c})" if d else n for n, c, d in zip(names, codes, shared, strict=True)]
    return pd.Series(text, index=codes.to_numpy())


def save_figure(fig: Figure, directory: Path, stem: str, dpi: int = 150) -> list[Path]:
    """Save ``fig`` as ``<directory>/<stem>.png`` and ``<stem>.svg`` (``dpi``: the PNG's
    resolution, and that of any part drawn as an image inside the SVG).

    Returns:
        The two paths written.
    """
    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / f"{stem}.png", directory / f"{stem}.svg"]
    fig.savefig(paths[0], dpi=dpi)
    fig.savefig(paths[1], dpi=dpi)
    return paths
