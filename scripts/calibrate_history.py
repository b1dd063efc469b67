"""History matching on the 2015-2019 record: which parameter vectors it does not rule out.

Draws ``--draws`` parameter vectors from the registry's ranges (a Latin hypercube,
:mod:`lbn_sim.params.draws`: every registry entry with a range, uniform within it), runs each
on the real data for four years from the 2019 start under the 2015-2019 regime
(:data:`~lbn_sim.analysis.calibration_period.PERIOD_2015_2019` and London's faster economy),
reads the hindcast figures (:func:`lbn_sim.analysis.history_match.hindcast_figures`: the most
deprived tenth's persistence, the both-tenths group's IMD keep, the rank change near the
cut, the drift of the wards the rule picks at the start against England, in all England and
outside London, and the CNI gradients), and compares them with the same figures between IMD
2015 and IMD 2019 (:data:`~lbn_sim.analysis.history_match.TARGETS`, each with its
observation and model-discrepancy standard deviations). ``--replicates`` runs of the
registry's defaults with seeds 0, 1, ... give each figure's spread across seeds; every draw
runs with seed 0. A vector is kept when its implausibility is below 3 on every target.

Why direct runs and no emulator or ABC library: a four-year hindcast costs a few seconds of
one core on the real data, so every vector is run, not predicted; with 171 parameters and a
few hundred runs a Gaussian-process emulator would be poorly determined, and an ABC sampler
(pyabc's sequential Monte Carlo) would need a distance and thousands of runs per generation.
The implausibility is the formula of history matching (Craig et al. 1996; Vernon et al.
2010); the Latin hypercube is scipy's.

Writes:

* ``--out`` (folder, default ``outputs/calibration``): ``tried.csv`` (every vector: the
  parameter values, the figures, each target's implausibility, the largest, kept or not),
  ``replicates.csv`` (the default vector's seeds) and ``summary.md`` (counts, targets, which
  bind);
* ``--accepted`` (default ``src/lbn_sim/data/accepted_parameters.csv``, shipped with the
  package; with ``--toy``, in ``--out``): the kept vectors, and beside it a ``.json`` of
  how they were made (tried, kept, targets, the seeds' spread, which targets bind, the
  regime and the code).

A stopped calibration resumes: each run's figures are appended to ``<out>/partial.csv`` as
it finishes, and the same command runs only the vectors it lacks.

On the real data it also recomputes the observed figures from the shared files and prints
them beside the targets. ``--toy`` runs a 120-ward synthetic England (no London, no 2015
record: the targets are England's, so the verdicts mean nothing; for tests).

Usage (from the project root, with ``LBN_SIM_DATA_DIR`` set or ``--data-dir``)::

    python scripts/calibrate_history.py [--draws 200] [--draw-seed 0] [--replicates 4]
        [--workers 1] [--out DIR] [--accepted FILE] [--toy] [overrides ...]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from lbn_sim.analysis.calibration_period import (
    FULL_SAMPLE,
    LONDON,
    LONDON_ECONOMY,
    PERIOD_2015_2019,
    drift_measures,
    rank_mapped,
    ratio,
)
from lbn_sim.analysis.history_match import (
    CNI_DOMAINS,
    CUT,
    TARGETS,
    YEARS,
    Target,
    binding,
    cni_gradients,
    hindcast_figures,
    implausibility,
    near_cut,
    outside_london_ranks,
)
from lbn_sim.params.draws import ACCEPTED

if TYPE_CHECKING:
    from lbn_sim.config import Config
    from lbn_sim.runs.runner import RunResult

F64 = NDArray[np.float64]
#: A 120-ward synthetic England with few households (tests).
TOY = ("data.n_wards=120", "households.sample_rate=0.02", "households.min_per_ward=15")
__all__ = [
    "CNI_DOMAINS",
    "chosen_in_2015",
    "cni_gradients",
    "drift_measures",
    "london_domains",
    "match",
    "observed",
    "observed_persistence",
    "observed_targets",
    "period_config",
    "rank_mapped",
]


def london_domains(
    start: pd.DataFrame,
    end: pd.DataFrame,
    population: F64,
    london: NDArray[np.bool_],
    points: F64,
) -> dict[str, float]:
    """London's change against England's on each IMD domain, in IMD-like points.

    ``start`` and ``end``: the ward table's rows at the start and four years on (same
    ward order, the seven IMD domain columns); ``population``: residents at the start
    (``[n_wards]``); ``london``: bool ``[n_wards]``; ``points``: the model's IMD points
    per unit of each domain (``[7]``, :func:`lbn_sim.engine.indicators.imd_points` of the input
    ward table's rates, as the IMD-like composite weights them). The seven figures sum
    to London's population-weighted change in the IMD-like score less England's
    (absolute points; :func:`london_change` reads the same change on the rank curve).
    """
    from lbn_sim.names import IMD_DOMAINS

    x0 = np.stack([start[d].to_numpy(np.float64) for d in IMD_DOMAINS])
    x1 = np.stack([end[d].to_numpy(np.float64) for d in IMD_DOMAINS])
    change = points[:, None] * (x1 - x0)
    gap = np.average(change[:, london], weights=population[london], axis=1) - np.average(
        change, weights=population, axis=1
    )
    return {f"London: {d} (points)": float(v) for d, v in zip(IMD_DOMAINS, gap, strict=True)}


def chosen_in_2015(wards: pd.DataFrame) -> pd.Index:
    """Codes of the wards the 'left behind' rule picks with IMD 2015 ward scores (and the
    2019 CNI, the only one): in the most deprived 10% of wards on both.

    ``wards``: the ward table loaded with ``imd2015=True`` (``extra_imd2015_score``).
    """
    from lbn_sim.names import left_behind_cut, rank_desc

    cut = left_behind_cut(len(wards))
    imd = rank_desc(wards["extra_imd2015_score"].to_numpy(np.float64)) <= cut
    cni = rank_desc(wards["cni_score"].to_numpy(np.float64)) <= cut
    return pd.Index(wards["ward_code"][imd & cni])


def observed(data_dir: str | None) -> dict[str, float]:
    """Observed 2015-2019 changes of the ratio (see the module docstring)."""
    from lbn_sim.data.england import _as_str, _read_rda, load_england
    from lbn_sim.data.files import resolve_data_dir
    from lbn_sim.names import left_behind_cut, rank_desc

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wards, _ = load_england(data_dir, imd2015=True, extras=False)
    root = resolve_data_dir(data_dir)
    i15 = _read_rda(root / "imd2015_england_lsoa11.rda")
    i19 = _read_rda(root / "imd2019_england_lsoa11.rda")
    look = _read_rda(root / "lookup_lsoa11_ward17.rda")
    people = _read_rda(root / "population19_lsoa11.rda")
    frames = [
        pd.DataFrame({"lsoa": _as_str(look["lsoa11_code"]), "ward": _as_str(look["ward17_code"])}),
        pd.DataFrame({"lsoa": _as_str(people["lsoa11_code"]), "pop": people["total_population"]}),
        pd.DataFrame(
            {"lsoa": _as_str(i15["lsoa11_code"]), "s15": i15["IMD_score"], "r15": i15["IMD_rank"]}
        ),
        pd.DataFrame({"lsoa": _as_str(i19["lsoa11_code"]), "r19": i19["IMD_rank"]}),
    ]
    lsoa = frames[0]
    for f in frames[1:]:
        lsoa = lsoa.merge(f, on="lsoa")
    # London's small areas by their own local authority (the City's wards are not in the table).
    lsoa = lsoa.merge(
        pd.DataFrame({"lsoa": _as_str(i15["lsoa11_code"]), "lad": _as_str(i15["lad13_code"])}),
        on="lsoa",
    )
    lsoa["london"] = lsoa["lad"].str.startswith(LONDON)

    def on_2015_curve(rows: pd.Series) -> pd.DataFrame:
        """Ward means of both editions' LSOA scores, for the LSOAs in ``rows``, each LSOA's
        rank among them mapped through their 2015 rank-to-score curve."""
        sub = lsoa[rows]
        curve = np.sort(sub["s15"].to_numpy(np.float64))[::-1]
        a = rank_mapped(sub["s15"].to_numpy(np.float64), curve) * sub["pop"]
        b = rank_mapped(-sub["r19"].to_numpy(np.float64), curve) * sub["pop"]
        sums = sub.assign(a=a, b=b).groupby("ward")[["a", "b", "pop"]].sum()
        return pd.DataFrame({"w15": sums["a"] / sums["pop"], "w19": sums["b"] / sums["pop"]})

    w = wards.set_index("ward_code").join(
        on_2015_curve(pd.Series(True, index=lsoa.index)), how="inner"
    )
    if len(w) != len(wards):
        missing = sorted(set(wards["ward_code"]) - set(w.index))
        raise ValueError(f"wards without a small area in the lookup: {missing[:10]}")
    pop = w["population"].to_numpy(np.float64)
    lb = w["left_behind"].to_numpy(bool)
    cut = left_behind_cut(len(w))
    cni_top = rank_desc(w["cni_score"].to_numpy(np.float64)) <= cut
    top15 = rank_desc(w["w15"].to_numpy(np.float64)) <= cut
    top19 = rank_desc(w["w19"].to_numpy(np.float64)) <= cut
    # Ward scores of both editions on the 2015 rank-to-score curve.
    s15, s19 = w["w15"].to_numpy(np.float64), w["w19"].to_numpy(np.float64)
    london = w["la_code"].astype(str).str.startswith(LONDON).to_numpy()
    outside = ~london
    # Outside London, small areas ranked among themselves (their own 2015 curve).
    o = w[outside][[]].join(on_2015_curve(~lsoa["london"]))
    o15, o19 = o["w15"].to_numpy(np.float64), o["w19"].to_numpy(np.float64)

    def change(
        a: F64, b: F64, group: NDArray[np.bool_], england: NDArray[np.bool_] | None = None
    ) -> float:
        m = np.ones_like(group) if england is None else england
        return ratio(b[m], pop[m], group[m]) - ratio(a[m], pop[m], group[m])

    def ward_ranks(a: F64, b: F64, m: NDArray[np.bool_]) -> float:
        """The change with ward scores re-ranked among the wards in ``m`` and mapped
        through their 2015 curve: the reading the model's ``ranks`` measure takes."""
        curve = np.sort(a[m])[::-1]
        ra, rb = rank_mapped(a[m], curve), rank_mapped(b[m], curve)
        return ratio(rb, pop[m], lb[m]) - ratio(ra, pop[m], lb[m])

    p15 = w["extra_imd2015_score"].to_numpy(np.float64)
    p19 = w["imd_score"].to_numpy(np.float64)
    everywhere = np.ones_like(lb)
    return {
        "published": change(p15, p19, lb),
        "ranks": change(s15, s19, lb),
        "ranks, chosen in 2015": change(s15, s19, top15 & cni_top),
        "published, chosen in 2015": change(p15, p19, top15 & cni_top),
        "IMD top 10%, chosen in 2019": change(s15, s19, top19),
        "IMD top 10%, chosen in 2015": change(s15, s19, top15),
        "ward ranks": ward_ranks(s15, s19, everywhere),
        "published, outside London": change(p15, p19, lb, outside),
        # The wards chosen at the start (with IMD 2015), outside London: the like-for-like
        # figure for the model's drift outside London (its group is chosen at its start).
        "published, chosen in 2015, outside London": change(p15, p19, top15 & cni_top, outside),
        "ranks, chosen in 2015, outside London": ratio(
            o19, pop[outside], (top15 & cni_top)[outside]
        )
        - ratio(o15, pop[outside], (top15 & cni_top)[outside]),
        "ranks, outside London": ratio(o19, pop[outside], lb[outside])
        - ratio(o15, pop[outside], lb[outside]),
        "ward ranks, outside London": ward_ranks(s15, s19, outside),
        "London's own change (points)": float(
            np.average(s19[london] - s15[london], weights=pop[london])
        ),
        **cni_gradients(*outside_london_ranks(s15, s19, w.index, outside), w, with_se=True),
        # The same fifth as the model's, which starts from 2019: chosen by the 2019 score
        # (so partly on the outcome; the 2015 choice above is the clean one).
        **cni_gradients(
            *outside_london_ranks(s15, s19, w.index, outside),
            w,
            chosen_by=w["imd_score"],
            label="gradient (2019 fifth)",
            with_se=True,
        ),
    }


def observed_persistence(data_dir: str | None) -> dict[str, float]:
    """The 2015 to 2019 persistence figures of the published data (as
    ``experiments/validate_measurement.py`` computes them): the most deprived tenth's
    four-year persistence, the both-tenths group's IMD keep and the rank change near the cut
    (IMD 2015 LSOA scores averaged to wards against the IMD 2019 ward scores; the CNI 2019,
    the only one, for both years), and the counts they rest on."""
    from lbn_sim.data.england import load_england

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wards, _ = load_england(data_dir, extras=False, imd2015=True)
    w = wards.set_index("ward_code")[["imd_score", "extra_imd2015_score", "cni_score"]].dropna()
    before, after = w["extra_imd2015_score"], w["imd_score"]

    def tenth(scores: pd.Series) -> set[str]:
        cut = int(np.floor(0.1 * len(scores)))
        return set(scores.sort_values(ascending=False, kind="stable").index[:cut])

    d0, d4 = tenth(before), tenth(after)
    both = d0 & tenth(w["cni_score"])
    r0 = before.rank(ascending=False)
    change = after.rank(ascending=False) - r0
    near = near_cut(r0)
    return {
        "decile_persistence": len(d0 & d4) / len(d0),
        "both_keep_imd_tenth": len(both & d4) / len(both),
        "rank_change_sd_near_cut": float(change[near].std()),
        "n_tenth": float(len(d0)),
        "n_both": float(len(both)),
        "n_near_cut": float(near.sum()),
    }


def observed_targets(data_dir: str | None) -> dict[str, float]:
    """The targets' observed figures recomputed from the shared files, by target name."""
    drift = observed(data_dir)
    persistence = observed_persistence(data_dir)
    return {
        "decile_persistence": persistence["decile_persistence"],
        "both_keep_imd_tenth": persistence["both_keep_imd_tenth"],
        "rank_change_sd_near_cut": persistence["rank_change_sd_near_cut"],
        "drift_chosen_at_start": drift["published, chosen in 2015"],
        "drift_chosen_at_start_outside_london": drift["published, chosen in 2015, outside London"],
        **{f"gradient_{d}": drift[f"gradient, {d}"] for d in CNI_DOMAINS},
    }


def period_config(
    data_dir: str | None,
    seed: int,
    overrides: list[str],
    full: bool = False,
    period: bool = True,
    toy: bool = False,
) -> Config:
    """The config of one hindcast run: the real data (or, with ``toy``, a 120-ward synthetic
    England), the base case, the 2015-2019 regime (``PERIOD_2015_2019``, and on the real
    data ``LONDON_ECONOMY``; the shared history as configured if ``period`` is false) for
    the :data:`~lbn_sim.analysis.history_match.YEARS` years read and the one after (the
    policy start: the figures never read it), the configured household sample (every
    household with ``full``), then ``overrides``."""
    from lbn_sim.runs.draw_runs import compose

    return compose(period_overrides(data_dir, seed, overrides, full, period, toy))


def period_overrides(
    data_dir: str | None,
    seed: int,
    overrides: list[str],
    full: bool = False,
    period: bool = True,
    toy: bool = False,
) -> list[str]:
    """The overrides of :func:`period_config`."""
    end = 2019 + YEARS + 1
    data = (
        list(TOY) if toy else ["data=england_2019", *([f"data.dir={data_dir}"] if data_dir else [])]
    )
    regime = [*PERIOD_2015_2019, *([] if toy else LONDON_ECONOMY)] if period else []
    return [
        *data,
        "scenario=base_case",
        "outputs=summary",
        f"horizon={end}",
        f"policy_start={end}",
        f"seed={seed}",
        *regime,
        *(FULL_SAMPLE if full else ()),
        *overrides,
    ]


def read_hindcast(result: RunResult, cfg: Config, wards: pd.DataFrame) -> dict[str, object]:
    """A hindcast run's figures (:func:`~lbn_sim.analysis.history_match.hindcast_figures`);
    ``wards``: the input ward table, whose CNI domain scores the gradients read."""
    domains = wards.set_index("ward_code")[list(CNI_DOMAINS)]
    return {"seed": cfg.seed, **hindcast_figures(result.wards, cfg.start_year, domains)}


def _git_commit() -> str | None:
    from lbn_sim.runs.provenance import provenance

    made = provenance()
    return str(made.get("git_commit")) if made.get("git_commit") else None


def summary_text(
    tried: pd.DataFrame,
    seed_sd: pd.Series,
    bind: pd.DataFrame,
    names: int,
    setting: str,
    minutes: float,
) -> str:
    """The note of a calibration: what was tried and kept, the targets, which bind."""
    kept = int(tried["kept"].sum())
    lines = [
        "# History matching on the 2015-2019 record",
        "",
        f"{setting}. {len(tried)} parameter vectors tried ({names} registry entries drawn, a "
        f"Latin hypercube over their ranges), {kept} kept (every implausibility below {CUT:g}) "
        f"in {minutes:.1f} minutes.",
        "",
        "| target | observed | obs sd | discrepancy sd | seed sd | modelled median (5-95%) "
        "| ruled out | only this one |",
        "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    for t in TARGETS:
        col = tried[t.name]
        lines.append(
            f"| {t.name} | {t.observed:.4g} | {t.obs_sd:.3g} | {t.discrepancy_sd:.3g} | "
            f"{seed_sd[t.name]:.3g} | {col.median():.4g} ({col.quantile(0.05):.4g} to "
            f"{col.quantile(0.95):.4g}) | {int(bind.loc[t.name, 'ruled_out'])} | "
            f"{int(bind.loc[t.name, 'only_this'])} |"
        )
    order = ", ".join(f"{n} ({int(r)})" for n, r in bind["ruled_out"].items() if r > 0)
    lines += ["", f"Binding targets (vectors ruled out): {order or 'none'}."]
    return "\n".join(lines) + "\n"


def match(
    params: pd.DataFrame,
    figures: pd.DataFrame,
    replicates: pd.DataFrame,
    targets: tuple[Target, ...],
) -> tuple[pd.DataFrame, pd.Series, pd.DataFrame]:
    """Every vector's verdict: ``(tried, seed_sd, binding)``.

    ``params`` and ``figures``: one row per vector (same index), its parameter values and
    its run's figures; ``replicates``: the default vector's runs over seeds (a row each).
    ``tried``: the parameters, the figures, ``I_<target>`` (each implausibility),
    ``max_implausibility`` and ``kept`` (every implausibility below :data:`CUT`);
    ``seed_sd``: each figure's spread across the replicates' seeds; ``binding``: which
    targets rule vectors out (:func:`~lbn_sim.analysis.history_match.binding`).
    """
    seed_sd = replicates[[t.name for t in targets]].std(ddof=1)
    imp = implausibility(figures, seed_sd, targets)
    worst = imp.max(axis=1)
    tried = pd.concat(
        [
            params,
            figures,
            imp.add_prefix("I_"),
            pd.DataFrame({"max_implausibility": worst, "kept": worst < CUT}),
        ],
        axis=1,
    )
    return tried, seed_sd, binding(imp)


def main(argv: list[str] | None = None) -> int:
    from lbn_sim.params.draws import describe, latin_hypercube
    from lbn_sim.runs.draw_runs import Group, run_groups

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=200, help="parameter vectors to try")
    parser.add_argument("--draw-seed", type=int, default=0, help="the Latin hypercube's seed")
    parser.add_argument(
        "--first-number",
        type=int,
        default=0,
        help="the first draw's number (a further batch of draws, numbered after an earlier "
        "batch's, with its own --draw-seed; scripts/merge_accepted.py joins their sets)",
    )
    parser.add_argument(
        "--replicates", type=int, default=4, help="seeds of the default vector (at least 2)"
    )
    parser.add_argument("--workers", type=int, default=1, help="processes")
    parser.add_argument("--data-dir", default=os.environ.get("LBN_SIM_DATA_DIR"))
    parser.add_argument("--out", type=Path, default=Path("outputs/calibration"), help="folder")
    parser.add_argument(
        "--accepted",
        type=Path,
        default=None,
        help="the kept vectors (CSV; default the shipped set, or with --toy in --out)",
    )
    parser.add_argument("--toy", action="store_true", help="120-ward synthetic England (tests)")
    parser.add_argument("overrides", nargs="*", help="Hydra overrides for every run")
    args = parser.parse_args(argv)
    if args.replicates < 2:
        parser.error("--replicates must be at least 2 (the seeds' spread needs two)")
    if args.first_number < 0:
        parser.error(f"--first-number must be 0 or more, not {args.first_number}")
    if args.accepted is None:  # a toy calibration never replaces the shipped set by default
        args.accepted = args.out / ACCEPTED.name if args.toy else ACCEPTED
    tic = time.perf_counter()
    draws = latin_hypercube(args.draws, args.draw_seed)
    print(describe(draws.names), file=sys.stderr)

    def job(seed: int, extra: list[str]) -> tuple[tuple[str, ...], ...]:
        return (
            tuple(period_overrides(args.data_dir, seed, [*extra, *args.overrides], toy=args.toy)),
        )

    groups = [Group(job(seed, []), (("replicate", seed),)) for seed in range(args.replicates)]
    first = args.first_number
    groups += [Group(job(0, draws.overrides(i)), (("draw", first + i),)) for i in range(len(draws))]
    print(f"{len(groups)} hindcast runs on {args.workers} worker(s)", file=sys.stderr)
    # Each run's figures are kept as it finishes: the same command resumes a stopped run.
    args.out.mkdir(parents=True, exist_ok=True)
    record = args.out / "partial.csv"
    setup = {
        "draw_seed": args.draw_seed,
        "draws": args.draws,
        "first_number": first,
        "replicates": args.replicates,
        "names": list(draws.names),
        "jobs": [list(g.jobs[0]) for g in groups[: args.replicates]],
    }
    rows = pd.DataFrame(run_groups(groups, read_hindcast, args.workers, record=record, setup=setup))
    replicates = rows[rows["replicate"].notna()].drop(columns=["draw", "job"])
    figures = rows[rows["draw"].notna()].drop(columns=["replicate", "job"])
    figures = figures.astype({"draw": np.int64}).set_index("draw")
    frame = draws.frame()
    frame["draw"] += first  # each draw's number among every batch's
    tried, seed_sd, bind = match(frame.set_index("draw"), figures, replicates, TARGETS)
    args.out.mkdir(parents=True, exist_ok=True)
    tried.to_csv(args.out / "tried.csv")
    replicates.to_csv(args.out / "replicates.csv", index=False)
    setting = (
        "120-ward synthetic England (toy; the targets are England's)"
        if args.toy
        else "Real data (England, 2019 start), four years of the 2015-2019 regime"
    )
    minutes = (time.perf_counter() - tic) / 60
    note = summary_text(tried, seed_sd, bind, len(draws.names), setting, minutes)
    (args.out / "summary.md").write_text(note)
    kept = tried[tried["kept"]]
    args.accepted.parent.mkdir(parents=True, exist_ok=True)
    kept_table = frame.set_index("draw").loc[kept.index]
    kept_table.assign(max_implausibility=kept["max_implausibility"]).to_csv(args.accepted)
    meta = {
        "made_by": "scripts/calibrate_history.py",
        "git_commit": _git_commit(),
        "setting": setting,
        "tried": len(tried),
        "kept": len(kept),
        "draw_seed": args.draw_seed,
        "first_number": first,
        "draws": describe(draws.names),
        "seed_of_every_draw": 0,
        "replicate_seeds": list(range(args.replicates)),
        "cut": CUT,
        # Every run's overrides but the data folder (a path on the machine that ran it).
        "overrides": [o for o in job(0, [])[0] if not o.startswith("data.dir=")],
        "targets": [
            {
                "name": t.name,
                "observed": t.observed,
                "obs_sd": t.obs_sd,
                "discrepancy_sd": t.discrepancy_sd,
                "seed_sd": float(seed_sd[t.name]),
                "ruled_out": int(bind.loc[t.name, "ruled_out"]),
                "only_this": int(bind.loc[t.name, "only_this"]),
                "why": t.why,
            }
            for t in TARGETS
        ],
        "minutes": round(minutes, 2),
    }
    args.accepted.with_suffix(".json").write_text(json.dumps(meta, indent=2) + "\n")
    print(note)
    if not args.toy:
        print("observed figures recomputed from the shared files, beside the targets:")
        again = observed_targets(args.data_dir)
        for t in TARGETS:
            print(f"  {t.name:40s} target {t.observed:+.4f}  files {again[t.name]:+.4f}")
    record.unlink()
    record.with_suffix(".json").unlink()
    print(f"kept {len(kept)} of {len(tried)}: {args.accepted}; every vector: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
