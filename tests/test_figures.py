"""Figures checked by content: lines, bands, labels, titles, x-range, policy marker."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure

from lbn_sim.config import Config
from lbn_sim.plots import figures as fg

SCENARIOS = ("worst_case", "base_case", "best_case")
YEARS = np.arange(2019, 2051)
POLICY = 2025
SLOPE = {"worst_case": 0.4, "base_case": 0.0, "best_case": -0.6}
LEVEL = {"left_behind": 50.0, "other_deprived": 40.0, "england": 22.0}
OKABE_ITO = {c.lower() for c in fg.OKABE_ITO.values()}


def _series(scenario: str, level: float, slope: float) -> pd.DataFrame:
    after = np.clip(YEARS - POLICY + 1, 0, None)
    median = level + slope * after
    return pd.DataFrame(
        {
            "scenario": scenario,
            "year": YEARS,
            "n_runs": 10,
            "mean": median,
            "p05": median - 1.0,
            "median": median,
            "p95": median + 1.0,
        }
    )


def group_bands() -> pd.DataFrame:
    parts = []
    for s in SCENARIOS:
        for group, level in LEVEL.items():
            for measure in ("imd_like", "income_deprivation"):
                scale = 1.0 if measure == "imd_like" else 0.01
                slope = SLOPE[s] if group == "left_behind" else 0.0
                part = _series(s, level * scale, slope * scale)
                parts.append(part.assign(group=group, measure=measure))
    return pd.concat(parts, ignore_index=True)


def gap_bands() -> pd.DataFrame:
    parts = [
        _series(s, 28.0, SLOPE[s]).assign(measure=m, reference=r)
        for s in SCENARIOS
        for m in fg.PANEL_MEASURES
        for r in ("england", "other_deprived")
    ]
    return pd.concat(parts, ignore_index=True)


def count_bands() -> pd.DataFrame:
    parts = []
    for s in SCENARIOS:
        parts.append(_series(s, 225.0, -3 * SLOPE[s]).assign(measure="n_left_behind"))
        parts.append(_series(s, 225.0, -4 * SLOPE[s]).assign(measure="n_still_left_behind"))
    return pd.concat(parts, ignore_index=True)


def sigma_bands() -> pd.DataFrame:
    parts = [
        _series(s, 12.0, SLOPE[s] / 4).assign(measure="imd_like", statistic="sd") for s in SCENARIOS
    ]
    return pd.concat(parts, ignore_index=True)


def ward_bands(n_wards: int = 25) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    parts = []
    for s in SCENARIOS:
        change = rng.normal(SLOPE[s] * 20, 3.0, n_wards)
        parts.append(
            pd.DataFrame(
                {
                    "scenario": s,
                    "ward_code": [f"E05{i:06d}" for i in range(n_wards)],
                    "ward_name": [f"Place {i}" for i in range(n_wards)],
                    "la_code": "E06000001",
                    "start_group": "left_behind",
                    "measure": "imd_gap_change",
                    "n_runs": 10,
                    "mean": change,
                    "p05": change - 1,
                    "median": change,
                    "p95": change + 1,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def data_lines(ax: Axes) -> list:
    return [ln for ln in ax.lines if ln.get_gid() != fg.POLICY_GID]


def bands(ax: Axes) -> list:
    return [c for c in ax.collections if isinstance(c, PolyCollection)]


def policy_markers(ax: Axes) -> list:
    return [ln for ln in ax.lines if ln.get_gid() == fg.POLICY_GID]


def check_time_axes(ax: Axes) -> None:
    lo, hi = ax.get_xlim()
    assert lo <= YEARS.min() and hi >= YEARS.max()
    assert ax.get_xlabel() == "Year"
    markers = policy_markers(ax)
    assert len(markers) == 1
    assert list(markers[0].get_xdata()) == [POLICY, POLICY]
    assert any(f"policy start {POLICY}" in t.get_text() for t in ax.texts)


def test_trajectory_figure_draws_history_once_and_three_futures_per_group() -> None:
    fig = fg.trajectory_figure(group_bands(), "imd_like", POLICY)
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    lines = data_lines(ax)
    assert len(lines) == 3 * (1 + 3)  # per group: one shared history, three futures
    assert len(bands(ax)) == 3 * (1 + 3)
    check_time_axes(ax)
    history = [ln for ln in lines if ln.get_color() == fg.HISTORY_COLOUR]
    assert len(history) == 3
    assert all(max(ln.get_xdata()) == POLICY - 1 for ln in history)
    futures = [ln for ln in lines if ln.get_color() != fg.HISTORY_COLOUR]
    assert all(min(ln.get_xdata()) == POLICY - 1 for ln in futures)
    assert all(max(ln.get_xdata()) == YEARS.max() for ln in futures)
    assert {str(ln.get_color()).lower() for ln in lines} <= OKABE_ITO
    assert {ln.get_linestyle() for ln in lines} == {"-", "--", ":"}
    assert "IMD-like score" in ax.get_ylabel() and "points" in ax.get_ylabel()
    title = ax.get_title()
    assert "IMD-like" in title and "England" in title and "5-95%" in title
    legend_text = {t.get_text() for leg in fig.legends for t in leg.get_texts()}
    assert {"worst case", "base case", "best case", "shared history", "England"} <= legend_text


def test_trajectory_figure_indicator_unit_and_unknown_measure() -> None:
    fig = fg.trajectory_figure(group_bands(), "income_deprivation", POLICY)
    assert "0-1" in fig.axes[0].get_ylabel()
    with pytest.raises(ValueError, match="no rows"):
        fg.trajectory_figure(group_bands(), "crime", POLICY)


def test_without_history_only_futures_are_drawn() -> None:
    table = group_bands()
    fig = fg.trajectory_figure(table[table["year"] >= POLICY], "imd_like", POLICY)
    lines = data_lines(fig.axes[0])
    assert len(lines) == 3 * 3
    assert all(min(ln.get_xdata()) == POLICY for ln in lines)


def test_left_behind_count_figure() -> None:
    fig = fg.left_behind_count_figure(count_bands(), POLICY)
    (ax,) = fig.axes
    assert len(data_lines(ax)) == 2 * (1 + 3)
    assert len(bands(ax)) == 2 * (1 + 3)
    check_time_axes(ax)
    assert ax.get_ylabel() == "Left-behind wards (wards)"
    assert "left behind" in ax.get_title()
    assert ax.get_ylim()[0] == 0


def test_sigma_and_gap_figures() -> None:
    fig = fg.sigma_figure(sigma_bands(), POLICY)
    ax = fig.axes[0]
    assert len(data_lines(ax)) == 1 + 3
    check_time_axes(ax)
    assert "points" in ax.get_ylabel() and "Sigma convergence" in ax.get_title()
    fig = fg.gap_figure(gap_bands(), "imd_like", POLICY)
    ax = fig.axes[0]
    assert len(bands(ax)) == 1 + 3
    check_time_axes(ax)
    assert ax.get_ylabel() == "Gap to England (points)"


def test_divergence_distribution_figure() -> None:
    fig = fg.divergence_distribution_figure(ward_bands())
    (ax,) = fig.axes
    violins = bands(ax)
    assert len(violins) == 3
    assert [t.get_text() for t in ax.get_xticklabels()] == ["worst case", "base case", "best case"]
    assert "points" in ax.get_ylabel() and "gap" in ax.get_ylabel()
    assert "25 left-behind wards" in ax.get_title()
    # a scenario whose wards all moved alike gets a box but no violin
    flat = ward_bands()
    flat.loc[flat["scenario"] == "base_case", "median"] = 0.0
    assert len(bands(fg.divergence_distribution_figure(flat).axes[0])) == 2


def test_top_movers_figure_names_ten_leaps_and_ten_falls() -> None:
    table = ward_bands()
    fig = fg.top_movers_figure(table, n=10)
    assert len(fig.axes) == 3
    for ax, scenario in zip(fig.axes, SCENARIOS, strict=True):
        assert len(ax.patches) == 20
        labels = [t.get_text() for t in ax.get_yticklabels()]
        rows = table[table["scenario"] == scenario].sort_values("median")
        expected = set(rows["ward_name"].head(10)) | set(rows["ward_name"].tail(10))
        assert set(labels) == expected
        # the top of the plot is the biggest leap, the bottom the biggest fall
        ticks = dict(zip(labels, ax.get_yticks(), strict=True))
        best = rows.iloc[0]["ward_name"]
        worst = rows.iloc[-1]["ward_name"]
        assert ticks[best] == max(ticks.values())
        assert ticks[worst] == min(ticks.values())
        assert "points" in ax.get_xlabel()
        assert ax.get_title() == fg.scenario_label(scenario)
    assert "fare best" in fig.get_suptitle() and "fare worst" in fig.get_suptitle()


def test_top_movers_calls_a_block_leap_or_fall_only_when_every_gap_in_it_moved_so() -> None:
    table = ward_bands()
    table["median"] = np.abs(table["median"]) + 0.5  # every gap widened (as in the worst case)
    fig = fg.top_movers_figure(table, n=10)
    for ax in fig.axes:
        labels = sorted(t.get_text() for t in ax.texts if t.get_text().startswith("top "))
        assert labels == ["top 10 fall", "top 10 fared best"]


def test_top_movers_splits_small_groups_and_disambiguates_names() -> None:
    table = ward_bands(6)
    table["ward_name"] = "Central"
    table["la_code"] = [f"E0600000{i % 6}" for i in range(len(table))]
    fig = fg.top_movers_figure(table, n=10)
    ax = fig.axes[0]
    assert len(ax.patches) == 6
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(set(labels)) == 6 and all(lab.startswith("Central (") for lab in labels)


def test_top_movers_block_labels_sit_outside_the_plot_and_never_cover_a_bar() -> None:
    # every ward improved (as in the best case): the bars run to the right edge at 0, and
    # the lower block, whose gaps narrowed too, is not called a fall
    table = ward_bands()
    table["median"] = -np.abs(table["median"]) - 0.5
    table["p05"], table["p95"] = table["median"] - 1, table["median"] + 1
    fig = fg.top_movers_figure(table, n=10)
    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    page = fig.bbox
    for ax in fig.axes:
        plot = ax.get_window_extent(renderer)
        labels = [t for t in ax.texts if t.get_text().startswith("top ")]
        assert sorted(t.get_text() for t in labels) == ["top 10 fared worst", "top 10 leap"]
        for label in labels:
            box = label.get_window_extent(renderer)
            assert box.x0 >= plot.x1  # in the right margin, not on the plot
            assert page.x0 <= box.x0 and box.x1 <= page.x1  # and not cut off the page
            assert not any(box.overlaps(bar.get_window_extent(renderer)) for bar in ax.patches)
        fall, leap = sorted(labels, key=lambda t: t.get_text())
        # each label is centred level with its own block: leap above the split, fall below
        assert leap.get_window_extent(renderer).y0 > fall.get_window_extent(renderer).y1


def test_panel_fits_a4_and_has_small_multiples() -> None:
    fig = fg.panel_figure(
        gap_bands(), count_bands(), POLICY, ward_bands=ward_bands(), sigma_bands=sigma_bands()
    )
    width, height = fig.get_size_inches()
    assert width == pytest.approx(8.27) and height == pytest.approx(11.69)
    visible = [ax for ax in fig.axes if ax.axison]
    assert len(visible) == len(fg.PANEL_MEASURES) + 3
    for ax in visible[: len(fg.PANEL_MEASURES)]:
        assert len(bands(ax)) == 1 + 3
        check_time_axes(ax)
        assert ax.get_title() and ax.get_ylabel()
    assert fig.get_suptitle()


def test_save_figure_writes_png_and_svg(tmp_path: Path) -> None:
    fig = fg.trajectory_figure(group_bands(), "imd_like", POLICY)
    paths = fg.save_figure(fig, tmp_path / "figs", "trajectory_imd_like")
    assert [p.suffix for p in paths] == [".png", ".svg"]
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in paths[1].read_text()


def test_extra_scenarios_get_palette_colours() -> None:
    colours = fg.scenario_colours(["worst_case", "best_case", "lever_sweep"])
    assert colours["worst_case"] == fg.OKABE_ITO["vermillion"]
    assert colours["lever_sweep"].lower() in OKABE_ITO
    assert fg.ordered_scenarios(["best_case", "zeta", "worst_case"]) == [
        "worst_case",
        "best_case",
        "zeta",
    ]
    assert fg.history_scenario(["best_case", "worst_case"]) == "worst_case"


def test_run_figure_counts_the_groups_it_draws() -> None:
    """The run's indicators figure names each group with its own ward count (a small
    synthetic England has 9 left-behind wards, not 225)."""
    from lbn_sim.plots.run_figures import PANELS, indicators_figure

    rows = [
        {"year": y, "group": g, "n_wards": n, **{c: 1.0 for c in PANELS}}
        for y in (2019, 2020)
        for g, n in (("left_behind", 9), ("other_deprived", 21), ("england", 300))
    ]
    fig = indicators_figure(pd.DataFrame(rows), "base case", 2020)
    labels = [t.get_text() for legend in fig.legends for t in legend.get_texts()]
    assert labels == [
        "9 wards left behind in 2019",
        "21 other deprived wards in 2019",
        "England (300 wards)",
    ]
    assert "base case" in fig.get_suptitle() and "Scenario" not in fig.get_suptitle()


#: The longest data words a figure names (``lbn_sim.compare.report.data_words`` of the real data).
REAL = "the real data of England, IMD and CNI 2019 (7,421 wards)"


def _futures(table: pd.DataFrame, scenarios: tuple[str, ...]) -> pd.DataFrame:
    return table[table["scenario"].isin(scenarios)]


def _comparison_figures(data: str | None, scenarios: tuple[str, ...] = SCENARIOS) -> dict:
    """Every comparison figure drawn alone, the longest measure label and reference where
    the figure takes one; name -> figure."""
    groups = group_bands()
    longest = groups[groups["measure"] == "imd_like"].assign(measure="education_deprivation")
    groups = _futures(pd.concat([groups, longest], ignore_index=True), scenarios)
    wards = _futures(ward_bands(1234), scenarios)
    return {
        "trajectory": fg.trajectory_figure(groups, "education_deprivation", POLICY, data=data),
        "gap": fg.gap_figure(
            _futures(gap_bands(), scenarios),
            "education_deprivation",
            POLICY,
            reference="other_deprived",
            data=data,
        ),
        "count": fg.left_behind_count_figure(_futures(count_bands(), scenarios), POLICY, data=data),
        "sigma": fg.sigma_figure(_futures(sigma_bands(), scenarios), POLICY, data=data),
        "divergence": fg.divergence_distribution_figure(wards, data=data),
        "top_movers": fg.top_movers_figure(wards, data=data),
    }


def _title(fig: Figure) -> str:
    """The figure's own title: its suptitle, else its single axes' title."""
    return fig.get_suptitle() or fig.axes[0].get_title()


def test_comparison_figures_name_the_data_on_their_first_line() -> None:
    """The synthetic England is calibrated to the real headline numbers, so only the title
    tells a reader which data a figure shows."""
    named = _comparison_figures("the synthetic England (300 synthetic wards)")
    for name, fig in named.items():
        first = _title(fig).split("\n")[0]
        assert first.endswith(", on the synthetic England (300 synthetic wards)"), name
    for name, fig in _comparison_figures(None).items():
        assert ", on " not in _title(fig), name
    assert "Divergence of the 1,234 left-behind wards" in _title(named["divergence"])


@pytest.mark.parametrize("scenarios", [("best_case",), SCENARIOS])
def test_titles_naming_the_real_data_fit_their_figures(scenarios: tuple[str, ...]) -> None:
    """No title line is cut off the saved PNG, even with the longest data words, the
    longest measure label and a single future (the narrowest top-movers figure)."""
    for name, fig in _comparison_figures(REAL, scenarios).items():
        FigureCanvasAgg(fig).draw()
        renderer = fig.canvas.get_renderer()
        title = fig._suptitle if fig._suptitle is not None else fig.axes[0].title
        assert REAL in title.get_text(), name
        box = title.get_window_extent(renderer)
        assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1, name


@pytest.mark.slow
def test_run_figures_name_the_data(
    toy_cfg: Callable[..., Config], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The figures written with a run (``runner.write``) name the run's data and its
    number of wards in their titles; the first line fits the saved PNG."""
    from lbn_sim.plots import money as flows
    from lbn_sim.plots import run_figures as run_plots
    from lbn_sim.runs.runner import simulate, write

    cfg = toy_cfg("plots=true")
    result = simulate(cfg)
    drawn: dict[str, Figure] = {}

    def spy(name: str, draw: Callable[..., Figure]) -> Callable[..., Figure]:
        def drawing(*args: Any, **kwargs: Any) -> Figure:
            drawn[name] = draw(*args, **kwargs)
            return drawn[name]

        return drawing

    monkeypatch.setattr(
        run_plots, "indicators_figure", spy("indicators", run_plots.indicators_figure)
    )
    monkeypatch.setattr(flows, "money_figure", spy("money", flows.money_figure))
    for name, words in (
        ("synthetic", "the synthetic England (120 synthetic wards)"),
        ("england_2019", "the real data of England, IMD and CNI 2019 (120 wards)"),
    ):
        drawn.clear()
        data = dataclasses.replace(cfg.data, name=name, n_wards=None)
        write(result, dataclasses.replace(cfg, data=data), tmp_path / name)
        assert (tmp_path / name / "figures" / "money.png").is_file()
        assert sorted(drawn) == ["indicators", "money"]
        for fig in drawn.values():
            first = fig.get_suptitle().split("\n")[0]
            assert first.endswith(f"under the base case, on {words}"), first
            FigureCanvasAgg(fig).draw()
            box = fig._suptitle.get_window_extent(fig.canvas.get_renderer())
            assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1


def test_run_figures_do_not_reuse_the_futures_colours() -> None:
    """A run's group colours and the comparison's future colours never coincide, so a
    colour means one thing across a run's and a comparison's figures."""
    from lbn_sim.plots.parts import SCENARIO_COLOURS
    from lbn_sim.plots.run_figures import GROUP_COLOURS

    assert not set(GROUP_COLOURS.values()) & set(SCENARIO_COLOURS.values())
