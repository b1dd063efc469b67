"""A new variant of a future, run on a reduced synthetic England while the user waits.

The explorer's lever sliders (:data:`LEVERS`) set some of a future's policy levers; the
variant and the future as written are both run on a small synthetic England
(:data:`N_WARDS` wards, one seed), and their left-behind wards' IMD-like gap to England
is compared year by year (:func:`variant_frame`, :func:`variant_figure`). The future as
written is run once per future and size, then kept.

The run goes through :func:`lbn_sim.runs.runner.simulate` with the config composed as
``python -m lbn_sim`` composes it, so a slider value the schema refuses is refused here
with the same message (a :class:`~lbn_sim.errors.ConfigError` naming the key).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd
from matplotlib.figure import Figure

from lbn_sim.plots.parts import scenario_label

__all__ = [
    "LEVERS",
    "N_WARDS",
    "Lever",
    "VariantResult",
    "lever_defaults",
    "run_variant",
    "variant_figure",
    "variant_frame",
]

#: Wards of the reduced synthetic England a variant runs on (about 9 of them left behind):
#: a run to 2050 takes a few seconds on one core.
N_WARDS = 300

#: The label of the future as written, beside the variant.
AS_WRITTEN = "as written"
#: The label of the variant.
VARIANT = "variant"


@dataclass(frozen=True, slots=True)
class Lever:
    """A slider: a lever of ``conf/scenario/*.yaml`` and the range the explorer offers.

    Attributes:
        name: the key under ``scenario.levers`` (``devolution_share``).
        label: what the slider says.
        low, high, step: the slider's range and step, in the lever's own unit (within the
            range the schema accepts, :class:`lbn_sim.config.Levers`).
        unit: the unit, in words.
    """

    name: str
    label: str
    low: float
    high: float
    step: float
    unit: str


LEVERS: tuple[Lever, ...] = (
    Lever("programme_per_head", "National programmes", 0.0, 100.0, 5.0, "GBP per resident/yr"),
    Lever("award_years", "Length of an award", 1, 15, 1, "years"),
    Lever("least_first_share", "Share to the most deprived tenth", 0.0, 1.0, 0.05, "share"),
    Lever("devolution_share", "Decisions taken by communities", 0.0, 1.0, 0.05, "share"),
    Lever("capacity_building_per_head", "Capacity building", 0.0, 20.0, 1.0, "GBP per resident/yr"),
    Lever("la_real_growth", "Councils' core settlement", -0.03, 0.03, 0.005, "real change/yr"),
)
"""The levers the explorer offers as sliders (the others keep the future's values)."""


@dataclass(frozen=True, slots=True)
class VariantResult:
    """A variant and the future it departs from, on the reduced synthetic England.

    Attributes:
        scenario: the future the variant starts from.
        levers: the levers the variant set (name -> value, lever units).
        groups: ``run`` (:data:`AS_WRITTEN` or :data:`VARIANT`), ``year``, ``gap`` (the
            left-behind wards' population-weighted IMD-like score minus England's, points)
            and ``n_left_behind`` (of the wards left behind at the start, how many still
            are), one row per run and year.
        policy_start: the first year of the levers.
    """

    scenario: str
    levers: Mapping[str, float]
    groups: pd.DataFrame
    policy_start: int


def _overrides(levers: Mapping[str, float], n_wards: int, horizon: int | None) -> list[str]:
    known = {lever.name: lever for lever in LEVERS}
    wrong = sorted(set(levers) - set(known))
    if wrong:
        raise ValueError(f"explorer: no slider for lever(s) {wrong}; sliders: {sorted(known)}")
    given = [f"data.n_wards={n_wards}", "plots=false"]
    if horizon is not None:
        given.append(f"horizon={horizon}")
    for name, value in levers.items():
        number = int(value) if float(known[name].step).is_integer() else float(value)
        given.append(f"scenario.levers.{name}={number}")
    return given


def lever_defaults(scenario: str) -> dict[str, float]:
    """The values ``scenario`` gives the sliders' levers (name -> value, lever units)."""
    import lbn_sim

    levers = lbn_sim.compose(scenario=scenario).scenario.levers
    return {lever.name: float(getattr(levers, lever.name)) for lever in LEVERS}


def variant_frame(groups: pd.DataFrame, run: str) -> pd.DataFrame:
    """A run's left-behind gap and count by year (:attr:`VariantResult.groups`' rows) from its
    ``groups`` table (one row per year and group; ``imd_like`` in points)."""
    wide = groups.pivot_table(index="year", columns="group", values="imd_like")
    counts = groups[groups["group"] == "left_behind"].set_index("year")["n_left_behind"]
    return pd.DataFrame(
        {
            "run": run,
            "year": wide.index.astype(int),
            "gap": (wide["left_behind"] - wide["england"]).to_numpy(),
            "n_left_behind": counts.reindex(wide.index).to_numpy(dtype=int),
        }
    )


#: Runs of the future as written, by (future, wards, horizon): each is run once, then kept.
_WRITTEN: dict[tuple[str, int, int | None], pd.DataFrame] = {}
#: Guards :data:`_WRITTEN` (the explorer runs variants in threads, one per browser session).
_LOCK = threading.Lock()


def _simulate(
    scenario: str,
    levers: Mapping[str, float],
    n_wards: int,
    horizon: int | None,
    on_year: Callable[[int], None] | None,
) -> pd.DataFrame:
    import lbn_sim
    from lbn_sim.runs.runner import simulate

    cfg = lbn_sim.compose(scenario=scenario, overrides=_overrides(levers, n_wards, horizon))
    hook = None if on_year is None else (lambda model: on_year(int(model.year)))
    result = simulate(cfg, on_year=hook)
    return variant_frame(result.groups, VARIANT if levers else AS_WRITTEN)


def run_variant(
    scenario: str,
    levers: Mapping[str, float],
    *,
    n_wards: int = N_WARDS,
    horizon: int | None = None,
    on_progress: Callable[[float], None] | None = None,
) -> VariantResult:
    """Run ``scenario`` with ``levers`` changed, and as written, on a reduced synthetic England.

    Args:
        scenario: ``worst_case``, ``base_case`` or ``best_case``.
        levers: lever name (of :data:`LEVERS`) -> value, in the lever's unit.
        n_wards: wards of the synthetic England.
        horizon: the last year (None: the config's, 2050).
        on_progress: called with the share done (0 to 1) after each simulated year.

    Raises:
        ValueError: a lever without a slider, or a value the schema refuses (named).
    """
    import lbn_sim

    cfg = lbn_sim.compose(scenario=scenario, overrides=_overrides(levers, n_wards, horizon))
    first, last = cfg.start_year, cfg.horizon
    key = (scenario, n_wards, horizon)
    with _LOCK:
        written = _WRITTEN.get(key)
    runs = 1 if written is not None else 2  # the future as written too, the first time

    def reporter(done: int) -> Callable[[int], None]:
        def year_done(year: int) -> None:
            if on_progress is not None:
                on_progress((done + (year - first + 1) / (last - first + 1)) / runs)

        return year_done

    if written is None:
        written = _simulate(scenario, {}, n_wards, horizon, reporter(0))
        with _LOCK:
            _WRITTEN[key] = written
    variant = _simulate(scenario, dict(levers), n_wards, horizon, reporter(runs - 1))
    groups = pd.concat([written, variant], ignore_index=True)
    return VariantResult(scenario, dict(levers), groups, cfg.policy_start)


def variant_figure(result: VariantResult) -> Figure:
    """The left-behind wards' IMD-like gap to England (points) by year, the future as
    written against the variant, and how many of them are still left behind."""
    fig = Figure(figsize=(9, 3.6), layout="constrained")
    gap_ax, count_ax = fig.subplots(1, 2)
    styles = {AS_WRITTEN: ("0.45", "--"), VARIANT: ("tab:purple", "-")}
    name = scenario_label(result.scenario)
    for run, rows in result.groups.groupby("run", sort=False):
        colour, line = styles[str(run)]
        label = f"{name}, {run}"
        gap_ax.plot(rows["year"], rows["gap"], color=colour, linestyle=line, label=label)
        count_ax.plot(rows["year"], rows["n_left_behind"], color=colour, linestyle=line)
    for ax in (gap_ax, count_ax):
        ax.axvline(result.policy_start - 0.5, color="0.7", linewidth=0.8)
        ax.set_xlabel("year")
    gap_ax.set_ylabel("IMD-like points above England")
    gap_ax.set_title("Left-behind wards' gap to England")
    count_ax.set_ylabel("wards")
    count_ax.set_title("Of those left behind at the start, still left behind")
    gap_ax.legend(loc="best", fontsize="small")
    fig.suptitle(f"A variant of the {name} on a synthetic England of {N_WARDS} wards (one seed)")
    return fig
