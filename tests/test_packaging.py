"""An installed lbn_sim (wheel, ``pip install .``) carries the top-level conf/ as lbn_sim.conf.

Computed with setuptools' own build_py from pyproject.toml, the files a wheel would hold,
without building a wheel or touching the network.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
# setuptools < 68 (this venv's) calls its pyproject.toml support beta
pytestmark = pytest.mark.filterwarnings("ignore:Support for `\\[tool.setuptools\\]`:UserWarning")


def _build_py(monkeypatch: pytest.MonkeyPatch, build_lib: Path | None = None) -> Any:
    """setuptools' build_py configured from pyproject.toml (package-dir is relative to ROOT)."""
    from setuptools.config.pyprojecttoml import apply_configuration
    from setuptools.dist import Distribution

    monkeypatch.chdir(ROOT)
    dist = Distribution({"script_name": "setup.py"})
    apply_configuration(dist, ROOT / "pyproject.toml")
    # No MANIFEST.in: package-data alone decides; this also keeps egg_info out of the checkout.
    dist.include_package_data = False
    cmd = dist.get_command_obj("build_py")
    if build_lib is not None:
        cmd.build_lib = str(build_lib)
    cmd.ensure_finalized()
    return cmd


def test_every_package_and_every_conf_yaml_is_shipped(monkeypatch: pytest.MonkeyPatch) -> None:
    cmd = _build_py(monkeypatch)
    src = ROOT / "src"
    on_disk = {
        ".".join(p.parent.relative_to(src).parts) for p in src.glob("lbn_sim/**/__init__.py")
    }
    assert on_disk - set(cmd.packages) == set(), "add the package to [tool.setuptools] packages"
    shipped = {
        str(Path(cmd.get_package_dir(pkg), name).resolve().relative_to(ROOT / "conf"))
        for pkg, _src, _build, names in cmd.data_files
        if pkg == "lbn_sim.conf"
        for name in names
    }
    wanted = {str(p.relative_to(ROOT / "conf")) for p in (ROOT / "conf").rglob("*.yaml")}
    assert "config.yaml" in wanted and "scenario/base_case.yaml" in wanted
    assert shipped == wanted


def test_checkout_uses_the_top_level_conf() -> None:
    from lbn_sim.runs.cli import conf_dir

    assert Path(conf_dir()).resolve() == ROOT / "conf"


@pytest.mark.slow
def test_installed_layout_finds_its_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The package as a wheel lays it out, run from outside the checkout."""
    build_lib = tmp_path / "lib"
    _build_py(monkeypatch, build_lib).run()
    assert (build_lib / "lbn_sim" / "conf" / "scenario" / "best_case.yaml").is_file()
    run = tmp_path / "run"
    run.mkdir()
    env = {**os.environ, "PYTHONPATH": str(build_lib)}

    def cli(*args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "lbn_sim", *args],
            cwd=run,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert f"file://{build_lib / 'lbn_sim' / 'conf'}" in cli("--info", "config")
    assert "scenario: base_case, best_case, worst_case" in cli("--help")
    assert "name: best_case" in cli("scenario=best_case", "data=england_2019", "--cfg", "job")
