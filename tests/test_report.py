"""The comparison report's sentences on hand-made band tables: title, counts, convergence
and the wards that leap and fall."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from tests.conftest import COMMIT, MADE_BY

from lbn_sim.analysis.ensemble import ScenarioEnsemble, with_closed_gaps, with_start_outside_rule
from lbn_sim.compare.code_sentence import CodeSentence, code_sentence
from lbn_sim.compare.report import (
    VariantResult,
    beta_clause,
    build_report,
    data_words,
    movers_sentence,
    report_title,
    scenario_sentences,
    turning_sentence,
)
from lbn_sim.plots.figures import ward_labels

START, POLICY, END = 2019, 2025, 2050
BRANCH = POLICY - 1  # the last year the futures share: "since the policy" is measured from it


def bands(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Band rows: each dict gives the keys and ``median`` (and optionally ``p05``, ``p95``;
    default the median, a zero-width band)."""
    out = []
    for row in rows:
        med = row["median"]
        out.append({"n_runs": 2, "mean": med, "p05": med, "p95": med, **row})
    return pd.DataFrame(out)


def ensemble(
    n_runs: int = 2,
    n_start: float = 9.0,
    still: float = 7.0,
    fallen: tuple[float, float, float] = (3.0, 3.0, 3.0),
    changes: dict[str, float] | None = None,
    slope: tuple[float, float, float] | None = None,
) -> ScenarioEnsemble:
    """One future's band tables. ``fallen`` and ``slope`` are ``(p05, median, p95)``;
    ``changes`` maps left-behind ward names to their median change of IMD-like gap."""
    gaps = bands(
        [
            {"year": y, "measure": m, "reference": r, "median": v}
            for y, v in ((START, 20.0), (END, 30.0))
            for m in ("imd_like", "cni_like")
            for r in ("england", "other_deprived")
        ]
    )
    lo, med, hi = fallen
    counts = bands(
        [
            {"year": START, "measure": "n_start_left_behind", "median": n_start},
            {"year": END, "measure": "n_still_left_behind", "median": still},
            {"year": END, "measure": "n_fallen_in", "median": med, "p05": lo, "p95": hi},
        ]
    )
    wards = pd.DataFrame()
    if changes is not None:
        wards = bands(
            [
                {
                    "ward_code": f"W{i}",
                    "ward_name": name,
                    "start_group": "left_behind",
                    "measure": "imd_gap_change",
                    "median": change,
                }
                for i, (name, change) in enumerate(changes.items())
            ]
            + [  # not left behind at the start: never a mover, however far it moved
                {
                    "ward_code": "X",
                    "ward_name": "Outsider",
                    "start_group": "rest",
                    "measure": "imd_gap_change",
                    "median": -50.0,
                }
            ]
        )
    sigma = pd.DataFrame()
    beta = pd.DataFrame()
    if slope is not None:
        sigma = bands(
            [
                {"year": y, "measure": "imd_like", "statistic": "sd", "median": v}
                for y, v in ((START, 12.0), (END, 14.0))
            ]
        )
        beta = beta_table(*slope)
    return ScenarioEnsemble(
        run_ids=tuple(f"r{i}" for i in range(n_runs)),
        groups=pd.DataFrame(),
        group_gaps=gaps,
        counts=counts,
        wards=wards,
        sigma=sigma,
        beta=beta,
    )


def beta_table(
    lo: float, med: float, hi: float, years: int = END - BRANCH, r2: float = 0.3
) -> pd.DataFrame:
    """Beta bands for the window from the last shared year: slope band, the implied speed,
    the fit's R² and the number of wards."""

    def speed(b: float) -> float:
        return -math.log(1 + b * years) / years

    window = {"measure": "imd_like", "year_from": BRANCH, "year_to": END}
    return bands(
        [
            {**window, "statistic": "slope", "median": med, "p05": lo, "p95": hi},
            # speed falls as the slope rises
            {**window, "statistic": "speed", "median": speed(med), "p05": speed(hi)}
            | {"p95": speed(lo)},
            {**window, "statistic": "r2", "median": r2, "p05": r2, "p95": r2},
            {**window, "statistic": "n", "median": 300.0, "p05": 300.0, "p95": 300.0},
        ]
    )


def report(ensembles: dict[str, ScenarioEnsemble]) -> str:
    return build_report([VariantResult("", ensembles, POLICY)], ["runs"])


def test_title_counts_the_futures() -> None:
    assert report_title(["best_case"]) == "Left-behind wards under one future: best case"
    assert report_title(["best_case", "worst_case"]) == "Left-behind wards under two futures"
    three = ["worst_case", "base_case", "best_case"]
    assert report_title(three) == "Left-behind wards under three futures"
    assert report({"best_case": ensemble()}).startswith(
        "# Left-behind wards under one future: best case\n"
    )
    everything = report({name: ensemble() for name in three})
    assert everything.startswith("# Left-behind wards under three futures\n")


def test_leap_lists_only_narrowed_gaps_and_fall_only_widened_ones() -> None:
    changes = {"Down5": -5.0, "Down1": -1.0, "Flat": 0.0, "Up2": 2.0, "Up8": 8.0}
    text = movers_sentence(ensemble(changes=changes).wards)
    assert text is not None
    leap, fall = text.split("; ")
    assert leap.endswith("are Down5 (-5.0), Down1 (-1.0)")
    assert fall == "those that fall furthest (gap rose most) are Up8 (8.0), Up2 (2.0)."
    assert "Flat" not in text and "Outsider" not in text


def test_when_no_gap_narrowed_or_widened_the_sentence_says_so() -> None:
    worse = movers_sentence(ensemble(changes={"A": 2.6, "B": 11.2}).wards)
    assert worse is not None
    assert worse.startswith(
        "No left-behind ward's IMD-like gap to England fell (median across runs); "
    )
    assert "leap" not in worse and "A (2.6)" in worse
    better = movers_sentence(ensemble(changes={"A": -0.5, "B": -7.0}).wards)
    assert better is not None
    assert better.endswith(
        "are B (-7.0), A (-0.5); no left-behind ward's gap rose (median across runs)."
    )
    assert "fall" not in better


def test_a_change_that_rounds_to_zero_is_no_leap() -> None:
    text = movers_sentence(ensemble(changes={"A": -0.04, "B": 3.0}).wards)
    assert text is not None and "A (" not in text
    assert text.startswith("No left-behind ward's IMD-like gap to England fell")


def test_one_run_one_ward_is_singular() -> None:
    text = report({"best_case": ensemble(n_runs=1, n_start=1, still=1, fallen=(1, 1, 1))})
    assert "Compared 1 run from" in text
    assert "between the 1 left-behind ward and England" in text
    assert "1 of the 1 is still left behind, and 1 other ward has fallen in." in text
    assert "there is no band for it: its numbers are that run's alone" in text
    assert "little more than the range" not in text
    plural = report({"best_case": ensemble(n_runs=2, n_start=9, still=0, fallen=(0, 2, 4))})
    assert "Compared 2 runs from" in plural
    assert "between the 9 left-behind wards and England" in plural
    assert "0 of the 9 are still left behind, and 2 (0-4) other wards have fallen in." in plural


def test_median_counts_print_as_whole_wards() -> None:
    # two runs, 2 and 3 wards fallen in: the median 2.5 is shown as a whole ward
    text = report({"worst_case": ensemble(still=6.5, fallen=(2.05, 2.5, 2.95))})
    assert "7 of the 9 are still left behind, and 3 (2-3) other wards have fallen in." in text


@pytest.mark.parametrize(
    ("slope", "verdict"),
    [
        (
            (0.016, 0.017, 0.018),
            "wards that started more deprived fare worse than the rest (falling behind)",
        ),
        (
            (-0.020, -0.019, -0.018),
            "wards that started more deprived fare better than the rest (catch-up)",
        ),
        ((-0.001, 0.0005, 0.002), "no clear catch-up or falling behind across runs"),
    ],
)
def test_beta_sentence_reads_the_levels_slope(
    slope: tuple[float, float, float], verdict: str
) -> None:
    clause = beta_clause(beta_table(*slope), BRANCH, END, branched=True)
    assert clause is not None
    assert f"From {BRANCH}, the last year the futures share, to {END} the beta" in clause
    assert "regressed on its 2024 score" in clause and "log" not in clause
    assert verdict in clause
    assert ("% a year" in clause) == (slope[2] < 0)  # a speed only for clear catch-up
    full = report({"worst_case": ensemble(slope=slope)})
    assert verdict in full


def test_a_slope_that_explains_nothing_is_not_called_catch_up() -> None:
    """Across many wards a clear but tiny slope (R² 0.002) is no rule of catch-up, even
    with a band clear of zero: the sentence says so and gives R² and the ward count."""
    clause = beta_clause(beta_table(-0.0012, -0.0009, -0.0006, r2=0.002), BRANCH, END)
    assert clause is not None
    assert "catch-up)" not in clause and "% a year" not in clause
    assert "explains almost none" in clause
    assert "R² 0.002" in clause and "across all 300 wards, unweighted" in clause
    strong = beta_clause(beta_table(-0.0012, -0.0009, -0.0006, r2=0.2), BRANCH, END)
    assert strong is not None and "(catch-up), at an implied convergence speed" in strong


def test_wards_sharing_a_name_are_told_apart_by_authority_or_code() -> None:
    wards = pd.DataFrame(
        {
            "ward_code": ["E05005096", "E05010938", "E05000001"],
            "ward_name": ["Northwood", "Northwood", "Grange"],
        }
    )
    labels = ward_labels(wards)
    assert labels["E05005096"] == "Northwood (E05005096)"
    assert labels["E05010938"] == "Northwood (E05010938)"
    assert labels["E05000001"] == "Grange"
    # With the local authority: its name is enough to tell most wards apart; the code is
    # added only where a name and authority are shared.
    wards["la_name"] = ["Hillingdon", "Three Rivers", "Lambeth"]
    labels = ward_labels(pd.concat([wards, wards.assign(ward_code="X1").tail(1)]))
    assert labels["E05005096"] == "Northwood, Hillingdon"
    assert labels["E05010938"] == "Northwood, Three Rivers"
    assert labels["E05000001"] == "Grange, Lambeth (E05000001)"
    assert labels["X1"] == "Grange, Lambeth (X1)"
    # A ward whose authority is not known (a run made before la_name was written) keeps
    # its own name, not "nan".
    wards.loc[2, "la_name"] = None
    assert ward_labels(wards)["E05000001"] == "Grange"


def test_few_runs_are_said_to_give_ranges_not_bands() -> None:
    few = report({"best_case": ensemble(n_runs=2)})
    assert "With two runs in the smallest future" in few
    many = report({"best_case": ensemble(n_runs=10)})
    assert "smallest future" not in many


def test_no_beta_sentence_without_the_window() -> None:
    assert beta_clause(beta_table(-0.02, -0.01, 0.0), START, END) is None
    assert beta_clause(pd.DataFrame(), POLICY, END) is None


def test_run_counts_say_when_wards_parquet_was_missing_for_some_runs() -> None:
    """Two runs, one without ``wards.parquet``: the spread and beta tables rest on one run
    only, and the run counts say so (they said "best case: 2" alone)."""
    full = ensemble(n_runs=2, slope=(-0.02, -0.019, -0.018), changes={"A": -1.0})
    assert "Runs per future: best case: 2; policy start" in report({"best_case": full})
    one = dataclasses.replace(
        full, sigma=full.sigma.assign(n_runs=1), beta=full.beta.assign(n_runs=1)
    )
    text = report({"best_case": one, "worst_case": full})
    assert (
        "Runs per future: worst case: 2, best case: 2 (the spread and beta convergence use 1 "
        "of them, the one with `wards.parquet`); policy start"
    ) in text
    none = dataclasses.replace(full, sigma=pd.DataFrame(), beta=pd.DataFrame())
    assert "best case: 2 (none has `wards.parquet`, so there is no spread or beta" in report(
        {"best_case": none}
    )
    # The wards that leap and fall need a ward summary (ward_summary.csv or wards.parquet).
    movers = dataclasses.replace(full, wards=full.wards.assign(n_runs=1))
    assert (
        "best case: 2 (the wards that leap and fall use 1, the one with `ward_summary.csv` "
        "or `wards.parquet`)"
    ) in report({"best_case": movers})


def test_first_paragraph_names_the_data_source() -> None:
    assert data_words("synthetic", 7421) == "the synthetic England (7,421 synthetic wards)"
    assert data_words("england_2019", 7421) == (
        "the real data of England, IMD and CNI 2019 (7,421 wards)"
    )
    assert data_words("synthetic") == "the synthetic England"
    assert data_words("elsewhere", 1) == "the data `elsewhere` (1 ward)"
    assert data_words(None, 30) is None

    def paragraph(*variants: VariantResult) -> str:
        return build_report(list(variants), ["runs"]).split("\n\n")[1]

    futures = {"best_case": ensemble()}
    real = VariantResult("", futures, POLICY, data_name="england_2019", n_wards=7421)
    assert paragraph(real).startswith(
        "Compared 2 runs on the real data of England, IMD and CNI 2019 (7,421 wards) from `runs`. "
    )
    synthetic = VariantResult("", futures, POLICY, data_name="synthetic", n_wards=300)
    assert paragraph(synthetic).startswith(
        "Compared 2 runs on the synthetic England (300 synthetic wards) from `runs`. "
    )
    unknown = VariantResult("", futures, POLICY)
    assert paragraph(unknown).startswith("Compared 2 runs from `runs`. ")
    both = paragraph(
        dataclasses.replace(synthetic, label="data.name=synthetic"),
        dataclasses.replace(real, label="data.name=england_2019"),
    )
    assert both.startswith(
        "Compared 4 runs from `runs`, on two data sources, each variant below on one: the "
        "synthetic England (300 synthetic wards); the real data of England, IMD and CNI 2019 "
        "(7,421 wards). "
    )


def test_identical_provenance_states_the_code_once() -> None:
    same = code_sentence([MADE_BY, dict(MADE_BY)])
    assert same == CodeSentence("Made by lbn_sim 0.1.0 at commit 1a2b3c4.", differs=False)
    dirty = code_sentence([MADE_BY | {"git_dirty": True}] * 2)
    assert dirty is not None and not dirty.differs
    assert dirty.text == (
        "Made by lbn_sim 0.1.0 at commit 1a2b3c4 with uncommitted changes (which may differ "
        "between runs)."
    )
    one = code_sentence([MADE_BY | {"git_dirty": True}])
    assert one is not None and one.text.endswith("with uncommitted changes.")
    # An installed wheel: no commit to name.
    wheel = code_sentence([MADE_BY | {"git_commit": None, "git_dirty": None}])
    assert wheel == CodeSentence("Made by lbn_sim 0.1.0.", differs=False)


def test_no_provenance_says_nothing() -> None:
    assert code_sentence([None, None]) is None
    assert code_sentence([]) is None


def test_provenance_that_differs_is_a_warning_naming_each_value() -> None:
    other = "5d6e7f8a" + COMMIT[8:]
    runs = [MADE_BY] * 6 + [MADE_BY | {"git_commit": other}] * 2
    warning = code_sentence(runs)
    assert warning == CodeSentence(
        "The runs were made by different code: git_commit 1a2b3c4 (6 runs), 5d6e7f8 (2 runs); "
        "their differences are not only the seeds'.",
        differs=True,
    )
    # Every key is compared: a dirty checkout, a library, a key only some files have.
    mixed = code_sentence(
        [MADE_BY, MADE_BY | {"git_dirty": True, "numpy": "1.26.4", "blas": "openblas"}]
    )
    assert mixed is not None and mixed.differs
    assert mixed.text == (
        "The runs were made by different code: git_dirty false (1 run), true (1 run); numpy "
        "1.26.4 (1 run), 2.1.0 (1 run); blas openblas (1 run), unknown (1 run); their "
        "differences are not only the seeds'."
    )
    # Commits sharing their first 7 characters are shown long enough to tell apart.
    twin = COMMIT[:9] + "f" + COMMIT[10:]
    told = code_sentence([MADE_BY, MADE_BY | {"git_commit": twin}])
    assert told is not None and "git_commit 1a2b3c4d5e (1 run), 1a2b3c4d5f (1 run);" in told.text


def test_some_runs_without_provenance_may_be_other_code() -> None:
    maybe = code_sentence([MADE_BY, MADE_BY, None])
    assert maybe == CodeSentence(
        "The runs may have been made by different code: 1 of the 3 runs has no "
        "provenance.json (code unknown); their differences may not be only the seeds'.",
        differs=True,
    )
    both = code_sentence([MADE_BY, MADE_BY | {"lbn_sim": "0.2.0"}, None, None])
    assert both is not None and both.text == (
        "The runs were made by different code: 2 of the 4 runs have no provenance.json (code "
        "unknown); lbn_sim 0.1.0 (1 run), 0.2.0 (1 run); their differences are not only the "
        "seeds'."
    )


def test_the_code_sentence_follows_the_runs_compared() -> None:
    futures = {"best_case": ensemble()}

    def paragraph(code: CodeSentence | None) -> str:
        return build_report([VariantResult("", futures, POLICY)], ["runs"], code=code)

    same = paragraph(code_sentence([MADE_BY]))
    assert "Compared 2 runs from `runs`. Made by lbn_sim 0.1.0 at commit 1a2b3c4. Every " in same
    warning = paragraph(code_sentence([MADE_BY, None]))
    assert (
        "Compared 2 runs from `runs`. **The runs may have been made by different code: 1 of the "
        "2 runs has no provenance.json (code unknown); their differences may not be only the "
        "seeds'.** Every number"
    ) in warning
    assert "Compared 2 runs from `runs`. Every number" in paragraph(None)


def test_a_path_that_turns_back_before_the_horizon_is_told() -> None:
    """The headline compares the start and the horizon; a future whose count of wards left
    behind bottoms out and rises again, or whose gap narrows and widens, says where."""

    def with_paths(n_lb: list[float], gap: list[float]) -> ScenarioEnsemble:
        ens = ensemble()
        years = range(START, START + len(n_lb))
        counts = bands(
            [
                {"year": y, "measure": "n_left_behind", "median": v}
                for y, v in zip(years, n_lb, strict=True)
            ]
        )
        gaps = bands(
            [
                {"year": y, "measure": "imd_like", "reference": "england", "median": v}
                for y, v in zip(years, gap, strict=True)
            ]
        )
        return dataclasses.replace(ens, counts=pd.concat([ens.counts, counts]), group_gaps=gaps)

    end = START + 4
    stall = turning_sentence(
        with_paths([225, 100, 45, 50, 56], [24.0, 15.0, 9.0, 10.5, 11.0]), START + 1
    )
    assert stall == (
        f"The number of wards left behind is lowest in {START + 2} (45) and rises to 56 by "
        f"{end}; the IMD-like gap is lowest in {START + 2} (9.0) and rises to 11.0 by "
        f"{end} (medians across runs)."
    )
    # A turn smaller than 5 wards or 1 point, or a path that never turns, says nothing.
    assert (
        turning_sentence(with_paths([225, 100, 45, 47, 49], [24.0, 15.0, 9.0, 9.5, 9.9]), START + 1)
        is None
    )
    assert (
        turning_sentence(with_paths([225, 200, 150, 120, 100], [24, 20, 18, 15, 12]), START + 1)
        is None
    )
    worse = turning_sentence(
        with_paths([225, 225, 225, 225, 225], [24.0, 30.0, 33.0, 30.0, 28.0]), START + 1
    )
    assert worse is not None and f"highest in {START + 2} (33.0) and falls to 28.0" in worse
    # A gap that turns negative (a lead over England) is lowest where the lead is widest.
    lead = turning_sentence(
        with_paths([225, 100, 45, 45, 45], [24.0, 5.0, -6.0, -3.0, -1.0]), START + 1
    )
    assert lead is not None and f"gap is lowest in {START + 2} (-6.0) and rises to -1.0" in lead
    # A turn in the shared history (a recession before the policy start) is not told: with
    # the policy from START + 3, START + 2 is the last shared year.
    history = with_paths([225, 240, 250, 200, 150], [24.0, 30.0, 33.0, 25.0, 20.0])
    assert turning_sentence(history, START + 3) is None
    # A turn in the first policy year is told.
    first_year = turning_sentence(history, START + 2)
    assert first_year is not None and f"highest in {START + 2} (250)" in first_year
    # The same shape after the policy start is told.
    later = with_paths([225, 200, 240, 200, 150], [24.0, 20.0, 30.0, 25.0, 20.0])
    told = turning_sentence(later, START + 1)
    assert told is not None and f"highest in {START + 2} (240) and falls to 150" in told


def test_wards_that_closed_their_gap_for_good_are_counted() -> None:
    summary = pd.DataFrame(
        {
            "ward_code": ["A", "B", "C", "D"],
            "left_behind_start": [True, True, True, False],
            "imd_gap_closed_year": pd.array([2030, pd.NA, 2045, 2021], dtype="Int64"),
        }
    )
    counts = pd.DataFrame({"year": [2019, 2030, 2040, 2050]})
    got = with_closed_gaps(counts, summary)
    # D closed, but it was not left behind at the start; B never closed for good.
    assert list(got["n_gap_closed_for_good"]) == [0, 1, 1, 2]
    # Runs made before the column was written: no count, and no sentence.
    assert "n_gap_closed_for_good" not in with_closed_gaps(counts, summary.iloc[:, :2]).columns
    ens = ensemble()
    assert "for good" not in " ".join(scenario_sentences("worst_case", ens, POLICY))
    closed = bands([{"year": END, "measure": "n_gap_closed_for_good", "median": 2.0}])
    ens = dataclasses.replace(ens, counts=pd.concat([ens.counts, closed]))
    text = " ".join(scenario_sentences("worst_case", ens, POLICY))
    assert (
        "2 of the 9 have closed their own IMD-like gap to England for good (at or below "
        "England's mean from some year to 2050)." in text
    )
    none = bands([{"year": END, "measure": "n_gap_closed_for_good", "median": 0.0}])
    ens = dataclasses.replace(ensemble(), counts=pd.concat([ensemble().counts, none]))
    text = " ".join(scenario_sentences("worst_case", ens, POLICY))
    assert "None of the 9 has closed its own IMD-like gap to England for good" in text


def test_flagged_wards_outside_the_rule_at_the_start_are_told() -> None:
    # 20 wards: the rule's cut is rank 2 on both composites.
    n = 20
    imd_rank = np.arange(1, n + 1)
    cni_rank = np.arange(1, n + 1)
    flag = np.zeros(n, dtype=bool)
    flag[[0, 1, 5]] = True  # ward 5 (ranks 6 and 6) is flagged but outside the rule
    wards = pd.DataFrame(
        {
            "year": np.r_[np.full(n, 2019), np.full(n, 2020)],
            "imd_rank": np.r_[imd_rank, imd_rank],
            "cni_rank": np.r_[cni_rank, cni_rank],
            "left_behind": np.r_[flag, flag],
        }
    )
    counts = pd.DataFrame({"year": [2019, 2020]})
    assert list(with_start_outside_rule(counts, wards)["n_start_outside_rule"]) == [1, 1]
    ens = ensemble()
    assert "outside the model's own rule" not in " ".join(
        scenario_sentences("worst_case", ens, POLICY)
    )
    told = bands([{"year": START, "measure": "n_start_outside_rule", "median": 7.0}])
    ens = dataclasses.replace(ens, counts=pd.concat([ens.counts, told]))
    text = " ".join(scenario_sentences("worst_case", ens, POLICY))
    assert "(7 of the 9 are outside the model's own rule already in 2019" in text
