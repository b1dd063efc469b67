"""The downloader, the verifier and data-directory resolution.

Downloads come from a ``ThreadingHTTPServer`` on 127.0.0.1 (port 0) serving
a tmp copy of the shared files, so no test touches the network. Tests that
need the files use the ``data_dir`` fixture (``LBN_SIM_DATA_DIR``; skipped without it,
except in CI).
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from lbn_sim.data import files
from lbn_sim.data.__main__ import main
from lbn_sim.data.download import DownloadError, download, file_url, verify
from lbn_sim.data.files import (
    ENV_VAR,
    FILE_NAMES,
    FILES,
    ChecksumError,
    DataError,
    MissingDataError,
    resolve_data_dir,
    sha256_of,
)

SRC = Path(__file__).resolve().parents[1] / "src"
TIMEOUT = 10.0  # seconds per HTTP request; every download below uses it, with no retries


class _Handler(SimpleHTTPRequestHandler):
    requested: list[str]  # set per server
    failures: dict[str, list[int]]  # path -> HTTP statuses to answer before serving it

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        return None

    def do_GET(self) -> None:
        self.requested.append(self.path)
        queue = self.failures.get(self.path)
        if queue:
            self.send_error(queue.pop(0))
            return
        super().do_GET()


@contextlib.contextmanager
def _serve(
    directory: Path, failures: dict[str, list[int]] | None = None
) -> Iterator[tuple[str, list[str]]]:
    """Serve ``directory`` on loopback; yield (base URL, list of requested paths).
    ``failures``: per path (``/name``), statuses answered before the file is served."""
    requested: list[str] = []
    handler = type(
        "Handler", (_Handler,), {"requested": requested, "failures": dict(failures or {})}
    )
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(directory))
    )
    server.timeout = TIMEOUT
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host!s}:{port}", requested
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=TIMEOUT)


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loopback requests must never go through a proxy set in the environment."""
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def served(tmp_path: Path, data_dir: Path) -> Path:
    """A tmp copy of the seven shared files, to serve (tests may corrupt it)."""
    shared = data_dir
    out = tmp_path / "served"
    out.mkdir()
    for name in FILE_NAMES:
        shutil.copyfile(shared / name, out / name)
    return out


def _flip_one_byte(path: Path, offset: int = 100) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def _leftovers(directory: Path) -> list[str]:
    """Files in ``directory`` that are not registry files (e.g. temp ``.part`` files)."""
    return sorted(p.name for p in directory.iterdir() if p.name not in FILE_NAMES)


# -- with the real files, over loopback HTTP -------------------------------------------


def test_download_fetches_all_files_and_rerun_skips(served: Path, tmp_path: Path) -> None:
    dest = tmp_path / "cache" / "nested"  # created on demand
    lines: list[str] = []
    with _serve(served) as (url, requested):
        paths = download(dest, url, timeout=TIMEOUT, retries=0, progress=lines.append)
        assert [p.name for p in paths] == list(FILE_NAMES)
        assert sorted(requested) == sorted(f"/{n}" for n in FILE_NAMES)
        for entry in FILES:
            assert sha256_of(dest / entry.name) == entry.sha256
        assert _leftovers(dest) == []
        assert any("downloading" in line for line in lines)

        requested.clear()
        lines.clear()
        again = download(dest, url, timeout=TIMEOUT, retries=0, progress=lines.append)
        assert again == paths
        assert requested == []  # nothing fetched: every file already good
        assert all("skipped" in line for line in lines)
    assert all(s.status == "ok" for s in verify(dest))


def test_corrupted_download_is_rejected_and_leaves_nothing(served: Path, tmp_path: Path) -> None:
    bad_name = "population19_lsoa11.rda"
    _flip_one_byte(served / bad_name)
    actual = sha256_of(served / bad_name)
    expected = next(f.sha256 for f in FILES if f.name == bad_name)
    dest = tmp_path / "dest"
    with _serve(served) as (url, _), pytest.raises(DownloadError) as info:
        download(dest, url, timeout=TIMEOUT, retries=0)
    err = info.value
    assert list(err.failures) == [bad_name]
    assert isinstance(err.failures[bad_name], ChecksumError)
    message = str(err)
    assert bad_name in message and expected in message and actual in message
    assert not (dest / bad_name).exists()
    assert _leftovers(dest) == []  # no half-written temp file
    others = [n for n in FILE_NAMES if n != bad_name]
    assert sorted(p.name for p in dest.iterdir()) == sorted(others)


def test_bad_local_file_is_replaced(served: Path, tmp_path: Path) -> None:
    dest = tmp_path / "dest"
    dest.mkdir()
    name = "lookup_lsoa11_ward17.rda"
    shutil.copyfile(served / name, dest / name)
    _flip_one_byte(dest / name)
    with _serve(served) as (url, requested):
        download(dest, url, timeout=TIMEOUT, retries=0)
    assert f"/{name}" in requested
    assert all(s.status == "ok" for s in verify(dest))
    assert _leftovers(dest) == []


def test_bad_local_file_and_bad_download_keep_the_old_file(served: Path, tmp_path: Path) -> None:
    # A bad copy is replaced only by a verified one: when the fetch fails too, the user's
    # file stays as it was (nothing written, nothing lost) and no temporary file is left.
    dest = tmp_path / "dest"
    dest.mkdir()
    name = "cni2019_england_ward17.csv"
    shutil.copyfile(served / name, dest / name)
    _flip_one_byte(dest / name, offset=10)
    before = (dest / name).read_bytes()
    _flip_one_byte(served / name, offset=20)
    with _serve(served) as (url, _), pytest.raises(DownloadError, match=name):
        download(dest, url, timeout=TIMEOUT, retries=0)
    assert (dest / name).read_bytes() == before
    assert _leftovers(dest) == []


@pytest.mark.parametrize("kind", ["folder", "file URL"])
def test_download_from_a_local_mirror(kind: str, served: Path, tmp_path: Path) -> None:
    # A path with a space and a percent sign: a file URL quotes them, a folder does not.
    spaced = tmp_path / "my mirror %20"
    served.rename(spaced)
    served = spaced
    mirror = str(served) if kind == "folder" else served.as_uri()
    paths = download(tmp_path / "dest", mirror, timeout=TIMEOUT, retries=0)
    assert len(paths) == len(FILE_NAMES)
    assert all(s.status == "ok" for s in verify(tmp_path / "dest"))
    _flip_one_byte(served / "cni2019_england_ward17.csv")  # a bad mirror is still rejected
    (tmp_path / "dest" / "cni2019_england_ward17.csv").unlink()
    with pytest.raises(DownloadError, match=r"cni2019_england_ward17\.csv"):
        download(tmp_path / "dest", mirror, timeout=TIMEOUT, retries=0)
    assert _leftovers(tmp_path / "dest") == []


def test_http_error_names_the_file(served: Path, tmp_path: Path) -> None:
    name = "imd2015_england_lsoa11.rda"
    (served / name).unlink()
    dest = tmp_path / "dest"
    with _serve(served) as (url, _), pytest.raises(DownloadError) as info:
        download(dest, url, timeout=TIMEOUT, retries=0)
    assert list(info.value.failures) == [name]
    assert name in str(info.value) and "404" in str(info.value)
    assert not (dest / name).exists()
    assert _leftovers(dest) == []


def test_cli_download_verify_and_mismatch(
    served: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "dest"
    with _serve(served) as (url, _):
        assert main(["download", str(dest), "--base-url", url, "--timeout", str(TIMEOUT)]) == 0
        out = capsys.readouterr().out
        assert "[1/7]" in out and "SHA-256 OK" in out
        assert main(["verify", str(dest)]) == 0
        capsys.readouterr()

        name = "imd2019_england_ward17.csv"
        _flip_one_byte(dest / name)
        actual = sha256_of(dest / name)
        assert main(["verify", str(dest)]) == 1
        captured = capsys.readouterr()
        assert f"BAD      {name}" in captured.out and actual in captured.out
        assert "python -m lbn_sim.data download" in captured.err

        _flip_one_byte(served / name, offset=50)
        served_hash = sha256_of(served / name)
        timeout = str(TIMEOUT)
        assert main(["download", str(dest), "--base-url", url, "--timeout", timeout]) == 1
        captured = capsys.readouterr()
        expected = next(f.sha256 for f in FILES if f.name == name)
        assert name in captured.err and expected in captured.err and served_hash in captured.err
    assert sha256_of(dest / name) == actual  # the old copy stays until a verified one replaces it
    assert _leftovers(dest) == []


def test_module_entry_point_runs(served: Path, tmp_path: Path) -> None:
    """``python -m lbn_sim.data`` works as a process (download, then verify)."""
    dest = tmp_path / "dest"
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    with _serve(served) as (url, _):
        proc = subprocess.run(
            [sys.executable, "-m", "lbn_sim.data", "download", str(dest), "--base-url", url],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            check=False,
        )
    assert proc.returncode == 0, proc.stderr
    proc = subprocess.run(
        [sys.executable, "-m", "lbn_sim.data", "verify", str(dest)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("ok ") == len(FILES)


# -- without the real files ------------------------------------------------------------


def test_missing_directory_error_names_dir_files_and_command(tmp_path: Path) -> None:
    where = tmp_path / "nowhere"
    with pytest.raises(MissingDataError) as info:
        resolve_data_dir(where)
    assert isinstance(info.value, FileNotFoundError) and isinstance(info.value, DataError)
    message = str(info.value)
    assert str(where) in message and "does not exist" in message
    for name in FILE_NAMES:
        assert name in message
    assert f"python -m lbn_sim.data download {where}" in message
    where.write_text("a file where the folder should be")
    with pytest.raises(MissingDataError, match="is a file, not a directory"):
        resolve_data_dir(where)


def test_partly_missing_directory_names_only_missing_files(tmp_path: Path) -> None:
    for name in FILE_NAMES[:5]:
        (tmp_path / name).write_bytes(b"x")
    with pytest.raises(MissingDataError) as info:
        resolve_data_dir(str(tmp_path))
    message = str(info.value)
    assert "lacks 2 of 7" in message
    assert all(n in message for n in FILE_NAMES[5:])
    assert not any(n in message for n in FILE_NAMES[:5])


def test_resolution_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    full, empty, cache = tmp_path / "full", tmp_path / "empty", tmp_path / "cache"
    full.mkdir()
    for name in FILE_NAMES:
        (full / name).write_bytes(b"not the real bytes")
    monkeypatch.setenv(ENV_VAR, str(empty))
    monkeypatch.setattr(files, "default_cache_dir", lambda: cache)
    assert resolve_data_dir(full) == full  # explicit wins over the environment
    with pytest.raises(MissingDataError, match=ENV_VAR):
        resolve_data_dir(None)  # the environment is authoritative: no fall-through
    monkeypatch.setenv(ENV_VAR, str(full))
    assert resolve_data_dir(None) == full
    with pytest.raises(ChecksumError, match=FILE_NAMES[0]):
        resolve_data_dir(None, verify=True)
    monkeypatch.delenv(ENV_VAR)
    with pytest.raises(MissingDataError, match="user download cache"):
        resolve_data_dir(None)


def test_verify_reports_missing_and_bad(tmp_path: Path) -> None:
    (tmp_path / FILE_NAMES[0]).write_bytes(b"wrong")
    statuses = verify(tmp_path)
    assert [s.name for s in statuses] == list(FILE_NAMES)
    assert statuses[0].status == "bad" and statuses[0].actual is not None
    assert all(s.status == "missing" for s in statuses[1:])


def test_registry_matches_the_data_readme(data_dir: Path) -> None:
    assert len(FILES) == 7 and len(set(FILE_NAMES)) == 7
    for entry in FILES:
        assert re.fullmatch("[0-9a-f]{64}", entry.sha256), entry.name
        assert entry.url.startswith("https://raw.githubusercontent.com/humaniverse/")
    text = (data_dir / "README.md").read_text(encoding="utf-8")
    for entry in FILES:
        assert f"{entry.sha256}  {entry.name}" in text
        assert entry.url in text


def test_a_server_error_is_retried_and_a_missing_file_is_not(
    served: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 503 is worth another attempt (the download then succeeds, and says it retried);
    a 404 is not: asked once, however many retries are allowed."""
    monkeypatch.setattr("lbn_sim.data.download.time.sleep", lambda _s: None)
    first = f"/{FILE_NAMES[0]}"
    lines: list[str] = []
    with _serve(served, failures={first: [503]}) as (url, requested):
        download(tmp_path / "ok", url, timeout=TIMEOUT, retries=2, progress=lines.append)
    assert requested.count(first) == 2
    assert any("attempt 1 of 3 failed" in line for line in lines)
    assert sorted(p.name for p in (tmp_path / "ok").iterdir()) == sorted(FILE_NAMES)
    with _serve(served, failures={first: [404, 404, 404]}) as (url, requested):
        with pytest.raises(DataError, match=FILE_NAMES[0]):
            download(tmp_path / "missing", url, timeout=TIMEOUT, retries=2)
    assert requested.count(first) == 1


def test_file_url_uses_base_url() -> None:
    entry = FILES[1]
    assert file_url(entry) == entry.url
    assert file_url(entry, "http://127.0.0.1:1/x/") == f"http://127.0.0.1:1/x/{entry.name}"


def test_a_missing_local_mirror_fails_at_once(tmp_path: Path) -> None:
    lines: list[str] = []
    with pytest.raises(DownloadError, match="No such file"):
        download(tmp_path / "dest", str(tmp_path / "no mirror"), retries=2, progress=lines.append)
    assert not any("retrying" in line for line in lines)  # a missing file stays missing
    assert _leftovers(tmp_path / "dest") == []


@pytest.mark.parametrize("command", ["download", "verify"])
def test_cli_refuses_a_file_for_the_folder(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "README.md"
    a_file.write_text("not the data folder")
    assert main([command, str(a_file)]) == 2
    assert f"{a_file} is a file, not a folder" in capsys.readouterr().err
    assert a_file.read_text() == "not the data folder"


def test_an_unreachable_host_is_tried_once_not_for_every_file(tmp_path: Path) -> None:
    """Nothing listens on the port: the first file fails after its retries, the other six
    are not tried (each would wait through the same retries), and the error says so."""
    import socket

    with socket.socket() as sock:  # a port nothing listens on once this socket closes
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    lines: list[str] = []
    with pytest.raises(DownloadError) as info:
        download(tmp_path / "d", f"http://127.0.0.1:{port}", retries=0, progress=lines.append)
    assert sum("downloading" in line for line in lines) == 1
    assert sum("not tried" in line for line in lines) == len(FILE_NAMES) - 1
    failures = info.value.failures
    assert set(failures) == set(FILE_NAMES)
    assert str(failures[FILE_NAMES[0]]).startswith("could not fetch")
    assert "No network here?" in str(info.value)
    assert not any((tmp_path / "d").iterdir())


def test_only_a_connection_never_made_marks_a_host_unreachable() -> None:
    import requests
    import urllib3

    from lbn_sim.data.download import _no_connection

    refused = urllib3.exceptions.NewConnectionError(None, "Connection refused")  # type: ignore[arg-type]
    never = requests.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/f", refused))  # type: ignore[arg-type]
    dropped = requests.ConnectionError(urllib3.exceptions.ProtocolError("Connection aborted."))
    assert _no_connection(never)
    assert _no_connection(requests.exceptions.ConnectTimeout())
    assert not _no_connection(dropped)
    assert not _no_connection(requests.exceptions.ReadTimeout())
    assert not _no_connection(requests.HTTPError("500"))
