"""Re-size the registry's defaults jointly to the New Deal for Communities evidence: an
emulator of the NDC replay over the parameter ranges, the smallest move of the defaults it
puts within every threshold, and replays that check the move.

Usage (from the project root)::

    python experiments/resize_defaults.py [--draws 450] [--draw-seed 2] [--seeds 3]
        [--workers 2] [--rows FILE] [--margin 0.8] [--verify 5] [--toy] [overrides ...]
    python experiments/resize_defaults.py --draws 450 --verify 5 data=england_2019

Why. The shipped accepted set (``docs/calibration.md``) holds the vectors neither the
2015-2019 record nor the NDC evaluation rules out, but the registry's own defaults, which
every single run uses, give NDC-scale money a worklessness effect the evaluation would
likely have detected. No kept vector lies near the defaults, and moving one entry does not
bring them within, so the move is found jointly, as history matching does with an emulator
(Vernon, Goldstein and Bower 2010, *Bayesian Analysis* 5(4)).

Steps:

1. **Design.** ``--draws`` vectors over every registry entry with a range, a scrambled
   Latin hypercube (seed ``--draw-seed``), each replayed once (``replay_ndc.py``'s design) on
   model seed ``i mod --seeds``; the defaults on every one of those seeds. Rows go to
   ``--rows`` (reused when the file exists and holds the same design).
2. **Emulator.** Per outcome with a threshold (:data:`replay_ndc.TOLERANCES`), least squares
   of the relative difference on the entries' positions in their ranges (0 to 1) with a
   term per seed: the seeds' mean is what the second wave judges. Entries whose
   coefficient is not distinguishable from zero (``|t|`` below the Bonferroni bound for
   the entries at 5%) are dropped and the fit is repeated on those left, for every outcome
   alike. The cross-validated R^2 (10 folds) says how much of the spread it predicts.
3. **Move.** The smallest move of the defaults (root sum of squares, each entry in units
   of its range, only the entries the emulator kept) whose every predicted difference is
   within ``--margin`` of its threshold (the margin leaves room for the emulator's error),
   within every range (``scipy.optimize.minimize``, SLSQP).
4. **Check.** The moved defaults replayed on ``--verify`` seeds (0 upwards): the mean
   difference per outcome beside its threshold, and the defaults' beside it.

Prints each step and writes the emulator's coefficients and the move to ``--out`` (JSON).
The move is not applied: the registry's defaults are edited by hand, each moved entry's
source saying so (``docs/calibration.md``, "The registry's defaults").
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import replay_ndc
from _common import TOY, default_workers, parallel_map
from replay_accepted import one_vector, seed_means

from lbn_sim.params import BY_NAME
from lbn_sim.params.draws import default_names, latin_hypercube, overrides


def design_jobs(
    n: int, draw_seed: int, seeds: int, base: list[str], areas: int
) -> tuple[list[list[str]], pd.DataFrame]:
    """The replays of step 1 (``replay_accepted.one_vector``'s jobs): the defaults on seeds
    0 to ``seeds`` - 1 (``draw`` -1), then each draw ``i`` on seed ``i mod seeds``; and the
    draws as a table (``draw`` and one column per entry)."""
    draws = latin_hypercube(n, draw_seed)
    head = ["ndc", str(areas), "0"]
    jobs = [[*head, str(s), "-1", "-1", *base] for s in range(seeds)]
    jobs += [[*head, str(i % seeds), str(i), str(i), *base, *draws.overrides(i)] for i in range(n)]
    return jobs, draws.frame()


def positions(table: pd.DataFrame, names: list[str]) -> np.ndarray:
    """Each entry's value as its position in its range, 0 at ``low`` and 1 at ``high``:
    ``[rows, len(names)]``."""
    low = np.array([BY_NAME[n].low for n in names])
    high = np.array([BY_NAME[n].high for n in names])
    return (table[names].to_numpy(np.float64) - low) / (high - low)


def default_positions(names: list[str]) -> np.ndarray:
    """The registry's defaults as positions in their ranges: ``[len(names)]``."""
    row = pd.DataFrame([{n: BY_NAME[n].default for n in names}])
    return positions(row, names)[0]


def fit(x: np.ndarray, seed: np.ndarray, y: np.ndarray, seeds: int) -> dict[str, np.ndarray]:
    """Least squares of ``y`` (``[rows]``) on ``x`` (``[rows, k]`` positions) with one
    intercept per seed (``seed``: ``[rows]`` ints below ``seeds``). Returns ``beta`` (``[k]``),
    ``seed_terms`` (``[seeds]``), ``se`` (``[k]``) and ``resid_sd`` (a float array)."""
    dummies = (seed[:, None] == np.arange(seeds)[None, :]).astype(np.float64)
    design = np.hstack([x, dummies])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ coef
    dof = max(len(y) - design.shape[1], 1)
    sigma2 = float(resid @ resid) / dof
    cov = sigma2 * np.linalg.pinv(design.T @ design)
    k = x.shape[1]
    return {
        "beta": coef[:k],
        "seed_terms": coef[k:],
        "se": np.sqrt(np.diag(cov)[:k]),
        "resid_sd": np.array(np.sqrt(sigma2)),
    }


def cv_r2(x: np.ndarray, seed: np.ndarray, y: np.ndarray, seeds: int, folds: int = 10) -> float:
    """Cross-validated R^2 of :func:`fit` (``folds`` interleaved folds)."""
    pred = np.empty_like(y)
    idx = np.arange(len(y))
    for f in range(folds):
        test = idx % folds == f
        m = fit(x[~test], seed[~test], y[~test], seeds)
        pred[test] = x[test] @ m["beta"] + m["seed_terms"][seed[test]]
    return float(1.0 - np.sum((y - pred) ** 2) / np.sum((y - y.mean()) ** 2))


def main(argv: list[str] | None = None) -> int:
    from scipy import optimize, stats

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=450, help="vectors in the design")
    parser.add_argument("--draw-seed", type=int, default=2, help="the Latin hypercube's seed")
    parser.add_argument("--seeds", type=int, default=3, help="model seeds the design rotates")
    parser.add_argument("--workers", type=int, default=default_workers(), help="processes")
    parser.add_argument("--rows", type=Path, default=Path("outputs/calibration/resize_rows.csv"))
    parser.add_argument("--out", type=Path, default=Path("outputs/calibration/resize.json"))
    parser.add_argument("--margin", type=float, default=0.8, help="share of each threshold")
    parser.add_argument("--verify", type=int, default=5, help="seeds to check the move on")
    parser.add_argument("--toy", action="store_true", help="tiny England, for tests")
    parser.add_argument("overrides", nargs="*", help="extra Hydra overrides (data=...)")
    args = parser.parse_args(argv)
    if args.draws < 20:
        parser.error(f"--draws must be at least 20 for an emulator, not {args.draws}")
    if not 0.0 < args.margin <= 1.0:
        parser.error(f"--margin must be in (0, 1], not {args.margin}")
    horizon = replay_ndc.FIRST_YEAR + replay_ndc.YEARS - 1
    base = [*(TOY if args.toy else []), "scenario=base_case", f"horizon={horizon}"]
    base += args.overrides
    tolerances = dict(replay_ndc.TOLERANCES)
    areas = 4 if args.toy else replay_ndc.AREAS
    jobs, table = design_jobs(args.draws, args.draw_seed, args.seeds, base, areas)
    design_key = json.dumps([args.draws, args.draw_seed, args.seeds, base])

    # 1. Design: replay every vector (or reuse the rows of the same design).
    key_file = args.rows.with_suffix(".design.json")
    if args.rows.is_file() and key_file.is_file() and key_file.read_text() == design_key:
        rows = pd.read_csv(args.rows)
        print(f"reusing {len(rows)} rows from {args.rows}", file=sys.stderr)
    else:
        print(f"{len(jobs)} replays on {args.workers} worker(s)", file=sys.stderr)
        rows = pd.concat(parallel_map(one_vector, jobs, args.workers), ignore_index=True)
        args.rows.parent.mkdir(parents=True, exist_ok=True)
        tmp = args.rows.with_name(f".{args.rows.name}.tmp")
        rows.to_csv(tmp, index=False)
        tmp.replace(args.rows)
        key_file.write_text(design_key)
    if not bool(rows["balanced"].all()):
        raise SystemExit("a replay's ledger did not balance: the rows are not usable")

    # 2. Emulator per outcome, screened alike.
    names = list(default_names())
    drawn = rows[rows["draw"] >= 0]
    seed_of = drawn.groupby("draw")["seed"].first()
    x_all = positions(table.set_index("draw").loc[seed_of.index], names)
    seed = seed_of.to_numpy(np.int64)
    ys = {
        k: drawn[drawn["indicator"] == k].set_index("draw").loc[seed_of.index, "did_relative"]
        for k in tolerances
    }
    t_crit = float(stats.norm.ppf(1 - 0.025 / len(names)))
    keep: set[int] = set()
    for y in ys.values():
        m = fit(x_all, seed, y.to_numpy(np.float64), args.seeds)
        keep |= set(np.flatnonzero(np.abs(m["beta"] / m["se"]) > t_crit).tolist())
    chosen = sorted(keep)
    chosen_names = [names[j] for j in chosen]
    x = x_all[:, chosen]
    models = {}
    print(f"entries the emulator keeps (|t| > {t_crit:.2f} on any outcome): {len(chosen)}")
    for k, y in ys.items():
        yv = y.to_numpy(np.float64)
        m = fit(x, seed, yv, args.seeds)
        m["cv_r2"] = np.array(cv_r2(x, seed, yv, args.seeds))
        models[k] = m
        print(
            f"  {k}: cv R^2 {float(m['cv_r2']):.2f}, residual sd {float(m['resid_sd']):.4f}, "
            f"seed terms {np.round(m['seed_terms'], 4).tolist()}"
        )
    coef = pd.DataFrame({k: m["beta"] for k, m in models.items()}, index=chosen_names)
    with pd.option_context("display.width", 200, "display.float_format", "{:+.4f}".format):
        print(coef.to_string())

    # 3. The smallest move within every threshold (at the margin).
    d0 = default_positions(names)[chosen]

    def predict(z: np.ndarray) -> dict[str, float]:
        return {k: float(z @ m["beta"] + m["seed_terms"].mean()) for k, m in models.items()}

    cons = [
        {"type": "ineq", "fun": (lambda z, k=k: args.margin * tolerances[k] - abs(predict(z)[k]))}
        for k in models
    ]
    res = optimize.minimize(
        lambda z: float(np.sum((z - d0) ** 2)),
        d0,
        jac=lambda z: 2.0 * (z - d0),
        constraints=cons,
        bounds=[(0.0, 1.0)] * len(chosen),
        method="SLSQP",
        options={"maxiter": 500, "ftol": 1e-12},
    )
    if not res.success:
        raise SystemExit(f"no move found: {res.message}")
    z = np.asarray(res.x)
    move = {}
    for j, name in enumerate(chosen_names):
        p = BY_NAME[name]
        value = p.low + z[j] * (p.high - p.low)
        if p.whole:
            value = float(round(value))
        if abs(z[j] - d0[j]) > 1e-6:
            move[name] = {"default": p.default, "moved": value, "range_units": z[j] - d0[j]}
    print(f"predicted at the defaults: {predict(d0)}")
    print(f"predicted after the move: {predict(z)} (margin {args.margin} of each threshold)")
    print(f"move (root sum of squares, range units): {float(np.sqrt(res.fun)):.3f}")
    for name, m in move.items():
        print(f"  {name}: {m['default']:g} -> {m['moved']:.4g} ({m['range_units']:+.3f})")

    # 4. Check the move by replays.
    check = []
    if args.verify:
        row = {n: m["moved"] for n, m in move.items()}
        head = ["ndc", str(areas), "0"]
        vjobs = [[*head, str(s), "-1", "-1", *base] for s in range(args.verify)]
        vjobs += [[*head, str(s), "0", "0", *base, *overrides(row)] for s in range(args.verify)]
        vrows = pd.concat(parallel_map(one_vector, vjobs, args.workers), ignore_index=True)
        means = seed_means(vrows).pivot(index="indicator", columns="draw", values="did_relative")
        for k, tol in tolerances.items():
            print(
                f"  {k}: defaults {means.loc[k, -1]:+.4f}, moved {means.loc[k, 0]:+.4f} "
                f"(threshold {tol:.4f}; mean of {args.verify} seeds)"
            )
        check = vrows.to_dict(orient="records")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "design": json.loads(design_key),
                "margin": args.margin,
                "entries": chosen_names,
                "coefficients": coef.to_dict(),
                "cv_r2": {k: float(m["cv_r2"]) for k, m in models.items()},
                "move": move,
                "check": check,
            },
            indent=2,
            default=float,
        )
        + "\n"
    )
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
