"""How far the model's left-behind rule agrees with the published flag at the start.

The 225 'left behind' wards were flagged by OCSI for Local Trust (2019) as the wards in the
most deprived tenth on both the IMD and the Community Needs Index. The model applies that
rule in every year to its IMD-like and CNI-like scores, which at the start equal the
published ward scores (``data/england``: the IMD 2019 ward ``Score``, population-weighted
from LSOAs, and the CNI 2019 score). The flag is the authority for the start year; this
script says how far the rule agrees with it, and whether any rule of the same kind could:

* the rule at the model's cut (:func:`lbn_sim.names.left_behind_rule`): wards found,
  flagged wards among them, flagged wards missed and unflagged wards found (listed);
* the best agreement any pair of cuts gives (the IMD cut over ``--imd-cuts``, the CNI's over
  ``--cni-cuts``): the fewest mismatches (missed plus extra) and where;
* flagged wards *dominated* by an unflagged one: an unflagged ward more deprived on both
  indices. No monotone rule (one that flags a ward whenever it flags a ward less deprived
  on both) reproduces a flag with such a pair exactly;
* the fewest mismatches any monotone rule on the two ranks can reach: the size of a maximum
  matching in the graph of those pairs (the distance of a 0/1 labelling from monotone on a
  partial order; Fischer, Lehman, Newman, Raskhodnikova, Rubinfeld and Samorodnitsky,
  "Monotonicity testing over general poset domains", STOC 2002).

Usage (from the project root, with ``LBN_SIM_DATA_DIR`` set or ``--data-dir``)::

    python scripts/flag_agreement.py [--imd-cuts 600:1100] [--cni-cuts 700:760]

Prints the figures (``docs/measurement.md`` quotes them). Reads the shared files only.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from lbn_sim.names import left_behind_cut, left_behind_rule, rank_desc


@dataclass(frozen=True)
class Agreement:
    """The rule against the flag: counts, and the wards that differ (codes)."""

    found: int
    flagged_found: int
    missed: tuple[str, ...]
    extra: tuple[str, ...]


def agreement(wards: pd.DataFrame, found: NDArray[np.bool_]) -> Agreement:
    """``found`` (``[n_wards]`` bools, the rule's wards) against ``wards['left_behind']``."""
    flag = wards["left_behind"].to_numpy(bool)
    codes = wards["ward_code"].astype(str).to_numpy()
    return Agreement(
        found=int(found.sum()),
        flagged_found=int((found & flag).sum()),
        missed=tuple(codes[flag & ~found]),
        extra=tuple(codes[found & ~flag]),
    )


def best_cuts(
    imd_rank: NDArray[np.int32],
    cni_rank: NDArray[np.int32],
    flag: NDArray[np.bool_],
    imd_cuts: range,
    cni_cuts: range,
) -> tuple[int, int, int]:
    """The fewest mismatches (missed plus extra) of the rule ``imd_rank <= a and cni_rank <=
    b`` over every ``a`` in ``imd_cuts`` and ``b`` in ``cni_cuts``: ``(mismatches, a, b)``,
    the smallest cuts first among equals."""
    best = (flag.size + 1, 0, 0)
    for b in cni_cuts:
        in_cni = cni_rank <= b
        for a in imd_cuts:
            found = in_cni & (imd_rank <= a)
            miss = int(np.count_nonzero(found != flag))
            if miss < best[0]:
                best = (miss, a, b)
    return best


def _more_deprived_unflagged(
    imd_rank: NDArray[np.int32], cni_rank: NDArray[np.int32], flag: NDArray[np.bool_]
) -> list[NDArray[np.intp]]:
    """For each flagged ward, in order, the unflagged wards more deprived (a smaller rank) on
    both indices, as positions among the unflagged."""
    un_imd, un_cni = imd_rank[~flag], cni_rank[~flag]
    return [
        np.flatnonzero((un_imd < imd_rank[i]) & (un_cni < cni_rank[i]))
        for i in np.flatnonzero(flag)
    ]


def dominated(
    imd_rank: NDArray[np.int32], cni_rank: NDArray[np.int32], flag: NDArray[np.bool_]
) -> NDArray[np.bool_]:
    """Per ward (``[n_wards]``): flagged, with an unflagged ward more deprived (a smaller
    rank) on both indices."""
    out = np.zeros(flag.shape, dtype=bool)
    over = _more_deprived_unflagged(imd_rank, cni_rank, flag)
    out[np.flatnonzero(flag)] = [o.size > 0 for o in over]
    return out


def fewest_monotone_mismatches(
    imd_rank: NDArray[np.int32], cni_rank: NDArray[np.int32], flag: NDArray[np.bool_]
) -> int:
    """The fewest wards whose flag must change for it to be monotone (a ward flagged
    whenever a ward less deprived on both ranks is): a maximum matching between flagged
    wards and the unflagged wards more deprived than them on both."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import maximum_bipartite_matching

    over = _more_deprived_unflagged(imd_rank, cni_rank, flag)
    rows = np.repeat(np.arange(len(over)), [o.size for o in over])
    if not rows.size:
        return 0
    cols = np.concatenate(over)
    graph = csr_matrix(
        (np.ones(rows.size, dtype=np.int8), (rows, cols)),
        shape=(len(over), int(np.count_nonzero(~flag))),
    )
    match = maximum_bipartite_matching(graph, perm_type="column")
    return int(np.count_nonzero(match >= 0))


def span(text: str, flag: str, most: int) -> range:
    """``A:B`` as ``range(A, B + 1)``, with ``1 <= A <= B <= most``."""
    try:
        a, b = (int(x) for x in text.split(":"))
    except ValueError:
        raise SystemExit(f"{flag} must be FIRST:LAST (whole numbers), not {text!r}") from None
    if not 1 <= a <= b <= most:
        raise SystemExit(f"{flag} must have 1 <= FIRST <= LAST <= {most} (wards), not {text!r}")
    return range(a, b + 1)


def main(argv: list[str] | None = None) -> int:
    from lbn_sim.data.england import load_england
    from lbn_sim.data.files import DataError

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=os.environ.get("LBN_SIM_DATA_DIR"))
    parser.add_argument("--imd-cuts", default="600:1100", help="IMD cuts to try, FIRST:LAST")
    parser.add_argument("--cni-cuts", default="700:760", help="CNI cuts to try, FIRST:LAST")
    args = parser.parse_args(argv)
    if not (args.data_dir or "").strip():
        parser.error("set LBN_SIM_DATA_DIR or pass --data-dir (the shared England files)")
    try:
        wards, _ = load_england(Path(args.data_dir.strip()), extras=False)
    except DataError as err:
        parser.error(str(err))
    n = len(wards)
    imd_cuts, cni_cuts = span(args.imd_cuts, "--imd-cuts", n), span(args.cni_cuts, "--cni-cuts", n)
    imd_rank = rank_desc(wards["imd_score"].to_numpy(np.float64))
    cni_rank = rank_desc(wards["cni_score"].to_numpy(np.float64))
    flag = wards["left_behind"].to_numpy(bool)
    names = wards.set_index("ward_code")

    rule = agreement(wards, left_behind_rule(imd_rank, cni_rank))
    cut = left_behind_cut(len(wards))
    print(f"{len(wards):,} wards; {int(flag.sum())} flagged; the rule's cut: rank {cut} on both")
    print(
        f"the rule finds {rule.found}, {rule.flagged_found} of them flagged: "
        f"{len(rule.missed)} flagged missed, {len(rule.extra)} unflagged found"
    )
    position = {c: i for i, c in enumerate(wards["ward_code"].astype(str))}
    for label, codes in (("missed", rule.missed), ("extra", rule.extra)):
        for code in codes:
            i = position[code]
            print(
                f"  {label}: {code} {names.loc[code, 'ward_name']} ({names.loc[code, 'la_name']})"
                f", IMD rank {imd_rank[i]}, CNI rank {cni_rank[i]}"
            )
    miss, a, b = best_cuts(imd_rank, cni_rank, flag, imd_cuts, cni_cuts)
    print(
        f"best pair of cuts (IMD {imd_cuts.start}-{imd_cuts.stop - 1}, CNI "
        f"{cni_cuts.start}-{cni_cuts.stop - 1}): {miss} mismatches, first at IMD {a} and CNI {b}"
    )
    dom = dominated(imd_rank, cni_rank, flag)
    print(
        f"flagged wards with an unflagged ward more deprived on both indices: {int(dom.sum())}"
        f" (the flag's largest CNI rank: {int(cni_rank[flag].max())})"
    )
    fewest = fewest_monotone_mismatches(imd_rank, cni_rank, flag)
    print(f"fewest mismatches any monotone rule on the two ranks can reach: {fewest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
