"""The state of a run at the end of a year, in one object: what a future needs to continue.

All futures share one history until the policy start. A run can take a :class:`Snapshot` at
the last shared year (:func:`take`), and every future with the same history key
(:func:`history_key`: data, seed, households, parameters, switches, history regime and
years) continues from it (:meth:`lbn_sim.engine.model.LBNModel.from_snapshot`) instead of
recomputing it, with the same bytes as a full run.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from lbn_sim.config import Config
from lbn_sim.engine.households import Households
from lbn_sim.engine.ledger import I64, Ledger
from lbn_sim.engine.start import StartState
from lbn_sim.engine.state import WardState

if TYPE_CHECKING:
    from lbn_sim.engine.agents.programmes import Award
    from lbn_sim.engine.model import LBNModel, Row

F64 = NDArray[np.float64]


def history_key(cfg: Config) -> str:
    """A digest of every setting the shared history depends on (not the scenario, the
    horizon, the run's outputs or its threads): two configs with the same key share their
    years before the policy start, to the byte. ``param_draw`` is left out: the values it
    chose are in ``params``, so the runs of one vector and seed share their history, and a
    key is what it was before the setting existed."""
    shared = asdict(cfg)
    for own in (
        "scenario",
        "horizon",
        "plots",
        "fork_histories",
        "outputs",
        "param_draw",
        "threads",
    ):
        del shared[own]
    text = json.dumps(shared, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A run at the end of ``year``: the households, the ward stocks, every institution's
    balances and the records so far (each agent's state is the tuple its ``state()`` gives).

    Generator states: every year's draws come from generators spawned from the run's seed
    and the year (:meth:`~lbn_sim.engine.model.LBNModel.year_rng`), so no generator carries
    state from one year to the next; the model's own generator is used only to draw the
    start, held here as ``start``.
    """

    key: str
    year: int
    codes: NDArray[np.str_]
    start: StartState
    households: Households
    wards: WardState
    left_behind: NDArray[np.bool_]
    recent: tuple[tuple[F64, F64], ...]
    history: tuple[Row, ...]
    government: tuple[I64, I64, float]
    reserves: I64
    programmes: tuple[tuple[Award, ...], tuple[tuple[str, int], ...]]
    investors: tuple[F64, F64, float, F64]
    funding: F64
    ledger: Ledger


def take(model: LBNModel, start: StartState) -> Snapshot:
    """The model's state now (arrays are shared, not copied: the model replaces its arrays
    each year and never changes one in place)."""
    g, p, inv = model.government, model.programmes, model.investors
    return Snapshot(
        key=history_key(model.cfg),
        year=model.year,
        codes=model.codes.copy(),
        # The start's households are not needed again (a model built from the snapshot
        # takes this year's): hold one set of households, not two.
        start=replace(start, households=model.households),
        households=model.households,
        wards=model.wards,
        left_behind=model.left_behind.copy(),
        recent=tuple(model.recent),
        history=tuple(model.history),
        government=(g.core.copy(), g.ring_fenced.copy(), g.benefit_level),
        reserves=model.authorities.reserves.copy(),
        programmes=(tuple(p.awards), tuple(p.balance.items())),
        investors=(inv.premium.copy(), inv.regional.copy(), inv.growth_index, inv.fortune.copy()),
        funding=model.ward_services.funding.copy(),
        ledger=model.ledger.copy(),
    )


def restore(model: LBNModel, snap: Snapshot) -> None:
    """Put ``snap``'s state into ``model`` (built from the same start)."""
    model.year = snap.year
    model.households, model.wards = snap.households, snap.wards
    model.left_behind = snap.left_behind.copy()
    model.recent = list(snap.recent)
    model.history = list(snap.history)
    core, ring, benefit = snap.government
    model.government.core, model.government.ring_fenced = core.copy(), ring.copy()
    model.government.benefit_level = benefit
    model.authorities.reserves = snap.reserves.copy()
    awards, balance = snap.programmes
    model.programmes.awards, model.programmes.balance = list(awards), dict(balance)
    premium, regional, growth, fortune = snap.investors
    model.investors.premium, model.investors.regional = premium.copy(), regional.copy()
    model.investors.growth_index = growth
    model.investors.fortune = fortune.copy()
    model.ward_services.funding = snap.funding.copy()
    model.ledger = snap.ledger.copy()


def same_history(snap: Snapshot, cfg: Config) -> bool:
    """Whether a run of ``cfg`` shares ``snap``'s history (and ``snap`` is at its last year)."""
    return snap.key == history_key(cfg) and snap.year == cfg.policy_start - 1
