"""A named programme: money paid to listed wards for a run of years, through the channel
devolved programme money uses. It exists to replay real programmes (New Deal for
Communities, Big Local: ``experiments/replay_*.py``) and is absent from every ordinary run.

:func:`attach` adds a :class:`NamedProgramme` agent to a built model, to act right after the
national programmes and before the ward services. Each year of the programme it

* records central government funding the programme's account (``replay:<name>``) and the
  account paying each listed ward, by purpose, with mechanism ``devolved``;
* adds the pence to the year's programme money spent (``model.now.paid`` under
  ``(purpose, "devolved")``, its ``capital_share`` also to ``model.now.capital_paid``), so
  the ward services deliver them exactly as they deliver devolved programme money:
  running money (or capital) for the purpose's services, or support for community
  organisations, through the local-power multiplier of devolved money. The money is
  paid as the programme spent it, so no delivery lag applies;
* records the account's end-of-year balance (nothing is committed ahead, so zero).

Every pound is in the ledger from source to delivery: the account's inflow equals its
payments each year, and the wards' delivered money includes the payments. A model without
the agent is untouched (no random draw, no record): runs without a named programme are the
same bytes as before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import mesa
import numpy as np
from numpy.typing import NDArray

from lbn_sim.engine.agents.accounts import CENTRAL
from lbn_sim.engine.agents.ward_services import PURPOSE_SERVICES
from lbn_sim.engine.delivery import capital_part
from lbn_sim.engine.ledger import I64, pounds_to_pence, split_pence

if TYPE_CHECKING:
    from lbn_sim.engine.model import LBNModel

F64 = NDArray[np.float64]
#: The mechanism the money travels by: community-led (devolved) funds.
CHANNEL = "devolved"
#: Purposes the ward services know: the programme purposes and capacity building.
PURPOSES = (*PURPOSE_SERVICES, "capacity_building")


@dataclass(frozen=True, slots=True)
class NamedProgrammeSpec:
    """What a named programme pays, to whom and when.

    Attributes:
        name: the programme's name (its ledger account is ``replay:<name>``).
        wards: ward codes of the funded wards (distinct), ``[n_funded]``.
        gbp_per_year: GBP per year paid to each funded ward, ``[n_funded]`` (>= 0), in the
            model's money (2019 prices).
        first_year: the first calendar year paid.
        years: the number of years paid (>= 1).
        purposes: purpose -> share of each payment (shares >= 0, summing to 1); purposes
            are :data:`PURPOSES`.
        capital_share: share of each payment (capacity building apart) that buys
            capital, in [0, 1]; the rest runs services (default 0: all running money).
    """

    name: str
    wards: tuple[str, ...]
    gbp_per_year: tuple[float, ...]
    first_year: int
    years: int
    purposes: Mapping[str, float]
    capital_share: float = 0.0

    def __post_init__(self) -> None:
        if len(self.wards) != len(self.gbp_per_year):
            raise ValueError(
                f"named programme {self.name!r}: {len(self.wards)} wards but "
                f"{len(self.gbp_per_year)} yearly amounts"
            )
        if len(set(self.wards)) != len(self.wards):
            raise ValueError(f"named programme {self.name!r}: a ward is listed twice")
        if self.years < 1:
            raise ValueError(f"named programme {self.name!r}: years must be >= 1")
        if not 0.0 <= self.capital_share <= 1.0:
            raise ValueError(
                f"named programme {self.name!r}: capital_share must be in [0, 1], got "
                f"{self.capital_share}"
            )
        amounts = np.asarray(self.gbp_per_year, dtype=np.float64)
        if amounts.size and (not np.isfinite(amounts).all() or amounts.min() < 0):
            raise ValueError(f"named programme {self.name!r}: amounts must be finite and >= 0")
        bad = sorted(set(self.purposes) - set(PURPOSES))
        if bad:
            raise ValueError(
                f"named programme {self.name!r}: unknown purposes {bad}; known: {PURPOSES}"
            )
        shares = np.array(list(self.purposes.values()), dtype=np.float64)
        if shares.size == 0 or shares.min() < 0 or not np.isclose(shares.sum(), 1.0):
            raise ValueError(
                f"named programme {self.name!r}: purpose shares must be >= 0 and sum to 1"
            )

    @property
    def account(self) -> str:
        """The programme's ledger account."""
        return f"replay:{self.name}"

    def paying(self, year: int) -> bool:
        """Whether the programme pays in ``year``."""
        return self.first_year <= year < self.first_year + self.years

    def total_gbp(self) -> float:
        """GBP paid over the programme's life, all wards."""
        return float(np.sum(self.gbp_per_year)) * self.years


class NamedProgramme(mesa.Agent):
    """Pays a :class:`NamedProgrammeSpec`'s money each of its years (see the module)."""

    model: LBNModel

    def __init__(self, model: mesa.Model, spec: NamedProgrammeSpec, codes: NDArray[np.str_]):
        super().__init__(model)
        self.spec = spec
        index = {str(c): i for i, c in enumerate(codes)}
        missing = [w for w in spec.wards if w not in index]
        if missing:
            raise ValueError(
                f"named programme {spec.name!r}: {len(missing)} ward(s) not in the run's "
                f"ward table, e.g. {missing[:3]}"
            )
        #: Row of each funded ward in the model's ward arrays, ``[n_funded]``.
        self.rows = np.array([index[w] for w in spec.wards], dtype=np.int64)
        self.n_wards = len(codes)
        amounts = np.asarray(spec.gbp_per_year, dtype=np.float64)
        #: Pence per funded ward and purpose each paying year (exact split of each ward's
        #: yearly pence across purposes).
        self.pence: dict[str, I64] = _split_by_purpose(
            pounds_to_pence(amounts, f"named programme {spec.name!r}"), spec.purposes
        )

    def step(self) -> None:
        """Pay this year's money, if the programme pays this year."""
        m, now = self.model, self.model.now
        if not self.spec.paying(now.year):
            return
        account, funded = self.spec.account, m.codes[self.rows]
        for purpose, pence in self.pence.items():
            total = int(pence.sum())
            if total == 0:
                continue
            label = f"programme_{purpose}"
            m.ledger.record(now.year, CENTRAL, account, label, CHANNEL, np.array([total]))
            m.ledger.record(now.year, account, funded, label, CHANNEL, pence)
            full = np.zeros(self.n_wards, dtype=np.int64)
            full[self.rows] = pence
            key = (purpose, CHANNEL)
            now.paid[key] = now.paid[key] + full if key in now.paid else full
            if purpose != "capacity_building" and self.spec.capital_share > 0.0:
                built = capital_part(full, self.spec.capital_share)
                had = now.capital_paid
                had[key] = had[key] + built if key in had else built
        m.ledger.balance(now.year, account, np.array([0], dtype=np.int64))


def _split_by_purpose(pence: I64, purposes: Mapping[str, float]) -> dict[str, I64]:
    """Each ward's pence (``[n_funded]``) split across purposes by their shares, exactly:
    the purposes' parts add up to each ward's pence."""
    names = list(purposes)
    shares = np.array([purposes[p] for p in names], dtype=np.float64)
    n = pence.shape[0]
    groups = np.repeat(np.arange(n), len(names))
    parts = split_pence(pence, groups, np.tile(shares, n)).reshape(n, len(names))
    return {p: parts[:, k].copy() for k, p in enumerate(names)}


def attach(model: LBNModel, specs: Sequence[NamedProgrammeSpec]) -> list[NamedProgramme]:
    """Add an agent per spec to ``model``, acting after its national programmes (before the
    charities, investors and ward services); returns them. Call before the first step."""
    agents = [NamedProgramme(model, spec, model.codes) for spec in specs]
    at = model.acting.index(model.programmes) + 1
    model.acting[at:at] = agents
    return agents


__all__ = ["CHANNEL", "PURPOSES", "NamedProgramme", "NamedProgrammeSpec", "attach"]
