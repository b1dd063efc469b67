"""Every row of the README's troubleshooting table is a message a test checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]


def troubleshooting_rows() -> list[tuple[str, str]]:
    """``(what happened, message)`` for each row of the README's table."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Troubleshooting", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in ("what happened", "---"):
            rows.append((cells[0], cells[1]))
    return rows


def message_parts(cell: str) -> list[str]:
    """The quoted parts of a message cell, with the placeholders (``<file>``, ``...``) cut."""
    parts = []
    for quoted in re.findall(r"`([^`]+)`", cell):
        for piece in re.split(r"<[^>]+>|\.\.\.", quoted):
            piece = piece.strip(" :;")
            if len(piece) >= 8:
                parts.append(piece)
    return parts


def _dots_escaped(part: str) -> str:
    """``part`` as a test's regular expression usually writes it (dots and brackets escaped)."""
    return re.sub(r"([.\[\]()])", r"\\\1", part)


def _found(part: str, tests: str) -> set[str]:
    """The spellings of ``part`` that occur in the tests' text."""
    return {s for s in (part, re.escape(part), _dots_escaped(part)) if s in tests}


def test_the_table_has_a_row_per_kind_of_fault() -> None:
    assert len(troubleshooting_rows()) >= 20


def test_every_message_in_the_table_is_checked_by_a_test() -> None:
    tests = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py"))
    unchecked = [
        (what, part)
        for what, cell in troubleshooting_rows()
        for part in message_parts(cell)
        if not {part, re.escape(part), _dots_escaped(part)} & _found(part, tests)
    ]
    assert unchecked == []


@pytest.mark.parametrize(
    ("override", "code", "said"),
    [
        ("scenario.levers.devolution_shar=0.5", 1, "Key 'devolution_shar' not in 'PolicyLevers'"),
        ("params.move_rat=0.05", 1, "Key 'move_rat' not in 'ParamsConfig'"),
        ("params.move_rate=0.5", 2, "params.move_rate must be in [0.03, 0.08] (1/yr)"),
        ("scenario.levers.devolution_share=2", 2, "must be a share in [0, 1]"),
        ("scenario.levers.programme_per_head=nan", 2, "must be a finite number, got nan"),
    ],
)
def test_the_command_line_rows_say_what_the_table_says(
    tmp_path: Path, override: str, code: int, said: str
) -> None:
    result = run_cli(
        override, "data.n_wards=120", f"hydra.run.dir={tmp_path / 'run'}", cwd=tmp_path
    )
    assert result.returncode == code, result.stderr
    assert said in result.stderr
    assert not (tmp_path / "run" / "wards.parquet").exists()
    assert any(said in cell for _, cell in troubleshooting_rows())
