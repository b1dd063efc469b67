"""The seven open-data files for England's wards: names, pinned URLs, SHA-256s.

The files are kept byte-for-byte as published (see the data README). lbn_sim
never ships them: it reads them from a directory chosen by
:func:`resolve_data_dir` (an explicit directory, else ``$LBN_SIM_DATA_DIR``,
else the user download cache filled by ``python -m lbn_sim.data download``).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import pooch

__all__ = [
    "CREDIT",
    "ENV_VAR",
    "FILES",
    "FILE_NAMES",
    "MAP_FILES",
    "ChecksumError",
    "DataError",
    "DataFile",
    "MissingDataError",
    "UnreadableDataError",
    "check_files",
    "default_cache_dir",
    "download_command",
    "missing_files",
    "resolve_data_dir",
    "sha256_of",
    "unreadable",
]

ENV_VAR = "LBN_SIM_DATA_DIR"
"""Environment variable naming the data directory."""

CREDIT = (
    "Contains public sector information licensed under the Open Government Licence v3.0; "
    "Community Needs Index © OCSI / Local Trust."
)
"""Attribution required by the data licences."""


@dataclass(frozen=True, slots=True)
class DataFile:
    """One pinned input file.

    ``name`` is the file name in the data directory, ``url`` the pinned source
    (a commit-pinned raw GitHub URL), ``sha256`` the hex digest of its bytes.
    """

    name: str
    url: str
    sha256: str
    description: str


_HUMANIVERSE = "https://raw.githubusercontent.com/humaniverse"
_IMD_PIN = f"{_HUMANIVERSE}/IMD/2f6c9050afee99a40041eb63b02b6b0c58850704"

FILES: tuple[DataFile, ...] = (
    DataFile(
        name="cni2019_england_ward17.csv",
        url=f"{_IMD_PIN}/data-raw/cni2019_england_ward17.csv",
        sha256="70adf40b72a71bac31460faddaadfca9c1e32b1106a79626603816b63f28b0fb",
        description="Community Needs Index 2019 by ward17, with the 'Left Behind Area?' flag",
    ),
    DataFile(
        name="imd2019_england_ward17.csv",
        url=(
            f"{_HUMANIVERSE}/IMD/91e5ef1f3bdb972b647849ace5fd0ae251ab653b"
            "/archive/data/English%20IMD%20-%20Ward%202017.csv"
        ),
        sha256="4f89d3f96e83ea563bffb8b554fecc6909a896eeca961c81c245407469f522fc",
        description="IMD 2019 and its domains aggregated to ward17 (population-weighted scores)",
    ),
    DataFile(
        name="imd2019_england_lsoa11.rda",
        url=f"{_IMD_PIN}/data/imd2019_england_lsoa11.rda",
        sha256="6eb52614c9a6b7c96c6b0276d472d61558bd607e1d4c6833edf43dcc0faaa4a6",
        description="IMD 2019 ranks and deciles by LSOA (2011)",
    ),
    DataFile(
        name="imd2019_england_lsoa11_indicators.rda",
        url=f"{_IMD_PIN}/data/imd2019_england_lsoa11_indicators.rda",
        sha256="162086d54e7d8068e111553d40e9d143c67a17e959950cec4e1f9a90b95a7819",
        description="IMD 2019 underlying indicators by LSOA (2011)",
    ),
    DataFile(
        name="imd2015_england_lsoa11.rda",
        url=f"{_IMD_PIN}/data/imd2015_england_lsoa11.rda",
        sha256="47915cd7982fe3bf11a912f36e267f188a5cd31b7fe9e7b43fca368fa06667ea",
        description="IMD 2015 score, rank and decile by LSOA (2011)",
    ),
    DataFile(
        name="population19_lsoa11.rda",
        url=(
            f"{_HUMANIVERSE}/demographr/d0417101e5cad5fe1eca059ac60859e9157a29d2"
            "/data/population19_lsoa11.rda"
        ),
        sha256="714ab652b3549b86faee73dc965accc63d5fef2032d7a4679decf7b6353660ab",
        description="ONS mid-2019 population by LSOA (2011) and single year of age",
    ),
    DataFile(
        name="lookup_lsoa11_ward17.rda",
        url=(
            f"{_HUMANIVERSE}/geographr/c026be5cc76cb576358082b53f1f13d69ab577ae"
            "/data/lookup_lsoa11_ward17.rda"
        ),
        sha256="bea227f23302b3f548991fba6a7e37f2f3c0806ea5e62f71d3d927482d6ef27b",
        description="ONS best-fit lookup from LSOA (2011) to ward (2017)",
    ),
)
"""The registry: every file the England loader needs, in a fixed order."""

FILE_NAMES: tuple[str, ...] = tuple(f.name for f in FILES)

_GEOGRAPHR_PIN = f"{_HUMANIVERSE}/geographr/c026be5cc76cb576358082b53f1f13d69ab577ae"

MAP_FILES: tuple[DataFile, ...] = (
    DataFile(
        name="boundaries_lsoa11.rda",
        url=f"{_GEOGRAPHR_PIN}/data/boundaries_lsoa11.rda",
        sha256="943ddf96b84de10282fff76212ed49a7d071bf60672988ef8671620f4f98823d",
        description="LSOA (2011) boundaries, generalised, WGS84 (dissolved to wards for maps)",
    ),
    DataFile(
        name="boundaries_ltla19.rda",
        url=f"{_GEOGRAPHR_PIN}/data/boundaries_ltla19.rda",
        sha256="ca4eb1d6d3c14928ea486e01974e530d52eac41fca9294b6e1e962fea770268d",
        description="local authority district (2019) boundaries, generalised, WGS84",
    ),
)
"""Files only the maps need (``python -m lbn_sim.data download --maps``): a run does not."""


class DataError(Exception):
    """Base class for problems with the input data files."""


class MissingDataError(DataError, FileNotFoundError):
    """The data directory, or some files in it, do not exist."""


class ChecksumError(DataError, ValueError):
    """A file's SHA-256 differs from the pinned one."""

    def __init__(self, name: str, expected: str, actual: str, where: str, fix: str = "") -> None:
        self.name = name
        self.expected = expected
        self.actual = actual
        self.where = where
        self.fix = fix
        super().__init__(
            f"SHA-256 mismatch for {name} ({where}): expected {expected}, got {actual}. "
            "The file is corrupt, truncated or not the pinned version." + (f" {fix}" if fix else "")
        )

    def __reduce__(self) -> tuple[type[ChecksumError], tuple[str, str, str, str, str]]:
        # (Rebuilt from its arguments, so it survives the trip back from a worker process.)
        return type(self), (self.name, self.expected, self.actual, self.where, self.fix)


def default_cache_dir() -> Path:
    """The user download cache, e.g. ``~/.cache/lbn_sim`` on Linux."""
    return Path(pooch.os_cache("lbn_sim")).expanduser()


def download_command(directory: str | os.PathLike[str] | None = None) -> str:
    """The shell command that fills ``directory`` (default: the cache)."""
    base = "python -m lbn_sim.data download"
    return base if directory is None else f"{base} {Path(directory)}"


class UnreadableDataError(DataError):
    """A data file exists but cannot be read (no permission, an I/O error)."""


def unreadable(path: str | os.PathLike[str], err: OSError) -> UnreadableDataError:
    """The error for a data file that ``err`` stopped being read, naming the file (and the
    fix for a file nobody may read)."""
    reason = err.strerror or str(err)
    fix = ""
    if isinstance(err, PermissionError):
        fix = "; let this user read it (chmod a+r) or give another data folder"
    return UnreadableDataError(f"{Path(path)}: cannot be read ({reason}){fix}")


def sha256_of(path: str | os.PathLike[str]) -> str:
    """Hex SHA-256 of a file's bytes.

    Raises:
        UnreadableDataError: (a :class:`DataError`) the file cannot be read, named.
    """
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as err:
        raise unreadable(path, err) from None
    return digest.hexdigest()


def missing_files(directory: str | os.PathLike[str]) -> list[str]:
    """Names of registry files that are not regular files in ``directory``."""
    root = Path(directory)
    return [name for name in FILE_NAMES if not (root / name).is_file()]


def check_files(directory: str | os.PathLike[str]) -> None:
    """Raise unless every registry file is in ``directory`` with its pinned SHA-256.

    Raises :class:`MissingDataError` (naming every missing file) or
    :class:`ChecksumError` (for the first file whose hash differs).
    """
    root = Path(directory)
    missing = missing_files(root)
    if missing:
        raise _missing_error(root, missing, source="given explicitly")
    for entry in FILES:
        actual = sha256_of(root / entry.name)
        if actual != entry.sha256:
            raise ChecksumError(
                entry.name,
                entry.sha256,
                actual,
                str(root / entry.name),
                fix=f"Replace it with a good copy: {download_command(root)} (safe to rerun).",
            )


def resolve_data_dir(
    explicit: str | os.PathLike[str] | None = None, *, verify: bool = False
) -> Path:
    """The directory holding the seven data files.

    Chosen in order: ``explicit`` if given, else ``$LBN_SIM_DATA_DIR`` if set
    and not empty, else :func:`default_cache_dir`. The chosen directory is
    authoritative (no fall-through): if it lacks any file a
    :class:`MissingDataError` names the directory, where it came from, every
    missing file and the download command. With ``verify=True`` the SHA-256 of
    every file is checked too (:class:`ChecksumError` on a mismatch; about
    20 ms for the 7.5 MB).
    """
    env = os.environ.get(ENV_VAR, "").strip()
    if explicit is not None:
        root, source = Path(explicit).expanduser(), "given explicitly"
    elif env:
        root, source = Path(env).expanduser(), f"named by ${ENV_VAR}"
    else:
        root, source = default_cache_dir(), "the user download cache"
    missing = missing_files(root)
    if missing:
        raise _missing_error(root, missing, source=source)
    if verify:
        check_files(root)
    return root


def _missing_error(root: Path, missing: list[str], *, source: str) -> MissingDataError:
    if root.exists() and not root.is_dir():
        what = f"data directory {root} ({source}) is a file, not a directory"
    elif not root.is_dir():
        what = f"data directory {root} ({source}) does not exist"
    else:
        what = f"data directory {root} ({source}) lacks {len(missing)} of {len(FILES)} files"
    # The other way to point at the files: data.dir wins over the environment variable.
    other = "data.dir=PATH" if source != "given explicitly" else "another data.dir=PATH"
    if source == "the user download cache":
        other = f"data.dir=PATH or {ENV_VAR}"
    return MissingDataError(
        f"{what}; missing: {', '.join(missing)}. "
        f"Fetch them with: {download_command(root)} "
        f"(or give {other}, a directory that holds them)."
    )
