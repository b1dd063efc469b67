"""Shared parts of the programme replays (``replay_ndc.py``, ``replay_big_local.py``): draw
the funded wards, match comparator wards, run the model with the programme's money, and
read the difference in differences.

The replays run the model directly (:class:`lbn_sim.engine.model.LBNModel`) because the
money enters through :func:`lbn_sim.engine.agents.named_programme.attach`, which ordinary
runs never call; the figures are read from the model's recorded history only.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from lbn_sim.config import Config
from lbn_sim.data import contract
from lbn_sim.engine.agents.accounts import EXTERNAL_SOURCES
from lbn_sim.engine.agents.named_programme import NamedProgrammeSpec, attach
from lbn_sim.engine.ledger import conservation_errors
from lbn_sim.engine.model import LBNModel
from lbn_sim.names import IMD_DOMAINS

F64 = NDArray[np.float64]
#: The ward table's IMD domain columns (start-year published scores), matched on.
IMD_COLUMNS = contract.IMD_COLUMNS
#: The ward table's CNI domain columns.
CNI_COLUMNS = ("civic_assets", "connectedness", "engaged_community")
assert len(IMD_COLUMNS) == len(IMD_DOMAINS)


def draw_wards(wards: pd.DataFrame, n: int, pool: NDArray[np.bool_], seed: int) -> list[str]:
    """``n`` ward codes drawn without replacement from the wards where ``pool`` is true
    (``[n_wards]``), with ``numpy.random.default_rng(seed)``; in ward-table order.

    Raises:
        ValueError: the pool holds fewer than ``n`` wards.
    """
    codes = wards["ward_code"].to_numpy(str)[pool]
    if len(codes) < n:
        raise ValueError(f"cannot draw {n} wards from a pool of {len(codes)}")
    rng = np.random.default_rng(seed)
    chosen = set(rng.choice(codes, size=n, replace=False).tolist())
    return [c for c in wards["ward_code"].astype(str) if c in chosen]


def most_deprived(wards: pd.DataFrame, column: str, share: float) -> NDArray[np.bool_]:
    """Wards in the most deprived ``share`` of wards by ``column`` (higher is more
    deprived), ``[n_wards]`` (ties by ward order)."""
    order = np.argsort(-wards[column].to_numpy(np.float64), kind="stable")
    out = np.zeros(len(wards), dtype=bool)
    out[order[: int(np.floor(share * len(wards)))]] = True
    return out


def match_comparators(
    wards: pd.DataFrame, treated: Sequence[str], columns: Sequence[str]
) -> list[str]:
    """One comparator per treated ward: greedy nearest-neighbour matching without
    replacement, on the start-year ``columns`` of the ward table and log population, each
    standardised over England (Euclidean distance). Treated wards are matched in
    ward-table order; a comparator is never a treated ward and never used twice.

    Returns the comparators' codes, ``[n_treated]`` (the i-th matches the i-th treated ward
    in ward-table order).
    """
    codes = wards["ward_code"].to_numpy(str)
    x = np.column_stack(
        [wards[c].to_numpy(np.float64) for c in columns]
        + [np.log(np.maximum(wards["population"].to_numpy(np.float64), 1.0))]
    )
    x = (x - x.mean(axis=0)) / np.where(x.std(axis=0) > 0, x.std(axis=0), 1.0)
    is_treated = np.isin(codes, np.asarray(treated, dtype=str))
    available = ~is_treated
    out: list[str] = []
    for i in np.flatnonzero(is_treated):
        d = np.where(available, ((x - x[i]) ** 2).sum(axis=1), np.inf)
        j = int(np.argmin(d))
        if not np.isfinite(d[j]):
            raise ValueError("not enough untreated wards to match every treated ward")
        available[j] = False
        out.append(str(codes[j]))
    return out


@dataclass(frozen=True, slots=True)
class ReplayRun:
    """One seed's replay.

    Attributes:
        seed: the model's seed.
        start, end: indicator -> float64 ``[n_wards]`` at the first and last recorded years.
        population: float64 ``[n_wards]``, start-year residents (weights).
        codes: ward codes, ``[n_wards]``.
        paid: pence paid by the programme to each ward over the run (from the ledger),
            indexed by ward code.
        balanced: every account of the ledger balances (no conservation error).
    """

    seed: int
    start: dict[str, F64]
    end: dict[str, F64]
    population: F64
    codes: NDArray[np.str_]
    paid: pd.Series
    balanced: bool


def run_replay(
    cfg: Config,
    wards: pd.DataFrame,
    specs: Sequence[NamedProgrammeSpec],
    indicators: Sequence[str],
    window: tuple[int, int] | None = None,
) -> ReplayRun:
    """Run ``cfg`` (start year to horizon) with the named programmes ``specs`` attached and
    return the values of ``indicators`` in the two years of ``window`` (recorded years,
    each the state at the end of that year; None: the start year and the horizon).

    Raises:
        ValueError: a window year the run does not record, or a window not in order.
    """
    model = LBNModel(cfg, wards)
    attach(model, specs)
    model.run()
    if window is None:
        first, last = model.history[0], model.history[-1]
    else:
        by_year = {int(row["year"]): row for row in model.history}
        if not window[0] < window[1] or not set(window) <= set(by_year):
            model.release()
            raise ValueError(
                f"replay window {window}: the run records {min(by_year)} to {max(by_year)}; "
                "give two of those years, the first before the second"
            )
        first, last = by_year[window[0]], by_year[window[1]]
    flows, balances = model.ledger.flows(), model.ledger.balances()
    errors = conservation_errors(flows, balances, set(EXTERNAL_SOURCES))
    accounts = {s.account for s in specs}
    paid = (
        flows[flows["source"].astype(str).isin(accounts)]
        .groupby(flows["destination"].astype(str))["pence"]
        .sum()
    )
    run = ReplayRun(
        seed=cfg.seed,
        start={k: np.asarray(first[k], dtype=np.float64).copy() for k in indicators},
        end={k: np.asarray(last[k], dtype=np.float64).copy() for k in indicators},
        population=model.population0.copy(),
        codes=model.codes.copy(),
        paid=paid,
        balanced=errors.empty,
    )
    model.release()
    return run


def did_table(
    run: ReplayRun, treated: Sequence[str], comparators: Sequence[str], indicators: Sequence[str]
) -> pd.DataFrame:
    """One seed's difference in differences, one row per indicator: the population-weighted
    mean of the treated and comparator wards at the start and the end, each group's relative
    change ((end - start) / start), and the differences ``did_points`` (treated change
    minus comparator change, indicator units x 100: percentage points of a share) and
    ``did_relative`` (treated relative change minus comparator relative change)."""
    t = np.isin(run.codes, np.asarray(treated, dtype=str))
    c = np.isin(run.codes, np.asarray(comparators, dtype=str))
    w = run.population
    rows = []
    for k in indicators:
        ts, te = np.average(run.start[k][t], weights=w[t]), np.average(run.end[k][t], weights=w[t])
        cs, ce = np.average(run.start[k][c], weights=w[c]), np.average(run.end[k][c], weights=w[c])
        rel_t = (te - ts) / ts if ts else np.nan
        rel_c = (ce - cs) / cs if cs else np.nan
        rows.append(
            {
                "indicator": k,
                "seed": run.seed,
                "treated_start": ts,
                "treated_end": te,
                "comparator_start": cs,
                "comparator_end": ce,
                "treated_relative": rel_t,
                "comparator_relative": rel_c,
                "did_points": 100.0 * ((te - ts) - (ce - cs)),
                "did_relative": rel_t - rel_c,
            }
        )
    return pd.DataFrame(rows)


def bands(per_seed: pd.DataFrame) -> pd.DataFrame:
    """Across seeds, per indicator: the median and the range (min, max) of each seed's
    relative changes and differences, the relative difference's mean (what the
    calibration's second wave judges), and the number of seeds."""
    g = per_seed.groupby("indicator", sort=False)
    out = pd.DataFrame(
        {
            "seeds": g["seed"].nunique(),
            "treated_relative": g["treated_relative"].median(),
            "comparator_relative": g["comparator_relative"].median(),
            "did_relative": g["did_relative"].median(),
            "did_relative_mean": g["did_relative"].mean(),
            "did_relative_low": g["did_relative"].min(),
            "did_relative_high": g["did_relative"].max(),
            "did_points": g["did_points"].median(),
            "did_points_low": g["did_points"].min(),
            "did_points_high": g["did_points"].max(),
        }
    )
    return out.reset_index()


def percent(x: float) -> str:
    """``x`` (a fraction) as a signed percentage with one decimal."""
    return "n/a" if not np.isfinite(x) else f"{100.0 * x:+.1f}%"


def band_words(row: pd.Series) -> str:
    """The median relative difference with its range across seeds, in percent."""
    return (
        f"{percent(row['did_relative'])} "
        f"[{percent(row['did_relative_low'])}, {percent(row['did_relative_high'])}]"
    )


def improving_band(row: pd.Series) -> bool:
    """The whole band of the difference is an improvement (every seed's treated wards
    lost more need than their comparators: the indicators are needs, lower is better)."""
    return bool(row["did_relative_high"] < 0.0)


@dataclass(frozen=True, slots=True)
class Observed:
    """What an evaluation reported for one outcome, beside the model's indicator.

    Attributes:
        outcome: the evaluation's outcome, in its words.
        indicator: the model's indicator read for it (a need: lower is better).
        finding: the evaluation's net finding against comparators, with its figures where
            they were found (or saying none was found).
        source: volume, page or table, and address read.
        no_net_gain: the evaluation found no significant net improvement against
            comparators.
        tolerance: where the evaluation's precision was read, the smallest relative
            difference (on the model's indicator, a fraction) it would have called
            significant at 5%: a modelled difference below it is one the evaluation would
            most likely have reported as no significant difference. None where no
            precision was read (the verdict then reads only the difference's sign).
        tolerance_source: how ``tolerance`` was derived, with its assumptions.
    """

    outcome: str
    indicator: str
    finding: str
    source: str
    no_net_gain: bool
    tolerance: float | None = None
    tolerance_source: str = ""


@dataclass(frozen=True, slots=True)
class Design:
    """A replay's design: who is funded, who compares, what is paid."""

    name: str
    treated: list[str]
    comparators: list[str]
    spec: NamedProgrammeSpec
    horizon: int
    #: The two recorded years whose values the difference compares (the evaluation's
    #: window, in the model's years); None: the start year and the horizon.
    window: tuple[int, int] | None = None


def window_words(design: Design) -> str:
    """The years the difference reads, in words."""
    if design.window is None:
        return f"the start year to {design.horizon}"
    first, last = design.window
    return f"end of {first} to end of {last} (the evaluation's window; paid to {design.horizon})"


def verdict(row: pd.Series, obs: Observed) -> str:
    """Whether the modelled difference sits within the evaluation's finding.

    Where the evaluation found no significant net gain and its precision was read
    (``obs.tolerance``), the mean of the seeds' differences (the model's expected effect,
    as the calibration's second wave judges every vector, ``docs/calibration.md``) must lie
    within the smallest difference it would have called significant; the verdict says
    when some seed's difference lies beyond it. Where no precision was read, a band that
    improves in every seed is reported as exceeding the finding (the stricter reading:
    nothing says how small a gain the evaluation could have missed).
    """
    if obs.no_net_gain and obs.tolerance is not None:
        mean = float(row["did_relative_mean"])
        largest = max(abs(row["did_relative_low"]), abs(row["did_relative_high"]))
        limit = f"+/-{100 * obs.tolerance:.1f}%"
        if abs(mean) >= obs.tolerance:
            return (
                f"EXCEEDS what the evaluation could have missed ({limit}) on the seeds' "
                f"mean ({percent(mean)})"
            )
        if largest < obs.tolerance:
            return (
                f"within: below the smallest difference the evaluation could call "
                f"significant ({limit}) on every seed"
            )
        low, high = float(row["did_relative_low"]), float(row["did_relative_high"])
        end = low if abs(low) >= abs(high) else high
        return (
            f"within on the seeds' mean ({percent(mean)}; {limit}), beyond it on some seed "
            f"(the largest {percent(end)})"
        )
    if improving_band(row):
        return (
            "EXCEEDS: every seed improves more than comparators (no precision read)"
            if obs.no_net_gain
            else ("improves (size not checkable against the evidence)")
        )
    if row["did_relative_low"] > 0.0:
        return "worse than comparators in every seed"
    return "within (band includes no net difference)"


def report(design: Design, per_seed: pd.DataFrame, observed: Sequence[Observed]) -> str:
    """The Markdown table of modelled beside observed, one row per outcome."""
    b = bands(per_seed).set_index("indicator")
    n_seeds = int(b["seeds"].max()) if len(b) else 0
    lines = [
        f"{design.name}: {len(design.treated)} funded wards, {len(design.comparators)} matched "
        f"comparators, {n_seeds} seed(s); GBP {design.spec.total_gbp() / 1e6:,.1f}m over "
        f"{design.spec.years} years from {design.spec.first_year} (2019 prices); change from "
        f"{window_words(design)}. Relative change of the need indicator (lower "
        "is better): median [min, max] across seeds.",
        "",
        "| outcome | model indicator | funded wards | comparators | difference (DiD) | "
        "DiD points | evaluation found | source | verdict |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for obs in observed:
        row = b.loc[obs.indicator]
        lines.append(
            f"| {obs.outcome} | `{obs.indicator}` | {percent(row['treated_relative'])} | "
            f"{percent(row['comparator_relative'])} | {band_words(row)} | "
            f"{row['did_points']:+.2f} [{row['did_points_low']:+.2f}, "
            f"{row['did_points_high']:+.2f}] | {obs.finding} | {obs.source}"
            f"{'; threshold from ' + obs.tolerance_source if obs.tolerance_source else ''} | "
            f"{verdict(row, obs)} |"
        )
    return "\n".join(lines)


def run_design(
    cfg: Config,
    wards: pd.DataFrame,
    design: Design,
    seeds: Sequence[int],
    indicators: Sequence[str],
) -> tuple[pd.DataFrame, list[ReplayRun]]:
    """Every seed's difference in differences (rows of :func:`did_table`) and runs."""
    from dataclasses import replace

    tables, runs = [], []
    for seed in seeds:
        run = run_replay(replace(cfg, seed=seed), wards, [design.spec], indicators, design.window)
        runs.append(run)
        tables.append(did_table(run, design.treated, design.comparators, indicators))
    return pd.concat(tables, ignore_index=True), runs


def replay_main(
    argv: list[str] | None,
    *,
    name: str,
    description: str,
    areas: int,
    toy_areas: int,
    years: tuple[int, int],
    make_design: Callable[[pd.DataFrame, int, int], Design],
    indicators: Sequence[str],
    observed: Sequence[Observed],
) -> int:
    """A replay script's command line: draw the design, run it over seeds, write every
    seed's differences (``outputs/<name>.csv``) and print the money paid and the report.
    ``years``: (first year of the money, years paid)."""
    from _common import TOY, compose_cfg

    from lbn_sim.runs.runner import load_wards

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--seeds", type=int, default=3, help="model seeds (0..N-1)")
    parser.add_argument("--draw-seed", type=int, default=0, help="seed of the wards' draw")
    parser.add_argument("--areas", type=int, default=areas, help=f"funded wards ({areas})")
    parser.add_argument(
        "--toy", action="store_true", help=f"tiny England ({toy_areas} areas), for tests"
    )
    parser.add_argument("--out", type=Path, default=Path(f"outputs/{name}.csv"), help="CSV")
    parser.add_argument("overrides", nargs="*", help="extra Hydra overrides (data=england_2019)")
    args = parser.parse_args(argv)
    n_areas = toy_areas if args.toy and args.areas == areas else args.areas
    first_year, n_years = years
    horizon = first_year + n_years - 1
    extra = [*(TOY if args.toy else []), "scenario=base_case", f"horizon={horizon}"]
    cfg = compose_cfg([*extra, *args.overrides])
    wards, _ = load_wards(cfg.data)
    d = make_design(wards, n_areas, args.draw_seed)
    per_seed, runs = run_design(cfg, wards, d, range(args.seeds), indicators)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    per_seed.to_csv(args.out, index=False)
    paid = sum(float(r.paid.sum()) for r in runs) / 100 / len(runs)
    print(
        f"money paid per run GBP {paid / 1e6:,.1f}m (planned {d.spec.total_gbp() / 1e6:,.1f}m);"
        f" ledger balanced in every run: {all(r.balanced for r in runs)}"
    )
    print(report(d, per_seed, observed))
    return 0
