"""The generated parameter table (issue 20, item 1): ``docs/parameters.md`` is what the
registry makes now, and every registry entry has a source (or says "assumption") and a
range.

A range must be an interval, ``low < high``: a number with no plausible spread is not a
behavioural parameter to sample. The one exception allowed is a whole number fixed by
definition (``low == high``, ``whole``, and a source saying "fixed"), e.g. a count set by a
published rule; the registry holds none today.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from lbn_sim.params import REGISTRY, Parameter
from lbn_sim.params.__main__ import markdown

DOC = Path(__file__).resolve().parents[1] / "docs" / "parameters.md"
#: A citation: an address, or a year of publication.
CITATION = re.compile(r"https?://|\b(19|20)\d\d\b")


def test_the_parameter_page_is_current() -> None:
    made = subprocess.run(
        [sys.executable, "-m", "lbn_sim.params", "--markdown"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert DOC.read_text() == made, (
        "docs/parameters.md is not current: python -m lbn_sim.params --markdown > "
        "docs/parameters.md"
    )


def test_the_page_lists_every_entry_with_its_range_and_source() -> None:
    text = DOC.read_text()
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert len(rows) == len(REGISTRY)
    for p, row in zip(REGISTRY, rows, strict=True):
        cells = row.split(" | ")
        assert cells[0] == f"| `{p.name}`"
        assert cells[3].startswith(f"[{p.low:g}, {p.high:g}]")
        assert cells[5].rstrip(" |").startswith(p.source.split()[0].replace("|", "\\|"))


def _problems(p: Parameter) -> list[str]:
    """What an entry lacks: a source or 'assumption', and a range."""
    out = []
    source = p.source.strip()
    if not (source.lower().startswith("assumption") or CITATION.search(source)):
        out.append("a source (an address or year) or 'assumption'")
    fixed = p.whole and p.low == p.high and "fixed" in source.lower()
    if not (p.low < p.high or fixed):
        out.append(f"a range (low {p.low:g} < high {p.high:g})")
    return out


def test_every_entry_has_a_source_or_assumption_and_a_range() -> None:
    missing = {p.name: _problems(p) for p in REGISTRY if _problems(p)}
    assert not missing, missing


@pytest.mark.parametrize(
    ("entry", "lacks"),
    [
        (Parameter("a", 1.0, "1/yr", 1.0, 1.0, "assumption: none", "households", "m"), "range"),
        (Parameter("b", 1.0, "1/yr", 0.0, 2.0, "my own guess", "households", "m"), "source"),
        (Parameter("c", 3.0, "years", 3.0, 3.0, "fixed by statute 2019", "x", "m", True), ""),
    ],
)
def test_the_check_can_fail(entry: Parameter, lacks: str) -> None:
    found = " ".join(_problems(entry))
    assert (lacks in found) if lacks else not found
    assert markdown([entry]).count("\n| `") == 1
