"""What the explorer shows of a place: read from a comparison or sweep folder, never run.

A folder is opened once (:func:`open_folder`: its runs found and grouped as
``lbn_sim.compare`` groups them, and its wards listed for the search box); a place's view
(:func:`lbn_sim.place`'s :class:`~lbn_sim.compare.place.PlaceView`) is read once per place
and kept (:meth:`Explorable.view`). From a view and the futures chosen come the ward table
(:func:`ward_table`), the trajectory figure (:func:`trajectory_figure`) and the maps
(:func:`lbn_sim.compare.maps.place_map_figures`; the synthetic England gets a sentence).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from lbn_sim.compare.place import (
    PlaceView,
    band_words,
    find_place,
    place_view,
    read_place_index,
    status_words,
)
from lbn_sim.compare.runs import CompareRefusal, find_run_dirs
from lbn_sim.data.sources import data_words
from lbn_sim.plots.parts import ordered_scenarios, scenario_label
from lbn_sim.plots.place import place_figure

__all__ = ["Explorable", "open_folder", "trajectory_figure", "ward_table"]


@dataclass(frozen=True, slots=True)
class Explorable:
    """A folder of runs the explorer reads.

    Attributes:
        folder: the sweep, comparison or run folder given.
        index: one row per ward of the runs (``ward_code``, ``ward_name``, ``la_code``,
            ``la_name``, ``start_group``).
        n_runs: runs found under the folder.
        authorities: local authority names, those with the most wards left behind at the
            start first (then by name): the search box's suggestions.
    """

    folder: Path
    index: pd.DataFrame
    n_runs: int
    authorities: list[str]
    _views: dict[str, PlaceView] = field(default_factory=dict, repr=False, compare=False)

    def view(self, place: str) -> PlaceView:
        """The place's view (read once, then kept).

        Raises:
            CompareRefusal: a place that matches no ward (the closest names offered), or
                runs that cannot be grouped.
        """
        key = find_place(self.index, place).name  # refuses a miss before any table is read
        if key not in self._views:
            self._views[key] = place_view(self.folder, place)
        return self._views[key]


def open_folder(folder: str | Path) -> Explorable:
    """Open a sweep, comparison or run folder for the explorer.

    Raises:
        CompareRefusal: not a folder, or no runs under it (named).
        lbn_sim.bad_files.BadFile: the first run's ``ward_summary.csv`` cannot be read.
    """
    path = Path(folder)
    if not path.is_dir():
        raise CompareRefusal(f"explorer: {path} is not a directory")
    runs = find_run_dirs([path])
    if not runs:
        raise CompareRefusal(
            f"explorer: no runs under {path} (a run is a folder holding .hydra/config.yaml "
            "and groups.parquet: give a sweep or comparison folder)"
        )
    index = read_place_index(runs[0]).drop_duplicates("ward_code").reset_index(drop=True)
    left = index.assign(left=index["start_group"] == "left_behind")
    counts = left.groupby("la_name")["left"].sum()
    order = sorted(counts.items(), key=lambda kv: (-int(kv[1]), str(kv[0])))
    return Explorable(path, index, len(runs), [str(name) for name, _ in order])


def _chosen(view: PlaceView, futures: Sequence[str] | None) -> list[str]:
    present = ordered_scenarios(view.table["scenario"].unique())
    if futures is None:
        return present
    return [f for f in present if f in set(futures)]


def ward_table(view: PlaceView, futures: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per ward of the place: its name and code, whether it was left behind at the
    start, its IMD-like gap to England (points, median and 5-95% range across runs) at the
    start and the last shared year, and its gap and status at the horizon under each future
    chosen (None: all). The first variant of a sweep with several."""
    years = view.years
    rows = view.table[view.table["variant"] == view.variants[0]]
    chosen = _chosen(view, futures)
    first = ordered_scenarios(rows["scenario"].unique())[0]
    shared = rows[rows["scenario"] == first].set_index(["ward_code", "year"])
    out = view.place.wards[["ward_code", "ward_name", "la_name"]].copy()
    out.columns = pd.Index(["Code", "Ward", "Local authority"])
    start, last_shared, horizon = years["start"], years["last shared"], years["horizon"]
    codes = out["Code"]
    out["Left behind at start"] = [
        "yes" if g == "left_behind" else "no" for g in view.place.wards["start_group"]
    ]
    out[f"Gap {start}"] = [band_words(shared.loc[(c, start)]) for c in codes]
    out[f"Gap {last_shared}"] = [band_words(shared.loc[(c, last_shared)]) for c in codes]
    for future in chosen:
        end = rows[(rows["scenario"] == future) & (rows["year"] == horizon)]
        end = end.set_index("ward_code")
        name = scenario_label(future)
        out[f"Gap {horizon}, {name}"] = [band_words(end.loc[c]) for c in codes]
        out[f"{horizon}, {name}"] = [
            status_words(float(end.loc[c, "left_behind_share"]), int(end.loc[c, "n_runs"]))
            for c in codes
        ]
    return out.reset_index(drop=True)


def trajectory_figure(view: PlaceView, futures: Sequence[str] | None = None) -> Figure:
    """Each ward's IMD-like gap to England year by year under the futures chosen (None: all),
    median and 5-95% band (:func:`lbn_sim.plots.place.place_figure`)."""
    chosen = _chosen(view, futures)
    if not chosen:
        raise CompareRefusal("explorer: choose at least one future")
    rows = view.trajectories
    rows = rows[(rows["variant"] == view.variants[0]) & rows["scenario"].isin(chosen)]
    policy_start = view.years["last shared"] + 1
    return place_figure(rows, policy_start, view.place.name, data_words(view.data))
