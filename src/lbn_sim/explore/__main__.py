"""``python -m lbn_sim.explore [DIR] [--port N] [--host H]``: serve the explorer.

Checks the folder (it must hold runs) and that the ``explorer`` extra is installed, then
serves :mod:`lbn_sim.explore.app` with Solara's server on ``http://HOST:PORT`` until
stopped (Ctrl-C or ``kill``): the server takes this process's place (``os.execve``), so
the process started is the one that serves. Exit codes: 2 a folder without runs or no
Solara (one line, ``lbn_sim: error: ...``); otherwise the server's own.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from lbn_sim.explore.app_env import FOLDER_VARIABLE

__all__ = ["main", "server_command"]

DEFAULT_PORT = 8765


def server_command(host: str, port: int) -> list[str]:
    """Solara's server command for the explorer's page (production mode: no reloader)."""
    return [
        sys.executable,
        "-m",
        "solara",
        "run",
        "lbn_sim.explore.app:Page",
        "--host",
        host,
        "--port",
        str(port),
        "--production",
        "--no-open",
        "--no-check-version",
        "--log-level",
        "warning",
    ]


def _refuse(message: str) -> int:
    print(f"lbn_sim: error: {message}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments, check them and serve the explorer; the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m lbn_sim.explore",
        description=(
            "Explore a sweep or comparison in the browser: pick a place and futures, see "
            "its wards' trajectories, maps and table; run a variant with lever sliders."
        ),
    )
    parser.add_argument("dir", nargs="?", help="a sweep, comparison or run folder (optional)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (0: any free)")
    args = parser.parse_args(argv)
    if importlib.util.find_spec("solara") is None:
        return _refuse('the explorer needs its extra: pip install -e ".[explorer]"')
    env = dict(os.environ)
    if args.dir is not None:
        from lbn_sim.compare.runs import CompareRefusal
        from lbn_sim.explore.places import open_folder

        try:
            opened = open_folder(args.dir)
        except CompareRefusal as err:
            return _refuse(str(err))
        env[FOLDER_VARIABLE] = str(Path(args.dir).resolve())
        print(f"lbn_sim: exploring {opened.n_runs} runs in {args.dir}", file=sys.stderr)
    print(f"lbn_sim: explorer at http://{args.host}:{args.port} (Ctrl-C stops it)", file=sys.stderr)
    sys.stderr.flush()
    # The server replaces this process rather than running as its child, so a stop sent
    # to this process (Ctrl-C, kill) reaches the server: a child would outlive a killed
    # parent and keep the port.
    command = server_command(args.host, args.port)
    os.execve(command[0], command, env)


if __name__ == "__main__":
    sys.exit(main())
