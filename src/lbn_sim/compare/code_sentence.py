"""What a comparison says of the code that made its runs, from their ``provenance.json``.

Runs of one config made by different code (another commit, a dirty checkout, another
numpy) differ for reasons that are not the seeds'; :func:`code_sentence` names the code
once when every run had the same, and warns, naming what differs, when not.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lbn_sim.runs.provenance import LIBRARIES

PROVENANCE_KEYS: tuple[str, ...] = ("lbn_sim", "git_commit", "git_dirty", "python", *LIBRARIES)
"""The keys of ``provenance.json`` compared across runs, in the order they are named (any
other key a file holds is compared too, after these)."""

SHORT_COMMIT = 7
"""Characters of a commit shown (more when two commits compared share their first 7)."""


@dataclass(frozen=True, slots=True)
class CodeSentence:
    """The report's sentence on the code that made the runs (:func:`code_sentence`).

    Attributes:
        text: the sentence, with its full stop.
        differs: True when the runs were (or may have been) made by different code: the
            sentence is a warning, logged and set in bold.
    """

    text: str
    differs: bool


def _commit_length(commits: Sequence[Any]) -> int:
    """The shortest length from :data:`SHORT_COMMIT` that keeps distinct commits apart."""
    distinct = {str(c) for c in commits if c is not None}
    length = SHORT_COMMIT
    while len({c[:length] for c in distinct}) < len(distinct):
        length += 1
    return length


def _provenance_value(key: str, value: Any, commit_length: int) -> str:
    """One value of ``provenance.json`` as the report writes it (None: ``unknown``)."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "true" if value else "false"
    if key == "git_commit":
        return str(value)[:commit_length]
    return str(value)


def code_sentence(provenances: Sequence[Mapping[str, Any] | None]) -> CodeSentence | None:
    """What the report says of the code that made the runs, from each run's
    ``provenance.json`` (None for a run without one).

    When every run has the same provenance, the code once: ``"Made by lbn_sim 0.1.0 at
    commit 1a2b3c4."`` (``" with uncommitted changes"`` when the checkout was dirty;
    the commit shortened to 7 characters). When the runs differ in any key of
    :data:`PROVENANCE_KEYS` (lbn_sim's version, the commit, the dirty flag, Python's or
    a library's version), or some have no provenance while others do, a warning naming
    each value that differs with how many runs have it: their differences are then not
    only the seeds'. None when no run has provenance (nothing is known) or there are no
    runs.
    """
    known = [p for p in provenances if p is not None]
    if not known:
        return None
    extra = sorted({k for p in known for k in p} - set(PROVENANCE_KEYS))
    keys = [*PROVENANCE_KEYS, *extra]
    length = _commit_length([p.get("git_commit") for p in known])
    differing = []
    for key in keys:
        counts = Counter(_provenance_value(key, p.get(key), length) for p in known)
        if len(counts) > 1:
            values = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
            differing.append(
                f"{key} " + ", ".join(f"{v} ({n} run{'' if n == 1 else 's'})" for v, n in values)
            )
    missing = len(provenances) - len(known)
    if not missing and not differing:
        return CodeSentence(_made_by(known[0], len(known)), differs=False)
    parts = differing
    if missing:
        parts = [
            f"{missing} of the {len(provenances)} runs {'has' if missing == 1 else 'have'} "
            "no provenance.json (code unknown)",
            *differing,
        ]
    if differing:
        lead, tail = "were", "are not"
    else:  # only some runs' code unknown: it may be the same as the others'
        lead, tail = "may have been", "may not be"
    text = (
        f"The runs {lead} made by different code: {'; '.join(parts)}; their differences "
        f"{tail} only the seeds'."
    )
    return CodeSentence(text, differs=True)


def _made_by(made_by: Mapping[str, Any], n_runs: int) -> str:
    """The sentence on the code every one of ``n_runs`` runs was made by (the same
    ``provenance.json``): its version, commit and whether the checkout was dirty."""
    version = made_by.get("lbn_sim")
    text = f"Made by lbn_sim {version if version is not None else '(version unknown)'}"
    commit = made_by.get("git_commit")
    if commit is not None:
        text += f" at commit {str(commit)[:SHORT_COMMIT]}"
        if made_by.get("git_dirty") is True:
            # The same flag, not necessarily the same changes.
            text += " with uncommitted changes"
            if n_runs > 1:
                text += " (which may differ between runs)"
    return text + "."
