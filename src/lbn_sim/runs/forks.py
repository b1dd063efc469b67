"""Futures that share a history continue from one snapshot of it instead of recomputing it.

A :class:`ForkCache` keeps the last few shared histories in memory (a snapshot at the last
year before the policy start, with its ward table), keyed by
:func:`lbn_sim.engine.snapshot.history_key`. :func:`lbn_sim.runs.runner.simulate` takes one:
the first run of a history saves its snapshot on the way, and every later run with the same
key continues from it. The tables are the same bytes as a full run's (tested).

The command line keeps one cache per process, so the jobs of a sweep that one process runs
in turn (Hydra's basic launcher runs them all; joblib's workers each run several) share
their histories: sweep the seed before the scenario (``seed=range(5)
scenario=worst_case,base_case,best_case``), so the futures of one seed run one after
another.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import pandas as pd

from lbn_sim.config import Config
from lbn_sim.engine.snapshot import Snapshot, history_key


@dataclass(frozen=True, slots=True)
class Fork:
    """A shared history: its ward table, data report and snapshot."""

    wards: pd.DataFrame
    report: str | None
    snapshot: Snapshot


class ForkCache:
    """The last ``capacity`` shared histories, by history key (least recently used goes).

    Each holds a snapshot of a run at its last shared year (households, ward stocks,
    balances and records: about 150 MB at England's default sampling).
    """

    def __init__(self, capacity: int = 2) -> None:
        if capacity < 1:
            raise ValueError(f"a fork cache holds at least one history, got {capacity}")
        self.capacity = capacity
        self._forks: OrderedDict[str, Fork] = OrderedDict()
        #: Runs that continued from a saved history, and runs that saved one.
        self.hits = 0
        self.misses = 0

    @staticmethod
    def shares_history(cfg: Config) -> bool:
        """Whether ``cfg`` has shared years to save (the policy start after the start year's
        next)."""
        return cfg.policy_start - 1 > cfg.start_year

    def get(self, cfg: Config) -> Fork | None:
        """The saved history ``cfg`` continues from, or None."""
        fork = self._forks.get(history_key(cfg))
        if fork is None or fork.snapshot.year != cfg.policy_start - 1:
            return None
        self._forks.move_to_end(fork.snapshot.key)
        self.hits += 1
        return fork

    def put(self, fork: Fork) -> None:
        """Save a history (dropping the least recently used beyond ``capacity``)."""
        self.misses += 1
        self._forks[fork.snapshot.key] = fork
        self._forks.move_to_end(fork.snapshot.key)
        while len(self._forks) > self.capacity:
            self._forks.popitem(last=False)
