"""Parsed data tables kept in the user cache, so each process need not parse the ``.rda`` files.

Parsing the LSOA-level ``.rda`` files with ``rdata`` takes about 12 s a process (the
population file alone about 4 s, read by the ward table and by the small areas); reading
the same table back from Parquet takes about 0.1 s. Each parsed table is kept as
``<cache>/tables/<file stem>-<key>.parquet``, the key a SHA-256 of the source file's own
SHA-256, :data:`CACHE_VERSION` and the versions of the libraries that parse and store it: a
changed file or library is a new key, never a stale table. Files are written whole (to a
temporary name, then renamed), so parallel workers never read half a table; a cache that
cannot be written or read is passed by (the file is parsed, as without a cache). Nothing is
ever written into the data folder.

``LBN_SIM_TABLE_CACHE``: another folder for the tables, or ``0`` to parse every time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from lbn_sim.data.files import default_cache_dir, sha256_of

#: Raise to drop every table cached before (a change of what a cached table holds).
CACHE_VERSION = 1
#: The environment variable naming the tables' folder (``0``: no cache).
ENV_VAR = "LBN_SIM_TABLE_CACHE"


def cache_folder() -> Path | None:
    """Where the tables are kept (``None``: not kept)."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env == "0":
        return None
    return Path(env).expanduser() if env else default_cache_dir() / "tables"


def cache_file(path: Path, folder: Path) -> Path:
    """The cached table of the file at ``path`` (its SHA-256 and the libraries' versions)."""
    import pyarrow
    import rdata

    versions = f"v{CACHE_VERSION} rdata {rdata.__version__} pandas {pd.__version__} "
    versions += f"pyarrow {pyarrow.__version__} {sha256_of(path)}"
    key = hashlib.sha256(versions.encode()).hexdigest()[:16]
    return folder / f"{path.stem}-{key}.parquet"


def read_cached(path: Path, parse: Callable[[Path], pd.DataFrame]) -> pd.DataFrame:
    """``parse(path)``, from the cache when it holds the table (exactly the same frame:
    values, dtypes and index round-trip through Parquet), else parsed and kept there."""
    folder = cache_folder()
    if folder is None:
        return parse(path)
    target = cache_file(path, folder)  # an unreadable file raises here, as parse would
    if target.is_file():
        try:
            return pd.read_parquet(target)
        except (OSError, ValueError):
            pass  # a damaged cache file: parse again and replace it
    frame = parse(path)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        frame.to_parquet(temporary)
        os.replace(temporary, target)
    except (OSError, ValueError, TypeError):
        with contextlib.suppress(OSError):  # no cache: the table was parsed all the same
            temporary.unlink(missing_ok=True)
    return frame
