"""The rule against the published 'left behind' flag (``scripts/flag_agreement.py``): the
helpers on a constructed case, and the real figures ``docs/measurement.md`` quotes."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "flag_agreement.py"


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("flag_agreement", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["flag_agreement"] = module
    spec.loader.exec_module(module)
    return module


def test_dominance_and_cuts_on_a_constructed_flag() -> None:
    mod = _module()
    # Six wards (positions 0-5); ranks 1 = most deprived. Position 3 is flagged though
    # position 0, unflagged, is more deprived on both: dominated. Position 5, unflagged, is
    # dominated by flagged position 1: no conflict (only unflagged over flagged counts).
    # Position 4 is more deprived than 3 on the CNI only (rank 3 against 4, but 5 against 4
    # on the IMD): no domination.
    imd = np.array([1, 2, 3, 4, 5, 6], dtype=np.int32)
    cni = np.array([2, 1, 5, 4, 3, 6], dtype=np.int32)
    flag = np.array([False, True, False, True, False, False])
    dom = mod.dominated(imd, cni, flag)
    assert dom.tolist() == [False, False, False, True, False, False]
    # The best pair of cuts misses the dominated ward alone (IMD cut 2, CNI cut 1), and no
    # monotone rule does better than one change.
    assert mod.best_cuts(imd, cni, flag, range(1, 7), range(1, 7)) == (1, 2, 1)
    assert mod.fewest_monotone_mismatches(imd, cni, flag) == 1
    # A flag that is a pair of cuts (positions 0 and 1) has no conflict and fits exactly.
    fits = np.array([True, True, False, False, False, False])
    assert not mod.dominated(imd, cni, fits).any()
    assert mod.best_cuts(imd, cni, fits, range(1, 7), range(1, 7))[0] == 0
    assert mod.fewest_monotone_mismatches(imd, cni, fits) == 0
    # Two flagged wards dominated by one unflagged ward: flagging that one ward fixes both,
    # so the fewest changes is 1, not the 2 dominated wards.
    two = np.array([False, True, False, True, False, False])
    imd2 = np.array([1, 3, 6, 4, 5, 2], dtype=np.int32)
    cni2 = np.array([1, 4, 2, 3, 5, 6], dtype=np.int32)
    assert int(mod.dominated(imd2, cni2, two).sum()) == 2
    assert mod.fewest_monotone_mismatches(imd2, cni2, two) == 1
    # A flagged ward below another flagged ward on both is no conflict.
    both = np.array([1, 2, 3, 4, 5, 6], dtype=np.int32)
    top_two = np.array([True, True, False, False, False, False])
    assert not mod.dominated(both, both, top_two).any()
    wards = pd.DataFrame({"ward_code": list("uvwxyz"), "left_behind": flag})
    got = mod.agreement(wards, np.array([True, True, False, False, False, False]))
    assert (got.found, got.flagged_found, got.missed, got.extra) == (2, 1, ("x",), ("u",))


def test_bad_cut_ranges_are_refused_by_name() -> None:
    mod = _module()
    with pytest.raises(SystemExit, match="--imd-cuts"):
        mod.span("600-1100", "--imd-cuts", 7421)
    with pytest.raises(SystemExit, match="--cni-cuts"):
        mod.span("760:700", "--cni-cuts", 7421)
    with pytest.raises(SystemExit, match="<= 7421"):
        mod.span("9000:9001", "--imd-cuts", 7421)


def test_a_missing_data_folder_is_refused_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mod = _module()
    with pytest.raises(SystemExit) as exit_info:
        mod.main(["--data-dir", str(tmp_path / "nowhere")])
    assert exit_info.value.code == 2
    assert "nowhere" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        mod.main(["--data-dir", "   "])


def test_the_real_rule_agrees_with_218_of_the_225_and_no_cut_can_fix_it(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mod = _module()
    assert mod.main(["--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert "the rule finds 225, 218 of them flagged: 7 flagged missed, 7 unflagged found" in out
    assert "12 mismatches, first at IMD 746 and CNI 732" in out
    assert "more deprived on both indices: 20 " in out
    assert "any monotone rule on the two ranks can reach: 8\n" in out
    missed = [line for line in out.splitlines() if line.startswith("  missed:")]
    ranks = sorted(int(line.split("IMD rank ")[1].split(",")[0]) for line in missed)
    assert len(missed) == 7 and ranks[0] == 746 and ranks[-1] == 832
    assert "Ford Green and Smallthorne" in out and "Irwell" in out
