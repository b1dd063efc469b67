"""Which levers and conditions are in force in a year: the shared history's before the policy
start, the scenario's from it on, changed by the last of its phases that has begun."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from lbn_sim.config import Config, ConfigError, MacroConditions, PolicyLevers

F64 = NDArray[np.float64]


def differentials(
    regional_growth: Mapping[str, float],
    la_of_ward: NDArray[np.str_],
    where: str = "macro.regional_growth",
) -> F64:
    """Each ward's growth differential (fraction/yr), ``[n_wards]``: the value of the
    longest key of ``regional_growth`` its local authority's code (``la_of_ward``,
    ``[n_wards]``) starts with, 0 where none does. ``where`` names the setting in errors.

    Raises:
        ConfigError: a key matches no local authority (a misspelt code would
            otherwise silently change nothing).
    """
    out = np.zeros(la_of_ward.shape[0])
    for key in sorted(regional_growth, key=len):
        hit = np.char.startswith(la_of_ward, key)
        if not hit.any():
            raise ConfigError(
                f"{where} key {key!r} matches no local authority code in the ward table "
                f"(its codes look like {str(la_of_ward[0])!r}); a key is the start of an "
                "LA code in the data used: the real data (data=england_2019) has English "
                "codes such as 'E09' (London's boroughs), the synthetic data 'SLA001'"
            )
        out[hit] = regional_growth[key]
    return out


@dataclass(frozen=True, slots=True)
class Regime:
    """The levers and conditions in force in one year, and the conditions' regional growth
    differential by ward (fraction/yr, ``[n_wards]``; see ``macro.regional_growth``)."""

    levers: PolicyLevers
    macro: MacroConditions
    differential: F64


class Regimes:
    """The run's regimes by year.

    Args:
        cfg: the run's config (its history, scenario and phases, and the policy start).
        la_of_ward: each ward's local authority code, ``[n_wards]``: the regional growth
            differentials are worked out here, so a key that matches no local authority
            fails before the first year.
    """

    def __init__(self, cfg: Config, la_of_ward: NDArray[np.str_]) -> None:
        self.policy_start = cfg.policy_start
        self.history = self._regime(cfg.history.levers, cfg.history.macro, la_of_ward, "history")
        self.scenario = self._regime(
            cfg.scenario.levers, cfg.scenario.macro, la_of_ward, "scenario"
        )
        # The scenario's phases: its levers changed from a year on, its conditions kept.
        stages = cfg.scenario.levers_by_phase()
        self.phases = [
            (year, Regime(levers, self.scenario.macro, self.scenario.differential))
            for year, levers in stages[1:]
            if year is not None
        ]

    @staticmethod
    def _regime(
        levers: PolicyLevers, macro: MacroConditions, la_of_ward: NDArray[np.str_], name: str
    ) -> Regime:
        where = f"{name}.macro.regional_growth"
        return Regime(levers, macro, differentials(macro.regional_growth, la_of_ward, where))

    def at(self, year: int) -> Regime:
        """Levers and conditions in force while simulating ``year``."""
        if year < self.policy_start:
            return self.history
        current = self.scenario
        for first, regime in self.phases:
            if first <= year:
                current = regime
        return current
