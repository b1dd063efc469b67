"""The NDC and Big Local replays over the accepted parameter set: how each replay's
difference in differences spreads over the vectors the 2015-2019 record does not rule out,
and which vectors the replays' evidence would rule out too (a second wave of the history
matching, ``docs/calibration.md``).

Usage (from the project root)::

    python experiments/replay_accepted.py [--vectors 50] [--seed 0] [--seeds 1] [--workers 2]
        [--replay ndc|big_local] [--accepted FILE] [--out FILE] [--keep FILE] [--toy]
        [overrides ...]
    python experiments/replay_accepted.py --vectors 50 data=england_2019

Runs the replay's design (``replay_ndc.py`` or ``replay_big_local.py``: the same funded
wards, comparators and money) once per vector and model seed (``--seeds`` of them from
``--seed``; a vector's difference is their mean, so one seed's noise neither keeps nor rules
out a vector near a threshold), the registry's defaults
first (``draw`` = -1), then the first ``--vectors`` rows of the accepted set. Writes one
row per vector and indicator (:func:`_replay.did_table`, with ``draw`` and ``vector``) to
``--out`` and prints, per indicator, the median and 5-95% range of the difference over the
vectors and the share of vectors within each observed figure's tolerance
(:data:`replay_ndc.TOLERANCES`).

With ``--keep FILE``, the second wave of the history matching: the replayed vectors whose
every difference with a tolerance lies within it are written to ``FILE`` (the accepted
set's columns; ``FILE`` may be the shipped set itself, which is then replaced atomically),
with a ``.json`` note adding this wave to the first's (``docs/calibration.md``).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import TOY, compose_cfg, default_workers, parallel_map
from _replay import Design, did_table, run_replay

from lbn_sim.params.draws import ACCEPTED, accepted

#: Per worker process: the ward table and the replay's design, read once.
_CACHE: dict[str, object] = {}


def _module(replay: str) -> ModuleType:
    import replay_big_local
    import replay_ndc

    return {"ndc": replay_ndc, "big_local": replay_big_local}[replay]


def _setup(replay: str, base: list[str], areas: int | None, draw_seed: int) -> None:
    from lbn_sim.runs.runner import load_wards

    key = repr((replay, base, areas, draw_seed))
    if _CACHE.get("key") == key:
        return
    mod = _module(replay)
    cfg = compose_cfg(base)
    wards, _ = load_wards(cfg.data)
    design: Design = mod.design(wards, areas or mod.AREAS, draw_seed)
    _CACHE.update(key=key, wards=wards, design=design, indicators=mod.INDICATORS)


def one_vector(job: list[str]) -> pd.DataFrame:
    """One vector's replay: ``job`` is ``[replay, areas, draw_seed, seed, draw, vector,
    *overrides]`` (strings, so the workers receive plain lists); its rows of
    :func:`_replay.did_table` with ``draw`` and ``vector``."""
    replay, areas, draw_seed, seed, draw, vector, *overrides = job
    base = [o for o in overrides if not o.startswith("params.")]
    _setup(replay, base, int(areas) or None, int(draw_seed))
    design: Design = _CACHE["design"]  # type: ignore[assignment]
    indicators: list[str] = _CACHE["indicators"]  # type: ignore[assignment]
    cfg = replace(compose_cfg(overrides), seed=int(seed))
    run = run_replay(cfg, _CACHE["wards"], [design.spec], indicators, design.window)
    table = did_table(run, design.treated, design.comparators, indicators)
    table.insert(0, "vector", int(vector))
    table.insert(0, "draw", int(draw))
    table["balanced"] = run.balanced
    return table


def seed_means(rows: pd.DataFrame) -> pd.DataFrame:
    """Each vector's relative difference per indicator, its mean over the seeds replayed:
    ``draw``, ``vector``, ``indicator``, ``did_relative`` (one row each)."""
    keys = ["draw", "vector", "indicator"]
    return rows.groupby(keys, sort=False, as_index=False)["did_relative"].mean()


def summary(rows: pd.DataFrame, tolerances: dict[str, float]) -> pd.DataFrame:
    """Per indicator, over the drawn vectors (``draw`` >= 0): the median and 5-95% range of
    the relative difference (each vector's mean over its seeds), the defaults' value, and the
    share of vectors whose difference lies within the indicator's tolerance (NaN where none
    is set)."""
    rows = seed_means(rows)
    drawn = rows[rows["draw"] >= 0]
    defaults = rows[rows["draw"] == -1].set_index("indicator")["did_relative"]
    out = []
    for k, g in drawn.groupby("indicator", sort=False):
        d = g["did_relative"].to_numpy(np.float64)
        tol = tolerances.get(str(k), np.nan)
        out.append(
            {
                "indicator": k,
                "vectors": len(d),
                "defaults": defaults.get(k, np.nan),
                "median": float(np.median(d)),
                "p05": float(np.percentile(d, 5)),
                "p95": float(np.percentile(d, 95)),
                "tolerance": tol,
                "share_within": float(np.mean(np.abs(d) < tol)) if np.isfinite(tol) else np.nan,
            }
        )
    return pd.DataFrame(out)


def within(rows: pd.DataFrame, tolerances: dict[str, float]) -> pd.Series:
    """Per drawn vector (indexed by ``vector``, its number in the history matching): whether
    every indicator with a tolerance lies within it, on the mean over its seeds (the
    replay's evidence does not rule the vector out)."""
    rows = seed_means(rows)
    drawn = rows[(rows["draw"] >= 0) & rows["indicator"].isin(list(tolerances))]
    tol = drawn["indicator"].map(tolerances)
    inside = drawn.assign(ok=drawn["did_relative"].abs() < tol).groupby("vector")["ok"].all()
    return inside.astype(bool)


def keep(
    rows: pd.DataFrame,
    tolerances: dict[str, float],
    accepted_csv: Path,
    out: Path,
    replay: str,
    window: tuple[int, int] | None = None,
) -> tuple[int, int]:
    """Write the accepted set's vectors the replay does not rule out to ``out`` (CSV, same
    columns, written atomically) with a ``.json`` note: the first wave's note
    (``accepted_csv``'s ``.json``) and this wave's tolerances and counts. Vectors not
    replayed are not kept. ``window``: the years the differences were read over (recorded
    in the note with the commit that ran the wave). Returns ``(replayed, kept)``."""
    from lbn_sim.runs.provenance import provenance

    ok = within(rows, tolerances)
    seeds = sorted(int(x) for x in rows.loc[rows["draw"] >= 0, "seed"].unique())
    rows = seed_means(rows)
    table = pd.read_csv(accepted_csv)
    kept = table[table["draw"].isin(ok.index[ok.to_numpy()])]
    note_path = accepted_csv.with_suffix(".json")
    note = json.loads(note_path.read_text()) if note_path.is_file() else {}
    drawn = rows[rows["draw"] >= 0]
    beyond = {
        k: set(drawn[(drawn["indicator"] == k) & (drawn["did_relative"].abs() >= t)]["draw"])
        for k, t in tolerances.items()
    }
    made = provenance()
    note["first_wave_kept"] = len(table)
    note["kept"] = len(kept)  # the vectors in the file: both waves'
    note["replay_wave"] = {
        "made_by": "experiments/replay_accepted.py",
        "replay": replay,
        "git_commit": made.get("git_commit"),
        "git_dirty": made.get("git_dirty"),
        "window": list(window) if window is not None else None,
        # One seed: its number (as the first sets recorded it); several: the list, whose
        # mean difference each vector was judged on.
        "model_seed": (seeds[0] if len(seeds) == 1 else seeds) if seeds else None,
        "tolerances": tolerances,
        "first_wave_kept": len(table),
        "replayed": len(ok),
        "kept": len(kept),
        "ruled_out_by": {k: len(v) for k, v in beyond.items()},
        "ruled_out_by_this_alone": {
            k: len(v - set().union(*(w for j, w in beyond.items() if j != k)))
            for k, v in beyond.items()
        },
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    kept.to_csv(tmp, index=False)
    tmp.replace(out)
    tmp_note = out.with_name(f".{out.stem}.json.tmp")
    tmp_note.write_text(json.dumps(note, indent=2) + "\n")
    tmp_note.replace(out.with_suffix(".json"))
    return len(ok), len(kept)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replay", choices=("ndc", "big_local"), default="ndc")
    parser.add_argument("--vectors", type=int, default=50, help="accepted vectors to replay")
    parser.add_argument("--seed", type=int, default=0, help="the model's (first) seed")
    parser.add_argument(
        "--seeds", type=int, default=1, help="model seeds from --seed (judged on their mean)"
    )
    parser.add_argument("--draw-seed", type=int, default=0, help="seed of the funded wards")
    parser.add_argument("--areas", type=int, default=0, help="funded wards (0: the replay's)")
    parser.add_argument("--workers", type=int, default=default_workers(), help="processes")
    parser.add_argument("--accepted", type=Path, default=ACCEPTED, help="the accepted set")
    parser.add_argument("--out", type=Path, default=None, help="CSV (outputs/...)")
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="write the vectors within every tolerance here (the second wave's set)",
    )
    parser.add_argument("--toy", action="store_true", help="tiny England, for tests")
    parser.add_argument("overrides", nargs="*", help="extra Hydra overrides (data=...)")
    args = parser.parse_args(argv)
    if args.vectors < 1:
        parser.error(f"--vectors must be at least 1, not {args.vectors}")
    if args.seeds < 1:
        parser.error(f"--seeds must be at least 1, not {args.seeds}")
    mod = _module(args.replay)
    areas = args.areas or (4 if args.toy else mod.AREAS)
    horizon = mod.FIRST_YEAR + mod.YEARS - 1
    base = [*(TOY if args.toy else []), "scenario=base_case", f"horizon={horizon}"]
    base += args.overrides
    draws, ids = accepted(args.accepted)
    n = min(args.vectors, len(draws))
    if args.keep is not None:
        first = args.accepted.with_suffix(".json")
        if first.is_file() and "replay_wave" in json.loads(first.read_text()):
            parser.error(
                f"{args.accepted} is already a second wave's set: pass the first wave's "
                "(--accepted outputs/calibration/accepted_wave1.csv)"
            )
        if n < len(draws):
            parser.error(
                f"--keep needs every vector of {args.accepted} replayed: --vectors {len(draws)}"
                f" or more, not {args.vectors}"
            )
    jobs = []
    for seed in range(args.seed, args.seed + args.seeds):
        head = [args.replay, str(areas), str(args.draw_seed), str(seed)]
        jobs += [[*head, "-1", "-1", *base]]
        jobs += [[*head, str(i), str(ids[i]), *base, *draws.overrides(i)] for i in range(n)]
    print(f"{len(jobs)} replays ({args.replay}) on {args.workers} worker(s)", file=sys.stderr)
    rows = pd.concat(parallel_map(one_vector, jobs, args.workers), ignore_index=True)
    out = args.out or Path(f"outputs/replay_accepted_{args.replay}.csv")
    out.parent.mkdir(parents=True, exist_ok=True)
    rows.to_csv(out, index=False)
    table = summary(rows, getattr(mod, "TOLERANCES", {}))
    with pd.option_context("display.width", 200, "display.float_format", "{:.4f}".format):
        print(table.to_string(index=False))
    print(f"ledger balanced in every run: {bool(rows['balanced'].all())}; rows in {out}")
    if args.keep is not None:
        tolerances = getattr(mod, "TOLERANCES", {})
        if not tolerances:
            parser.error(f"the {args.replay} replay sets no tolerance: nothing to keep by")
        window = getattr(mod, "WINDOW", None)
        replayed, kept = keep(rows, tolerances, args.accepted, args.keep, args.replay, window)
        print(f"kept {kept} of {replayed} replayed vectors: {args.keep}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
