"""The figure written with every run: main indicators over time for the three groups.

Reads the group table only; never runs the model.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

#: Okabe-Ito colours, safe for colour-blind readers.
GROUP_COLOURS = {"left_behind": "#D55E00", "other_deprived": "#0072B2", "england": "#000000"}
GROUP_LABELS = {
    "left_behind": "225 left-behind wards",
    "other_deprived": "Other deprived wards",
    "england": "England",
}
#: Panels: (column, title, unit).
PANELS = (
    ("imd_like", "IMD-like composite", "score (points)"),
    ("cni_like", "CNI-like composite", "score (points)"),
    ("income_deprivation", "Income deprivation", "share of residents"),
    ("employment_deprivation", "Employment deprivation", "share of working-age heads"),
    ("education_deprivation", "Education and skills deprivation", "index (0-1)"),
    ("health_deprivation", "Health deprivation", "index (0-1)"),
    ("financial_stress", "Financial stress", "index (0-1)"),
    ("funding_per_head", "Funding reaching wards", "GBP per resident per year"),
)


def indicators_figure(groups: pd.DataFrame, title: str, policy_start: int) -> Figure:
    """Small multiples of the main indicators by group, with the policy start marked."""
    fig, axes = plt.subplots(2, 4, figsize=(16, 7.5), sharex=True, constrained_layout=True)
    for ax, (col, name, unit) in zip(axes.flat, PANELS, strict=True):
        for group, colour in GROUP_COLOURS.items():
            g = groups[groups["group"] == group]
            ax.plot(g["year"], g[col], color=colour, label=GROUP_LABELS[group], lw=1.8)
        ax.axvline(policy_start, color="#999999", ls="--", lw=1)
        ax.set_title(name, fontsize=10)
        ax.set_ylabel(unit, fontsize=8)
        ax.grid(alpha=0.3)
    for ax in axes[-1]:
        ax.set_xlabel("year")
    axes.flat[0].legend(fontsize=8, loc="best")
    fig.suptitle(f"{title} (dashed line: policy start {policy_start})")
    return fig
