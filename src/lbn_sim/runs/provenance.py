"""Which code made a run: written with its results as ``provenance.json``.

The results of a run are fixed by its config (``.hydra/config.yaml``), its seed and
the code. This records the code: lbn_sim's version and, when it runs from a git
checkout, the commit and whether the checkout had uncommitted changes; and the
versions of the libraries whose numbers reach the results. Nothing in it depends
on when or where the run was made, so two runs of one config on one code write
the same file. It is read when the run starts (the code a commit made during a run
would claim is not the code that ran).
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

#: Libraries whose versions can change a run's numbers.
LIBRARIES = ("numpy", "scipy", "pandas", "pyarrow", "mesa", "hydra-core", "omegaconf")


def package_version(name: str) -> str | None:
    """The installed version of distribution ``name``, or None when it is not installed."""
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def git_state(source: Path) -> tuple[str | None, bool | None]:
    """``(commit, dirty)`` of the git checkout holding ``source`` (this package's folder).

    ``(None, None)`` when lbn_sim is not running from a checkout of its own repository
    (an installed wheel), or git is not available.
    """

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                # No optional locks: a run never refreshes the index a user's git may hold.
                ["git", "--no-optional-locks", "-C", str(source), *args],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    top = git("rev-parse", "--show-toplevel")
    if top is None or not (Path(top) / "src" / "lbn_sim").is_dir():
        return None, None
    commit = git("rev-parse", "HEAD")
    # The code and the config that make a run; a new file not yet added counts.
    status = git("-C", top, "status", "--porcelain", "--", "src", "conf", "pyproject.toml")
    return commit, (None if status is None else bool(status))


@functools.cache
def provenance() -> dict[str, object]:
    """lbn_sim's version, its git commit and state, Python's and the libraries' versions.

    Read once per process, at the first call: ``python -m lbn_sim`` calls it when it
    starts, with the code it has loaded, so a commit made while it runs is not claimed.
    """
    commit, dirty = git_state(Path(__file__).resolve().parent)
    return {
        "lbn_sim": package_version("lbn_sim"),
        "git_commit": commit,
        "git_dirty": dirty,
        "python": ".".join(str(v) for v in sys.version_info[:3]),
        **{name: package_version(name) for name in LIBRARIES},
    }


def write_provenance(path: Path, made_by: dict[str, object] | None = None) -> None:
    """Write ``made_by`` (default: :func:`provenance`) to ``path`` as indented JSON."""
    path.write_text(json.dumps(provenance() if made_by is None else made_by, indent=2) + "\n")
