"""Behavioural parameters of the household and stock rules, with the mechanism switches.

Each parameter's meaning, default and reasoning are in ``docs/mechanisms.md``.
These are not scenario levers: a future cannot set them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lbn_sim.config import MechanismsConfig


@dataclass(frozen=True, slots=True)
class CoreParams:
    """Behavioural parameters of the household and stock rules (see docs/mechanisms.md)."""

    job_loss: float = 0.06
    network_effect: float = 0.4
    connectivity_weight: float = 0.5
    move_rate: float = 0.05
    move_push: float = 2.0
    newcomer_selectivity: float = 0.10
    school_effect: float = 0.8
    adult_education_effect: float = 0.06
    health_service_effect: float = 0.6
    civic_health_effect: float = 0.2
    stress_health_effect: float = 0.3
    stress_speed: float = 0.3
    cost_of_living_exposure: float = 0.5
    debt_advice_effect: float = 0.4
    capacity_speed: float = 0.15
    community_takeover: float = 0.45
    capacity_support_gain: float = 0.25
    legacy_rate: float = 0.01
    recession_job_loss: float = 1.5
    recovery_speed: float = 0.15
    switches: MechanismsConfig = field(default_factory=MechanismsConfig)

    @classmethod
    def from_config(cls, mech: MechanismsConfig) -> CoreParams:
        """Core parameters with the config's switches."""
        return cls(switches=mech)
