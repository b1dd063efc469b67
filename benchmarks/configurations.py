"""Named sizes of the benchmark suite, from a few wards to every household in England.

Each size is a set of Hydra overrides on the project's config (the synthetic
England of ``lbn_sim.data.synthetic``), how many years the core is timed over
and how often (best of N), and whether the per-agent Mesa baseline runs at
that size (it is only practical on the small ones).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Size:
    """One benchmark size.

    Attributes:
        name: the name given on the command line.
        description: what it simulates, in words.
        overrides: Hydra overrides that make the size (data and household sampling).
        core_years: years of recorded inputs the core is timed over.
        repeats: the core's timing is the best of this many replays.
        per_agent_years: years the per-agent Mesa baseline is timed over (0: not run).
    """

    name: str
    description: str
    overrides: tuple[str, ...]
    core_years: int
    repeats: int
    per_agent_years: int = 0


EVERY_HOUSEHOLD = ("households.sample_rate=1.0", "households.left_behind_sample_rate=1.0")

SIZES: dict[str, Size] = {
    s.name: s
    for s in (
        Size(
            "tiny",
            "6 wards, every household (the CI smoke test)",
            ("data.n_wards=6", *EVERY_HOUSEHOLD),
            core_years=5,
            repeats=5,
            per_agent_years=3,
        ),
        Size(
            "small",
            "120 wards, every household",
            ("data.n_wards=120", *EVERY_HOUSEHOLD),
            core_years=5,
            repeats=3,
            per_agent_years=2,
        ),
        Size(
            "default",
            "England's wards, the default sample (every left-behind household, others 2%, "
            "at least 200 a ward)",
            (),
            core_years=5,
            repeats=3,
        ),
        Size(
            "left_behind_full",
            "England's wards, every household in the left-behind wards, others 2% (at least 30)",
            ("households.left_behind_sample_rate=1.0", "households.min_per_ward=30"),
            core_years=5,
            repeats=3,
        ),
        Size(
            "england_full",
            "every household in England",
            EVERY_HOUSEHOLD,
            core_years=3,
            repeats=3,
        ),
    )
}

#: The sizes a plain ``python -m benchmarks.run`` measures, smallest first.
DEFAULT_SIZES = tuple(SIZES)
