"""The money figure: money per resident reaching wards by mechanism, one panel per start group.

Reads :func:`lbn_sim.analysis.money.per_head_by_group`'s table; never runs the model.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

#: Mechanisms of money reaching wards, in plotting order, with Okabe-Ito colours.
MECHANISM_COLOURS = {
    "ring_fenced": "#999999",
    "la_grant": "#0072B2",
    "competitive": "#E69F00",
    "formula": "#009E73",
    "devolved": "#CC79A7",
    "charity": "#56B4E9",
}
MECHANISM_LABELS = {
    "ring_fenced": "Ring-fenced grants (schools, health)",
    "la_grant": "Local authority core spending",
    "competitive": "Competitive pots",
    "formula": "Needs-based formula",
    "devolved": "Devolved community funds",
    "charity": "Charities",
}
#: Start groups, one panel each (the ward count is added from the data).
GROUP_TITLES = {
    "left_behind": "wards left behind in 2019",
    "other_deprived": "other deprived wards in 2019",
    "rest": "other wards (rest of England)",
}


def money_figure(per_head: pd.DataFrame, title: str) -> Figure:
    """Stacked areas of money per resident by mechanism, one panel per start group.

    ``per_head``: :func:`per_head_by_group`. The panels share the y axis (GBP per
    resident per year, from 0); the legend sits below them.
    """
    groups = [g for g in GROUP_TITLES if g in set(per_head["start_group"])]
    fig = Figure(figsize=(5 * len(groups), 4.8), layout="constrained")
    axes = list(fig.subplots(1, len(groups), sharey=True, squeeze=False)[0])
    for ax, group in zip(axes, groups, strict=True):
        sub = per_head[per_head["start_group"] == group]
        wide = sub.pivot_table(index="year", columns="mechanism", values="per_head", fill_value=0)
        mechanisms = [m for m in MECHANISM_COLOURS if m in wide.columns]
        ax.stackplot(
            wide.index,
            [wide[m] for m in mechanisms],
            labels=[MECHANISM_LABELS[m] for m in mechanisms],
            colors=[MECHANISM_COLOURS[m] for m in mechanisms],
            alpha=0.9,
        )
        n = int(sub["n_wards"].iloc[0]) if "n_wards" in sub and len(sub) else None
        ax.set_title(f"{n:,} {GROUP_TITLES[group]}" if n else GROUP_TITLES[group], fontsize=10)
        ax.set_xlabel("Year")
        ax.grid(alpha=0.3)
    axes[0].set_ylim(bottom=0)  # once, after every panel is drawn (the y axis is shared)
    axes[0].set_ylabel("GBP per resident per year")
    handles, names = axes[-1].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower center", ncol=3, fontsize=8, frameon=False)
    fig.suptitle(title)
    return fig
