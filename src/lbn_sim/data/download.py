"""Fetch and verify the seven pinned data files.

:func:`download` fetches each file with pooch's downloaders from its pinned URL
(or from ``base_url`` + file name, for mirrors and tests: http(s), ftp, a
``file://`` URL or a local folder) into a temporary file in the destination
directory, checks its SHA-256 and only then moves it into place (``os.replace``,
atomic on one file system). A file already present with the right hash is kept
without a network request; one with a wrong hash is fetched again and replaced
only by a verified copy (kept as it was if the fetch fails). A failed download
leaves nothing new behind: neither a destination file nor a temporary one.

:func:`verify` checks a directory without touching the network.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pooch

from lbn_sim.data.files import FILES, ChecksumError, DataError, DataFile, sha256_of

__all__ = ["DownloadError", "FileStatus", "check_base_url", "download", "file_url", "verify"]

Progress = Callable[[str], None]


class DownloadError(DataError):
    """One or more files could not be fetched or failed their hash check.

    ``failures`` maps each failed file name to the error it raised (a
    :class:`~lbn_sim.data.files.ChecksumError` for a hash mismatch).
    """

    def __init__(self, dest: Path, failures: dict[str, Exception], n_files: int = 0) -> None:
        self.dest = dest
        self.failures = failures
        lines = "\n".join(f"  - {name}: {err}" for name, err in failures.items())
        offline = any(str(err).startswith("not tried:") for err in failures.values())
        hint = (
            "\nNo network here? Fetch the files on a machine that has one and give their "
            "folder (or a mirror) with --base-url."
            if offline
            else ""
        )
        super().__init__(
            f"{len(failures)} of {n_files or len(FILES)} data files could not be downloaded into "
            f"{dest} (nothing was written for them):\n{lines}{hint}"
        )


@dataclass(frozen=True, slots=True)
class FileStatus:
    """The state of one registry file in a directory.

    ``status`` is ``"ok"`` (present, pinned hash), ``"missing"`` or ``"bad"``
    (present, other hash; ``actual`` holds it).
    """

    name: str
    path: Path
    status: Literal["ok", "missing", "bad"]
    expected: str
    actual: str | None


def file_url(entry: DataFile, base_url: str | None = None) -> str:
    """The URL to fetch ``entry`` from: pinned, or ``base_url`` + file name."""
    if base_url is None:
        return entry.url
    return f"{base_url.rstrip('/')}/{urllib.parse.quote(entry.name)}"


def check_base_url(base_url: str) -> str | None:
    """What is wrong with a mirror's address (None when nothing is): a URL Python cannot
    parse (``ftp://[::1``, a port that is not a number), or one of the network's schemes
    without a host (``http://``)."""
    try:
        parts = urllib.parse.urlsplit(base_url)
        parts.port  # noqa: B018 - parsing the port raises for one that is not a number
    except ValueError as err:
        return f"not a valid URL ({err})"
    scheme = parts.scheme.lower()
    if scheme in ("http", "https", "ftp", "sftp", "doi") and not (parts.hostname or parts.path):
        return "not a valid URL (no host)"
    if len(scheme) > 1 and scheme not in ("http", "https", "ftp", "sftp", "doi", "file"):
        return (
            f"not a URL lbn_sim can fetch from (scheme {parts.scheme!r}; use http, https, "
            "ftp, sftp, a file:// URL or a folder)"
        )
    return None


def verify(dest: str | os.PathLike[str], files: Sequence[DataFile] = FILES) -> list[FileStatus]:
    """Check every registry file (``files``: default the run's seven; add
    :data:`~lbn_sim.data.files.MAP_FILES` for the maps) in ``dest`` against its pinned
    SHA-256 (no network).

    Raises:
        lbn_sim.data.files.UnreadableDataError: a file that cannot be read, named.
    """
    root = Path(dest)
    out: list[FileStatus] = []
    for entry in files:
        path = root / entry.name
        if not path.is_file():
            out.append(FileStatus(entry.name, path, "missing", entry.sha256, None))
            continue
        actual = sha256_of(path)
        status: Literal["ok", "bad"] = "ok" if actual == entry.sha256 else "bad"
        out.append(FileStatus(entry.name, path, status, entry.sha256, actual))
    return out


def download(
    dest: str | os.PathLike[str],
    base_url: str | None = None,
    *,
    timeout: float = 60.0,
    retries: int = 2,
    progress: Progress | None = None,
    files: Sequence[DataFile] = FILES,
) -> list[Path]:
    """Make ``dest`` hold the pinned ``files`` (default the seven a run needs; add
    :data:`~lbn_sim.data.files.MAP_FILES` for the maps); return their paths (registry order).

    ``base_url``: fetch ``base_url/<file name>`` instead of the pinned URLs.
    ``timeout``: seconds per connection / read. ``retries``: extra attempts
    after a network error (never after a hash mismatch). ``progress``: called
    with one line of text per step (the CLI passes ``print``).

    Every file is attempted; if any fails, :class:`DownloadError` is raised at
    the end, naming each failed file (with expected and actual SHA-256 for a
    mismatch). Files that succeeded stay, so a rerun fetches only the rest.
    """
    say: Progress = progress if progress is not None else _silent
    if base_url is not None:
        problem = check_base_url(base_url)
        if problem is not None:
            raise DataError(f"base URL {base_url}: {problem}")
    root = Path(dest).expanduser()
    root.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    failures: dict[str, Exception] = {}
    # Hosts that could not be reached at all: the files still to fetch from them are not
    # tried (each would wait through its own retries for the same answer).
    unreachable: set[str] = set()
    n = len(files)
    for i, entry in enumerate(files, start=1):
        target = root / entry.name
        tag = f"[{i}/{n}] {entry.name}"
        if target.is_file():
            actual = sha256_of(target)
            if actual == entry.sha256:
                say(f"{tag}: already present, SHA-256 OK, skipped")
                paths.append(target)
                continue
            # Kept until a verified copy replaces it (os.replace), so a failed fetch loses
            # nothing.
            say(f"{tag}: present but SHA-256 is {actual}, not {entry.sha256}; replacing")
        url = file_url(entry, base_url)
        host = urllib.parse.urlsplit(url).netloc
        if host and host in unreachable:
            failures[entry.name] = DataError(
                f"not tried: {host} could not be reached for an earlier file"
            )
            say(f"{tag}: not tried ({host} could not be reached)")
            continue
        say(f"{tag}: downloading {url}")
        try:
            size = _fetch_verified(entry, url, target, timeout=timeout, retries=retries, say=say)
        except DataError as err:
            say(f"{tag}: FAILED")
            failures[entry.name] = err
            if host and _no_connection(err.__cause__):
                unreachable.add(host)
            continue
        say(f"{tag}: {size:,} bytes, SHA-256 OK")
        paths.append(target)
    if failures:
        raise DownloadError(root, failures, n)
    return paths


def _silent(_: str) -> None:
    return None


def _no_connection(err: BaseException | None) -> bool:
    """No connection could be made to the host at all (refused, no route, name not
    resolved, connect timeout): not a connection dropped part-way, a read timeout, an
    HTTP error or a bad file."""
    import requests
    import urllib3

    if isinstance(err, requests.exceptions.ConnectTimeout):
        return True
    if not isinstance(err, requests.ConnectionError) or isinstance(
        err, requests.exceptions.ReadTimeout
    ):
        return False
    reason = getattr(err.args[0] if err.args else None, "reason", None)
    return isinstance(reason, urllib3.exceptions.NewConnectionError)


def _transient(err: Exception) -> bool:
    """Worth retrying: connection problems, timeouts and server (5xx) errors; not 4xx, and not
    a local mirror's file-system error (a missing file stays missing)."""
    import requests

    if isinstance(err, OSError) and not isinstance(err, requests.RequestException):
        return False
    response = getattr(err, "response", None)
    status = getattr(response, "status_code", None)
    return status is None or int(status) >= 500


def _copy_local(url: str, output_file: str, _pooch: object) -> None:
    """A downloader for a local mirror: ``file://`` URLs and plain paths (pooch's signature)."""
    parts = urllib.parse.urlsplit(url)
    source = urllib.request.url2pathname(parts.path) if parts.scheme.lower() == "file" else url
    shutil.copyfile(source, output_file)


def _downloader(url: str, timeout: float) -> Any:
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme in ("http", "https"):
        return pooch.HTTPDownloader(progressbar=False, timeout=timeout)
    if scheme == "file" or len(scheme) <= 1:  # a file URL, or a path (C: on Windows)
        return _copy_local
    try:
        return pooch.downloaders.choose_downloader(url, progressbar=False)
    except ValueError as err:
        raise DataError(f"cannot download {url}: {err}") from err


def _fetch_verified(
    entry: DataFile, url: str, target: Path, *, timeout: float, retries: int, say: Progress
) -> int:
    """Fetch ``url`` to a temporary file beside ``target``, verify, move into place."""
    import requests  # pooch's own dependency; imported lazily like pooch does

    downloader = _downloader(url, timeout)
    attempts = 1 + max(0, retries)
    for attempt in range(1, attempts + 1):
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{entry.name}.", suffix=".part")
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            try:
                downloader(url, str(tmp), None)
            except (requests.RequestException, OSError, ValueError) as err:
                if attempt < attempts and _transient(err):
                    # The full error is in the final message; a retry names its kind only.
                    kind = type(err).__name__
                    say(f"    attempt {attempt} of {attempts} failed ({kind}); retrying")
                    time.sleep(min(attempt, 5))
                    continue
                raise DataError(
                    f"could not fetch {entry.name} from {url} after {attempts} attempt(s): {err}"
                ) from err
            actual = sha256_of(tmp)
            if actual != entry.sha256:
                raise ChecksumError(entry.name, entry.sha256, actual, f"downloaded from {url}")
            size = tmp.stat().st_size
            tmp.chmod(0o644)  # mkstemp makes 0600; these are public data
            os.replace(tmp, target)
            return size
        finally:
            tmp.unlink(missing_ok=True)
    raise AssertionError("unreachable")  # pragma: no cover
