"""``LBNModel``: the Mesa model. Agents act in a stated order, the core advances, the year is
recorded.

A year (:meth:`LBNModel.step`): central government settles the local authorities;
authorities fund their wards' services; programmes allocate and pay; charities raise money;
investors invest; ward services spend what reached them (further where communities
decide); the core advances households and stocks; indicators, composites, ranks and 'left
behind' status are recomputed and recorded (:mod:`lbn_sim.engine.agents` for each agent).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import replace

import mesa
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from lbn_sim.config import Config
from lbn_sim.data.small_areas import load_small_areas
from lbn_sim.engine.agents.authorities import LocalAuthorities
from lbn_sim.engine.agents.charities import Charities
from lbn_sim.engine.agents.government import CentralGovernment, la_deprivation_z
from lbn_sim.engine.agents.investors import PrivateInvestors, check_bounded
from lbn_sim.engine.agents.programmes import Programmes
from lbn_sim.engine.agents.ward_services import WardServices
from lbn_sim.engine.households import Households, no_households
from lbn_sim.engine.indicators import composites, compute
from lbn_sim.engine.ledger import Ledger, MoneyRangeError
from lbn_sim.engine.parameters import Params
from lbn_sim.engine.regimes import Regime, Regimes
from lbn_sim.engine.snapshot import Snapshot, history_key, restore, same_history, take
from lbn_sim.engine.start import StartState, la_codes, per_la, start_state
from lbn_sim.engine.state import Baseline, WardState
from lbn_sim.engine.step import advance
from lbn_sim.engine.year import Year
from lbn_sim.names import RATE_INDICATORS, left_behind_rule, rank_desc
from lbn_sim.threads import resolve_threads

F64 = NDArray[np.float64]
#: A row of the model's history: column name -> ``[n_wards]`` values (``year``: a scalar).
Row = dict[str, NDArray[np.generic]]
#: Years between progress lines.
PROGRESS_EVERY = 5


class LBNModel(mesa.Model):
    """Households, services and funding flows in every ward of England.

    Args:
        cfg: the run's config.
        wards: the ward table (see ``docs/contracts.md``). The 1st and 99th
            percentiles of its IMD domains (model scale) set the IMD-like
            composite's points per unit.
        on_year: called with the model after each recorded year (the start year
            included): the documented way to observe a run as it goes.
        snapshot: continue from this state (:meth:`from_snapshot`) instead of drawing the
            start year.
    """

    households: Households
    wards: WardState
    baseline: Baseline

    def __init__(
        self,
        cfg: Config,
        wards: pd.DataFrame,
        on_year: Callable[[LBNModel], None] | None = None,
        snapshot: Snapshot | None = None,
    ) -> None:
        super().__init__(rng=cfg.seed)
        self.cfg = cfg
        self.on_year = on_year
        self.params = Params.from_config(cfg.params, cfg.mechanisms)
        #: Threads the household blocks run on (``cfg.threads`` resolved; same bytes on any).
        self.threads = resolve_threads(cfg.threads)
        self.ward_table = wards.reset_index(drop=True)
        self.codes = self.ward_table["ward_code"].to_numpy(str)
        self.n_wards = len(self.ward_table)
        self.population0 = self.ward_table["population"].to_numpy(np.float64)
        self.year = cfg.start_year
        self.seed_seq = np.random.SeedSequence(cfg.seed)
        self.la_index, la_list = la_codes(self.ward_table)
        self.la_list = np.array(la_list, dtype=object)
        self.la_of_ward = self.la_list[self.la_index]  # each ward's LA code
        self.regimes = Regimes(cfg, self.la_of_ward.astype(str))
        if snapshot is None:
            areas = load_small_areas(cfg.data.dir) if cfg.data.name == "england_2019" else None
            start = start_state(
                self.ward_table,
                cfg.households,
                self.params,
                self.la_index,
                self.rng,
                areas,
                self.threads,
            )
        else:
            start = snapshot.start
        self.households, self.baseline, self.wards = start.households, start.baseline, start.wards
        # Only a snapshot reads the start again, and it takes the households of its own year
        # (:func:`~lbn_sim.engine.snapshot.take`): the start's are not held past the first
        # year (0.74 GB with every household in England).
        self.start = replace(start, households=no_households())
        self.ledger = Ledger()
        self._add_agents(start)
        self.national_population = float(start.baseline.agg.people.sum())
        #: Each ward's reach of jobs and services at the start, ``[n_wards]`` in [0, 1].
        self.access0 = start.reach
        self.left_behind = self.ward_table["left_behind"].to_numpy(bool)
        self.history: list[Row] = []
        self.recent: list[tuple[F64, F64]] = []
        self.now = Year(self.year, self.regimes.at(self.year))
        if snapshot is None:
            self._record()
        else:
            restore(self, snapshot)

    @classmethod
    def from_snapshot(
        cls,
        cfg: Config,
        wards: pd.DataFrame,
        snapshot: Snapshot,
        on_year: Callable[[LBNModel], None] | None = None,
    ) -> LBNModel:
        """A model of ``cfg`` continuing from ``snapshot`` (taken by :meth:`snapshot` from a run
        of a config with the same history: :func:`~lbn_sim.engine.snapshot.history_key`).

        Raises:
            ValueError: ``cfg``'s history differs from the snapshot's, the snapshot is not
                at the last year before ``cfg.policy_start``, or ``wards`` is not its table.
        """
        if not same_history(snapshot, cfg):
            raise ValueError(
                f"cannot continue from a snapshot of {snapshot.year} (history {snapshot.key}): "
                f"this config's history is {history_key(cfg)}, its last shared year "
                f"{cfg.policy_start - 1}"
            )
        codes = wards["ward_code"].to_numpy(str)
        if not np.array_equal(codes, snapshot.codes):
            raise ValueError(
                "cannot continue from a snapshot of another ward table: its wards are not "
                "these (in this order)"
            )
        return cls(cfg, wards, on_year=on_year, snapshot=snapshot)

    def snapshot(self) -> Snapshot:
        """The run's state now, to continue other futures from (:meth:`from_snapshot`)."""
        return take(self, self.start)

    def _add_agents(self, start: StartState) -> None:
        """The institutions, in the order they act, with their start-year money."""
        cfg, params, people = self.cfg, self.params, start.baseline.agg.people
        ring_weight, core_weight = start.public_streams()
        core0 = per_la(core_weight, self.la_index, len(self.la_list))
        share = cfg.history.levers.la_spend_share
        reserves0 = np.floor(core0 * (1.0 - share) / share).astype(np.int64)
        z = la_deprivation_z(self.la_index, self.baseline.imd_score, people)
        ring0 = per_la(ring_weight, self.la_index, len(self.la_list))
        self.government = CentralGovernment(self, core0, ring0, z, params)
        self.authorities = LocalAuthorities(
            self, self.la_index, start.baseline.public_spend, core0, reserves0, params
        )
        self.programmes = Programmes(self, self.n_wards, params)
        self.charities = Charities(self, self.baseline.capacity, people, params)
        self.investors = PrivateInvestors(self, people, params)
        self.ward_services = WardServices(self, self.charities, start.funding0, params)
        self.acting: list[mesa.Agent] = [
            self.government,
            self.authorities,
            self.programmes,
            self.charities,
            self.investors,
            self.ward_services,
        ]
        self._check_bounded(float(people.max(initial=0.0)))
        self.ledger.record(
            cfg.start_year,
            "opening_reserves",
            self.la_list,
            "opening_reserves",
            "settlement",
            reserves0,
        )
        self.ledger.balance(cfg.start_year, self.la_list, reserves0)

    def _check_bounded(self, most_residents: float) -> None:
        """Refuse levers and growth whose compounding would outgrow the ledger's pence."""
        cfg = self.cfg
        # Years each regime applies: the history's before the policy start, the scenario's
        # after.
        n_history = max(cfg.policy_start - cfg.start_year - 1, 0)
        first_policy_year = max(cfg.policy_start, cfg.start_year + 1)
        n_scenario = cfg.horizon - first_policy_year + 1
        self.government.check_bounded(
            [
                ("history", cfg.history.levers, n_history),
                *cfg.scenario.stages(first_policy_year, cfg.horizon),
            ]
        )
        spans = [("history", cfg.history.macro, n_history)]
        check_bounded(
            [*spans, ("scenario", cfg.scenario.macro, n_scenario)], most_residents, self.params
        )

    # -- the year ------------------------------------------------------------

    def regime(self, year: int) -> Regime:
        """Levers and conditions in force while simulating ``year`` (see :class:`Regimes`)."""
        return self.regimes.at(year)

    def year_rng(self, year: int, stream: int) -> np.random.Generator:
        """The generator of one consumer (``stream``) in one year, spawned from the run's seed.

        Every future draws the same random numbers in the same year for the
        same purpose (common random numbers: stream 0 for the households,
        1 for programme allocation, 2 for the wards' local fortunes), so futures
        differ by their levers, not by their luck, and a draw taken by one
        institution never shifts another's.
        """
        seq = np.random.SeedSequence(self.seed_seq.entropy, spawn_key=(year, stream))
        return np.random.Generator(np.random.PCG64(seq))

    def step(self) -> None:
        """Advance the whole model by one year: the agents act in order, then the core."""
        self.now = Year(self.year + 1, self.regime(self.year + 1))
        for agent in self.acting:
            agent.step()
        assert self.now.inputs is not None, "the ward services did not act"
        rng = self.year_rng(self.now.year, 0)
        core = (self.now.inputs, self.params, self.baseline, rng, self.threads)
        self.households, self.wards = advance(self.households, self.wards, *core)
        self.year = self.now.year
        self._record()

    # -- recording -------------------------------------------------------------

    def _record(self) -> None:
        """Recompute the indicators, composites, ranks and 'left behind' status; record them."""
        ind = compute(self.wards, self.baseline, self.params)
        imd, cni, imd_start_scale = composites(ind, self.baseline)
        self.recent.append((imd, cni))
        if self.year > self.cfg.start_year:
            # Status from the mean of the last few years' composites, as the published indices
            # pool several years of data; it damps the sampling noise of a single year.
            window = self.recent[-self.cfg.left_behind_window :]
            imd_mean = np.mean([r[0] for r in window], axis=0)
            cni_mean = np.mean([r[1] for r in window], axis=0)
            self.left_behind = left_behind_rule(rank_desc(imd_mean), rank_desc(cni_mean))
        people = self.wards.agg.people
        # Residents: the published count at the start, moved by the simulated households since.
        population = self.population0 * people / self.baseline.agg.people
        row: Row = {k: ind[k] for k in RATE_INDICATORS}
        row.update(
            year=np.array(self.year),
            population=population,
            funding_per_head=self.ward_services.funding / np.maximum(people, 1.0),
            labour_demand=self.wards.jobs.copy(),
            agglomeration_premium=np.exp(self.investors.premium),
            regional_index=np.exp(self.investors.regional),
            imd_like=imd,
            cni_like=cni,
            imd_like_start_scale=imd_start_scale,
            imd_rank=rank_desc(imd),
            cni_rank=rank_desc(cni),
            left_behind=self.left_behind.copy(),
        )
        self.history.append(row)
        if self.on_year is not None:
            self.on_year(self)

    def release(self) -> None:
        """Let the finished model be garbage-collected: remove its agents, and its key in
        Mesa's class-level ``Agent._ids``, which otherwise keeps every model ever built
        alive (mesa#3179, fixed upstream by mesa#3180 after mesa 3.3.1; about 0.8 GB a
        run with every household in England). The model cannot be stepped afterwards."""
        for agent in list(self.agents):
            agent.remove()
        ids = getattr(mesa.Agent, "_ids", None)
        if ids is not None:
            ids.pop(self, None)

    def run(self, progress: bool = False, label: str = "", until: int | None = None) -> None:
        """Step to ``until`` (default: the horizon), printing progress every five years when
        asked, each line after ``label`` (a sweep's job, so parallel jobs' lines can be told
        apart)."""
        last = self.cfg.horizon if until is None else min(until, self.cfg.horizon)
        t0 = time.perf_counter()
        while self.year < last:
            try:
                self.step()
            except MoneyRangeError as err:
                raise MoneyRangeError(f"in {self.year + 1}, {err}") from None
            if progress and (self.year % PROGRESS_EVERY == 0 or self.year == self.cfg.horizon):
                n = int(self.left_behind.sum())
                print(
                    f"{label}  {self.year}: {n} ward{'' if n == 1 else 's'} left behind "
                    f"({time.perf_counter() - t0:.1f} s)",
                    file=sys.stderr,
                )


__all__ = ["LBNModel", "Regime"]
