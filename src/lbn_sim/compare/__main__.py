"""Command line: ``python -m lbn_sim.compare RUN_OR_SWEEP_DIR ... [--out DIR] [--force]
[--allow-incomplete] [--pool KEY ...] [--place PLACE ...]``.

``--place`` also writes a place page beside the report (:mod:`lbn_sim.compare.place_page`);
a place that matches no ward is refused (with the closest names) before anything is written.

Exit codes: 0 written; 2 refused (no runs, runs that cannot be pooled, a sweep
missing some jobs' results, an output directory that is not a comparison folder or
cannot be written), a damaged file (a table cut short or copied over another, a run's
``.hydra`` YAML or a sweep's ``multirun.yaml`` that cannot be read: one line
``lbn_sim: error: <file>: <what is wrong>``; nothing is written and no earlier
comparison is replaced), or bad arguments; 1 any other error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from lbn_sim.bad_files import BadFile
from lbn_sim.compare import CompareRefusal, run_comparison
from lbn_sim.compare.maps import place_maps
from lbn_sim.compare.place import place_view
from lbn_sim.compare.place_page import write_place_page


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the command."""
    parser = argparse.ArgumentParser(
        prog="python -m lbn_sim.compare",
        description=(
            "Compare lbn_sim runs: find every run under the given directories, group them by "
            "scenario and swept keys, and write ensemble tables, figures and a one-page report."
        ),
    )
    parser.add_argument(
        "dirs", nargs="+", type=Path, metavar="RUN_OR_SWEEP_DIR", help="run or sweep directory"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="comparison folder to write (default: <first dir>/comparison); one that "
        "cannot be created or written is refused before any run is read",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="compare runs whose configs differ in keys no override sets (treated as swept)",
    )
    parser.add_argument(
        "--pool",
        action="append",
        default=[],
        metavar="KEY",
        help="a swept key whose values are draws of an uncertain input (e.g. "
        "params.agglomeration): pool its runs with the seeds into the bands instead of "
        "comparing them as variants (repeatable)",
    )
    parser.add_argument(
        "--allow-incomplete",
        action="store_true",
        help="compare a sweep even if some of its jobs have no results (refused by default)",
    )
    parser.add_argument(
        "--place",
        action="append",
        default=[],
        metavar="PLACE",
        help="also write a page for a place: a local authority name or code, a ward name or a "
        "ward code (e.g. Blackpool); repeatable",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="processes reading the runs of a future with many (24 or more) runs, and drawing "
        "the maps beside the figures (default 1; more help only where cores are free); the "
        "comparison is the same for any number",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error(f"--workers must be at least 1, got {args.workers}")
    try:
        views = [place_view(args.dirs, p, force=args.force, pool=args.pool) for p in args.place]
        out = run_comparison(
            args.dirs,
            out=args.out,
            force=args.force,
            allow_incomplete=args.allow_incomplete,
            pool=args.pool,
            workers=args.workers,
        )
        pages = [write_place_page(view, out, draw_maps=place_maps) for view in views]
    except BadFile as err:
        print(f"lbn_sim: error: {err}", file=sys.stderr)
        return 2
    except CompareRefusal as refusal:
        print(f"lbn_sim.compare: refused: {refusal}", file=sys.stderr)
        return 2
    print(out)
    for page in pages:
        print(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
