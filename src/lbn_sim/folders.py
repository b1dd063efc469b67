"""Run folders: whether one can be written, and what a stopped run leaves in it.

The command line (:mod:`lbn_sim.runs`) refuses a folder that already holds results, and
:mod:`lbn_sim.compare` skips folders that hold none; both read the rule here.
"""

from __future__ import annotations

import tempfile
from pathlib import Path


def unwritable(directory: Path) -> str | None:
    """Why ``directory`` cannot hold results (None when it can).

    Creates the directory (and its parents) if needed, and a temporary file in it,
    removed at once. When that fails, the folders this call created are removed.
    """
    created = [p for p in (directory, *directory.parents) if not p.exists()]
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=directory):
            pass
    except OSError as err:
        for p in created:  # deepest first
            try:
                p.rmdir()
            except OSError:
                pass
        return err.strerror or str(err)
    return None


#: What a run that was killed before its results leaves behind (Hydra's own files, an
#: interrupted staging folder): a folder holding only these may be run into again, as
#: ``lbn_sim.compare`` suggests for a sweep's missing job.
LEFT_BY_A_STOPPED_RUN = (".hydra", "__main__.log", ".staging", "multirun.yaml")


def holds_results(path: Path) -> bool:
    """Whether ``path`` is (or holds) anything but what stopped runs leave: a file not named
    in :data:`LEFT_BY_A_STOPPED_RUN`, at any depth (a sweep's job folder holding only its
    ``.hydra`` does not count; nor does an empty folder)."""
    if path.name in LEFT_BY_A_STOPPED_RUN:
        return False
    if path.is_dir():
        return any(holds_results(child) for child in path.iterdir())
    return True


def occupied(directory: Path) -> str | None:
    """What ``directory`` already holds, named (up to three entries), or None when it does
    not exist or holds nothing but what stopped runs leave (:func:`holds_results`).

    Results written beside an earlier run's (or among other files) would be mixed with
    them, and a sweep's earlier jobs pooled with the new ones."""
    if not directory.is_dir():
        return None
    entries = sorted(p.name for p in directory.iterdir() if holds_results(p))
    if not entries:
        return None
    shown = ", ".join(entries[:3]) + (f" and {len(entries) - 3} more" if len(entries) > 3 else "")
    return shown
