"""The explorer's page, in Solara (``python -m lbn_sim.explore [DIR]`` serves it).

Two parts, each a component:

- :func:`PlaceSection`: the folder's runs (a sweep or comparison folder, named by the
  environment variable :data:`FOLDER_VARIABLE`, which the command sets): a search box for a
  place (a local authority, a ward name or a ward code; a miss offers the closest names),
  the futures to show, then each ward's gap to England year by year with bands, the maps
  (real data only: the synthetic England has no geography, and says so) and the ward table.
- :func:`VariantSection`: lever sliders and a button that runs a variant of a future on a
  reduced synthetic England (:mod:`lbn_sim.explore.variant`), with a progress bar; then the
  variant against the future as written.

What is read is read by :mod:`lbn_sim.explore.places`; nothing here computes a result.
"""

from __future__ import annotations

import functools
import html
import os
from typing import Any

import solara
import solara.lab

from lbn_sim.compare.maps import place_map_figures
from lbn_sim.compare.place import PlaceView
from lbn_sim.compare.runs import CompareRefusal
from lbn_sim.explore import variant as vr
from lbn_sim.explore.app_env import FOLDER_VARIABLE
from lbn_sim.explore.places import Explorable, open_folder, trajectory_figure, ward_table
from lbn_sim.plots.parts import scenario_label

__all__ = ["FOLDER_VARIABLE", "Page", "PlaceResult", "PlaceSection", "VariantSection"]


#: The page's heading.
TITLE = "lbn_sim explorer: England's 'left behind' wards under three futures"
#: Futures a variant can start from.
FUTURES = ("worst_case", "base_case", "best_case")
#: Authorities offered as buttons under the search box (the most wards left behind first).
N_SUGGESTED = 6


@functools.cache
def _explorable(folder: str) -> Explorable | str:
    """The folder opened once per server process, or why it cannot be."""
    try:
        return open_folder(folder)
    except (CompareRefusal, ValueError) as err:
        return str(err)


@solara.component
def PlaceSection(explorable: Explorable) -> None:
    """A place's wards under the futures of the folder's runs."""
    place = solara.use_reactive(explorable.authorities[0] if explorable.authorities else "")
    futures = solara.use_reactive([scenario_label(f) for f in FUTURES])
    try:
        view = explorable.view(place.value)
        error = None
    except (CompareRefusal, ValueError) as err:
        view, error = None, str(err)
    present = [] if view is None else list(dict.fromkeys(view.table["scenario"]))
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.InputText(
            "Place: a local authority, a ward name or a ward code",
            value=place,
            continuous_update=False,
            classes=["lbn-place-search"],
        )
        for name in explorable.authorities[:N_SUGGESTED]:
            solara.Button(name, text=True, on_click=functools.partial(place.set, name))
    if view is None:
        solara.Error(error or "no place", classes=["lbn-place-error"])
        return
    labels = {scenario_label(f): f for f in present}
    solara.ToggleButtonsMultiple(futures, values=list(labels), classes=["lbn-futures"])
    PlaceResult(view, [labels[f] for f in futures.value if f in labels] or present)


@solara.component
def PlaceResult(view: PlaceView, chosen: list[str]) -> None:
    """A place's trajectories, maps and ward table under the futures ``chosen``."""
    title = f"{view.place.name}: {len(view.place.codes)} ward(s), {view.place.kind}"
    solara.HTML(tag="h3", unsafe_innerHTML=html.escape(title), classes=["lbn-place-title"])
    key = [view.place.name, tuple(chosen)]
    figure = solara.use_memo(lambda: trajectory_figure(view, chosen), dependencies=key)
    maps = solara.use_memo(lambda: place_map_figures(view), dependencies=key[:1])
    table = solara.use_memo(lambda: ward_table(view, chosen), dependencies=key)
    with solara.Column(classes=["lbn-place-figure"]):
        solara.FigureMatplotlib(figure, dependencies=key, format="png")
    with solara.Column(classes=["lbn-place-maps"], style={"max-width": "900px"}):
        if isinstance(maps, str):
            solara.Info(maps)
        else:
            for name, fig in maps.items():
                solara.FigureMatplotlib(fig, dependencies=[*key[:1], name], format="png")
    with solara.Column(classes=["lbn-place-table"]):
        solara.DataFrame(table, items_per_page=max(len(table), 1))


#: The variant's future and lever values (one per browser session: Solara scopes module
#: reactive values to the session).
_scenario = solara.reactive("best_case")
_levers: solara.Reactive[dict[str, float]] = solara.reactive({})


@solara.lab.task
def _run_variant() -> vr.VariantResult:
    def progress(share: float) -> None:
        _run_variant.progress = 100.0 * share

    return vr.run_variant(_scenario.value, dict(_levers.value), on_progress=progress)


def _slider(lever: vr.Lever, values: dict[str, float]) -> None:
    def set_value(value: Any, name: str = lever.name) -> None:
        _levers.set({**_levers.value, name: float(value)})

    label = f"{lever.label} ({lever.unit})"
    if float(lever.step).is_integer():
        solara.SliderInt(
            label,
            value=int(values[lever.name]),
            min=int(lever.low),
            max=int(lever.high),
            step=int(lever.step),
            on_value=set_value,
            thumb_label="always",
        )
    else:
        solara.SliderFloat(
            label,
            value=values[lever.name],
            min=lever.low,
            max=lever.high,
            step=lever.step,
            on_value=set_value,
            thumb_label="always",
        )


@solara.component
def VariantSection() -> None:
    """Lever sliders, a run button with a progress bar, and the variant's result."""
    defaults = solara.use_memo(lambda: vr.lever_defaults(_scenario.value), [_scenario.value])
    values = {**defaults, **_levers.value}
    solara.Text(
        f"Set a future's levers and run it on a synthetic England of {vr.N_WARDS} wards "
        "(one seed, a few seconds), beside the future as written."
    )

    def choose(label: str) -> None:
        _scenario.set(label.replace(" ", "_"))
        _levers.set({})

    solara.ToggleButtonsSingle(
        scenario_label(_scenario.value),
        values=[scenario_label(f) for f in FUTURES],
        on_value=choose,
        classes=["lbn-variant-future"],
    )
    for lever in vr.LEVERS:
        _slider(lever, values)
    changed = {k: v for k, v in values.items() if v != defaults[k]}
    solara.Button(
        "Run variant",
        on_click=_run_variant,
        disabled=_run_variant.pending,
        color="primary",
        classes=["lbn-run-variant"],
    )
    if _run_variant.pending:
        done = _run_variant.progress or 0.0
        with solara.Column(classes=["lbn-variant-progress"]):
            solara.ProgressLinear(done)
            solara.Text(f"running: {done:.0f}%")
    elif _run_variant.error:
        solara.Error(str(_run_variant.exception), classes=["lbn-variant-error"])
    elif _run_variant.finished and _run_variant.value is not None:
        result = _run_variant.value
        set_levers = ", ".join(f"{k} = {v:g}" for k, v in result.levers.items()) or "none"
        solara.Text(f"{scenario_label(result.scenario)}, levers changed: {set_levers}")
        with solara.Column(classes=["lbn-variant-figure"]):
            solara.FigureMatplotlib(vr.variant_figure(result), format="png")
    if changed and not _run_variant.pending:
        solara.Text(f"{len(changed)} lever(s) moved from the {scenario_label(_scenario.value)}")


@solara.component
def Page() -> None:
    """The explorer: the folder's places, then a variant to run."""
    solara.Title("lbn_sim explorer")
    folder = os.environ.get(FOLDER_VARIABLE, "")
    with solara.Column(style={"padding": "1em", "max-width": "1200px"}):
        solara.HTML(tag="h2", unsafe_innerHTML=TITLE)
        with solara.Card("A place under each future"):
            if not folder:
                solara.Info(
                    "No folder of runs given: start the explorer with a sweep or comparison "
                    "folder (python -m lbn_sim.explore DIR) to see places."
                )
            else:
                opened = _explorable(folder)
                if isinstance(opened, str):
                    solara.Error(opened)
                else:
                    solara.Text(f"{opened.n_runs} runs in {opened.folder}")
                    PlaceSection(opened)
        with solara.Card("Run a variant"):
            VariantSection()
