"""Re-size the registry's defaults jointly to the New Deal for Communities evidence: an
emulator of the NDC replay over the parameter ranges, the smallest move of the defaults it
puts within every threshold, and replays that check the move.

Usage (from the project root)::

    python experiments/resize_defaults.py [--draws 450] [--draw-seed 2] [--seeds 3]
        [--names A,B,...] [--workers 2] [--rows FILE] [--out FILE] [--margin 0.9]
        [--entries A,B,...] [--steps 1,1.5,2] [--verify 5] [--toy] [overrides ...]
    python experiments/resize_defaults.py --check A=VALUE,B=VALUE [--verify 10] [overrides ...]
    python experiments/resize_defaults.py --draws 450 --verify 5 data=england_2019

Why. The shipped accepted set (``docs/calibration.md``) holds the vectors neither the
2015-2019 record nor the NDC evaluation rules out, but the registry's own defaults, which
every single run uses, gave NDC-scale money a worklessness effect the evaluation would
likely have detected. No kept vector lies near the defaults, and moving one entry did not
bring them within, so the move is found jointly, as history matching does with an emulator
(Vernon, Goldstein and Bower 2010, *Bayesian Analysis* 5(4)).

Steps:

1. **Design.** ``--draws`` vectors over the registry's entries with a range (all of them,
   or ``--names``), a scrambled Latin hypercube (seed ``--draw-seed``), each replayed once
   (``replay_ndc.py``'s design) on model seed ``i mod --seeds``; the defaults on every one
   of those seeds. Rows go to ``--rows``, reused when the file was made for the same
   design (draws, seeds, overrides, and the entries' names and ranges); reused rows made
   on another commit are said to be so.
2. **Emulator.** Per outcome with a threshold (:data:`replay_ndc.TOLERANCES`), least squares
   of the relative difference on the entries' positions in their ranges (0 to 1) with a
   term per seed: the seeds' mean is what the second wave judges. Entries whose
   coefficient is not distinguishable from zero on any outcome (``|t|`` below the
   Bonferroni bound for every entry and outcome at 5%, on Student's t) are dropped and the
   fit is repeated on those left, for every outcome alike. The cross-validated R^2 (10
   folds drawn at random) says how much of the spread it predicts. The fit is then
   **anchored on the defaults' own replays**: the entries dropped sit at the design's
   mean in the fit, not at their defaults, so the level at the defaults is read from the
   defaults' replays (their mean over the seeds, less the fit's prediction there).
3. **Move.** The smallest move of the defaults (root sum of squares, each entry in units
   of its range; the entries kept, or the ``--entries`` among them) whose every predicted
   difference is within ``--margin`` of its threshold, within every range
   (``scipy.optimize.minimize``, SLSQP, two linear bounds per outcome). The margin does
   not cover the emulator's error for one vector (its residual sd); step 4's replays
   check the move.
4. **Check.** The defaults moved ``--steps`` times the move (each entry kept within its
   range; whole numbers rounded) replayed on ``--verify`` seeds (0 upwards): the mean
   difference per outcome beside its threshold, and the defaults' beside it; the smallest
   step within every threshold is named.

``--check NAME=VALUE,...`` skips the design: it replays that vector and the defaults on
``--verify`` seeds.

Prints each step and writes the emulator's coefficients and the move to ``--out`` (JSON).
The move is not applied: the registry's defaults are edited by hand, each moved entry's
source saying so (``docs/calibration.md``, "The registry's defaults, re-sized").
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

from lbn_sim.errors import ConfigError
from lbn_sim.params import BY_NAME, unknown
from lbn_sim.params.draws import default_names, latin_hypercube, overrides


def job(areas: int, seed: int, number: int, base: list[str], row: dict[str, float]) -> list[str]:
    """One NDC replay as ``replay_accepted.one_vector``'s job: ``row``'s entries (``{}`` for
    the defaults, numbered -1) on model seed ``seed``, the funded wards drawn with seed 0."""
    return ["ndc", str(areas), "0", str(seed), str(number), str(number), *base, *overrides(row)]


def design_jobs(
    n: int, draw_seed: int, seeds: int, base: list[str], areas: int, names: list[str]
) -> tuple[list[list[str]], pd.DataFrame]:
    """The replays of step 1 (``replay_accepted.one_vector``'s jobs): the defaults on seeds
    0 to ``seeds`` - 1 (``draw`` -1), then each draw ``i`` of ``names`` on seed
    ``i mod seeds``; and the draws as a table (``draw`` and one column per entry)."""
    draws = latin_hypercube(n, draw_seed, names)
    jobs = [job(areas, s, -1, base, {}) for s in range(seeds)]
    jobs += [job(areas, i % seeds, i, base, draws.row(i)) for i in range(n)]
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
    """Cross-validated R^2 of :func:`fit` (``folds`` folds drawn at random, seed 0, so no
    fold holds only one model seed's rows)."""
    pred = np.empty_like(y)
    fold = np.random.default_rng(0).permutation(len(y)) % folds
    for f in range(folds):
        test = fold == f
        m = fit(x[~test], seed[~test], y[~test], seeds)
        pred[test] = x[test] @ m["beta"] + m["seed_terms"][seed[test]]
    return float(1.0 - np.sum((y - pred) ** 2) / np.sum((y - y.mean()) ** 2))


def entry_list(text: str, flag: str) -> list[str]:
    """Comma-separated registry entries (spaces ignored), each known.

    Raises:
        ConfigError: an unknown name, with the closest (naming ``flag``).
    """
    names = [n.strip() for n in text.split(",") if n.strip()]
    for n in names:
        if n not in BY_NAME:
            raise ConfigError(f"{flag}: {unknown(n)}")
    return names


def parse_vector(text: str) -> dict[str, float]:
    """``NAME=VALUE,...`` as ``{name: value}``, each value checked against its entry's
    range (:func:`lbn_sim.params.draws.overrides`).

    Raises:
        ConfigError: an item without ``=``, a value that is not a number, an unknown name
            or a value outside its range.
    """
    out = {}
    for item in (x.strip() for x in text.split(",") if x.strip()):
        name, sep, value = item.partition("=")
        if not sep:
            raise ConfigError(f"--check: {item!r} is not NAME=VALUE")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise ConfigError(f"--check: {name.strip()}={value!r} is not a number") from None
    if not out:
        raise ConfigError("--check: no NAME=VALUE given")
    try:
        overrides(out)
    except ConfigError as err:
        raise ConfigError(f"--check: {err}") from None
    return out


def value_at(name: str, position: float) -> float:
    """The value at ``position`` (0 to 1, clipped) of ``name``'s range, inside the range
    exactly (whole numbers rounded)."""
    p = BY_NAME[name]
    value = p.low + float(np.clip(position, 0.0, 1.0)) * (p.high - p.low)
    value = float(round(value)) if p.whole else value
    return float(min(max(value, p.low), p.high))


def design_key(args: argparse.Namespace, base: list[str], names: list[str]) -> dict[str, object]:
    """What makes a design's rows reusable: draws, seeds, overrides and each entry's range."""
    return {
        "draws": args.draws,
        "draw_seed": args.draw_seed,
        "seeds": args.seeds,
        "base": base,
        "ranges": {n: [BY_NAME[n].low, BY_NAME[n].high] for n in names},
    }


def emulate(models: dict[str, dict[str, np.ndarray]], z: np.ndarray) -> dict[str, float]:
    """Each outcome's predicted seeds' mean difference at positions ``z`` (``[k]``): the
    fit's slopes, the mean of its seed terms and its anchor (0 if none)."""
    return {
        k: float(z @ m["beta"] + m["seed_terms"].mean() + float(m.get("anchor", 0.0)))
        for k, m in models.items()
    }


def smallest_move(
    models: dict[str, dict[str, np.ndarray]],
    d0: np.ndarray,
    free: np.ndarray,
    limits: dict[str, float],
) -> tuple[np.ndarray, dict[str, float]]:
    """The positions nearest ``d0`` (``[k]``, root sum of squares) whose every emulated
    difference lies within ``+/- limits[outcome]``, moving only the entries ``free`` marks
    (``[k]`` bools), each within 0 to 1 (SLSQP, two linear bounds per outcome). Returns the
    positions and the emulated differences there.

    Raises:
        SystemExit: no such positions found.
    """
    from scipy import optimize

    cons = []
    for k, m in models.items():
        for sign in (1.0, -1.0):  # -limit <= prediction <= limit, each side linear
            cons.append(
                {
                    "type": "ineq",
                    "fun": (lambda z, k=k, s=sign: limits[k] - s * emulate(models, z)[k]),
                    "jac": (lambda z, s=sign, b=m["beta"]: -s * b),
                }
            )
    res = optimize.minimize(
        lambda z: float(np.sum((z - d0) ** 2)),
        d0,
        jac=lambda z: 2.0 * (z - d0),
        constraints=cons,
        bounds=[(0.0, 1.0) if f else (float(v), float(v)) for f, v in zip(free, d0, strict=True)],
        method="SLSQP",
        options={"maxiter": 500, "ftol": 1e-12},
    )
    z = np.asarray(res.x)
    after = emulate(models, z)
    beyond = [k for k, v in after.items() if abs(v) > limits[k] + 1e-9]
    if not res.success or beyond:
        raise SystemExit(f"no move within every threshold found: {res.message}; {after}")
    return z, after


def check_vectors(
    vectors: dict[int, dict[str, float]], areas: int, base: list[str], seeds: int, workers: int
) -> pd.DataFrame:
    """Replay each vector (``{number: {name: value}}``, ``{}`` for the defaults) on model
    seeds 0 to ``seeds`` - 1: the mean relative difference, ``[indicator, number]``."""
    jobs = [job(areas, s, i, base, row) for i, row in vectors.items() for s in range(seeds)]
    rows = pd.concat(parallel_map(one_vector, jobs, workers), ignore_index=True)
    if not bool(rows["balanced"].all()):
        raise SystemExit("a replay's ledger did not balance")
    return seed_means(rows).pivot(index="indicator", columns="draw", values="did_relative")


def main(argv: list[str] | None = None) -> int:
    from scipy import stats

    from lbn_sim.runs.provenance import provenance

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=450, help="vectors in the design")
    parser.add_argument("--draw-seed", type=int, default=2, help="the Latin hypercube's seed")
    parser.add_argument("--seeds", type=int, default=3, help="model seeds the design rotates")
    parser.add_argument("--names", default="", help="entries to draw (default: every ranged one)")
    parser.add_argument("--workers", type=int, default=default_workers(), help="processes")
    parser.add_argument("--rows", type=Path, default=Path("outputs/calibration/resize_rows.csv"))
    parser.add_argument("--out", type=Path, default=Path("outputs/calibration/resize.json"))
    parser.add_argument("--margin", type=float, default=0.9, help="share of each threshold")
    parser.add_argument("--verify", type=int, default=5, help="seeds to check the move on")
    parser.add_argument(
        "--entries", default="", help="comma-separated entries the move may change (default all)"
    )
    parser.add_argument("--steps", default="1", help="comma-separated multiples of the move")
    parser.add_argument(
        "--check",
        default="",
        help="NAME=VALUE,...: only replay this vector and the defaults on --verify seeds",
    )
    parser.add_argument("--toy", action="store_true", help="tiny England, for tests")
    parser.add_argument("overrides", nargs="*", help="extra Hydra overrides (data=...)")
    args = parser.parse_args(argv)
    try:
        names = entry_list(args.names, "--names") if args.names else list(default_names())
        movable = entry_list(args.entries, "--entries") if args.entries else []
        checked = parse_vector(args.check) if args.check else {}
        steps = sorted(float(x) for x in args.steps.split(","))
    except ConfigError as err:
        parser.error(str(err))
    except ValueError:
        parser.error(f"--steps must be comma-separated numbers, not {args.steps!r}")
    if not 0.0 < args.margin <= 1.0:
        parser.error(f"--margin must be in (0, 1], not {args.margin}")
    if args.verify < 1 or args.seeds < 1:
        parser.error("--verify and --seeds must be at least 1")
    if min(steps) <= 0:
        parser.error(f"--steps must be positive, not {args.steps!r}")
    horizon = replay_ndc.FIRST_YEAR + replay_ndc.YEARS - 1
    base = [*(TOY if args.toy else []), "scenario=base_case", f"horizon={horizon}"]
    base += args.overrides
    tolerances = dict(replay_ndc.TOLERANCES)
    areas = 4 if args.toy else replay_ndc.AREAS

    if checked:
        means = check_vectors({-1: {}, 0: checked}, areas, base, args.verify, args.workers)
        for k, tol in tolerances.items():
            print(
                f"  {k}: defaults {means.loc[k, -1]:+.4f}, checked {means.loc[k, 0]:+.4f} "
                f"(threshold {tol:.4f}; mean of seeds 0-{args.verify - 1})"
            )
        return 0
    # Enough rows for the screening fit (an entry each, a term per seed) to have residuals.
    least = len(names) + args.seeds + 10
    if args.draws < least:
        parser.error(
            f"--draws must be at least {least} for {len(names)} entries and {args.seeds} "
            f"seeds, not {args.draws} (fewer entries: --names)"
        )

    # 1. Design: replay every vector (or reuse the rows of the same design).
    try:  # an entry of --names without a range to draw from is refused here
        jobs, table = design_jobs(args.draws, args.draw_seed, args.seeds, base, areas, names)
    except ConfigError as err:
        parser.error(f"--names: {err}")
    key = design_key(args, base, names)
    commit = provenance().get("git_commit")
    key_file = args.rows.with_suffix(".design.json")
    made = json.loads(key_file.read_text()) if key_file.is_file() else None
    if args.rows.is_file() and made is not None and made.get("design") == key:
        rows = pd.read_csv(args.rows)
        print(f"reusing {len(rows)} rows from {args.rows}", file=sys.stderr)
        if made.get("commit") != commit:
            print(
                f"  (made on commit {made.get('commit')}, this is {commit}: delete "
                f"{args.rows} to replay on this code)",
                file=sys.stderr,
            )
    else:
        print(f"{len(jobs)} replays on {args.workers} worker(s)", file=sys.stderr)
        rows = pd.concat(parallel_map(one_vector, jobs, args.workers), ignore_index=True)
        args.rows.parent.mkdir(parents=True, exist_ok=True)
        tmp = args.rows.with_name(f".{args.rows.name}.tmp")
        rows.to_csv(tmp, index=False)
        tmp.replace(args.rows)
        key_file.write_text(json.dumps({"design": key, "commit": commit}, indent=1) + "\n")
    if not bool(rows["balanced"].all()):
        raise SystemExit("a replay's ledger did not balance: the rows are not usable")

    # 2. Emulator per outcome, screened alike, anchored on the defaults' replays.
    drawn = rows[rows["draw"] >= 0]
    seed_of = drawn.groupby("draw")["seed"].first()
    x_all = positions(table.set_index("draw").loc[seed_of.index], names)
    seed = seed_of.to_numpy(np.int64)
    ys = {
        k: drawn[drawn["indicator"] == k].set_index("draw").loc[seed_of.index, "did_relative"]
        for k in tolerances
    }
    dof = len(seed) - len(names) - args.seeds
    t_crit = float(stats.t.ppf(1 - 0.025 / (len(names) * len(ys)), dof))
    keep: set[int] = set()
    for y in ys.values():
        m = fit(x_all, seed, y.to_numpy(np.float64), args.seeds)
        keep |= set(np.flatnonzero(np.abs(m["beta"] / m["se"]) > t_crit).tolist())
    chosen = sorted(keep)
    chosen_names = [names[j] for j in chosen]
    if not chosen:
        raise SystemExit(f"no entry's coefficient passes |t| > {t_crit:.2f}: nothing to move")
    x = x_all[:, chosen]
    d0 = default_positions(names)[chosen]
    own = seed_means(rows[rows["draw"] == -1]).set_index("indicator")["did_relative"]
    models = {}
    print(f"entries the emulator keeps (|t| > {t_crit:.2f} on any outcome): {len(chosen)}")
    for k, y in ys.items():
        yv = y.to_numpy(np.float64)
        m = fit(x, seed, yv, args.seeds)
        m["cv_r2"] = np.array(cv_r2(x, seed, yv, args.seeds))
        # The level at the defaults: their own replays' mean less the fit's prediction.
        m["anchor"] = np.array(float(own[k]) - float(d0 @ m["beta"] + m["seed_terms"].mean()))
        models[k] = m
        print(
            f"  {k}: cv R^2 {float(m['cv_r2']):.2f}, residual sd {float(m['resid_sd']):.4f}, "
            f"seed terms {np.round(m['seed_terms'], 4).tolist()}, anchor "
            f"{float(m['anchor']):+.4f}"
        )
    coef = pd.DataFrame({k: m["beta"] for k, m in models.items()}, index=chosen_names)
    with pd.option_context("display.width", 200, "display.float_format", "{:+.4f}".format):
        print(coef.to_string())

    # 3. The smallest move within every threshold (at the margin), on --entries if given.
    movable = movable or chosen_names
    stray = [n for n in movable if n not in chosen_names]
    if stray:
        parser.error(f"--entries {', '.join(stray)}: not among the emulator's {chosen_names}")
    free = np.array([n in movable for n in chosen_names])

    limits = {k: args.margin * t for k, t in tolerances.items()}
    z, after = smallest_move(models, d0, free, limits)
    print(f"predicted at the defaults: {emulate(models, d0)} (their replays' mean, by the anchor)")
    print(f"predicted after the move: {after} (margin {args.margin} of each threshold)")
    print(f"move (root sum of squares, range units): {float(np.linalg.norm(z - d0)):.3f}")

    def moved(step: float) -> dict[str, float]:
        """The defaults moved ``step`` times the move (each entry kept in its range)."""
        out = {}
        for j, name in enumerate(chosen_names):
            pos = d0[j] + step * (z[j] - d0[j])
            if abs(pos - d0[j]) > 1e-6:
                out[name] = value_at(name, pos)
                if not 0.0 <= pos <= 1.0:
                    print(f"  step {step:g}: {name} held at its range's end", file=sys.stderr)
        return out

    for name, value in moved(1.0).items():
        print(f"  {name}: {BY_NAME[name].default:g} -> {value:.4g}")

    # 4. Check the move by replays: the defaults, and each step of the move.
    vectors: dict[int, dict[str, float]] = {-1: {}} | {i: moved(st) for i, st in enumerate(steps)}
    means = check_vectors(vectors, areas, base, args.verify, args.workers)
    picked = None
    for i, st in enumerate(steps):
        inside = all(abs(means.loc[k, i]) < tol for k, tol in tolerances.items())
        if inside and picked is None:
            picked = i
        print(
            f"step {st:g}: "
            + ", ".join(f"{k} {means.loc[k, i]:+.4f}" for k in tolerances)
            + (" (within every threshold)" if inside else "")
        )
    print(
        "defaults: "
        + ", ".join(f"{k} {means.loc[k, -1]:+.4f}" for k in tolerances)
        + f" (thresholds {tolerances}; means of seeds 0-{args.verify - 1})"
    )
    if picked is not None:
        print(f"smallest step within: {steps[picked]:g}")
        for name, value in vectors[picked].items():
            print(f"  params.{name}: {BY_NAME[name].default:g} -> {value:.4g}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "design": key,
                "commit": commit,
                "margin": args.margin,
                "entries": chosen_names,
                "movable": movable,
                "coefficients": coef.to_dict(),
                "cv_r2": {k: float(m["cv_r2"]) for k, m in models.items()},
                "anchor": {k: float(m["anchor"]) for k, m in models.items()},
                "steps": {str(st): vectors[i] for i, st in enumerate(steps)},
                "picked": None if picked is None else steps[picked],
                "check": means.to_dict(),
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
