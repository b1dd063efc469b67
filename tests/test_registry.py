"""The parameter registry: every behavioural number declared once, reachable, checked, and
read by the engine; no behavioural literal left in engine code."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from tests.conftest import compose_cfg, run_cli

from lbn_sim.config import Config, ConfigError
from lbn_sim.data.synthetic import generate_wards
from lbn_sim.engine.model import LBNModel
from lbn_sim.engine.parameters import Params
from lbn_sim.params import BY_NAME, REGISTRY

ENGINE = Path(__file__).resolve().parents[1] / "src" / "lbn_sim" / "engine"

#: Numbers engine code may write: identities, halves and thirds as divisors, indices of
#: small tables, percent.
ALLOWED_VALUES = {0, 1, 2, 3, 100}
#: Named structural constants (module-level names or a function's keyword default): sizes,
#: solver settings and limits of the ledger, each with its reason beside it in the code.
STRUCTURAL = {
    "agents/investors.py": {"ROOM"},
    "composites.py": {"EXP_CONSTANT", "TOP_SCORE", "MID", "LERP_FROM_ABOVE"},
    "expected_income.py": {"iterations"},
    "households.py": {"BLOCK_HOUSEHOLDS"},
    "indicators.py": {"PERCENTILES"},
    "ledger.py": {"MAX_PENCE", "TRILLION"},
    "model.py": {"PROGRESS_EVERY"},
    "start.py": {"JOB_RATE_BRACKET", "iterations"},
    "income_shift.py": {"SHIFT_BRACKET", "_OPEN_STEP", "iterations"},
    "synthesis.py": {"STRESS_NOISE"},
}


def _allowed_nodes(tree: ast.AST, names: set[str]) -> set[int]:
    """ids of the constant nodes that are structural: under an allow-listed name, in an
    enum's members, a subscript's index, or formatting in an f-string."""
    ok: set[int] = set()

    def mark(node: ast.AST | None) -> None:
        if node is not None:
            ok.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id in names for t in targets):
                mark(node.value)
        elif isinstance(node, ast.ClassDef) and any(
            isinstance(b, ast.Name) and b.id.endswith("Enum") for b in node.bases
        ):
            mark(node)
        elif isinstance(node, ast.Subscript):
            # Whole-number indices and slice bounds (x[4], x[:, 2:3]); not a number inside
            # an expression there (x[q > 0.35] is a threshold).
            parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            for part in parts:
                bounds = (
                    [part.lower, part.upper, part.step] if isinstance(part, ast.Slice) else [part]
                )
                for bound in bounds:
                    if isinstance(bound, ast.Constant) and isinstance(bound.value, int):
                        ok.add(id(bound))
        elif isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            mark(node.format_spec)
        elif isinstance(node, ast.arguments):
            args = [*node.posonlyargs, *node.args]
            for arg, default in zip(
                args[len(args) - len(node.defaults) :], node.defaults, strict=True
            ):
                if arg.arg in names:
                    mark(default)
            for arg, kw_default in zip(node.kwonlyargs, node.kw_defaults, strict=True):
                if arg.arg in names:
                    mark(kw_default)
    return ok


def behavioural_literals(root: Path, structural: dict[str, set[str]]) -> list[str]:
    """Numeric literals in the Python files under ``root`` that are neither allowed values,
    numerical guards (below 1e-5 in size) nor structural, as ``file:line: value``."""
    found: list[str] = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text())
        ok = _allowed_nodes(tree, structural.get(rel, set()))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Constant) or isinstance(node.value, bool):
                continue
            if not isinstance(node.value, int | float) or id(node) in ok:
                continue
            if node.value in ALLOWED_VALUES or abs(node.value) < 1e-5:
                continue
            found.append(f"{rel}:{node.lineno}: {node.value!r}")
    return found


def test_engine_code_holds_no_behavioural_literal() -> None:
    assert behavioural_literals(ENGINE, STRUCTURAL) == []


def test_the_literal_check_fails_on_a_behavioural_number(tmp_path: Path) -> None:
    """A module with a rate written inline is caught; the same module reading the rate from
    the registry, with a structural constant and a numerical guard, passes."""
    (tmp_path / "rule.py").write_text(
        "BLOCK = 4096\n"
        "def rate(x, params, iterations=30):\n"
        "    return 0.06 * x / max(x.sum(), 1e-9) + params.job_loss * x[4]\n"
    )
    assert behavioural_literals(tmp_path, {"rule.py": {"BLOCK", "iterations"}}) == [
        "rule.py:3: 0.06"
    ]
    assert behavioural_literals(tmp_path, {}) == [
        "rule.py:1: 4096",
        "rule.py:2: 30",
        "rule.py:3: 0.06",
    ]
    (tmp_path / "rule.py").write_text(
        "BLOCK = 4096\n"
        "def rate(x, params, iterations=30):\n"
        "    return params.rate * x / max(x.sum(), 1e-9) + params.job_loss * x[4]\n"
    )
    assert behavioural_literals(tmp_path, {"rule.py": {"BLOCK", "iterations"}}) == []
    (tmp_path / "rule.py").write_text(
        "def share(x, q):\n    return x[q > 0.35].sum() / len(f'{x.sum() * 1e3:.2f}')\n"
    )
    assert behavioural_literals(tmp_path, {}) == ["rule.py:2: 0.35", "rule.py:2: 1000.0"]


def parameters_read(path: Path) -> set[str]:
    """Names of registry parameters a module reads: ``params.<name>`` (or ``p.<name>``,
    ``self.params.<name>``), ``params.vector("<stem>", ...)``, and ``f"<prefix>_{...}"``
    names built from a stem (each registry name starting with the stem and ``_``)."""
    read: set[str] = set()
    stems: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Attribute):
            owner = node.value
            if (isinstance(owner, ast.Name) and owner.id in ("params", "p")) or (
                isinstance(owner, ast.Attribute) and owner.attr == "params"
            ):
                read.add(node.attr)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "vector":
            if node.args and isinstance(node.args[0], ast.Constant):
                stems.add(str(node.args[0].value))
        elif isinstance(node, ast.JoinedStr) and node.values:
            first = node.values[0]
            if isinstance(first, ast.Constant) and str(first.value).endswith("_"):
                stems.add(str(first.value)[:-1])
    return read | {n for n in BY_NAME for s in stems if n.startswith(f"{s}_")}


def test_every_parameter_is_declared_whole_and_read_by_its_home() -> None:
    """Each entry has a unit, a range holding its default, a source (evidence or an
    'assumption' with its reasoning), and a home: the engine module whose code reads it."""
    for p in REGISTRY:
        assert p.unit.strip() and p.meaning.strip(), p.name
        assert p.low <= p.default <= p.high and p.low < p.high, p.name
        assert len(p.source) > 30, f"{p.name}: a source says what it rests on"
        home = ENGINE / (p.home.replace(".", "/") + ".py")
        assert home.is_file(), f"{p.name}: no module {p.home}"
        assert p.name in parameters_read(home), f"{p.name} is not read in its home {p.home}"


def test_the_home_check_sees_a_parameter_read_elsewhere(tmp_path: Path) -> None:
    (tmp_path / "rule.py").write_text(
        '"""params.move_rate is named in a docstring only."""\n'
        "def f(params, q):\n"
        '    return params.job_loss * params.vector("adjust_speed", NAMES) + q\n'
    )
    read = parameters_read(tmp_path / "rule.py")
    assert "job_loss" in read and "adjust_speed_schools" in read
    assert "move_rate" not in read


def test_a_parameter_override_changes_results_and_a_constant_does_not(
    toy_cfg: Callable[..., Config],
) -> None:
    wards = generate_wards(n_wards=120, seed=0)

    def run(*overrides: str, column: str = "imd_like") -> np.ndarray:
        # Without the wards' own luck, whose noise in 120 toy wards drowns a small effect.
        cfg = toy_cfg("horizon=2027", "scenario=best_case", "params.local_fortune_sd=0", *overrides)
        model = LBNModel(cfg, wards)
        model.run()
        return np.asarray(model.history[-1][column])

    base = run()
    assert np.array_equal(base, run("plots=true")), "a run setting is not a behavioural number"
    moved = run("params.adult_learning_gain=0.13")
    assert not np.array_equal(base, moved)
    # More skill per adult learner moves education deprivation further from where it is
    # with no skill gain at all, whichever way adult education moved (by 2027 the
    # history's cuts have thinned it in most wards).
    education = "education_deprivation"
    none = run("params.adult_learning_gain=0.0", column=education)
    more = np.abs(run("params.adult_learning_gain=0.13", column=education) - none).sum()
    assert more > np.abs(run(column=education) - none).sum() > 0


def test_overrides_are_checked_against_the_registry() -> None:
    with pytest.raises(ConfigError, match=r"params\.move_rate must be in \[0\.03, 0\.08\]"):
        compose_cfg(["params.move_rate=0.5"])
    with pytest.raises(ConfigError, match=r"params\.move_rate must be in"):
        compose_cfg(["params.move_rate=nan"])
    cfg = compose_cfg(["params.move_rate=0.06"])
    assert Params.from_config(cfg.params, cfg.mechanisms).move_rate == 0.06
    assert Params.from_config(cfg.params, cfg.mechanisms).changed() == {"move_rate": 0.06}
    with pytest.raises(AttributeError, match="did you mean move_rate"):
        _ = Params().move_rat


def test_a_scenario_file_cannot_set_a_parameter(tmp_path: Path) -> None:
    """Parameters belong to the model: a scenario that sets one is refused at composition."""
    (tmp_path / "scenario").mkdir()
    (tmp_path / "scenario" / "tuned.yaml").write_text(
        "defaults:\n  - base_case\n  - _self_\nname: tuned\nparams:\n  adult_learning_gain: 0.09\n"
    )
    result = run_cli(
        "scenario=tuned",
        f"hydra.searchpath=[file://{tmp_path}]",
        f"hydra.run.dir={tmp_path / 'out'}",
        "data.n_wards=120",
        "plots=false",
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "Key 'params' not in 'ScenarioConfig'" in result.stderr
    assert not (tmp_path / "out" / "wards.parquet").exists()


def test_the_lister_names_every_parameter_with_unit_range_and_source() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "lbn_sim.params", "--csv"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = out.splitlines()
    assert lines[0] == "name,default,unit,low,high,source,home,meaning,whole"
    assert {line.split(",")[0] for line in lines[1:] if re.match(r"^[a-z_0-9]+,", line)} >= set(
        BY_NAME
    )
    one = subprocess.run(
        [sys.executable, "-m", "lbn_sim.params", "move_rat"], capture_output=True, text=True
    )
    assert one.returncode == 2 and "did you mean params.move_rate" in one.stderr
