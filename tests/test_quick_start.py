"""The README's quick-start commands are the ones CI runs, word for word (``.ci/run``)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def quick_start_commands() -> list[str]:
    """The commands of the bash blocks in the README's Quick start section, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, flags=re.DOTALL)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


def test_ci_runs_the_quick_start_commands_as_written() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2  # install and run; the quick tests
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    for command in commands:
        assert command in ci, command


def test_the_quick_tests_run_on_every_core() -> None:
    """The test command leaves out the slow tests and spreads the rest over the cores, a
    file to a worker (so a module's shared fixtures are built once)."""
    _, tests = quick_start_commands()
    assert 'python -m pytest -m "not slow" -n auto --dist loadfile' in tests
