"""Run one future end to end: load wards, simulate, write the result tables and figure.

:func:`simulate` is the plain function behind the command line (tests and
samplers call it); :func:`write` adds the files.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from lbn_sim.config import Config, DataConfig
from lbn_sim.data.sources import data_words
from lbn_sim.engine.model import LBNModel
from lbn_sim.runs.forks import Fork, ForkCache
from lbn_sim.runs.provenance import provenance, write_provenance
from lbn_sim.runs.results import (
    BALANCES_FILE,
    GROUPS_FILE,
    LEDGER_FILE,
    LEVEL_FILES,
    MONEY_FILE,
    STATUS_COUNTS,
    SUMMARY_FILE,
    WARD_YEARS_FILE,
    WARDS_FILE,
    group_table,
    money_table,
    ward_summary,
    ward_table,
    ward_years_table,
    write_atomically,
)


@dataclass(frozen=True, slots=True)
class RunResult:
    """The tables of one run (see ``docs/contracts.md``)."""

    wards: pd.DataFrame
    groups: pd.DataFrame
    summary: pd.DataFrame
    ledger: pd.DataFrame
    balances: pd.DataFrame
    data_report: str | None
    seconds: float
    #: The code that made the run (:func:`lbn_sim.runs.provenance.provenance`, read at its start).
    made_by: dict[str, object] | None = None


def load_wards(data: DataConfig) -> tuple[pd.DataFrame, str | None]:
    """The ward table named by the data config, and a data report (Markdown) if there is one."""
    if data.name == "synthetic":
        from lbn_sim.data.synthetic import generate_wards

        return generate_wards(n_wards=data.n_wards, seed=data.seed), None
    from lbn_sim.data.england import load_england

    wards, report = load_england(data.dir)
    return wards, report.to_markdown()


def simulate(
    cfg: Config,
    progress: bool = False,
    label: str = "",
    forks: ForkCache | None = None,
    loaded: tuple[pd.DataFrame, str | None] | None = None,
    on_year: Callable[[LBNModel], None] | None = None,
) -> RunResult:
    """Run the model from ``cfg.start_year`` to ``cfg.horizon`` and build the result tables.

    ``progress``: print what is run and every fifth year to stderr, each line after
    ``label`` (in a sweep, the job: parallel jobs' lines interleave). ``forks``: continue
    from a saved shared history when it holds ``cfg``'s, and save it otherwise
    (:mod:`lbn_sim.runs.forks`); the tables are the same either way. ``loaded``: the ward
    table and data report of ``cfg.data`` (:func:`load_wards`), when the caller holds them
    already (an ensemble's worker loads them once for all its members); read afresh when
    None. The model never changes the ward table it is given. ``on_year``: called with the
    model after each recorded year (:class:`~lbn_sim.engine.model.LBNModel`'s own hook: a
    progress bar reads ``model.year``).
    """
    t0 = time.perf_counter()
    made_by = provenance()
    fork = forks.get(cfg) if forks is not None else None
    if fork is not None:
        wards, report = fork.wards, fork.report
        model = LBNModel.from_snapshot(cfg, wards, fork.snapshot, on_year=on_year)
    else:
        wards, report = loaded if loaded is not None else load_wards(cfg.data)
        model = LBNModel(cfg, wards, on_year=on_year)
    if progress:
        shared = f", from the saved {cfg.start_year}-{model.year} history" if fork else ""
        print(
            f"{label}lbn_sim: {data_words(cfg.data.name, model.n_wards)}, "
            f"{model.households.n:,} simulated households, "
            f"{cfg.start_year}-{cfg.horizon}, scenario {cfg.scenario.name}{shared}",
            file=sys.stderr,
        )
    if fork is None and forks is not None and forks.shares_history(cfg):
        model.run(progress=progress, label=label, until=cfg.policy_start - 1)
        forks.put(Fork(wards, report, model.snapshot()))
    model.run(progress=progress, label=label)
    wt = ward_table(model.history, model.ward_table)
    groups = group_table(wt, cfg.left_behind_window)
    result = RunResult(
        wards=wt,
        groups=groups,
        summary=ward_summary(wt, groups),
        ledger=model.ledger.flows(),
        balances=model.ledger.balances(),
        data_report=report,
        seconds=time.perf_counter() - t0,
        made_by=made_by,
    )
    model.release()
    return result


def write(result: RunResult, cfg: Config, run_dir: Path) -> list[Path]:
    """Write the tables of ``cfg.outputs``, the figures (``cfg.plots``; not at the
    ``summary`` level) and ``provenance.json`` (the code that made the run) into
    ``run_dir``, all or nothing."""
    return write_atomically(run_dir, run_writers(result, cfg))


def run_writers(result: RunResult, cfg: Config) -> dict[str, Callable[[Path], None]]:
    """Each file a run writes at its output level (``cfg.outputs``, the files of
    :data:`~lbn_sim.runs.results.LEVEL_FILES`), by its path in the run folder, with the
    function that writes it at a path it is given."""

    def parquet(df: pd.DataFrame) -> Callable[[Path], None]:
        return lambda path: df.to_parquet(path, index=False)

    def arrow(make: Callable[[], pa.Table]) -> Callable[[Path], None]:
        # zstd (level 6), the float32 composites and int16 ranks split by byte, rows ward by
        # ward: 2.8 MB at England's size (real data, 2019-2050), against 4.2 MB year by year
        # with the ranks whole and 4.6 MB with parquet's defaults (measured 2026-12-07).
        return lambda path: pq.write_table(
            make(),
            path,
            compression="zstd",
            compression_level=6,
            use_byte_stream_split=[
                "imd_like",
                "cni_like",
                "imd_like_start_scale",
                "imd_rank",
                "cni_rank",
            ],
            use_dictionary=["year", "ward_code", "population"],
        )

    tables: dict[str, Callable[[Path], None]] = {
        WARDS_FILE: parquet(result.wards),
        GROUPS_FILE: parquet(result.groups),
        SUMMARY_FILE: lambda path: result.summary.to_csv(path, index=False),
        LEDGER_FILE: parquet(result.ledger),
        BALANCES_FILE: parquet(result.balances),
        WARD_YEARS_FILE: arrow(lambda: ward_years_table(result.wards)),
        MONEY_FILE: lambda path: money_table(result.ledger, result.wards).to_parquet(
            path, index=False
        ),
    }
    writers = {name: tables[name] for name in LEVEL_FILES[cfg.outputs]}
    if result.data_report is not None:
        report = result.data_report

        def data_report(path: Path) -> None:
            path.write_text(report)

        writers["data_report.md"] = data_report
    if cfg.plots and cfg.outputs != "summary":
        from lbn_sim.plots.parts import on_data
        from lbn_sim.plots.run_figures import indicators_figure

        future = cfg.scenario.name.replace("_", " ")
        data = data_words(cfg.data.name, int(result.wards["ward_code"].nunique()))

        def figure(path: Path) -> None:
            fig = indicators_figure(result.groups, future, cfg.policy_start, data=data)
            fig.savefig(path, dpi=110)

        writers["figures/indicators.png"] = figure

        def money(path: Path) -> None:
            from lbn_sim.analysis.money import per_head_by_group
            from lbn_sim.plots.money import money_figure

            per_head = per_head_by_group(result.ledger, result.wards)
            first = f"Money reaching wards by mechanism under the {future}"
            fig = money_figure(per_head, f"{on_data(first, data)}\none run")
            fig.savefig(path, dpi=110)

        writers["figures/money.png"] = money
    writers["provenance.json"] = lambda path: write_provenance(path, result.made_by)
    return writers


def headline(result: RunResult, cfg: Config) -> str:
    """A few lines for the terminal: how the left-behind wards fared, naming the data first
    (a synthetic run's words are never a real result's) and money in 2019 prices (the
    model counts money in real terms)."""
    g = result.groups.set_index(["group", "year"])
    first, last = cfg.start_year, cfg.horizon
    lb_start = int(g.loc[("left_behind", first), "n_wards"])
    still = int(
        result.wards[
            (result.wards["year"] == last)
            & (result.wards["start_group"] == "left_behind")
            & result.wards["left_behind"]
        ].shape[0]
    )
    total = int(g.loc[("england", last), "n_left_behind"])
    counts = {c: int(g.loc[("left_behind", last), c]) for c in STATUS_COUNTS}
    gap0 = g.loc[("left_behind", first), "imd_like"] - g.loc[("england", first), "imd_like"]
    gap1 = g.loc[("left_behind", last), "imd_like"] - g.loc[("england", last), "imd_like"]
    w = result.wards[result.wards["start_group"] == "left_behind"]
    rank0, rank1 = (float(w.loc[w["year"] == y, "imd_rank"].mean()) for y in (first, last))
    n_wards = int(result.wards["ward_code"].nunique())
    from lbn_sim.analysis.money import programme_totals

    policy = max(cfg.policy_start, first + 1)
    before, awarded, paid, owed = programme_totals(result.ledger, result.balances, policy, last)
    stages = cfg.scenario.stages(policy, last)
    lengths = sorted({levers.award_years for _, levers, years in stages if years > 0})
    years = " or ".join(str(n) for n in lengths)
    return (
        f"On {data_words(cfg.data.name, n_wards)}, {cfg.scenario.name}: {still} of the "
        f"{lb_start} ward{'' if lb_start == 1 else 's'} "
        f"left behind in {first} {'is' if still == 1 else 'are'} still left behind in {last} "
        f"({total} ward{'' if total == 1 else 's'} left behind in {last}, "
        f"{total - still} of them newly).\n"
        f"Of the {lb_start} in {last}: {counts['n_imd_tenth']} in the most deprived tenth on the "
        f"IMD-like score alone, {counts['n_cni_tenth']} on the CNI-like score alone, "
        f"{counts['n_beyond_start_imd_line']} at or above the {first} score of that tenth's cut "
        f"read against {first}'s distribution (a fixed line, which shared progress crosses).\n"
        f"IMD-like gap, left-behind wards minus England: {gap0:.1f} points in {first}, "
        f"{gap1:.1f} in {last} (points of the published IMD's 0-100 scale); their mean IMD-like "
        f"rank (1 = most deprived of {n_wards:,}): {rank0:.0f} in {first}, {rank1:.0f} in "
        f"{last}.\n"
        f"National programmes {policy}-{last}, in 2019 prices: GBP {before / 1e9:.1f}bn owed "
        f"from earlier awards and {awarded / 1e9:.1f}bn awarded; {paid / 1e9:.1f}bn paid to wards, "
        f"{owed / 1e9:.1f}bn still owed at the end of {last} (this future's awards are planned "
        f"over {years} years and spent later).\n"
        f"{parameters_line(cfg)}"
    )


def parameters_line(cfg: Config) -> str:
    """Which parameter vector the run took, and where the bands that carry the parameters'
    uncertainty come from: a single run's figures are one vector and one seed."""
    from lbn_sim.params.draws import accepted_count

    n = accepted_count()
    if cfg.param_draw is not None:
        return (
            f"Parameters: vector {cfg.param_draw} of the calibration's {n} accepted vectors "
            f"(docs/calibration.md), seed {cfg.seed}; one of the runs a param_draw sweep pools."
        )
    return (
        f"Parameters: the registry's values (its defaults and any params.* given), not a "
        f"vector the calibration kept; seed {cfg.seed}. Figures to quote carry the "
        f"parameters' uncertainty: sweep param_draw over the {n} accepted vectors and pool "
        f"it (README, 'Sweeps, ensembles and comparisons')."
    )
