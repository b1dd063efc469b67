"""The one-page Markdown comparison report (``report.md``).

:func:`build_report` turns ensemble band tables into plain sentences with
their 5-95% bands and embeds figures by relative path. It returns text; the
caller writes it. Nothing here reads run directories or runs the model.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from lbn_sim.analysis import divergence as dv
from lbn_sim.analysis.ensemble import ScenarioEnsemble
from lbn_sim.compare.code_sentence import CodeSentence
from lbn_sim.compare.plan import PARAM_DRAW
from lbn_sim.data.sources import data_words
from lbn_sim.plots.figures import measure_label, ordered_scenarios, scenario_label, ward_labels

EMBEDDED_FIGURES: tuple[str, ...] = ("trajectory_imd_like", "left_behind_count")
"""Figures shown in the report itself (the others, the A4 panel included, are linked)."""

FIGURE_TITLES: dict[str, str] = {
    "trajectory_imd_like": "IMD-like score of the three groups under each future",
    "left_behind_count": "Number of left-behind wards under each future",
    "panel": "one-page panel",
    "divergence_distribution": "ward divergence",
    "top_movers": "wards that leap and fall most",
    "sigma_imd_like": "sigma convergence",
}


def _figure_title(key: str) -> str:
    if key in FIGURE_TITLES:
        return FIGURE_TITLES[key]
    if key.startswith("trajectory_"):
        return measure_label(key.removeprefix("trajectory_"))
    return key.replace("_", " ")


@dataclass(frozen=True, slots=True)
class VariantResult:
    """The ensembles of every future for one configuration variant.

    Attributes:
        label: the swept keys that define the variant (``""`` if nothing but the
            scenario and the seed was swept).
        ensembles: scenario name -> its :class:`~lbn_sim.analysis.ensemble.ScenarioEnsemble`.
        policy_start: the first year of the futures' own levers.
        figures: figure name -> PNG path relative to the report (those of
            :data:`EMBEDDED_FIGURES` are embedded, the others linked).
        data_name: the runs' ``data.name`` (None: not known, and not stated).
        n_wards: the number of wards the runs simulate (None: not known).
        spread: with parameter vectors pooled (``--pool param_draw``), how much of each
            headline's spread comes from them and how much from the seeds
            (:func:`lbn_sim.analysis.uncertainty.split_table`, rows ``(scenario,
            measure)``); None otherwise.
    """

    label: str
    ensembles: Mapping[str, ScenarioEnsemble]
    policy_start: int
    figures: Mapping[str, str] = field(default_factory=dict)
    data_name: str | None = None
    n_wards: int | None = None
    spread: pd.DataFrame | None = None

    @property
    def data(self) -> str | None:
        """The data source in words (:func:`data_words`), or None when not known."""
        return data_words(self.data_name, self.n_wards)


@dataclass(frozen=True, slots=True)
class SideBySide:
    """Every future of every variant together (a comparison with several variants).

    Attributes:
        figure: the side-by-side figure's PNG path relative to the report.
        summary: :func:`lbn_sim.plots.variants.variant_summary` (each line at its horizon).
    """

    figure: str
    summary: pd.DataFrame


def side_by_side_lines(side: SideBySide) -> list[str]:
    """The report's side-by-side section: a Markdown table of every future of every
    variant in the horizon year (medians with 5-95% bands) and the figure."""

    def cell(row: pd.Series, name: str, count: bool = False) -> str:
        band = Band(row[f"{name}_median"], row[f"{name}_p05"], row[f"{name}_p95"])
        return fmt_count_band(band) if count else fmt_band(band)

    years = sorted({int(y) for y in side.summary["year"]})
    when = f"in {years[0]}" if len(years) == 1 else "at its own horizon (year)"
    lines = [
        "## Side by side",
        "",
        f"Every future of every variant {when} (median and 5-95% band across runs): "
        "the left-behind wards' gaps to England (points) and the wards left behind.",
        "",
        "| future and variant | year | runs | IMD-like gap | CNI-like gap | still left behind "
        "| left behind in all |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for _, row in side.summary.iterrows():
        lines.append(
            f"| {row['line']} | {int(row['year'])} | {int(row['n_runs'])} "
            f"| {cell(row, 'imd_gap')} "
            f"| {cell(row, 'cni_gap')} | {cell(row, 'still_left_behind', count=True)} "
            f"| {cell(row, 'left_behind', count=True)} |"
        )
    return [*lines, "", f"![Futures and swept settings side by side]({side.figure})", ""]


@dataclass(frozen=True, slots=True)
class Band:
    """A median with its 5-95% band across runs (NaN when missing)."""

    median: float
    p05: float
    p95: float

    @property
    def missing(self) -> bool:
        """True when there is no value."""
        return not math.isfinite(self.median)


_NO_BAND = Band(math.nan, math.nan, math.nan)


def _band(table: pd.DataFrame, **where: object) -> Band:
    """The band of the single row of ``table`` matching ``where`` (column == value)."""
    if table.empty:
        return _NO_BAND
    mask = pd.Series(True, index=table.index)
    for col, value in where.items():
        if col not in table.columns:
            return _NO_BAND
        mask &= table[col] == value
    rows = table[mask]
    if rows.empty:
        return _NO_BAND
    row = rows.iloc[0]
    return Band(float(row["median"]), float(row["p05"]), float(row["p95"]))


def _num(value: float, digits: int) -> str:
    if not math.isfinite(value):
        return "n/a"
    text = f"{value:,.{digits}f}"
    return "0" if text.strip("-0.,") == "" else text


def _whole(value: float) -> int:
    """``value`` rounded to the nearest whole number, halves up (2.5 -> 3)."""
    return math.floor(value + 0.5)


def _count(value: float) -> str:
    """A count of wards or runs as a whole number (a median of an even number of runs
    can fall half-way: it is rounded half up)."""
    if not math.isfinite(value):
        return "n/a"
    return f"{_whole(value):,}"


def _plural(count: float, singular: str, plural: str | None = None) -> str:
    """``singular`` when ``count`` shows as 1 (see :func:`_count`), else ``plural``
    (default ``singular + "s"``)."""
    if math.isfinite(count) and _whole(count) == 1:
        return singular
    return plural if plural is not None else singular + "s"


_NUMBER_WORDS: tuple[str, ...] = (
    "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
)  # fmt: skip


def _number_word(n: int) -> str:
    """``3`` -> ``"three"`` up to ten, digits beyond."""
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else f"{n:,}"


def report_title(scenarios: Sequence[str]) -> str:
    """The report's heading: ``"... under one future: best case"`` for a single
    future, ``"... under three futures"`` for several."""
    names = ordered_scenarios(scenarios)
    if len(names) == 1:
        return f"Left-behind wards under one future: {scenario_label(names[0])}"
    return f"Left-behind wards under {_number_word(len(names))} futures"


def fmt_band(band: Band, digits: int = 1, unit: str = "") -> str:
    """``"X unit (5-95%: a to b)"``; the band is dropped when it rounds to zero width."""
    if band.missing:
        return "n/a"
    sep = "" if unit.startswith("%") else " "
    text = _num(band.median, digits) + (f"{sep}{unit}" if unit else "")
    lo, hi = _num(band.p05, digits), _num(band.p95, digits)
    if "n/a" not in (lo, hi) and lo != hi:
        text += f" (5-95%: {lo} to {hi})"
    return text


def fmt_count_band(band: Band) -> str:
    """``"N (a-b)"`` for counts of wards: the median and the band edges as whole wards
    (halves rounded up); the band is dropped when it rounds to zero width."""
    if band.missing:
        return "n/a"
    text = _count(band.median)
    lo, hi = _count(band.p05), _count(band.p95)
    if "n/a" not in (lo, hi) and lo != hi:
        text += f" ({lo}-{hi})"
    return text


def _years(ens: ScenarioEnsemble) -> tuple[int, int]:
    years = ens.group_gaps["year"]
    return int(years.min()), int(years.max())


def _movers(rows: pd.DataFrame, labels: pd.Series) -> str:
    """``"Name (change), ..."`` for the rows of a ward band table (``median`` column)."""
    return ", ".join(
        f"{labels[code]} ({_num(float(med), 1)})"
        for code, med in zip(rows["ward_code"], rows["median"], strict=True)
    )


def movers_sentence(ward_bands: pd.DataFrame, n: int = 3) -> str | None:
    """The left-behind wards whose IMD-like gap to England fell most and rose most.

    Only wards whose median change across runs (points, start to horizon) is below
    zero can "leap" and only those above zero can "fall" (a change that rounds to
    0.0 is neither); when none qualifies the
    sentence says so (of the medians: a ward can move the other way in one run).
    ``ward_bands``: :func:`lbn_sim.analysis.ensemble.ward_end_bands` of one future.
    Returns None when there is no ``imd_gap_change`` row.
    """
    movers = ward_bands[ward_bands["measure"] == "imd_gap_change"]
    if "start_group" in movers.columns:
        movers = movers[movers["start_group"] == "left_behind"]
    movers = movers[movers["median"].notna()]
    if movers.empty:
        return None
    labels = ward_labels(movers)
    # A change that rounds to 0.0 points is no move either way.
    leap = movers[movers["median"] <= -0.05].sort_values(["median", "ward_code"]).head(n)
    fall = movers[movers["median"] >= 0.05].sort_values(["median", "ward_code"])
    fall = fall.tail(n).iloc[::-1]
    if leap.empty:
        first = "no left-behind ward's IMD-like gap to England fell (median across runs)"
    else:
        first = (
            "the left-behind wards that leap furthest (IMD-like gap to England fell most, "
            f"median change across runs from start to horizon, points) are "
            f"{_movers(leap, labels)}"
        )
    if fall.empty:
        second = "no left-behind ward's gap rose (median across runs)"
    else:
        second = f"those that fall furthest (gap rose most) are {_movers(fall, labels)}"
    return f"{first[0].upper()}{first[1:]}; {second}."


#: Fewer runs a future than this and the report says its bands are no more than ranges.
FEW_RUNS = 10

#: Below this share of the variation in wards' change explained by their start score
#: (median ``r2`` across runs), the beta slope says nothing about catch-up.
MIN_BETA_R2 = 0.01


def beta_clause(
    beta_bands: pd.DataFrame, year_from: int, year_to: int, branched: bool = False
) -> str | None:
    """The beta-convergence sentence (no final full stop), or None without a slope.

    ``branched``: ``year_from`` is the last year the futures share (said in the sentence).

    The slope is of each ward's yearly change in IMD-like score (points a year)
    on its ``year_from`` score, across every ward, unweighted (levels, see
    :func:`lbn_sim.analysis.convergence.beta_convergence`), so its unit is per year. A
    band straddling zero is no clear result; so is a slope whose fit explains
    less than :data:`MIN_BETA_R2` of the variation (the sentence gives ``r2``);
    a negative slope is catch-up, at the implied convergence speed ``lambda``
    (% a year). It is about all wards, not the left-behind group's gap, which
    can widen while wards across England converge.
    """
    window = {"year_from": year_from, "year_to": year_to, "measure": "imd_like"}
    slope = _band(beta_bands, statistic="slope", **window)
    if slope.missing:
        return None
    speed = _band(beta_bands, statistic="speed", **window)
    r2 = _band(beta_bands, statistic="r2", **window)
    n = _band(beta_bands, statistic="n", **window)
    pct = Band(100 * speed.median, 100 * speed.p05, 100 * speed.p95)
    # Judged on R² as printed (3 decimals), so the verdict and the figure agree.
    weak = math.isfinite(r2.median) and round(r2.median, 3) < MIN_BETA_R2
    if weak:
        verdict = (
            "across England a ward's start score explains almost none of how its score then "
            "changes, so wards in general neither catch up nor fall behind (this is about "
            "all wards; the left-behind wards' own gap is given above)"
        )
    elif slope.p05 < 0 < slope.p95:
        verdict = "no clear catch-up or falling behind across runs"
    elif slope.median < 0:
        verdict = "wards that started more deprived fare better than the rest (catch-up)"
        if not pct.missing:
            verdict += (
                f", at an implied convergence speed of {fmt_band(pct, digits=2, unit='% a year')}"
            )
    elif slope.median > 0:
        verdict = "wards that started more deprived fare worse than the rest (falling behind)"
    else:
        verdict = "no catch-up or falling behind"
    across = f"all {_count(n.median)} wards" if not n.missing else "all wards"
    return (
        f"From {year_from}{', the last year the futures share,' if branched else ''} to "
        f"{year_to} the beta-convergence slope (each ward's yearly change "
        f"in IMD-like score regressed on its {year_from} score, across {across}, unweighted) "
        f"is {fmt_band(slope, digits=4)} per year, R² {fmt_band(r2, digits=3)}: {verdict}"
    )


def _sides_sentence(ens: ScenarioEnsemble, end: int, n_lb: str) -> str:
    """Which side drives the count still left behind (empty for runs without the counts)."""
    imd = _band(ens.counts, year=end, measure="n_still_imd_tenth")
    if imd.missing:
        return ""
    cni = _band(ens.counts, year=end, measure="n_still_cni_tenth")
    line = _band(ens.counts, year=end, measure="n_still_beyond_start_line")
    return (
        f" Of the {n_lb}, {fmt_count_band(imd)} {_plural(imd.median, 'is', 'are')} still in the "
        f"most deprived tenth on the IMD-like score alone and {fmt_count_band(cni)} on the "
        f"CNI-like score alone (read as the status is, on the mean of its last years; left "
        "behind takes both); "
        f"{fmt_count_band(line)} "
        f"{_plural(line.median, 'is', 'are')} at or above the {_years(ens)[0]} IMD-like score "
        f"of that tenth's cut read against {_years(ens)[0]}'s distribution, a fixed line that "
        "progress every ward shares crosses."
    )


def _count_sentence(ens: ScenarioEnsemble, label: str) -> str:
    """The gap of the left-behind wards to England and their counts, start to horizon."""
    start, end = _years(ens)
    gaps, counts = ens.group_gaps, ens.counts
    n_start = _band(counts, year=start, measure="n_start_left_behind")
    n_lb = _count(n_start.median)
    imd_end = _band(gaps, year=end, measure="imd_like", reference="england")
    imd_start = _band(gaps, year=start, measure="imd_like", reference="england")
    still = _band(counts, year=end, measure="n_still_left_behind")
    fallen = _band(counts, year=end, measure="n_fallen_in")
    wards = _plural(n_start.median, "ward")
    are = _plural(still.median, "is", "are")
    text = (
        f"By {end}, under {label}, the IMD-like gap between the {n_lb} left-behind {wards} "
        f"and England is {fmt_band(imd_end, unit='points')}, against {fmt_band(imd_start)} "
        f"in {start}; {fmt_count_band(still)} of the {n_lb} {are} still left behind, and "
        f"{fmt_count_band(fallen)} other "
        f"{_plural(fallen.median, 'ward has', 'wards have')} fallen in."
    )
    text += _sides_sentence(ens, end, n_lb)
    outside = _band(counts, year=start, measure="n_start_outside_rule")
    if not outside.missing and outside.p95 >= 0.5:
        text += (
            f" ({fmt_count_band(outside)} of the {n_lb} {_plural(outside.median, 'is', 'are')} "
            f"outside the model's own rule already in {start}: the published flag used a "
            "slightly different IMD, so about as many leave the status in the first year by "
            "a change of definition, in every future.)"
        )
    closed = _band(counts, year=end, measure="n_gap_closed_for_good")
    if not closed.missing:
        many = fmt_count_band(closed)
        who, has, its = (
            ("None", "has", "its")
            if many == "0"
            else (
                many,
                _plural(closed.median, "has", "have"),
                _plural(closed.median, "its", "their"),
            )
        )
        text += (
            f" {who} of the {n_lb} {has} closed {its} own IMD-like gap to England for good "
            f"(at or below England's mean from some year to {end})."
        )
    return text


#: A median path that turns back by at least this much before the horizon is reported:
#: wards left behind (wards) and the IMD-like gap to England (points).
TURN_WARDS = 5.0
TURN_POINTS = 1.0


def turning_sentence(ens: ScenarioEnsemble, policy_start: int) -> str | None:
    """Where the median count of wards left behind, or the median IMD-like gap to England,
    is lowest (or highest) strictly between the last shared year (the year before
    ``policy_start``) and the horizon and turns back
    by at least :data:`TURN_WARDS` wards (:data:`TURN_POINTS` points) by the horizon; None if
    neither.

    The headline compares the start and the horizon only; a future whose gains stall and
    reverse (or whose losses recover) would read the same without this sentence. Turns in
    the shared history (a recession's) are every future's, and not told.
    """
    start, end = _years(ens)
    first = dv.branch_year(start, policy_start)
    counts = ens.counts[ens.counts["measure"] == "n_left_behind"]
    gaps = ens.group_gaps
    gaps = gaps[(gaps["measure"] == "imd_like") & (gaps["reference"] == "england")]
    clauses = []
    for table, what, low, high, fmt, step in (
        (counts, "the number of wards left behind", "lowest", "highest", _count, TURN_WARDS),
        # Lowest and highest, not narrowest and widest: a gap below zero is a lead.
        (gaps, "the IMD-like gap", "lowest", "highest", lambda v: _num(v, 1), TURN_POINTS),
    ):
        path = table.set_index("year")["median"].sort_index().dropna()
        path = path[path.index >= first]
        if path.empty or end not in path.index:
            continue
        for turn, word in ((int(path.idxmin()), low), (int(path.idxmax()), high)):
            back = abs(path[end] - path[turn])
            if first < turn < end and back >= step:
                clauses.append(
                    f"{what} is {word} in {turn} ({fmt(path[turn])}) and "
                    f"{'rises' if path[end] > path[turn] else 'falls'} to {fmt(path[end])} "
                    f"by {end}"
                )
                break
    if not clauses:
        return None
    text = "; ".join(clauses)
    return f"{text[0].upper()}{text[1:]} (medians across runs)."


def scenario_sentences(name: str, ens: ScenarioEnsemble, policy_start: int) -> list[str]:
    """Headline sentences for one future (gaps, counts, convergence, top movers)."""
    start, end = _years(ens)
    gaps = ens.group_gaps
    cni_end = _band(gaps, year=end, measure="cni_like", reference="england")
    cni_start = _band(gaps, year=start, measure="cni_like", reference="england")
    od_end = _band(gaps, year=end, measure="imd_like", reference="other_deprived")
    turning = turning_sentence(ens, policy_start)
    out = [
        _count_sentence(ens, scenario_label(name)),
        *([turning] if turning else []),
        f"The CNI-like gap is {fmt_band(cni_end, unit='points')}, against "
        f"{fmt_band(cni_start)} in {start}; the IMD-like gap to the other deprived wards is "
        f"{fmt_band(od_end, unit='points')}.",
    ]
    if not ens.sigma.empty:
        sd0 = _band(ens.sigma, year=start, measure="imd_like", statistic="sd")
        sd1 = _band(ens.sigma, year=end, measure="imd_like", statistic="sd")
        if sd1.p05 <= sd0.median <= sd1.p95 and sd1.p05 < sd1.p95:
            trend = "shows no clear change"
        else:
            trend = "narrows" if sd1.median < sd0.median else "widens"
        text = (
            f"The population-weighted standard deviation of IMD-like scores across all wards "
            f"goes from {fmt_band(sd0)} in {start} to {fmt_band(sd1, unit='points')} in {end}: "
            f"the spread {trend}"
        )
        branch = dv.branch_year(start, policy_start)
        t1 = branch if start < branch < end else start
        beta = beta_clause(ens.beta, t1, end, branched=t1 != start)
        if beta is not None:
            text += ". " + beta
        out.append(text + ".")
    if not ens.wards.empty:
        movers = movers_sentence(ens.wards)
        if movers is not None:
            out.append(movers)
    return out


def _runs_with_values(table: pd.DataFrame) -> int:
    """The runs a band table was computed from (its largest ``n_runs``; 0 when empty)."""
    if table.empty or "n_runs" not in table.columns:
        return 0
    return int(table["n_runs"].max())


def partial_runs(ens: ScenarioEnsemble) -> str | None:
    """Which results of a future rest on fewer runs than it has, or None when none does.

    The spread across wards (sigma) and beta convergence need each run's
    ``wards.parquet``; the wards that leap and fall need its ``ward_summary.csv`` (or
    ``wards.parquet``). A run whose files were deleted still counts in the group means.
    """
    n = ens.n_runs
    convergence = max(_runs_with_values(ens.sigma), _runs_with_values(ens.beta))
    movers = _runs_with_values(ens.wards)
    parts = []
    for used, none, some in (
        (
            convergence,
            "none has `wards.parquet`, so there is no spread or beta convergence",
            f"the spread and beta convergence use {convergence} of them, the "
            f"{_plural(convergence, 'one', 'ones')} with `wards.parquet`",
        ),
        (
            movers,
            "none has a ward summary, so no ward is named",
            f"the wards that leap and fall use {movers}, the "
            f"{_plural(movers, 'one', 'ones')} with `ward_summary.csv` or `wards.parquet`",
        ),
    ):
        if used == 0:
            parts.append(none)
        elif used < n:
            parts.append(some)
    return "; ".join(parts) or None


def _pooled_phrase(pooled: Sequence[str]) -> str:
    """What the runs of one future differ in: seeds, and draws of any pooled keys."""
    if not pooled:
        return "seeds"
    return "seeds and draws of " + ", ".join(f"`{k}`" for k in pooled)


#: What the report calls each headline it splits, with its unit (``{end}``: the horizon).
SPLIT_LABELS: dict[str, tuple[str, str]] = {
    "gap_end": ("IMD-like gap to England in {end}", "points"),
    "still_left_behind": ("still left behind in {end}", "wards"),
}


def spread_lines(variant: VariantResult) -> list[str]:
    """The variant's section on where its headlines' spread comes from (empty without a
    split): a table per future and headline of the standard deviation from the parameter
    vectors and from the seeds, and the vectors' share of the variance."""
    split = variant.spread
    if split is None or split.empty:
        return []
    lines = [
        "How much of each headline's spread comes from the model's parameters and how much "
        "from the seeds (one-way analysis of variance over the parameter vectors, each "
        "vector's seeds as replicates: the seeds' part is the mean variance within a vector, "
        "the parameters' the variance of the vectors' means less what the seeds explain of "
        "it; each given as a standard deviation in the figure's unit, with the parameters' "
        "share of the variance):",
        "",
        "| future | figure | from parameters (sd) | from seeds (sd) | parameters' share "
        "| vectors |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    short = False
    for name in ordered_scenarios(list(dict.fromkeys(split.index.get_level_values(0)))):
        end = _years(variant.ensembles[name])[1] if name in variant.ensembles else "horizon"
        for measure, (what, unit) in SPLIT_LABELS.items():
            if (name, measure) not in split.index:
                continue
            row = split.loc[(name, measure)]
            n = int(row["n_draws"])
            short = short or n < 2
            share = row["param_share"]
            if math.isfinite(share):
                share_text = f"{100 * share:.0f}%"
            else:  # no split, or no spread to split (every run the same)
                share_text = "n/a" if n < 2 else "no spread"
            lines.append(
                f"| {scenario_label(name)} | {what.format(end=end)} ({unit}) "
                f"| {_num(row['param_sd'], 2)} | {_num(row['seed_sd'], 2)} | {share_text} "
                f"| {n} |"
            )
    lines.append("")
    if short:
        lines += [
            "Where a split is n/a, fewer than two parameter vectors were run with at least "
            "two seeds each: the split needs both.",
            "",
        ]
    return lines


def bands_sentence(pooled: Sequence[str], param_draws: int | None = None) -> str:
    """What the bands carry, true for what was pooled: the seeds' draws always; with
    ``param_draw`` pooled (``param_draws`` vectors), the parameters' uncertainty the
    calibration leaves; with only some ``params.*`` keys pooled, theirs and not the others'."""
    if PARAM_DRAW in pooled:
        others = [k for k in pooled if k != PARAM_DRAW]
        also = f" and in the draws of {', '.join(f'`{k}`' for k in others)}" if others else ""
        many = "" if param_draws is None else f"{param_draws:,} "
        return (
            "The bands show how runs differ in their random draws and in the model's own "
            f"parameters{also}: each run takes one of {many}parameter vectors of the "
            "calibration's accepted set (`param_draw`, `docs/calibration.md`), so the bands "
            "carry the uncertainty in the parameters that the calibration's targets leave, "
            "as well as the seeds'; below each variant's futures, a table says how much of "
            "each headline's spread comes from each."
        )
    params = [k for k in pooled if k == "params" or k.startswith("params.")]
    if params:
        return (
            "The bands show how runs differ in their random draws and in the pooled keys: "
            f"they carry the uncertainty in {', '.join(f'`{k}`' for k in params)} but leave "
            "out that in the model's other parameters (`param_draw` pooled carries all of "
            "them: see `docs/calibration.md`)."
        )
    return (
        "The bands show how runs differ in their random draws (and in any pooled keys): they "
        "leave out the uncertainty in the model's own parameters (`experiments/` screens how "
        "far the levers move the results)."
    )


def build_report(
    variants: Sequence[VariantResult],
    sources: Sequence[str],
    tables: Sequence[str] = (),
    title: str | None = None,
    pooled: Sequence[str] = (),
    notes: Sequence[str] = (),
    code: CodeSentence | None = None,
    side_by_side: SideBySide | None = None,
    param_draws: int | None = None,
) -> str:
    """The Markdown text of the comparison report.

    Args:
        variants: one entry per configuration variant (usually one).
        sources: the directories the runs were found in (shown as given).
        tables: relative paths of the tables written (linked at the end).
        title: first heading; default :func:`report_title` of the futures compared.
        pooled: swept keys whose draws were pooled with the seeds (named in the text).
        notes: sentences stated before anything else (an incomplete sweep, say).
        code: the code that made the runs (:func:`code_sentence`), stated after the runs
            compared (in bold when they were made by different code); None: not stated.
        side_by_side: every future of every variant together, as a section before the
            variants' own (None: one variant, no such section).
        param_draws: how many parameter vectors (``param_draw``) the runs take, when that
            key is pooled (said in :func:`bands_sentence`).
    """
    if title is None:
        title = report_title(sorted({str(n) for v in variants for n in v.ensembles}))
    lines = [f"# {title}", ""]
    for note in notes:
        lines += [f"**{note}**", ""]
    n_runs = sum(e.n_runs for v in variants for e in v.ensembles.values())
    data = list(dict.fromkeys(v.data for v in variants))
    one_source = len(data) == 1
    found = f"from {', '.join(f'`{s}`' for s in sources)}"
    if one_source and data[0] is not None:
        found = f"on {data[0]} {found}"
    elif not one_source:
        known = [d for d in data if d is not None] + (["unknown data"] if None in data else [])
        found += (
            f", on {_number_word(len(data))} data sources, each variant below on one: "
            + "; ".join(known)
        )
    made_by = ""
    if code is not None:
        made_by = (f"**{code.text}**" if code.differs else code.text) + " "
    lines += [
        f"Compared {n_runs} {_plural(n_runs, 'run')} {found}. {made_by}Every number is the median "
        f"across runs ({_pooled_phrase(pooled)}) with its 5-95% band; a gap is the "
        "left-behind wards' population-weighted mean minus England's (positive: more "
        "deprived). Years before the policy start are shared by every future. A band is left "
        f"out where it rounds to the median itself. {bands_sentence(pooled, param_draws)}",
        "",
    ]
    fewest = min((e.n_runs for v in variants for e in v.ensembles.values()), default=0)
    if fewest == 1:
        lines += [
            "With one run in the smallest future there is no band for it: its numbers are "
            f"that run's alone; {FEW_RUNS} or more seeds a future make the bands worth reading.",
            "",
        ]
    elif 0 < fewest < FEW_RUNS:
        lines += [
            f"With {_number_word(fewest)} {_plural(fewest, 'run')} in the smallest future, a "
            "5-95% band is little more than the range of those runs, not an interval to rely "
            f"on; {FEW_RUNS} or more seeds a future make the bands worth reading.",
            "",
        ]
    if side_by_side is not None:
        lines += side_by_side_lines(side_by_side)
    for variant in variants:
        if variant.label:
            lines += [f"## {variant.label}", ""]
        names = ordered_scenarios(list(variant.ensembles))
        counts = []
        for n in names:
            count = f"{scenario_label(n)}: {variant.ensembles[n].n_runs}"
            partial = partial_runs(variant.ensembles[n])
            counts.append(count + (f" ({partial})" if partial else ""))
        data_note = "" if one_source or variant.data is None else f"; data: {variant.data}"
        lines += [
            f"Runs per future: {', '.join(counts)}; policy start {variant.policy_start}"
            f"{data_note}.",
            "",
        ]
        for name in names:
            sentences = scenario_sentences(name, variant.ensembles[name], variant.policy_start)
            lines += [f"- **{scenario_label(name).capitalize()}.** " + " ".join(sentences)]
        lines.append("")
        lines += spread_lines(variant)
        embedded = [k for k in EMBEDDED_FIGURES if k in variant.figures]
        for key in embedded:
            lines += [f"![{_figure_title(key)}]({variant.figures[key]})", ""]
        others = [(k, p) for k, p in variant.figures.items() if k not in embedded]
        if others:
            lines.append(
                "More figures: " + ", ".join(f"[{_figure_title(k)}]({p})" for k, p in others) + "."
            )
            lines.append("")
    if tables:
        lines.append("Tables (parquet and csv): " + ", ".join(f"[{t}]({t})" for t in tables) + ".")
        lines.append("")
    return "\n".join(lines)
