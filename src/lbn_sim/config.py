"""Configuration schemas: every Hydra config group is backed by a dataclass.

The schemas are registered in Hydra's ConfigStore by :func:`register_configs`,
so an unknown key, a wrong type or an unknown scenario name fails when the
config is composed, with Hydra's message naming the key. Domain rules (shares
in [0, 1], budgets not negative, years in order) are checked in
``__post_init__`` and run when the composed config is turned into objects by
:func:`to_config`.

Three kinds of setting live here, kept apart on purpose:

* :class:`ScenarioConfig`: policy levers and exogenous conditions, the only
  things a future may set. It has no field for an indicator or its trend, so a
  scenario file that tries to set one fails at composition.
* :class:`MechanismsConfig`: the switches of the ten mechanisms of DESIGN.md, and
  ``params`` (:data:`lbn_sim.params.ParamsConfig`): every behavioural number, from the
  registry. Scenarios cannot set them.
* :class:`HistoryConfig`: the policy regime shared by all futures from the
  start year to the policy start year.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, is_dataclass, replace
from difflib import get_close_matches
from typing import Any

from hydra.core.config_store import ConfigStore
from omegaconf import MISSING, DictConfig, OmegaConf

from lbn_sim.errors import ConfigError
from lbn_sim.params import ParamsConfig
from lbn_sim.threads import AUTO, check_threads

ALLOCATION_MECHANISMS = ("competitive", "formula", "devolved")
#: The year the ward data describe: every run starts there.
DATA_YEAR = 2019
#: Largest per-resident lever accepted (GBP per resident per year).
MAX_PER_HEAD = 10_000.0
#: What a run writes (``outputs``; the files of each level are listed in docs/contracts.md):
#: ``summary`` the small tables an ensemble needs, ``standard`` the full result tables,
#: ``full`` both.
OUTPUT_LEVELS = ("summary", "standard", "full")


def _check_finite(owner: str, name: str, value: Any) -> None:
    """Refuse NaN and infinities (NaN passes every ``<``/``>`` comparison unnoticed)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(f"{owner}.{name} must be a finite number, got {value!r}")


def _check_all_finite(obj: Any) -> None:
    """Every number of the dataclass ``obj`` finite (:func:`_check_finite`), before its
    range checks; ``owner`` in the message is the class name, replaced by the key's path
    where the config is checked (:func:`_check_node`, :func:`phase_levers`)."""
    owner = type(obj).__name__
    for f in fields(obj):
        _check_finite(owner, f.name, getattr(obj, f.name))


def _check_share(owner: str, name: str, value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ConfigError(f"{owner}.{name} must be a share in [0, 1], got {value!r}")


def _check_non_negative(owner: str, name: str, value: float) -> None:
    if value < 0:
        raise ConfigError(f"{owner}.{name} must not be negative, got {value!r}")


@dataclass(slots=True)
class PolicyLevers:
    """Policy levers (one regime). Units are in each field's comment.

    Shared by the history regime and by every scenario.
    """

    # LA core (discretionary) settlement: real-terms change per year for an LA of average
    # deprivation (fraction/yr). Funds community spaces, transport, digital, adult education,
    # employment support and debt advice.
    la_real_growth: float = 0.0
    # Austerity gradient: extra change per year per unit of LA deprivation z-score (fraction/yr).
    la_deprivation_gradient: float = 0.0
    # Ring-fenced grants for schools and health, passed through the LA: real-terms change per
    # year, the same everywhere (fraction/yr).
    ring_fenced_growth: float = 0.0
    # Share of the core settlement (and reserves) that LAs pass to ward services rather than
    # hold in reserve (share); ring-fenced grants pass through whole.
    la_spend_share: float = 0.97
    # National programme budget for place-based funds (GBP per English resident per year):
    # a yearly commitment, each year's awards planned in equal instalments over award_years
    # and spent later than planned (engine/delivery.py), so long awards made late are
    # partly spent after the horizon. The five purposes below are
    # budgets of the same kind, allocated the same way (allocation, award_years).
    programme_per_head: float = 0.0
    # How programme money is allocated (who gets it): competitive, formula or devolved.
    allocation: str = "competitive"
    # Share of programme money (all purposes but capacity building) spent as capital
    # (buildings, equipment: lifts a service's quality once) rather than running money
    # (sustains it while paid) (share). Independent of the allocation mechanism.
    capital_share: float = 0.5
    # Length of one programme award (years); competitive pots are typically 2.
    award_years: int = 2
    # Share of programme money targeted at deprived wards under formula/devolved (share).
    least_first_share: float = 0.5
    # Share of spending decisions taken by communities rather than Whitehall or the LA (share).
    devolution_share: float = 0.0
    # Capacity-building support for community organisations (GBP per English
    # resident per year).
    capacity_building_per_head: float = 0.0
    # Extra investment in schools and adult skills in deprived wards (GBP per English
    # resident per year).
    education_per_head: float = 0.0
    # Extra investment in health services in deprived wards (GBP per English
    # resident per year).
    health_per_head: float = 0.0
    # Extra investment in transport and digital connectivity, deprived wards (GBP per English
    # resident per year).
    connectivity_per_head: float = 0.0
    # Extra employment support and local jobs programmes, deprived wards (GBP per English
    # resident per year).
    jobs_per_head: float = 0.0
    # Working-age benefits: change per year of their value relative to the poverty line, which
    # moves with earnings (fraction/yr). 0 keeps pace; a cash freeze while prices and
    # earnings grow is about -0.03.
    benefit_uprating: float = 0.0

    def __post_init__(self) -> None:
        owner = type(self).__name__
        _check_all_finite(self)
        for name in ("la_spend_share", "least_first_share", "devolution_share", "capital_share"):
            _check_share(owner, name, getattr(self, name))
        if self.la_spend_share <= 0:
            raise ConfigError(
                f"{owner}.la_spend_share must be above 0, got {self.la_spend_share!r}"
            )
        for name in (
            "programme_per_head",
            "capacity_building_per_head",
            "education_per_head",
            "health_per_head",
            "connectivity_per_head",
            "jobs_per_head",
        ):
            _check_non_negative(owner, name, getattr(self, name))
            if getattr(self, name) > MAX_PER_HEAD:
                raise ConfigError(
                    f"{owner}.{name} must be at most {MAX_PER_HEAD:,.0f} GBP per resident, "
                    f"got {getattr(self, name)!r}"
                )
        if self.allocation not in ALLOCATION_MECHANISMS:
            raise ConfigError(
                f"{owner}.allocation must be one of {ALLOCATION_MECHANISMS}, "
                f"got {self.allocation!r}"
            )
        if not 1 <= self.award_years <= 30:
            raise ConfigError(f"{owner}.award_years must be in 1..30, got {self.award_years!r}")
        if not -0.2 <= self.la_deprivation_gradient <= 0.2:
            raise ConfigError(
                f"{owner}.la_deprivation_gradient must be in [-0.2, 0.2] per year, "
                f"got {self.la_deprivation_gradient!r}"
            )
        if not -0.2 <= self.ring_fenced_growth <= 0.2:
            raise ConfigError(
                f"{owner}.ring_fenced_growth must be in [-0.2, 0.2] per year, "
                f"got {self.ring_fenced_growth!r}"
            )
        if not -0.2 <= self.benefit_uprating <= 0.2:
            raise ConfigError(
                f"{owner}.benefit_uprating must be in [-0.2, 0.2] per year, "
                f"got {self.benefit_uprating!r}"
            )
        if not -0.2 <= self.la_real_growth <= 0.2:
            raise ConfigError(
                f"{owner}.la_real_growth must be in [-0.2, 0.2] per year, "
                f"got {self.la_real_growth!r}"
            )


@dataclass(slots=True)
class MacroConditions:
    """Exogenous macro conditions (not levers: the world the policy meets)."""

    # Real earnings growth per year (fraction/yr).
    real_wage_growth: float = 0.01
    # Cost-of-living pressure: prices beyond incomes, added to households' stress (0 to 1 scale).
    cost_of_living_pressure: float = 0.0
    # Price shocks: years of a price spike (calendar years) and its size, extra pressure on
    # budgets in those years at England's mean resilience (0 to 1 scale; times
    # 1 + mean - resilience in a ward: more where resilience is low, less where high).
    price_shock_years: list[int] = field(default_factory=list)
    price_shock_size: float = 0.0
    # Years in which a recession starts (calendar years).
    recession_years: list[int] = field(default_factory=list)
    # Size of a recession: extra job-loss probability at zero resilience (probability).
    recession_severity: float = 0.05
    # Regional economies: extra real growth per year (fraction/yr) of the wards whose local
    # authority code starts with the key ("E09": London's boroughs and the City), against
    # the rest of England. England's own growth stays ``real_wage_growth``: a differential
    # moves investment between places, never England's total. A ward matching several keys
    # takes the longest; a key that matches no local authority fails when the model is built.
    regional_growth: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        owner = type(self).__name__
        _check_all_finite(self)
        _check_share(owner, "cost_of_living_pressure", self.cost_of_living_pressure)
        _check_share(owner, "recession_severity", self.recession_severity)
        _check_share(owner, "price_shock_size", self.price_shock_size)
        if not -0.1 <= self.real_wage_growth <= 0.1:
            raise ConfigError(
                f"{owner}.real_wage_growth must be in [-0.1, 0.1] per year, "
                f"got {self.real_wage_growth!r}"
            )
        for key, value in self.regional_growth.items():
            if not str(key).strip():
                raise ConfigError(f"{owner}.regional_growth has an empty key (an LA code prefix)")
            _check_finite(owner, f"regional_growth[{key!r}]", value)
            if not -0.1 <= value <= 0.1:
                raise ConfigError(
                    f"{owner}.regional_growth[{key!r}] must be in [-0.1, 0.1] per year, "
                    f"got {value!r}"
                )


@dataclass(slots=True)
class Phase:
    """A change of a future's levers from one year on ("fund capacity building for two
    years, then stop"): ``levers`` maps lever names (:class:`PolicyLevers`) to the values
    they take from ``from_year`` until the next phase or the horizon. A lever a phase does
    not name keeps the value it had."""

    # First year of the phase (after the policy start; one after the horizon never begins).
    from_year: int = MISSING
    # Lever name -> its value from from_year on (the lever's own unit).
    levers: dict[str, Any] = field(default_factory=dict)


def phase_levers(levers: PolicyLevers, phase: Phase, where: str) -> PolicyLevers:
    """``levers`` changed by ``phase``, every value checked as the lever's own would be.

    Raises:
        ConfigError: an unknown lever (with the closest name), a value of the wrong type,
            or one breaking the lever's domain rule, named by ``where``.
    """
    known = {f.name: f for f in fields(PolicyLevers)}
    changes: dict[str, Any] = {}
    for key, value in phase.levers.items():
        if key not in known:
            close = get_close_matches(str(key), list(known), n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise ConfigError(f"{where}.levers.{key} is not a lever{hint}")
        kind = type(getattr(levers, key))
        ok = isinstance(value, kind) or (
            kind is float and isinstance(value, int) and not isinstance(value, bool)
        )
        if not ok or (kind is int and isinstance(value, bool)):
            what = {float: "a number", int: "a whole number", str: "a name"}[kind]
            raise ConfigError(f"{where}.levers.{key} must be {what}, got {value!r}")
        changes[key] = kind(value)
    try:
        return replace(levers, **changes)
    except ConfigError as err:
        # The levers' own checks name the class; name the phase's key instead.
        message = str(err).replace(f"{PolicyLevers.__name__}.", f"{where}.levers.")
        raise ConfigError(message) from None


@dataclass(slots=True)
class ScenarioConfig:
    """A future: a name, policy levers and exogenous conditions. Never an outcome."""

    name: str = MISSING
    description: str = ""
    levers: PolicyLevers = field(default_factory=PolicyLevers)
    macro: MacroConditions = field(default_factory=MacroConditions)
    # Later changes of the levers, in order of from_year (none: the levers hold throughout).
    phases: list[Phase] = field(default_factory=list)

    def levers_by_phase(self) -> list[tuple[int | None, PolicyLevers]]:
        """``(from_year, levers)`` for the scenario's own levers (``None``: from the policy
        start) and after each phase, in order."""
        out: list[tuple[int | None, PolicyLevers]] = [(None, self.levers)]
        for i, phase in enumerate(self.phases):
            out.append((phase.from_year, phase_levers(out[-1][1], phase, f"scenario.phases[{i}]")))
        return out

    def stages(self, first: int, horizon: int) -> list[tuple[str, PolicyLevers, int]]:
        """``(name, levers, years)`` for the scenario's own levers and each phase: how many
        of the years ``first`` to ``horizon`` each governs (0 for a phase that begins after
        the horizon). ``name`` is the key that sets them (``scenario``,
        ``scenario.phases[0]``, ...)."""
        stages = self.levers_by_phase()
        begins = [first] + [min(y, horizon + 1) for y, _ in stages[1:] if y is not None]
        ends = [*begins[1:], horizon + 1]
        return [
            ("scenario" if i == 0 else f"scenario.phases[{i - 1}]", levers, max(end - begin, 0))
            for i, ((_, levers), begin, end) in enumerate(zip(stages, begins, ends, strict=True))
        ]


@dataclass(slots=True)
class HistoryConfig:
    """The regime all futures share from ``start_year`` to ``policy_start``.

    Defaults reflect 2019 to 2025: councils' discretionary services still cut a little
    (-0.5% a year, 0.6 points more per unit of LA deprivation z), schools and health flat
    in real terms per resident; competitive,
    two-year pots (Levelling Up Fund, Towns Fund, UK Shared Prosperity Fund:
    together about GBP 1.5bn a year in England, GBP 25 per resident; three quarters
    capital: of the three funds' GBP 10.6bn (NAO, 2023) the Levelling Up Fund (GBP 4.8bn)
    'focused on capital investment in local infrastructure' (Commons Library CBP-9460) and
    the Towns Fund (GBP 3.2bn) on infrastructure, land and buildings, while the UK Shared
    Prosperity Fund (GBP 2.6bn) pays revenue and capital); working-age
    benefits uprated with prices, a little behind earnings (-0.5% a year against
    the poverty line); stagnant real wages; the 2020 recession and the 2022-23
    price shock (inflation 9.1% and 7.3%) on top of a residual pressure.
    ``scripts/calibrate_history.py`` compares the model under the 2015-2019 regime
    with the drift observed from IMD 2015 to IMD 2019.
    """

    levers: PolicyLevers = field(
        default_factory=lambda: PolicyLevers(
            la_real_growth=-0.005,
            la_deprivation_gradient=-0.006,
            programme_per_head=25.0,
            allocation="competitive",
            capital_share=0.75,
            award_years=2,
            benefit_uprating=-0.005,
        )
    )
    macro: MacroConditions = field(
        default_factory=lambda: MacroConditions(
            real_wage_growth=0.003,
            cost_of_living_pressure=0.05,
            price_shock_years=[2022, 2023],
            price_shock_size=0.15,
            recession_years=[2020],
            recession_severity=0.04,
        )
    )


@dataclass(slots=True)
class DataConfig:
    """Where the wards come from."""

    # synthetic: the calibrated synthetic England; england_2019: the real open data.
    name: str = "synthetic"
    # Number of synthetic wards (null: England's size, about 7,400).
    n_wards: int | None = None
    # Seed of the synthetic geography (kept apart from the run's seed: one England, many runs).
    seed: int = 0
    # Directory holding the real files (null: LBN_SIM_DATA_DIR, then the download cache).
    dir: str | None = None

    def __post_init__(self) -> None:
        if self.name not in ("synthetic", "england_2019"):
            raise ConfigError(f"data.name must be 'synthetic' or 'england_2019', got {self.name!r}")
        if self.n_wards is not None and self.n_wards < 3:
            raise ConfigError(f"data.n_wards must be at least 3, got {self.n_wards!r}")
        if self.seed < 0:
            raise ConfigError(f"data.seed must be >= 0, got {self.seed!r}")
        # A setting of the other data source would be silently ignored: refuse it.
        if self.name == "synthetic" and self.dir is not None:
            raise ConfigError(
                f"data.dir is read with the real data only (got {self.dir!r} for synthetic "
                "data); add data=england_2019 to run on the files there"
            )
        if self.name == "england_2019" and (self.n_wards is not None or self.seed != 0):
            key, value = (
                ("n_wards", self.n_wards) if self.n_wards is not None else ("seed", self.seed)
            )
            raise ConfigError(
                f"data.{key} applies to synthetic data only (got {value!r} with "
                "data=england_2019, which always has every English ward)"
            )


@dataclass(slots=True)
class HouseholdConfig:
    """How many households are simulated."""

    # Share of households simulated in wards that are not left behind (share; weights scale up).
    sample_rate: float = 0.02
    # Share of households simulated in the left-behind wards (1.0: every household).
    left_behind_sample_rate: float = 1.0
    # Share simulated in the other wards near a 10% cut: in the most deprived fifth on the
    # IMD or the CNI at the start (share). Their sampling noise would move wards across the
    # cut that the status is read on (issue 19).
    near_cut_sample_rate: float = 0.25
    # Fewest households simulated in any ward (households).
    min_per_ward: int = 200

    def __post_init__(self) -> None:
        for name in ("sample_rate", "left_behind_sample_rate", "near_cut_sample_rate"):
            _check_finite("households", name, getattr(self, name))
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise ConfigError(f"households.{name} must be in (0, 1], got {value!r}")
        if self.min_per_ward < 1:
            raise ConfigError(f"households.min_per_ward must be >= 1, got {self.min_per_ward!r}")


@dataclass(slots=True)
class MechanismsConfig:
    """Switches of the ten mechanisms of DESIGN.md (``mechanisms.<name>=false``).

    Each switch turns one mechanism off without touching the others; the mechanisms'
    strengths are behavioural parameters in the registry (``params.*``,
    :mod:`lbn_sim.params`). Scenarios cannot set these.
    """

    capacity_trap: bool = True
    austerity_gradient: bool = True
    social_infrastructure: bool = True
    connectivity: bool = True
    cost_of_living: bool = True
    education_skills: bool = True
    local_power: bool = True
    long_term_money: bool = True
    out_migration: bool = True
    resilience: bool = True


@dataclass(slots=True)
class Config:
    """The whole run: top-level parameters plus one node per config group."""

    scenario: ScenarioConfig = MISSING
    data: DataConfig = MISSING
    history: HistoryConfig = field(default_factory=HistoryConfig)
    households: HouseholdConfig = field(default_factory=HouseholdConfig)
    mechanisms: MechanismsConfig = field(default_factory=MechanismsConfig)
    # Behavioural parameters (the registry: python -m lbn_sim.params lists them).
    params: ParamsConfig = field(default_factory=ParamsConfig)  # type: ignore[valid-type]
    # One vector of the calibration's accepted set (src/lbn_sim/data/accepted_parameters.csv,
    # docs/calibration.md) by its position, 0 to n - 1: the run's params are that vector's
    # (every entry it draws; any other at its default). None: the registry's defaults. A
    # whole number or None (typed Any so that any other value is refused with the valid
    # range, not only a type error); a params.NAME given with it is refused (check_param_draw).
    param_draw: Any = None
    # Seed of the model's one random generator.
    seed: int = 0
    # First simulated year (the data year).
    start_year: int = 2019
    # Year from which the scenario's levers apply (futures share history before it).
    policy_start: int = 2025
    # Last simulated year.
    horizon: int = 2050
    # Years of composites averaged before ranking wards for 'left behind' status (years).
    left_behind_window: int = 3
    # Write figures with each run.
    plots: bool = True
    # In a sweep, futures that share a history (every setting but the scenario and the
    # horizon) continue from one saved copy of it (same results; each process keeps up to
    # two, about 0.1 GB each at the default sampling); false recomputes every history.
    fork_histories: bool = True
    # What each run writes: summary (an ensemble's tables), standard (every result table)
    # or full (both); docs/contracts.md lists the files of each.
    outputs: str = "standard"
    # Threads one run's household blocks and start-year solvers use: a count (at least 1) or
    # auto (the cores available to a run on its own, 1 in a worker of a sweep or ensemble
    # running a process per core). The results are the same bytes on any number.
    threads: int | str = AUTO

    def __post_init__(self) -> None:
        self._apply_param_draw()
        check_threads(self.threads)
        if self.outputs not in OUTPUT_LEVELS:
            close = get_close_matches(str(self.outputs), OUTPUT_LEVELS, n=1)
            hint = f"; did you mean outputs={close[0]}?" if close else ""
            raise ConfigError(
                f"outputs must be one of {', '.join(OUTPUT_LEVELS)}, got {self.outputs!r}{hint}"
            )
        if not self.start_year <= self.policy_start <= self.horizon:
            raise ConfigError(
                "years must satisfy start_year <= policy_start <= horizon, got "
                f"start_year={self.start_year}, policy_start={self.policy_start}, "
                f"horizon={self.horizon}"
            )
        if self.horizon - self.start_year > 300:
            raise ConfigError(f"horizon - start_year must be at most 300 years, got {self.horizon}")
        if self.seed < 0:
            raise ConfigError(f"seed must be >= 0, got {self.seed}")
        if self.start_year != DATA_YEAR:
            raise ConfigError(
                f"start_year must be the data year {DATA_YEAR} (the ward data describe 2019), "
                f"got {self.start_year}"
            )
        if not 1 <= self.left_behind_window <= 10:
            raise ConfigError(
                f"left_behind_window must be 1 to 10 years, got {self.left_behind_window}"
            )
        # Phases: in order, after the policy start, by the horizon, each valid.
        # (A phase after the horizon is allowed, as a recession is: it never begins.)
        years = [phase.from_year for phase in self.scenario.phases]
        for i, year in enumerate(years):
            if year <= self.policy_start:
                raise ConfigError(
                    f"scenario.phases[{i}].from_year must be after policy_start "
                    f"({self.policy_start}), got {year}"
                )
            if i and year <= years[i - 1]:
                raise ConfigError(
                    f"scenario.phases[{i}].from_year must be after the phase before it "
                    f"({years[i - 1]}), got {year}"
                )
        self.scenario.levers_by_phase()
        # A recession or price spike before the years its regime governs would never happen:
        # refuse it.
        # (Years after them are allowed: a shorter history or horizon simply ends first.)
        for owner, macro, first in (
            ("history.macro", self.history.macro, self.start_year + 1),
            ("scenario.macro", self.scenario.macro, self.policy_start),
        ):
            for key in ("recession_years", "price_shock_years"):
                for year in getattr(macro, key):
                    if year < first:
                        raise ConfigError(
                            f"{owner}.{key}: {year} is before the first year this "
                            f"regime governs ({first})"
                        )

    def _apply_param_draw(self) -> None:
        """Set ``params`` to the accepted set's vector ``param_draw`` (nothing when None).

        Idempotent: a config whose params are already the vector's (``replace`` of a drawn
        config) is left as it is. A parameter set to a value that is neither its default nor
        the vector's is refused: the vector is one point of the set, kept whole.
        """
        if self.param_draw is None:
            return
        from lbn_sim.params import BY_NAME
        from lbn_sim.params.draws import accepted_count, accepted_vector

        check_param_draw(self.param_draw, accepted_count())
        vector = accepted_vector(self.param_draw)
        for name, drawn in vector.items():
            given = getattr(self.params, name)
            if given not in (BY_NAME[name].default, drawn):
                raise ConfigError(param_conflict(f"params.{name}={given!r}", self.param_draw))
        self.params = replace(self.params, **vector)


def check_param_draw(value: Any, n: int) -> None:
    """Refuse a ``param_draw`` that is not a position 0 to ``n`` - 1 of the accepted set (of
    ``n`` vectors): not a whole number (a bool, a float, a text) or outside the range.

    Raises:
        ConfigError: naming the key, the value and the valid range.
    """
    whole = isinstance(value, int) and not isinstance(value, bool)
    if not whole or not 0 <= value < n:
        raise ConfigError(
            f"param_draw must be a whole number from 0 to {n - 1} (a vector of the "
            f"calibration's accepted set of {n}; null for the registry's defaults), "
            f"got {value!r}"
        )


def param_conflict(setting: str, draw: Any) -> str:
    """The message refusing ``setting`` (``params.NAME=VALUE``) given with ``param_draw``."""
    return (
        f"{setting} is given with param_draw={draw}, which sets every behavioural parameter "
        "the accepted set draws (its vectors are kept whole): give one or the other"
    )


def refuse_params_with_draw(overrides: Sequence[str], draw: Any) -> None:
    """Refuse overrides that set a behavioural parameter (``params.NAME=...``, ``+params``,
    ``params={...}``) along with ``param_draw`` (``draw`` not None): one left at its default
    value could not otherwise be told from one not given.

    Raises:
        ConfigError: naming the first such override.
    """
    if draw is None:
        return
    for text in overrides:
        key = text.lstrip("+~").split("=", 1)[0].strip()
        if key == "params" or key.startswith("params."):
            raise ConfigError(param_conflict(text, draw))


def register_configs() -> None:
    """Register the schema in Hydra's ConfigStore (idempotent).

    ``lbn_config`` types every group: ``scenario`` is a :class:`ScenarioConfig`,
    ``data`` a :class:`DataConfig`, and so on, so each group file is validated
    against its dataclass when it is merged.
    """
    cs = ConfigStore.instance()
    # Stored once a process: building the schema costs about 0.04 s, and Hydra copies the
    # stored node on every load, so a composition never changes it.
    if "lbn_config.yaml" not in cs.repo:
        cs.store(name="lbn_config", node=_schema())


#: Conditions a scenario may leave out (a regional economy is for the real data only).
OPTIONAL_CONDITIONS = ("regional_growth",)


def _schema() -> DictConfig:
    """:class:`Config` with no value for any of the scenario's levers and conditions.

    A scenario file sets every lever and condition (except ``OPTIONAL_CONDITIONS``),
    so a file that sets one lever cannot take the others from the schema's defaults
    (which are not the base case's) without saying so; :func:`to_config` names what
    is missing. A file can take another's values with ``defaults: [base_case, _self_]``.
    """
    scenario = OmegaConf.structured(ScenarioConfig)
    for part in ("levers", "macro"):
        for key in list(scenario[part].keys()):
            if key not in OPTIONAL_CONDITIONS:
                scenario[part][key] = MISSING
    root = OmegaConf.structured(Config)
    root.scenario = scenario
    return root


def _check_node(node: DictConfig, path: str) -> None:
    """Check one schema-typed node and every node below it (children first).

    A key the schema does not have (added with Hydra's ``+``) and a broken domain
    rule both fail with a :class:`ConfigError` naming the key as it is typed on the
    command line (``scenario.levers.devolution_share``, not the schema's class
    name, which the history and the scenario regimes share).
    """
    prefix = f"{path}." if path else ""
    keys = [str(key) for key in node.keys()]
    for key in keys:
        child = node._get_node(key)
        if isinstance(child, DictConfig):
            _check_node(child, f"{prefix}{key}")
    schema = OmegaConf.get_type(node)
    if schema is None or not is_dataclass(schema):
        return
    known = [f.name for f in fields(schema)]
    for key in keys:
        if key not in known:
            close = get_close_matches(key, known, n=1)
            hint = f"; did you mean {prefix}{close[0]}?" if close else ""
            raise ConfigError(f"{prefix}{key} is not a setting of lbn_sim{hint}")
    if not path:
        return
    try:
        OmegaConf.to_object(node)
    except ConfigError as err:
        message = str(err)
        own = f"{schema.__name__}."
        if message.startswith(own):
            message = f"{prefix}{message[len(own) :]}"
        raise ConfigError(message) from None


def to_config(cfg: DictConfig | Any) -> Config:
    """Turn a composed DictConfig into :class:`Config`, running every domain check.

    Raises:
        ConfigError: a key the schema does not have, or a value breaking a domain rule;
            the message names the key by its full path (``scenario.levers.devolution_share``).
    """
    if isinstance(cfg, DictConfig):
        missing = sorted(OmegaConf.missing_keys(cfg))
        scenario = [k.removeprefix("scenario.") for k in missing if k.startswith("scenario.")]
        if scenario:
            name = cfg.scenario._get_node("name")
            which = "" if name is None or name._is_missing() else f" {name._value()!r}"
            raise ConfigError(
                f"scenario{which} does not set {', '.join(scenario)}: a scenario sets every "
                "lever and condition; a scenario file can take another's values with "
                "'defaults: [base_case, _self_]' and change only what differs (see README, "
                "'Your own future')"
            )
        if missing:
            raise ConfigError(f"{', '.join(missing)} not set")
        _check_node(cfg, "")
    obj = OmegaConf.to_object(cfg)
    if not isinstance(obj, Config):
        raise ConfigError(f"expected a composed lbn_sim config, got {type(obj).__name__}")
    return obj
