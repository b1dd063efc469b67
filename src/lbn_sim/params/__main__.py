"""``python -m lbn_sim.params [NAME ...] [--home MODULE] [--csv]``: list the behavioural
parameters with their default, unit, range, home and source.

Without names, every parameter; a name lists that one (an unknown name fails, naming the
closest). ``--home`` keeps the parameters of one module (e.g. ``mechanisms.out_migration``);
``--csv`` writes a table for spreadsheets and samplers instead of text.
"""

from __future__ import annotations

import argparse
import csv
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import asdict

from lbn_sim.errors import ConfigError
from lbn_sim.params import BY_NAME, REGISTRY, Parameter, unknown


def _select(names: Sequence[str], home: str | None) -> list[Parameter]:
    """The parameters asked for, in registry order (``names`` checked against the registry)."""
    for name in names:
        if name not in BY_NAME:
            raise ConfigError(unknown(name))
    chosen = [p for p in REGISTRY if not names or p.name in names]
    if home is not None:
        home = home.removeprefix("lbn_sim.engine.")
        chosen = [p for p in chosen if p.home == home]
        if not chosen:
            homes = ", ".join(sorted({p.home for p in REGISTRY}))
            which = " of those named" if names else ""
            raise ConfigError(f"no parameter{which} has home {home!r}; homes: {homes}")
    return chosen


def _text(params: Sequence[Parameter]) -> str:
    """A readable block per parameter."""
    blocks = []
    for p in params:
        head = f"params.{p.name} = {p.default:g} {p.unit}, range [{p.low:g}, {p.high:g}]"
        body = [f"home: {p.home} (lbn_sim.engine.{p.home})", p.meaning, f"source: {p.source}"]
        wrapped = [
            textwrap.fill(line, 96, initial_indent="  ", subsequent_indent="    ") for line in body
        ]
        blocks.append("\n".join([head, *wrapped]))
    evidence = sum(not p.source.lower().startswith("assumption") for p in params)
    blocks.append(
        f"{len(params)} parameter{'' if len(params) == 1 else 's'}: {evidence} with cited "
        f"evidence, {len(params) - evidence} marked 'assumption'. Set one with "
        "params.NAME=VALUE (python -m lbn_sim params.move_rate=0.06)."
    )
    return "\n\n".join(blocks) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the list; returns the exit code (2 for an unknown name or home)."""
    parser = argparse.ArgumentParser(
        prog="python -m lbn_sim.params",
        description="List lbn_sim's behavioural parameters: default, unit, range, home, source.",
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help="parameters to show (all)")
    parser.add_argument("--home", help="only the parameters of this module (e.g. households)")
    parser.add_argument("--csv", action="store_true", help="write CSV instead of text")
    args = parser.parse_args(argv)
    try:
        chosen = _select(args.names, args.home)
    except ConfigError as err:
        print(f"lbn_sim.params: error: {err}", file=sys.stderr)
        return 2
    if args.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(asdict(chosen[0])))
        writer.writeheader()
        writer.writerows(asdict(p) for p in chosen)
    else:
        sys.stdout.write(_text(chosen))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # (piped into head: the reader stopped)
        sys.stderr.close()
        sys.exit(0)
