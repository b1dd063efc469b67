"""What the benchmarks time: the core's step replayed on recorded inputs, and its random draws.

A workload is a model built at one size, its households and ward stocks at
the start, and the ``YearInputs`` its institutions handed the core in the
first years (recorded from a real run, so the core is timed on the money and
conditions of the scenario, all mechanisms on). The core is then replayed from
the start state, which can be done as often as a best-of-N timing needs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from hydra import compose, initialize_config_dir
from hydra.core.global_hydra import GlobalHydra

from lbn_sim.config import Config, register_configs, to_config
from lbn_sim.engine.households import Households
from lbn_sim.engine.model import LBNModel
from lbn_sim.engine.parameters import Params
from lbn_sim.engine.state import Baseline, WardState
from lbn_sim.engine.step import YearInputs, advance
from lbn_sim.runs.runner import load_wards

REPO = Path(__file__).resolve().parents[1]
CONF_DIR = REPO / "conf"


def compose_config(overrides: tuple[str, ...] | list[str]) -> Config:
    """The project's config (``conf/``) with Hydra overrides, checked like the command line's."""
    register_configs()
    GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
        dcfg = compose(config_name="config", overrides=list(overrides))
    GlobalHydra.instance().clear()
    return to_config(dcfg)


@dataclass(slots=True)
class Workload:
    """A model at one size, its start state and the inputs of its first years.

    Attributes:
        model: the model after the recorded years (its baseline and params are the run's).
        households: households at the start (``[n]``).
        wards: ward stocks at the start.
        inputs: the core's inputs for each recorded year, in order.
        rng_states: the state of the generator the model handed the core each year.
        init_seconds: time to build the model (synthesis and calibration).
    """

    model: LBNModel
    households: Households
    wards: WardState
    inputs: list[YearInputs]
    rng_states: dict[int, Mapping[str, Any]]
    init_seconds: float

    @property
    def params(self) -> Params:
        """The core's parameters."""
        return self.model.params

    @property
    def baseline(self) -> Baseline:
        """The start-year anchors."""
        return self.model.baseline

    def rng(self, year: int) -> np.random.Generator:
        """A generator in the state of the one the model handed the core in ``year``."""
        state = self.rng_states[year]
        bit_generator = getattr(np.random, state["bit_generator"])()
        bit_generator.state = state
        return np.random.Generator(bit_generator)


@dataclass(slots=True)
class Recorder:
    """The model's ``on_year`` observer that records what the model handed the core.

    After each simulated year, that year's ``YearInputs`` (``model.now.inputs``) is
    appended to ``inputs`` and the state of the core's generator that year (the model's
    households stream, :meth:`LBNModel.year_rng` stream 0, before any draw) kept in
    ``rng_states`` by year. The start year (no inputs) records nothing.
    """

    inputs: list[YearInputs] = field(default_factory=list)
    rng_states: dict[int, Mapping[str, Any]] = field(default_factory=dict)

    def __call__(self, model: LBNModel) -> None:
        now = model.now
        if now.inputs is None:
            return
        self.inputs.append(now.inputs)
        self.rng_states[now.year] = model.year_rng(now.year, 0).bit_generator.state


def build_workload(cfg: Config, years: int) -> Workload:
    """Build the model for ``cfg`` and record the core's inputs over its first ``years`` years."""
    wards_table, _ = load_wards(cfg.data)
    recorder = Recorder()
    t0 = time.perf_counter()
    model = LBNModel(cfg, wards_table, on_year=recorder)
    init_seconds = time.perf_counter() - t0
    households, wards = model.households, model.wards
    for _ in range(min(years, cfg.horizon - cfg.start_year)):
        model.step()
    return Workload(model, households, wards, recorder.inputs, recorder.rng_states, init_seconds)


def replay(
    work: Workload,
    years: int,
    rng_for: Callable[[int], Any] | None = None,
) -> tuple[float, Households, WardState]:
    """Advance the start state through the first ``years`` recorded years with the core.

    Returns ``(seconds in the core, households, wards)`` at the end.
    ``rng_for(year)`` gives each year's generator (default: the model's).
    """
    rng_for = rng_for or work.rng
    hh, wards = work.households, work.wards
    seconds = 0.0
    for inputs in work.inputs[:years]:
        rng = rng_for(inputs.year)
        t0 = time.perf_counter()
        hh, wards = advance(hh, wards, inputs, work.params, work.baseline, rng)
        seconds += time.perf_counter() - t0
    return seconds, hh, wards


def time_core(work: Workload, years: int, repeats: int) -> float:
    """Best-of-``repeats`` seconds the core takes for the first ``years`` recorded years."""
    return min(replay(work, years)[0] for _ in range(repeats))


# -- counting random draws ------------------------------------------------------------------

#: The LCG multiplier of numpy's PCG64 (128-bit state).
PCG64_MULTIPLIER = 0x2360ED051FC65DA44385DF649FCCF645
_MASK128 = (1 << 128) - 1


def pcg64_outputs_between(before: Mapping[str, Any], after: Mapping[str, Any]) -> int:
    """How many 64-bit outputs a PCG64 generator produced between two of its states.

    The LCG's jump-ahead distance, bit by bit (O'Neill's ``pcg_distance``); a
    float32 uniform takes half an output, a beta draw several.
    """
    cur, new = before["state"]["state"], after["state"]["state"]
    mult, plus = PCG64_MULTIPLIER, before["state"]["inc"]
    bit, distance = 1, 0
    while cur != new:
        if (cur & bit) != (new & bit):
            cur = (cur * mult + plus) & _MASK128
            distance |= bit
        bit <<= 1
        plus = ((mult + 1) * plus) & _MASK128
        mult = (mult * mult) & _MASK128
    return distance


@dataclass(slots=True)
class DrawTally:
    """Random values drawn, by distribution, and the time spent drawing them."""

    values: dict[str, int] = field(default_factory=dict)
    seconds_by: dict[str, float] = field(default_factory=dict)
    outputs: int = 0  # 64-bit generator outputs consumed

    @property
    def seconds(self) -> float:
        """All time spent drawing."""
        return sum(self.seconds_by.values())

    @property
    def total(self) -> int:
        """All values drawn."""
        return sum(self.values.values())


class CountingGenerator:
    """A ``numpy.random.Generator`` that tallies what is drawn from it (same draws, same order)."""

    def __init__(self, rng: np.random.Generator, tally: DrawTally) -> None:
        self._rng = rng
        self._tally = tally

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._rng, name)
        if not callable(attr):
            return attr
        tally = self._tally

        def counted(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            out = attr(*args, **kwargs)
            seconds = time.perf_counter() - t0
            dtype = kwargs.get("dtype")
            key = name if dtype is None else f"{name}[{np.dtype(dtype).name}]"
            tally.values[key] = tally.values.get(key, 0) + int(np.size(out))
            tally.seconds_by[key] = tally.seconds_by.get(key, 0.0) + seconds
            return out

        return counted


def count_draws(work: Workload, years: int) -> DrawTally:
    """Replay ``years`` years once through counting generators: what the core draws."""
    tally = DrawTally()
    states: list[tuple[np.random.Generator, Mapping[str, Any]]] = []

    def rng_for(year: int) -> CountingGenerator:
        rng = work.rng(year)
        states.append((rng, rng.bit_generator.state))
        return CountingGenerator(rng, tally)

    replay(work, years, rng_for)
    for rng, before in states:
        tally.outputs += pcg64_outputs_between(before, rng.bit_generator.state)
    return tally
