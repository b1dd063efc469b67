"""The defaults' re-sizing on the NDC evidence (``experiments/resize_defaults.py``): the
emulator recovers known coefficients, positions read the registry's ranges, and the script
runs end to end at toy size."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest

from lbn_sim.params import BY_NAME

EXPERIMENTS = Path(__file__).resolve().parents[1] / "experiments"


def _module() -> ModuleType:
    if str(EXPERIMENTS) not in sys.path:
        sys.path.insert(0, str(EXPERIMENTS))
    return importlib.import_module("resize_defaults")


def test_the_emulator_recovers_known_slopes_and_seed_terms() -> None:
    mod = _module()
    rng = np.random.default_rng(0)
    x = rng.random((300, 4))
    seed = np.arange(300) % 3
    beta = np.array([-0.08, 0.0, 0.03, -0.01])
    terms = np.array([-0.03, 0.0, 0.03])
    y = x @ beta + terms[seed] + rng.normal(0.0, 0.002, 300)
    m = mod.fit(x, seed, y, 3)
    np.testing.assert_allclose(m["beta"], beta, atol=0.002)
    np.testing.assert_allclose(m["seed_terms"], terms, atol=0.002)
    assert float(m["resid_sd"]) == pytest.approx(0.002, rel=0.2)
    # The slope that is zero is not distinguishable from zero; the others are.
    t = np.abs(m["beta"] / m["se"])
    assert t[1] < 3 < min(t[0], t[2], t[3])
    assert mod.cv_r2(x, seed, y, 3) > 0.95


def test_the_smallest_move_reaches_the_limit_along_the_slopes_and_no_further() -> None:
    mod = _module()
    # Two entries; the outcome falls 0.1 per range on the first, 0.05 on the second.
    model = {
        "beta": np.array([-0.1, -0.05]),
        "seed_terms": np.array([0.01, -0.01]),
        "anchor": np.array(-0.02),
    }
    d0 = np.array([0.5, 0.5])
    # At d0: -0.05 - 0.025 + 0 - 0.02 = -0.095; the limit 0.06 needs the slopes' direction.
    z, after = mod.smallest_move({"y": model}, d0, np.array([True, True]), {"y": 0.06})
    assert after["y"] == pytest.approx(-0.06, abs=1e-6)
    step = z - d0
    # The nearest point of the plane: a move along the slopes (0.1 : 0.05), backwards.
    assert step[0] / step[1] == pytest.approx(2.0, rel=1e-4)
    assert np.linalg.norm(step) == pytest.approx(0.035 / np.hypot(0.1, 0.05), rel=1e-4)
    # Only the second entry free: it alone moves, to its range's end if it must.
    z2, after2 = mod.smallest_move({"y": model}, d0, np.array([False, True]), {"y": 0.08})
    assert z2[0] == 0.5 and z2[1] == pytest.approx(0.5 - 0.015 / 0.05, rel=1e-4)
    assert after2["y"] == pytest.approx(-0.08, abs=1e-6)
    # No reachable point: refused, not a silent half-move.
    with pytest.raises(SystemExit):
        mod.smallest_move({"y": model}, d0, np.array([False, True]), {"y": 0.01})


def test_positions_read_each_entry_s_range() -> None:
    mod = _module()
    names = ["spend_elasticity", "programme_eligible_share"]
    lows = {n: BY_NAME[n].low for n in names}
    highs = {n: BY_NAME[n].high for n in names}
    table = pd.DataFrame([lows, highs])
    np.testing.assert_allclose(mod.positions(table, names), [[0.0, 0.0], [1.0, 1.0]])
    d0 = mod.default_positions(names)
    for j, n in enumerate(names):
        p = BY_NAME[n]
        assert d0[j] == pytest.approx((p.default - p.low) / (p.high - p.low))


NAMES = "spend_elasticity,employment_support_effect,programme_eligible_share,local_fortune_sd"


@pytest.mark.slow
def test_the_script_runs_end_to_end_at_toy_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mod = _module()
    rows, out = tmp_path / "rows.csv", tmp_path / "resize.json"
    design = ["--toy", "--draws", "16", "--seeds", "2", "--names", NAMES, "--workers", "1"]
    args = [*design, "--verify", "1", "--steps", "2,1", "--rows", str(rows), "--out", str(out)]
    code = mod.main(args)
    captured = capsys.readouterr()
    table = pd.read_csv(rows)
    # The defaults on both seeds, then 16 draws rotating the seeds.
    assert sorted(table["draw"].unique()) == [-1, *range(16)]
    assert set(table.loc[table["draw"] == 5, "seed"]) == {1}
    assert bool(table["balanced"].all())
    if code != 0:
        # At toy size the screening may keep no entry: the script says so, nothing else.
        assert "nothing to move" in captured.err or "nothing to move" in captured.out
        return
    note = json.loads(out.read_text())
    # Steps are replayed smallest first; the note names the design's entries and ranges.
    assert list(note["steps"]) == ["1.0", "2.0"]
    assert set(note["design"]["ranges"]) == set(NAMES.split(","))
    assert set(note["cv_r2"]) == set(mod.replay_ndc.TOLERANCES)
    # The anchor puts the prediction at the defaults on their replays' mean.
    assert set(note["anchor"]) == set(mod.replay_ndc.TOLERANCES)
    # The same design again reuses the rows instead of replaying.
    assert mod.main(args) == 0
    assert "reusing" in capsys.readouterr().err


@pytest.mark.slow
def test_a_changed_design_is_replayed_not_reused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mod = _module()
    rows = tmp_path / "rows.csv"
    common = ["--toy", "--seeds", "1", "--names", NAMES, "--workers", "1", "--verify", "1"]
    common += ["--rows", str(rows), "--out", str(tmp_path / "r.json")]
    mod.main([*common, "--draws", "15"])
    capsys.readouterr()
    mod.main([*common, "--draws", "16"])
    err = capsys.readouterr().err
    assert "reusing" not in err and "replays on 1 worker" in err
    assert sorted(pd.read_csv(rows)["draw"].unique()) == [-1, *range(16)]


@pytest.mark.slow
def test_check_replays_one_vector_beside_the_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    mod = _module()
    check = ["--toy", "--verify", "1", "--workers", "1", "--check", "spend_elasticity=0.7"]
    assert mod.main(check) == 0
    out = capsys.readouterr().out
    assert out.count("checked") == len(mod.replay_ndc.TOLERANCES)


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--draws", "5"], "--draws must be at least"),
        (["--margin", "1.5"], "--margin"),
        (["--check", "spend_elasticity"], "is not NAME=VALUE"),
        (["--check", "spend_elastcity=0.7"], "spend_elasticity"),
        (["--check", "spend_elasticity=low"], "is not a number"),
        (["--check", "spend_elasticity=5"], "must be in [0.5, 1.5]"),
        (["--names", "programme_eligble_share"], "programme_eligible_share"),
        (["--steps", "1,x"], "--steps"),
        (["--names", "spend_elasticity,spend_elasticity"], "named twice"),
    ],
)
def test_bad_arguments_are_refused_by_name(
    args: list[str], named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    mod = _module()
    with pytest.raises(SystemExit) as exit_info:
        mod.main(["--toy", *args])
    assert exit_info.value.code == 2
    assert named in capsys.readouterr().err
