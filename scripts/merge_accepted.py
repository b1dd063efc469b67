"""Join the accepted sets of batches of the history matching into one set.

A first wave of draws (``scripts/calibrate_history.py``) filtered by the NDC replay
(``experiments/replay_accepted.py --keep``) makes one batch's set. A further batch, drawn
with its own ``--draw-seed`` and numbered after the earlier ones (``--first-number``), and
filtered the same way, makes another. Each batch's vectors are equally weighted draws from
the registry's ranges that no target rules out, so their union is too; this script joins
them, after checking that they were judged alike (the same entries drawn, the same targets
and cut, the same replay thresholds and window) and that no draw number repeats::

    python scripts/merge_accepted.py A.csv B.csv --out src/lbn_sim/data/accepted_parameters.csv

The joined note (``.json`` beside ``--out``) keeps every batch's note under ``batches`` and
adds their counts: vectors tried and kept, what each target and threshold ruled out. Both
files are written atomically; on any refusal nothing is written.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd

#: Fields every batch must share: the judging was the same.
SAME = ("cut", "seed_of_every_draw", "replicate_seeds", "setting")
SAME_REPLAY = ("replay", "window", "model_seed", "tolerances")


class MergeError(ValueError):
    """The batches cannot be joined (the message names the file and the difference)."""


def _read(path: Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    """A batch's kept vectors and its note, checked against each other."""
    note_path = path.with_suffix(".json")
    if not path.is_file():
        raise MergeError(f"{path}: no such accepted set")
    if not note_path.is_file():
        raise MergeError(f"{note_path}: no note beside the set (made by calibrate_history.py)")
    try:
        note = json.loads(note_path.read_text())
    except json.JSONDecodeError as err:
        raise MergeError(f"{note_path}: not JSON ({err})") from err
    if "batches" in note:
        raise MergeError(f"{path}: already a joined set; join the batches' own sets instead")
    missing = [k for k in ("tried", "kept", "targets", "setting", "cut") if k not in note]
    if missing:
        raise MergeError(f"{note_path}: no {', '.join(missing)} (not a calibration note)")
    table = pd.read_csv(path)
    if "draw" not in table.columns:
        raise MergeError(f"{path}: no 'draw' column")
    if len(table) != int(note["kept"]):
        raise MergeError(f"{path}: {len(table)} vectors, but its note says {note['kept']} kept")
    start = int(note.get("first_number", 0))
    draws = table["draw"]
    if draws.duplicated().any() or not draws.between(start, start + int(note["tried"]) - 1).all():
        raise MergeError(
            f"{path}: its draw numbers repeat or fall outside {start} to "
            f"{start + int(note['tried']) - 1} (its note's first_number and tried)"
        )
    return table, note


def _targets(note: dict[str, Any]) -> list[tuple[str, float, float, float]]:
    return [(t["name"], t["observed"], t["obs_sd"], t["discrepancy_sd"]) for t in note["targets"]]


def _overrides(note: dict[str, Any]) -> dict[str, str]:
    """A note's run overrides as ``{key: value}``, the last given winning (as Hydra's)."""
    out: dict[str, str] = {}
    for item in note.get("overrides") or []:
        key, _, value = str(item).partition("=")
        out[key.lstrip("+")] = value
    return out


def merge(paths: list[Path]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The joined set (rows in the batches' order) and its note.

    Raises:
        MergeError: fewer than two batches, or batches judged differently (columns, targets,
            cut, replay thresholds or window), or draw numbers that overlap.
    """
    if len(paths) < 2:
        raise MergeError("give two or more batches' accepted sets")
    read = [_read(p) for p in paths]
    first_table, first_note = read[0]
    spans: list[tuple[int, int, Path]] = []
    for path, (table, note) in zip(paths, read, strict=True):
        if list(table.columns) != list(first_table.columns):
            odd = sorted(set(table.columns) ^ set(first_table.columns)) or ["(their order)"]
            raise MergeError(
                f"{path}: its columns differ from {paths[0]}'s ({', '.join(odd)}): another registry"
            )
        for key in (*SAME, "draws"):
            if note.get(key) != first_note.get(key):
                raise MergeError(
                    f"{path}: its note's {key!r} ({note.get(key)!r}) differs from "
                    f"{paths[0]}'s ({first_note.get(key)!r})"
                )
        if _overrides(note) != _overrides(first_note):
            mine, theirs = _overrides(note), _overrides(first_note)
            odd = sorted(k for k in mine.keys() | theirs.keys() if mine.get(k) != theirs.get(k))
            raise MergeError(f"{path}: its runs' overrides differ from {paths[0]}'s ({odd})")
        if _targets(note) != _targets(first_note):
            names = {t[0] for t in _targets(note)} ^ {t[0] for t in _targets(first_note)}
            odd = sorted(names) or [
                a[0] for a, b in zip(_targets(note), _targets(first_note), strict=False) if a != b
            ]
            raise MergeError(f"{path}: its targets differ from {paths[0]}'s ({odd})")
        if ("replay_wave" in note) != ("replay_wave" in first_note):
            raise MergeError(f"{path}: one batch has a replay wave and another not")
        for key in SAME_REPLAY if "replay_wave" in note else ():
            if note["replay_wave"].get(key) != first_note["replay_wave"].get(key):
                raise MergeError(
                    f"{path}: its replay wave's {key!r} ({note['replay_wave'].get(key)!r}) "
                    f"differs from {paths[0]}'s ({first_note['replay_wave'].get(key)!r})"
                )
        start = int(note.get("first_number", 0))
        spans.append((start, start + int(note["tried"]), path))
    spans.sort(key=lambda s: s[0])
    for (_, end, a), (start, _, b) in itertools.pairwise(spans):
        if start < end:
            raise MergeError(f"{a} and {b}: their draw numbers overlap (--first-number)")
    joined = pd.concat([t for t, _ in read], ignore_index=True)
    notes = [n for _, n in read]
    try:
        return joined, _joined_note(joined, notes)
    except (KeyError, TypeError, ValueError) as err:
        raise MergeError(f"a batch's note lacks or mangles {err} (not a calibration note)") from err


def _joined_note(joined: pd.DataFrame, notes: list[dict[str, Any]]) -> dict[str, Any]:
    """The joined set's note: the batches' counts added, each batch's note kept."""
    first_note = notes[0]
    out: dict[str, Any] = {
        "made_by": "scripts/merge_accepted.py",
        "setting": first_note["setting"],
        "tried": sum(int(n["tried"]) for n in notes),
        "kept": len(joined),
        "draws": first_note.get("draws"),
        "draw_batches": [
            {
                "draw_seed": n.get("draw_seed"),
                "first_number": int(n.get("first_number", 0)),
                "tried": int(n["tried"]),
            }
            for n in notes
        ],
        "seed_of_every_draw": first_note.get("seed_of_every_draw"),
        "replicate_seeds": first_note.get("replicate_seeds"),
        "cut": first_note["cut"],
        "overrides": first_note.get("overrides"),
        "targets": [
            {
                **t,
                "ruled_out": sum(int(n["targets"][i]["ruled_out"]) for n in notes),
                "only_this": sum(int(n["targets"][i]["only_this"]) for n in notes),
                "seed_sd": [n["targets"][i]["seed_sd"] for n in notes],
            }
            for i, t in enumerate(first_note["targets"])
        ],
    }
    if "replay_wave" in first_note:
        waves = [n["replay_wave"] for n in notes]
        out["first_wave_kept"] = sum(int(n["first_wave_kept"]) for n in notes)
        counted = ("first_wave_kept", "replayed", "kept")
        out["replay_wave"] = {
            "made_by": waves[0]["made_by"],
            **{k: waves[0][k] for k in SAME_REPLAY},
            **{k: sum(int(w[k]) for w in waves) for k in counted},
            "git_commit": [w.get("git_commit") for w in waves],
            **{
                key: {k: sum(int(w[key][k]) for w in waves) for k in waves[0][key]}
                for key in ("ruled_out_by", "ruled_out_by_this_alone")
            },
        }
    out["batches"] = notes
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("batches", nargs="+", type=Path, help="each batch's accepted set (CSV)")
    parser.add_argument("--out", type=Path, required=True, help="the joined set (CSV)")
    args = parser.parse_args(argv)
    try:
        table, note = merge(args.batches)
    except MergeError as err:
        print(f"merge_accepted: {err}; nothing written", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(f".{args.out.name}.tmp")
    tmp_note = args.out.with_name(f".{args.out.stem}.json.tmp")
    try:  # both written in full before either replaces the old pair
        table.to_csv(tmp, index=False)
        tmp_note.write_text(json.dumps(note, indent=2) + "\n")
    except BaseException:
        tmp.unlink(missing_ok=True)
        tmp_note.unlink(missing_ok=True)
        raise
    tmp.replace(args.out)
    tmp_note.replace(args.out.with_suffix(".json"))
    print(f"joined {len(args.batches)} batches: {note['kept']} of {note['tried']} kept: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
