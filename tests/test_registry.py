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
    "households.py": {"BLOCK_HOUSEHOLDS"},
    "indicators.py": {"PERCENTILES"},
    "ledger.py": {"MAX_PENCE"},
    "model.py": {"PROGRESS_EVERY"},
    "start.py": {"JOB_RATE_BRACKET", "iterations"},
    "synthesis.py": {"SHIFT_BRACKET", "_OPEN_STEP", "iterations"},
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
            mark(node.slice)
        elif isinstance(node, ast.JoinedStr):
            mark(node)
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


def test_every_parameter_is_declared_whole_and_read_by_its_home() -> None:
    """Each entry has a unit, a range holding its default, a source (evidence or an
    'assumption' with its reasoning), a home module that exists, and the engine reads it."""
    engine_code = "\n".join(p.read_text() for p in ENGINE.rglob("*.py"))
    read = set(re.findall(r"(?:params|p)\.([a-z_0-9]+)\b", engine_code))
    stems = set(re.findall(r'vector\(\s*"([a-z_]+)"', engine_code))
    prefixes = set(re.findall(r'f"([a-z_]+)_\{', engine_code))
    for p in REGISTRY:
        assert p.unit.strip() and p.meaning.strip(), p.name
        assert p.low <= p.default <= p.high and p.low < p.high, p.name
        assert len(p.source) > 30, f"{p.name}: a source says what it rests on"
        assert (ENGINE / (p.home.replace(".", "/") + ".py")).is_file(), f"{p.name}: {p.home}"
        by_stem = any(p.name.startswith(f"{s}_") for s in stems | prefixes)
        assert p.name in read or by_stem, f"{p.name} is declared but no engine code reads it"


def test_a_parameter_override_changes_results_and_a_constant_does_not(
    toy_cfg: Callable[..., Config],
) -> None:
    wards = generate_wards(n_wards=120, seed=0)

    def run(*overrides: str) -> np.ndarray:
        model = LBNModel(toy_cfg("horizon=2027", "scenario=best_case", *overrides), wards)
        model.run()
        return np.asarray(model.history[-1]["imd_like"])

    base = run()
    assert np.array_equal(base, run("plots=true")), "a run setting is not a behavioural number"
    moved = run("params.adult_education_effect=0.01")
    assert not np.array_equal(base, moved)
    # Less adult education effect: the left-behind wards' skills improve less, their
    # IMD-like scores fall less (higher is more deprived).
    assert moved.mean() > base.mean()


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
        "defaults:\n  - base_case\n  - _self_\nname: tuned\n"
        "params:\n  adult_education_effect: 0.09\n"
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
    assert lines[0] == "name,default,unit,low,high,source,home,meaning"
    assert {line.split(",")[0] for line in lines[1:] if re.match(r"^[a-z_0-9]+,", line)} >= set(
        BY_NAME
    )
    one = subprocess.run(
        [sys.executable, "-m", "lbn_sim.params", "move_rat"], capture_output=True, text=True
    )
    assert one.returncode == 2 and "did you mean params.move_rate" in one.stderr
