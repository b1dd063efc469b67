"""The figure written with every run: main indicators over time for the three groups.

Reads the group table only; never runs the model. Built on
:class:`~matplotlib.figure.Figure` directly (no pyplot state), with the labels
and units of the comparison figures (:mod:`lbn_sim.plots.parts`).
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from lbn_sim.plots.parts import PANEL_MEASURES, measure_label, measure_unit, on_data

#: Okabe-Ito colours, safe for colour-blind readers, and none of them a future's colour in
#: the comparison figures (vermillion, orange and green are the worst, base and best cases).
GROUP_COLOURS = {"left_behind": "#CC79A7", "other_deprived": "#0072B2", "england": "#000000"}
#: Indicators drawn, one panel each (labels and units from :data:`MEASURE_LABELS`).
PANELS = (*PANEL_MEASURES, "financial_stress", "funding_per_head")


def group_labels(groups: pd.DataFrame) -> dict[str, str]:
    """Legend label of each group, with its ward count in the first year (``n_wards``):
    ``"225 wards left behind in 2019"``, ``"England (7,421 wards)"``. The groups are
    fixed by the start year's status, so the labels name that year."""
    y0 = int(groups["year"].min())
    first = groups[groups["year"] == y0].set_index("group")["n_wards"]
    count = {g: f"{int(first[g]):,}" if g in first.index else "" for g in GROUP_COLOURS}
    return {
        "left_behind": f"{count['left_behind']} wards left behind in {y0}".strip(),
        "other_deprived": f"{count['other_deprived']} other deprived wards in {y0}".strip(),
        "england": f"England ({count['england']} wards)" if count["england"] else "England",
    }


def indicators_figure(
    groups: pd.DataFrame, future: str, policy_start: int, data: str | None = None
) -> Figure:
    """Small multiples of the main indicators by group, with the policy start marked.

    Args:
        groups: ``groups.parquet`` (``year``, ``group``, ``n_wards`` and the
            :data:`PANELS` columns).
        future: the future's name as shown (``best case``).
        policy_start: year the future's levers start (dashed line).
        data: the data the run comes from, in words (``"the synthetic England (300
            synthetic wards)"``, see :func:`lbn_sim.compare.report.data_words`), named at the
            end of the title's first line; None: not named.
    """
    labels = group_labels(groups)
    fig = Figure(figsize=(16, 8), layout="constrained")
    axes = fig.subplots(2, 4, sharex=True)
    for ax, col in zip(axes.flat, PANELS, strict=True):
        for group, colour in GROUP_COLOURS.items():
            g = groups[groups["group"] == group]
            ax.plot(g["year"], g[col], color=colour, label=labels[group], lw=1.8)
        ax.axvline(policy_start, color="#999999", ls="--", lw=1)
        ax.set_title(measure_label(col), fontsize=10)
        ax.set_ylabel(measure_unit(col), fontsize=8)
        ax.grid(alpha=0.3)
    for ax in axes[-1]:
        ax.set_xlabel("Year")
    handles, names = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower center", ncol=3, fontsize=9, frameon=False)
    fig.suptitle(
        f"{on_data(f'Indicators by group under the {future}', data)}\n"
        f"one run; dashed line: policy start {policy_start}"
    )
    return fig
