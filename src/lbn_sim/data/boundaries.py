"""Ward (2017) and local-authority (2019) boundaries for maps of the real data.

The shared boundaries are LSOA (2011) polygons; wards are drawn by dissolving each ward's
LSOAs through the ONS best-fit lookup (``lookup_lsoa11_ward17.rda``). Reading the LSOA file
and dissolving take about a minute, so the result is built once and cached as a parquet
table of WKB polygons in the user cache (:func:`lbn_sim.data.files.default_cache_dir`),
named by the SHA-256s of the three input files: other inputs give another cache file, and a
cache file that cannot be read is rebuilt.

The boundary files are fetched and verified like the other data files
(``python -m lbn_sim.data download --maps``; :data:`lbn_sim.data.files.MAP_FILES`).

Coordinates are WGS84 longitude and latitude (degrees), as published.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import shapely
from shapely.geometry.base import BaseGeometry

from lbn_sim.data.england import _read_rda
from lbn_sim.data.files import (
    MAP_FILES,
    DataError,
    MissingDataError,
    default_cache_dir,
    download_command,
    resolve_data_dir,
    sha256_of,
)

__all__ = [
    "LA_BOUNDARIES",
    "LSOA_BOUNDARIES",
    "Boundaries",
    "cache_path",
    "dissolve",
    "load_boundaries",
    "polygons_of",
]

LSOA_BOUNDARIES = "boundaries_lsoa11.rda"
LA_BOUNDARIES = "boundaries_ltla19.rda"
LOOKUP = "lookup_lsoa11_ward17.rda"
#: Version of the cache format: a change here rebuilds every cache file.
CACHE_VERSION = 1

Log = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Boundaries:
    """Polygons to draw.

    Attributes:
        wards: one row per English ward (2017): ``ward_code`` and ``geometry`` (a shapely
            Polygon or MultiPolygon, lon/lat degrees).
        authorities: one row per English local authority district (2019): ``la_code``,
            ``la_name`` and ``geometry``.
    """

    wards: pd.DataFrame
    authorities: pd.DataFrame


def polygons_of(cell: Any) -> BaseGeometry:
    """A shapely (Multi)Polygon from one ``geometry`` cell of an sf table read by ``rdata``:
    a polygon is a list of rings (``[n_points, 2]`` arrays of lon, lat; the first the
    outer ring, the others holes), a multipolygon a list of such polygons.

    Raises:
        ValueError: a cell of neither shape.
    """
    if len(cell) == 0:
        return shapely.MultiPolygon()
    if isinstance(cell[0], np.ndarray) and np.ndim(cell[0]) == 2:
        rings = [np.asarray(r, dtype=float) for r in cell]
        return shapely.Polygon(rings[0], rings[1:])
    parts = [polygons_of(p) for p in cell]
    polys = [g for p in parts for g in getattr(p, "geoms", [p])]
    return shapely.MultiPolygon(polys)


def dissolve(polygons: Sequence[BaseGeometry], keys: Sequence[str]) -> pd.DataFrame:
    """Union the polygons of each key: ``ward_code`` -> one (Multi)Polygon.

    Args:
        polygons: one polygon per LSOA, ``[n_lsoas]``.
        keys: the ward each LSOA belongs to, ``[n_lsoas]``.

    Returns:
        One row per key (sorted): ``ward_code`` and ``geometry``. Edges two LSOAs share
        vanish; simplified edges that do not quite meet leave no slivers wider than about
        1e-6 degrees (about 10 cm), closed by a tiny buffer out and back.
    """
    frame = pd.DataFrame({"ward_code": list(keys), "geometry": list(polygons)})
    rows = []
    for code, part in frame.groupby("ward_code", sort=True):
        union = shapely.union_all(shapely.buffer(np.asarray(part["geometry"]), 1e-6))
        rows.append((code, shapely.buffer(union, -1e-6)))
    return pd.DataFrame(rows, columns=["ward_code", "geometry"])


def _inputs(root: Path) -> list[Path]:
    paths = [root / LSOA_BOUNDARIES, root / LA_BOUNDARIES, root / LOOKUP]
    missing = [p.name for p in paths if not p.is_file()]
    if missing:
        raise MissingDataError(
            f"data directory {root} lacks the boundary file(s) {', '.join(missing)} that maps "
            f"need; fetch them with: {download_command(root)} --maps"
        )
    return paths


def cache_path(root: Path, cache_dir: Path | None = None) -> Path:
    """The cache file of the boundaries built from the files in ``root``: named by their
    SHA-256s (and :data:`CACHE_VERSION`), in ``cache_dir`` (default: the user cache's
    ``maps`` folder)."""
    digest = hashlib.sha256(f"v{CACHE_VERSION}".encode())
    for path in _inputs(root):
        digest.update(sha256_of(path).encode())
    folder = cache_dir if cache_dir is not None else default_cache_dir() / "maps"
    return folder / f"boundaries-{digest.hexdigest()[:16]}.parquet"


def _read_sf(path: Path) -> pd.DataFrame:
    """An sf table of an ``.rda`` file (``rdata`` warns that it has no constructors for the sf
    classes and keeps their plain lists, which :func:`polygons_of` reads)."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message=r"Missing constructor for R class", category=UserWarning
        )
        return _read_rda(path)


def _build(root: Path, log: Log) -> Boundaries:
    """Read the three files and dissolve the LSOAs to English wards."""
    expected = {f.name: f.sha256 for f in MAP_FILES}
    for name in (LSOA_BOUNDARIES, LA_BOUNDARIES):
        actual = sha256_of(root / name)
        if actual != expected[name]:
            raise DataError(
                f"{root / name}: SHA-256 {actual}, not the pinned {expected[name]}; "
                f"replace it: {download_command(root)} --maps"
            )
    log(f"reading {root / LSOA_BOUNDARIES} (about 20 s)")
    lsoas = _read_sf(root / LSOA_BOUNDARIES)
    lookup = _read_rda(root / LOOKUP)
    joined = lsoas.merge(lookup[["lsoa11_code", "ward17_code"]], on="lsoa11_code", how="inner")
    joined = joined[joined["ward17_code"].astype(str).str.startswith("E")]
    log(f"dissolving {len(joined):,} LSOAs into wards")
    polygons = [polygons_of(cell) for cell in joined["geometry"]]
    wards = dissolve(polygons, [str(c) for c in joined["ward17_code"]])
    las = _read_sf(root / LA_BOUNDARIES)
    las = las[las["ltla19_code"].astype(str).str.startswith("E")]
    authorities = pd.DataFrame(
        {
            "la_code": las["ltla19_code"].astype(str).to_numpy(),
            "la_name": las["ltla19_name"].astype(str).to_numpy(),
            "geometry": [polygons_of(cell) for cell in las["geometry"]],
        }
    )
    return Boundaries(wards, authorities.sort_values("la_code", ignore_index=True))


def _write_cache(bounds: Boundaries, path: Path) -> None:
    """One parquet file (wards and authorities, told apart by ``kind``), written whole or
    not at all."""
    frame = pd.concat(
        [
            bounds.wards.rename(columns={"ward_code": "code"}).assign(kind="ward", name=""),
            bounds.authorities.rename(columns={"la_code": "code", "la_name": "name"}).assign(
                kind="authority"
            ),
        ],
        ignore_index=True,
    )
    table = pa.table(
        {
            "kind": frame["kind"].astype(str),
            "code": frame["code"].astype(str),
            "name": frame["name"].astype(str),
            "wkb": shapely.to_wkb(np.asarray(frame["geometry"])),
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(fd)
    try:
        import pyarrow.parquet as pq

        pq.write_table(table, tmp)
        Path(tmp).chmod(0o644)  # mkstemp makes 0600; these are public boundaries
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _read_cache(path: Path) -> Boundaries | None:
    """The cached boundaries, or None when the file is missing or cannot be read."""
    try:
        frame = pd.read_parquet(path)
        geometry = shapely.from_wkb(np.asarray(frame["wkb"]))
    except (OSError, ValueError, pa.ArrowException, shapely.errors.ShapelyError):
        return None
    frame = frame.assign(geometry=geometry)
    wards = frame[frame["kind"] == "ward"].rename(columns={"code": "ward_code"})
    las = frame[frame["kind"] == "authority"].rename(columns={"code": "la_code", "name": "la_name"})
    return Boundaries(
        wards[["ward_code", "geometry"]].reset_index(drop=True),
        las[["la_code", "la_name", "geometry"]].reset_index(drop=True),
    )


def load_boundaries(
    data_dir: str | os.PathLike[str] | None = None,
    cache_dir: Path | None = None,
    log: Log | None = None,
) -> Boundaries:
    """The English wards' and local authorities' boundaries, from the cache or built once.

    Args:
        data_dir: the data folder (default: as the loader chooses it,
            :func:`lbn_sim.data.files.resolve_data_dir`).
        cache_dir: where the built boundaries are kept (default: the user cache).
        log: progress lines (building takes about a minute).

    Raises:
        MissingDataError: a boundary file is missing (the message gives the download
            command).
        DataError: a boundary file is not the pinned one, or cannot be read.
    """
    root = resolve_data_dir(data_dir)
    path = cache_path(root, cache_dir)
    cached = _read_cache(path) if path.is_file() else None
    if cached is not None:
        return cached
    say = log if log is not None else (lambda _line: None)
    bounds = _build(root, say)
    try:
        _write_cache(bounds, path)
        say(f"cached the ward boundaries in {path}")
    except OSError as err:  # a cache that cannot be written costs time, not the map
        say(f"could not cache the ward boundaries in {path} ({err.strerror or err})")
    return bounds
