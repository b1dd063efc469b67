"""Command line: ``python -m lbn_sim.data {download,verify} [DIR]``.

``download [DIR] [--base-url URL]`` fetches the seven pinned files into DIR,
checking each SHA-256; ``verify [DIR]`` checks them without the network. DIR
defaults to ``$LBN_SIM_DATA_DIR`` if set, else the user download cache, which
is where the loaders look. Exit status: 0 all good, 1 a file failed (missing,
corrupt, not fetched), 2 usage, a malformed ``--base-url`` or a file that cannot be
read (one line, ``lbn_sim: error: <file>: <what is wrong>``). ``--maps`` adds the two
boundary files the ward maps need (:data:`lbn_sim.data.files.MAP_FILES`).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from lbn_sim.data.download import check_base_url, download, verify
from lbn_sim.data.files import (
    CREDIT,
    ENV_VAR,
    FILES,
    MAP_FILES,
    DataError,
    UnreadableDataError,
    default_cache_dir,
)


def _default_dir() -> Path:
    env = os.environ.get(ENV_VAR, "").strip()
    return Path(env).expanduser() if env else default_cache_dir()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lbn_sim.data",
        description="Fetch or verify the open data files for England's wards.",
        epilog=CREDIT,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    dir_help = f"data directory (default: ${ENV_VAR} if set, else {default_cache_dir()})"
    p_down = sub.add_parser("download", help="download the pinned files and check their SHA-256")
    p_down.add_argument("dir", nargs="?", type=Path, help=dir_help)
    p_down.add_argument(
        "--base-url",
        default=None,
        help="fetch BASE_URL/<file name> instead of the pinned URLs (a mirror)",
    )
    p_down.add_argument(
        "--timeout", type=float, default=60.0, help="seconds per request (default: %(default)s)"
    )
    p_ver = sub.add_parser("verify", help="check the files' SHA-256 without the network")
    p_ver.add_argument("dir", nargs="?", type=Path, help=dir_help)
    for sub_parser in (p_down, p_ver):
        sub_parser.add_argument(
            "--maps",
            action="store_true",
            help="also the LSOA and local-authority boundaries the ward maps are drawn from",
        )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    dest: Path = args.dir if args.dir is not None else _default_dir()
    files = (*FILES, *MAP_FILES) if args.maps else FILES
    if dest.exists() and not dest.is_dir():
        print(
            f"lbn_sim.data: error: {dest} is a file, not a folder; give the data's folder",
            file=sys.stderr,
        )
        return 2
    if args.command == "download":
        if args.base_url is not None:
            problem = check_base_url(args.base_url)
            if problem is not None:
                print(f"lbn_sim: error: --base-url {args.base_url}: {problem}", file=sys.stderr)
                return 2
        print(f"Downloading {len(files)} files into {dest}", flush=True)
        try:
            download(dest, args.base_url, timeout=args.timeout, progress=_print, files=files)
        except UnreadableDataError as err:  # a file there that cannot be read, named
            print(f"lbn_sim: error: {err}", file=sys.stderr)
            return 2
        except (DataError, OSError) as err:  # DownloadError names every failed file
            print(f"lbn_sim.data: error: {err}", file=sys.stderr)
            return 1
        print(f"All {len(files)} files present in {dest} with their pinned SHA-256.")
        return 0
    try:
        statuses = verify(dest, files)
    except UnreadableDataError as err:
        print(f"lbn_sim: error: {err}", file=sys.stderr)
        return 2
    bad = 0
    for st in statuses:
        if st.status == "ok":
            print(f"ok       {st.name}")
        elif st.status == "missing":
            bad += 1
            print(f"MISSING  {st.name}")
        else:
            bad += 1
            print(f"BAD      {st.name}: expected SHA-256 {st.expected}, got {st.actual}")
    if bad:
        print(
            f"lbn_sim.data: error: {bad} of {len(files)} files in {dest} are missing or corrupt; "
            f"fetch them with: python -m lbn_sim.data download {dest}"
            + (" --maps" if args.maps else ""),
            file=sys.stderr,
        )
        return 1
    print(f"All {len(files)} files in {dest} match their pinned SHA-256.")
    return 0


def _print(line: str) -> None:
    print(line, flush=True)


if __name__ == "__main__":
    sys.exit(main())
