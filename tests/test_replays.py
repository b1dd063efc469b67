"""The programme replays (issue 20, item 4): the named programme's money reaches exactly the
listed wards and is balanced in the ledger; comparators are matched outside the funded set;
both replay scripts run end to end at toy size and print the table."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest

from lbn_sim.config import Config
from lbn_sim.data.synthetic import generate_wards
from lbn_sim.engine.agents.accounts import EXTERNAL_SOURCES
from lbn_sim.engine.agents.named_programme import NamedProgrammeSpec, attach
from lbn_sim.engine.ledger import DELIVERED, conservation_errors
from lbn_sim.engine.model import LBNModel

EXPERIMENTS = Path(__file__).resolve().parents[1] / "experiments"


def _script(name: str) -> ModuleType:
    """An experiment script as a module (its folder on the path for ``_common``)."""
    if str(EXPERIMENTS) not in sys.path:
        sys.path.insert(0, str(EXPERIMENTS))
    return importlib.import_module(name)


def _delivered(model: LBNModel, year: int) -> pd.Series:
    """Pence each ward delivered as services in ``year`` (by ward code)."""
    f = model.ledger.flows()
    f = f[(f["year"] == year) & (f["destination"] == DELIVERED) & (f["purpose"] == "services")]
    return f.groupby(f["source"].astype(str))["pence"].sum()


def test_named_money_arrives_in_exactly_the_listed_wards_and_balances(
    toy_cfg: Callable[..., Config],
) -> None:
    cfg = toy_cfg("horizon=2023", "policy_start=2022")
    wards = generate_wards(n_wards=120, seed=0)
    listed = [str(c) for c in wards["ward_code"].iloc[[3, 50, 97]]]
    amounts = (100_000.0, 250_000.5, 1_234_567.89)
    spec = NamedProgrammeSpec(
        name="test",
        wards=tuple(listed),
        gbp_per_year=amounts,
        first_year=2020,
        years=3,
        purposes={"general": 0.4, "capacity_building": 0.35, "education": 0.25},
    )
    plain = LBNModel(cfg, wards)
    plain.run()
    funded = LBNModel(cfg, wards)
    attach(funded, [spec])
    funded.run()
    flows = funded.ledger.flows()
    out = flows[flows["source"] == "replay:test"]
    # Exactly the listed wards, each its amount in whole pence for each of the three years.
    by_ward = out.groupby(out["destination"].astype(str))["pence"].sum()
    assert sorted(by_ward.index) == sorted(listed)
    expected = {w: 3 * round(a * 100) for w, a in zip(listed, amounts, strict=True)}
    assert by_ward.to_dict() == expected
    assert sorted(out["year"].unique()) == [2020, 2021, 2022]
    assert set(out["mechanism"].astype(str)) == {"devolved"}
    # Central government funds the account with exactly what it pays out.
    into = flows[flows["destination"] == "replay:test"]
    assert set(into["source"].astype(str)) == {"central_government"}
    assert into["pence"].sum() == out["pence"].sum()
    # Every account balances, the programme's and the wards' included.
    errors = conservation_errors(flows, funded.ledger.balances(), set(EXTERNAL_SOURCES))
    assert errors.empty, errors
    # In the first year paid (same state before it), each listed ward delivers exactly its
    # payment more than without the programme, and no other ward delivers a penny more.
    gain = _delivered(funded, 2020).sub(_delivered(plain, 2020), fill_value=0)
    paid_2020 = {w: round(a * 100) for w, a in zip(listed, amounts, strict=True)}
    assert gain[gain != 0].to_dict() == paid_2020
    # After the programme, nothing more arrives; the start year is untouched.
    assert funded.history[0]["imd_like"].tobytes() == plain.history[0]["imd_like"].tobytes()
    assert not (flows[flows["year"] == 2023]["source"] == "replay:test").any()


def test_a_spec_refuses_unknown_purposes_repeats_and_absent_wards(
    toy_model: LBNModel,
) -> None:
    base = {"name": "x", "first_year": 2020, "years": 2}
    with pytest.raises(ValueError, match="unknown purposes"):
        NamedProgrammeSpec(wards=("a",), gbp_per_year=(1.0,), purposes={"housing": 1.0}, **base)
    with pytest.raises(ValueError, match="listed twice"):
        NamedProgrammeSpec(
            wards=("a", "a"), gbp_per_year=(1.0, 1.0), purposes={"general": 1.0}, **base
        )
    with pytest.raises(ValueError, match="sum to 1"):
        NamedProgrammeSpec(wards=("a",), gbp_per_year=(1.0,), purposes={"general": 0.5}, **base)
    spec = NamedProgrammeSpec(
        wards=("NOT_A_WARD",), gbp_per_year=(1.0,), purposes={"general": 1.0}, **base
    )
    with pytest.raises(ValueError, match="not in the run's ward table"):
        attach(toy_model, [spec])


def test_comparators_are_nearest_untreated_wards() -> None:
    replay = _script("_replay")
    wards = generate_wards(n_wards=300, seed=1)
    pool = replay.most_deprived(wards, "imd_score", 0.10)
    assert pool.sum() == 30
    treated = replay.draw_wards(wards, 8, pool, seed=3)
    assert len(set(treated)) == 8 and set(treated) <= set(wards["ward_code"][pool])
    assert treated == replay.draw_wards(wards, 8, pool, seed=3)  # seeded: the same draw
    comparators = replay.match_comparators(wards, treated, replay.IMD_COLUMNS)
    assert len(comparators) == len(set(comparators)) == 8
    assert not set(comparators) & set(treated)
    # Matched comparators are far closer to the funded wards in IMD score than England is.
    score = wards.set_index("ward_code")["imd_score"]
    gap = np.abs(score[treated].to_numpy() - score[comparators].to_numpy()).mean()
    assert gap < 0.25 * np.abs(score[treated].mean() - score.mean())


def test_matching_takes_the_exact_nearest_and_never_reuses_one() -> None:
    replay = _script("_replay")
    wards = pd.DataFrame(
        {
            "ward_code": ["T1", "A", "T2", "B", "C"],
            "population": [1000.0] * 5,
            "imd_score": [50.0, 49.0, 48.0, 10.0, 47.5],
        }
    )
    # T1 takes A (distance 1); T2's nearest, A, is taken, so it takes C (0.5 from T2).
    assert replay.match_comparators(wards, ["T1", "T2"], ("imd_score",)) == ["A", "C"]


@pytest.mark.parametrize(
    ("script", "outcomes", "n_areas"),
    [
        ("replay_ndc", ["worklessness", "education", "health", "crime"], 4),
        ("replay_big_local", ["engaged community", "civic assets"], 6),
    ],
)
def test_replay_scripts_run_at_toy_size_and_print_the_table(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    script: str,
    outcomes: list[str],
    n_areas: int,
) -> None:
    module = _script(script)
    out = tmp_path / "replay.csv"
    assert module.main(["--toy", "--seeds", "2", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert f"{n_areas} funded wards, {n_areas} matched comparators, 2 seed(s)" in text
    assert "ledger balanced in every run: True" in text
    planned = text.split("(planned ")[1].split("m)")[0]
    assert text.split("money paid per run GBP ")[1].startswith(planned)  # every pound paid
    table = [line for line in text.splitlines() if line.startswith("| ")]
    assert [line.split(" | ")[0].lstrip("| ") for line in table[1:]][1:] == outcomes + (
        ["place: feel part of the community"] if script == "replay_ndc" else ["connectedness"]
    )
    runs = pd.read_csv(out)
    assert set(runs["seed"]) == {0, 1}
    assert runs["did_relative"].notna().all()
    # The difference in differences is the treated change less the comparator change.
    did = (runs["treated_end"] - runs["treated_start"]) - (
        runs["comparator_end"] - runs["comparator_start"]
    )
    assert np.allclose(runs["did_points"], 100 * did)


def test_detection_threshold_reads_the_published_intervals() -> None:
    ndc = _script("replay_ndc")
    # Walthery et al. (2015) Table 1: standard errors 0.536 and 1.760 points, their
    # difference's 1.840; 1.96 of them is 3.61 points, 6.05% of the 59.6% not in good health.
    assert ndc.HEALTH_TOLERANCE == pytest.approx(3.606 / 59.6, rel=1e-3)
    # Twice as wide an interval on one side widens the threshold; a larger base narrows it.
    wider = ndc.detection_threshold((39.3, 41.4), (33.85, 47.65), 0.596)
    assert wider > 1.9 * ndc.HEALTH_TOLERANCE
    assert ndc.detection_threshold((39.3, 41.4), (37.3, 44.2), 0.9) < ndc.HEALTH_TOLERANCE


def test_worklessness_threshold_reads_the_jobless_household_row() -> None:
    ndc = _script("replay_ndc")
    # Walthery et al. (2015) Table 1: jobless household, NDC 43.1% (42.1-44.1), comparators
    # 39.2% (36.1-42.5): standard errors 0.510 and 1.633 points, 1.96 x 1.711 = 3.35 points
    # of the 43.1%.
    assert ndc.WORKLESSNESS_TOLERANCE == pytest.approx(3.353 / 43.1, rel=2e-3)
    assert ndc.TOLERANCES["employment_deprivation"] == ndc.WORKLESSNESS_TOLERANCE


def test_ndc_difference_is_read_over_the_evaluations_window() -> None:
    """The panel ran 2002-2008, two to eight years into the programme: the replay reads the
    end of its second year of money to the end of its eighth."""
    ndc = _script("replay_ndc")
    assert ndc.WINDOW == (ndc.FIRST_YEAR + 1, ndc.FIRST_YEAR + 7) == (2021, 2027)
    assert ndc.FIRST_YEAR + ndc.YEARS - 1 > ndc.WINDOW[1]


def test_replay_window_reads_the_recorded_years_and_refuses_others() -> None:
    from lbn_sim.engine.agents.named_programme import NamedProgrammeSpec
    from lbn_sim.runs.runner import load_wards

    replay = _script("_replay")
    common = _script("_common")
    cfg = common.compose_cfg(
        [*common.TOY, "scenario=base_case", "policy_start=2023", "horizon=2023"]
    )
    wards, _ = load_wards(cfg.data)
    code = str(wards["ward_code"].iloc[0])
    spec = NamedProgrammeSpec("p", (code,), (1000.0,), 2020, 2, {"general": 1.0})
    whole = replay.run_replay(cfg, wards, [spec], ["crime"])
    part = replay.run_replay(cfg, wards, [spec], ["crime"], (2019, 2021))
    later = replay.run_replay(cfg, wards, [spec], ["crime"], (2021, 2023))
    # The same seed and config: the window's ends are the recorded years' values.
    assert np.array_equal(part.start["crime"], whole.start["crime"])
    assert np.array_equal(later.end["crime"], whole.end["crime"])
    assert not np.array_equal(part.end["crime"], whole.end["crime"])
    with pytest.raises(ValueError, match="replay window"):
        replay.run_replay(cfg, wards, [spec], ["crime"], (2021, 2030))
    with pytest.raises(ValueError, match="replay window"):
        replay.run_replay(cfg, wards, [spec], ["crime"], (2022, 2021))


def test_crime_threshold_is_the_panels_precision_at_the_assumed_victim_share() -> None:
    ndc = _script("replay_ndc")
    # At the health row's own share the scaled threshold is the health threshold (relative
    # to the 40.4% in good health rather than the 59.6% not).
    at_health = ndc.threshold_at_share((39.3, 41.4), (37.3, 44.2), 0.404, 0.404)
    assert at_health * 0.404 == pytest.approx(ndc.HEALTH_TOLERANCE * 0.596)
    # 3.606 points x sqrt(0.25 x 0.75 / (0.404 x 0.596)) = 3.18 points of a 25% share.
    assert ndc.CRIME_TOLERANCE == pytest.approx(3.606 * (0.1875 / 0.240784) ** 0.5 / 25, rel=1e-3)
    assert ndc.TOLERANCES["crime"] == ndc.CRIME_TOLERANCE
    # A rarer outcome is measured less precisely, relative to its level.
    rarer = ndc.threshold_at_share((39.3, 41.4), (37.3, 44.2), 0.404, 0.20)
    commoner = ndc.threshold_at_share((39.3, 41.4), (37.3, 44.2), 0.404, 0.30)
    assert commoner < ndc.CRIME_TOLERANCE < rarer


def test_verdict_reads_the_threshold_where_one_was_read_and_the_sign_where_none() -> None:
    replay = _script("_replay")

    def row(low: float, high: float, mean: float | None = None) -> pd.Series:
        mean = (low + high) / 2 if mean is None else mean
        return pd.Series(
            {"did_relative_low": low, "did_relative_high": high, "did_relative_mean": mean}
        )

    with_precision = replay.Observed("h", "health_deprivation", "none", "s", True, 0.06)
    without = replay.Observed("p", "engagement_need", "none", "s", True)
    assert replay.verdict(row(-0.055, -0.050), with_precision).startswith("within: below")
    # The seeds' mean within, one seed beyond: within, saying so.
    some = replay.verdict(row(-0.070, -0.050, -0.058), with_precision)
    assert some.startswith("within on the seeds' mean (-5.8%")
    assert "the largest -7.0%" in some
    # The end farther from zero is named, with its sign.
    wide = replay.verdict(row(-0.02, 0.09, 0.03), with_precision)
    assert wide.startswith("within on the seeds' mean") and "the largest +9.0%" in wide
    # The mean beyond: exceeds, whatever the range.
    assert replay.verdict(row(-0.070, -0.055, -0.062), with_precision).startswith("EXCEEDS")
    assert replay.verdict(row(0.01, 0.065, 0.061), with_precision).startswith("EXCEEDS")
    assert replay.verdict(row(-0.055, -0.050), without).startswith("EXCEEDS")
    assert replay.verdict(row(-0.01, 0.02), without).startswith("within")


def test_replay_over_accepted_vectors_runs_each_vector_at_toy_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    module = _script("replay_accepted")
    out = tmp_path / "accepted.csv"
    assert module.main(["--toy", "--vectors", "2", "--workers", "1", "--out", str(out)]) == 0
    rows = pd.read_csv(out)
    # The defaults and two accepted vectors, every indicator of the NDC replay each.
    ndc = _script("replay_ndc")
    assert sorted(rows["draw"].unique()) == [-1, 0, 1]
    assert rows.groupby("draw")["indicator"].apply(sorted).map(tuple).nunique() == 1
    assert sorted(rows[rows["draw"] == 0]["indicator"]) == sorted(ndc.INDICATORS)
    assert rows["balanced"].all()
    # Different parameter vectors give different differences.
    health = rows[rows["indicator"] == "health_deprivation"].set_index("draw")["did_relative"]
    assert health.nunique() == 3
    text = capsys.readouterr().out
    assert "share_within" in text and "ledger balanced in every run: True" in text
    table = module.summary(rows, ndc.TOLERANCES).set_index("indicator")
    inside = (health.loc[[0, 1]].abs() < ndc.HEALTH_TOLERANCE).mean()
    assert table.loc["health_deprivation", "share_within"] == inside
    crime = rows[rows["indicator"] == "crime"].set_index("draw")["did_relative"]
    crime_inside = (crime.loc[[0, 1]].abs() < ndc.CRIME_TOLERANCE).mean()
    assert table.loc["crime", "share_within"] == crime_inside
    assert np.isnan(table.loc["engagement_need", "share_within"])


def test_the_replay_wave_keeps_only_vectors_within_every_tolerance(tmp_path: Path) -> None:
    module = _script("replay_accepted")
    rows = pd.DataFrame(
        {
            "draw": [-1, -1, 0, 0, 1, 1, 2, 2],
            "vector": [-1, -1, 7, 7, 9, 9, 12, 12],
            "seed": 0,
            "indicator": ["h", "e"] * 4,
            "did_relative": [-0.2, 0.0, -0.05, -0.01, -0.07, -0.01, -0.01, 0.08],
        }
    )
    tolerances = {"h": 0.06, "e": 0.06}
    assert module.within(rows, tolerances).to_dict() == {7: True, 9: False, 12: False}
    accepted = tmp_path / "accepted.csv"
    pd.DataFrame({"draw": [7, 9, 12, 15], "job_loss": [0.05, 0.06, 0.07, 0.08]}).to_csv(
        accepted, index=False
    )
    (tmp_path / "accepted.json").write_text('{"kept": 4}')
    out = tmp_path / "second.csv"
    assert module.keep(rows, tolerances, accepted, out, "ndc", (2021, 2027)) == (3, 1)
    assert pd.read_csv(out)["draw"].tolist() == [7]  # 15 was never replayed: not kept
    import json

    note = json.loads(out.with_suffix(".json").read_text())
    assert note["kept"] == note["replay_wave"]["kept"] == 1
    assert note["replay_wave"]["first_wave_kept"] == 4
    assert note["replay_wave"]["ruled_out_by"] == {"h": 1, "e": 1}
    # Draw 1 is beyond h only, draw 2 beyond e only: each rules out one by itself.
    assert note["replay_wave"]["ruled_out_by_this_alone"] == {"h": 1, "e": 1}
    assert note["replay_wave"]["window"] == [2021, 2027]
    assert "git_commit" in note["replay_wave"]


def test_the_replay_wave_judges_a_vector_on_its_seeds_mean(tmp_path: Path) -> None:
    """With several seeds, a vector is kept when the mean of its differences lies within
    every tolerance: one seed beyond does not rule it out, nor one seed within keep it; the
    note records the seeds."""
    import json

    module = _script("replay_accepted")
    rows = pd.DataFrame(
        {
            "draw": [-1, 0, 1] * 2,
            "vector": [-1, 7, 9] * 2,
            "seed": [0, 0, 0, 1, 1, 1],
            "indicator": "h",
            # 7: -0.07 then -0.03 (mean -0.05, within); 9: -0.05 then -0.09 (mean -0.07).
            "did_relative": [-0.2, -0.07, -0.05, -0.2, -0.03, -0.09],
        }
    )
    assert module.within(rows, {"h": 0.06}).to_dict() == {7: True, 9: False}
    table = module.summary(rows, {"h": 0.06}).set_index("indicator")
    assert table.loc["h", "vectors"] == 2 and table.loc["h", "share_within"] == 0.5
    accepted = tmp_path / "accepted.csv"
    pd.DataFrame({"draw": [7, 9], "job_loss": [0.05, 0.06]}).to_csv(accepted, index=False)
    out = tmp_path / "second.csv"
    assert module.keep(rows, {"h": 0.06}, accepted, out, "ndc", (2021, 2027)) == (2, 1)
    note = json.loads(out.with_suffix(".json").read_text())["replay_wave"]
    assert note["model_seed"] == [0, 1] and note["ruled_out_by"] == {"h": 1}


def test_replay_over_accepted_vectors_runs_every_seed(tmp_path: Path) -> None:
    module = _script("replay_accepted")
    out = tmp_path / "accepted.csv"
    args = ["--toy", "--vectors", "1", "--seeds", "2", "--seed", "3", "--workers", "1"]
    assert module.main([*args, "--out", str(out)]) == 0
    rows = pd.read_csv(out)
    assert sorted(rows.groupby("seed")["draw"].unique().map(sorted).map(tuple)) == [
        (-1, 0),
        (-1, 0),
    ]
    assert sorted(rows["seed"].unique()) == [3, 4]
    with pytest.raises(SystemExit):
        module.main(["--toy", "--seeds", "0"])


def test_the_shipped_set_was_kept_by_todays_thresholds_and_window() -> None:
    """The shipped accepted set's note records the thresholds and window its replay wave
    used; a threshold or window changed since without remaking the set fails here."""
    import json

    from lbn_sim.params.draws import ACCEPTED

    ndc = _script("replay_ndc")
    wave = json.loads(ACCEPTED.with_suffix(".json").read_text())["replay_wave"]
    assert wave["tolerances"] == pytest.approx(ndc.TOLERANCES)
    assert tuple(wave["window"]) == ndc.WINDOW
    assert wave["kept"] == len(pd.read_csv(ACCEPTED))


def test_the_replay_wave_refuses_a_second_wave_set_or_a_partial_replay(tmp_path: Path) -> None:
    module = _script("replay_accepted")
    out = tmp_path / "kept.csv"
    # The shipped set is already a second wave's: filtering it again is refused.
    with pytest.raises(SystemExit):
        module.main(["--toy", "--vectors", "1000", "--keep", str(out)])
    first = tmp_path / "first.csv"
    pd.DataFrame({"draw": [3, 8], "job_loss": [0.05, 0.06]}).to_csv(first, index=False)
    # Replaying 1 of its 2 vectors cannot make the set: refused before any run.
    with pytest.raises(SystemExit):
        module.main(["--toy", "--vectors", "1", "--accepted", str(first), "--keep", str(out)])
    assert not out.exists()
