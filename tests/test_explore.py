"""The explorer (``python -m lbn_sim.explore``): what it reads and runs, then the page itself
in a real headless browser (Debian's chromium driven by Playwright).

The browser test needs the ``explorer`` and ``browser`` extras and a chromium on the PATH; it
is skipped without them, except in CI (``LBN_SIM_REQUIRE_BROWSER=1``, set by ``.ci/run``,
which installs all three), where it fails instead.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from tests.test_compare import FEW, SCENARIOS, write_multirun

import lbn_sim
from lbn_sim.compare import CompareRefusal
from lbn_sim.compare.place import band_words
from lbn_sim.explore import variant as vr
from lbn_sim.explore.__main__ import main
from lbn_sim.explore.places import open_folder, trajectory_figure, ward_table

SEEDS = range(2)


@pytest.fixture(scope="module")
def sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_multirun(tmp_path_factory.mktemp("explore") / "sweep", seeds=SEEDS, indicators=FEW)


def test_the_folder_lists_authorities_most_left_behind_first(sweep: Path) -> None:
    opened = open_folder(sweep)
    assert opened.n_runs == len(SCENARIOS) * len(SEEDS)
    # The fake England: authorities L00-L02 of ten wards; only L00 has wards left behind (6).
    assert opened.authorities == ["L00", "L01", "L02"]
    assert len(opened.index) == 30


def test_the_ward_table_agrees_with_the_place_view(sweep: Path) -> None:
    opened = open_folder(sweep)
    view = opened.view("l01")  # case does not matter
    assert opened.view("L01") is view  # read once, then kept
    table = ward_table(view)
    assert list(table["Code"]) == view.place.codes == [f"S{i:08d}" for i in range(10, 20)]
    horizon = view.years["horizon"]
    rows = view.table.set_index(["scenario", "ward_code", "year"])
    for scenario in SCENARIOS:
        label = scenario.replace("_", " ")
        for code, cell in zip(table["Code"], table[f"Gap {horizon}, {label}"], strict=True):
            assert cell == band_words(rows.loc[(scenario, code, horizon)])
    start = rows.loc[(SCENARIOS[0], "S00000010", view.years["start"])]
    assert table.loc[0, f"Gap {view.years['start']}"] == band_words(start)
    assert set(table["Left behind at start"]) == {"no"}
    l00 = ward_table(opened.view("L00"))
    assert list(l00["Left behind at start"]) == ["yes"] * 6 + ["no"] * 4
    only_best = ward_table(view, ["best_case"])
    assert [c for c in only_best.columns if "worst" in c or "base" in c] == []
    assert f"{horizon}, best case" in only_best.columns


def test_the_figure_draws_the_futures_chosen(sweep: Path) -> None:
    view = open_folder(sweep).view("L01")
    every = trajectory_figure(view)
    one = trajectory_figure(view, ["worst_case"])
    colours = {len(ax.lines) for ax in every.axes if ax.lines}
    fewer = {len(ax.lines) for ax in one.axes if ax.lines}
    assert max(fewer) < max(colours)
    with pytest.raises(CompareRefusal, match="at least one future"):
        trajectory_figure(view, [])


def test_a_place_that_matches_nothing_is_refused_with_the_closest_names(sweep: Path) -> None:
    with pytest.raises(CompareRefusal, match=r"'L0l' matches no .*did you mean: .*L01"):
        open_folder(sweep).view("L0l")


def test_a_folder_without_runs_is_refused_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(CompareRefusal, match=f"no runs under {tmp_path}"):
        open_folder(tmp_path)
    assert main([str(tmp_path / "nothing")]) == 2
    # Without the explorer extra the command says so first (nothing could be served).
    expected = (
        f"lbn_sim: error: explorer: {tmp_path / 'nothing'} is not a directory"
        if importlib.util.find_spec("solara") is not None
        else 'lbn_sim: error: the explorer needs its extra: pip install -e ".[explorer]"'
    )
    assert expected in capsys.readouterr().err


def test_a_variant_reports_progress_and_differs_from_the_future_as_written() -> None:
    shares: list[float] = []
    levers = {"programme_per_head": 100.0, "devolution_share": 1.0, "least_first_share": 1.0}
    result = vr.run_variant(
        "worst_case", levers, n_wards=60, horizon=2030, on_progress=shares.append
    )
    assert shares == sorted(shares) and shares[-1] == pytest.approx(1.0) and shares[0] > 0
    written = result.groups[result.groups["run"] == vr.AS_WRITTEN]
    variant = result.groups[result.groups["run"] == vr.VARIANT]
    assert list(written["year"]) == list(variant["year"]) == list(range(2019, 2031))
    # The same history until the policy start, then the levers part them.
    before = written["year"] < result.policy_start
    assert np.allclose(written["gap"][before], variant["gap"].to_numpy()[before.to_numpy()])
    assert not np.allclose(written["gap"][~before], variant["gap"].to_numpy()[~before.to_numpy()])
    # The future as written is the run lbn_sim.run makes.
    run = lbn_sim.run("worst_case", overrides=["data.n_wards=60", "horizon=2030", "plots=false"])
    assert np.allclose(written["gap"], vr.variant_frame(run.groups, vr.AS_WRITTEN)["gap"])
    assert len(vr.variant_figure(result).axes) == 2
    again: list[float] = []  # the future as written is kept: one run this time
    vr.run_variant(
        "worst_case", {"devolution_share": 0.5}, n_wards=60, horizon=2030, on_progress=again.append
    )
    assert len(again) == len(range(2019, 2031))


def test_a_lever_value_the_schema_refuses_is_named() -> None:
    with pytest.raises(ValueError, match="la_real_growth"):
        vr.run_variant("base_case", {"la_real_growth": 0.5}, n_wards=30, horizon=2026)
    with pytest.raises(ValueError, match=r"no slider for lever\(s\) \['recession_years'\]"):
        vr.run_variant("base_case", {"recession_years": 1.0}, n_wards=30, horizon=2026)


def test_lever_defaults_are_the_futures_own() -> None:
    best = vr.lever_defaults("best_case")
    worst = vr.lever_defaults("worst_case")
    assert set(best) == {lever.name for lever in vr.LEVERS}
    assert best != worst
    for lever in vr.LEVERS:  # every future's value sits on its slider
        for values in (best, worst):
            assert lever.low <= values[lever.name] <= lever.high, lever.name


# --- the page in a real browser -------------------------------------------------------------


def _browser_or_skip() -> str:
    """The system chromium's path; skipped (failed in CI) when it or an extra is missing."""
    missing = [m for m in ("solara", "playwright") if importlib.util.find_spec(m) is None]
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        missing.append("chromium (apt-get install chromium)")
    if missing:
        message = f"the explorer's browser test needs {', '.join(missing)}"
        if os.environ.get("LBN_SIM_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    assert chromium is not None
    return chromium


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def explorer(sweep: Path, tmp_path: Path) -> Iterator[str]:
    """The explorer serving the fake sweep; its URL (skipped, or failed in CI, before the
    server starts when the browser or an extra is missing)."""
    _browser_or_skip()
    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    env = {**os.environ, "MPLBACKEND": "Agg"}
    server = subprocess.Popen(
        [sys.executable, "-m", "lbn_sim.explore", str(sweep), "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(
                        f"the explorer did not start: {(tmp_path / 'server.log').read_text()}"
                    )
                time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.mark.slow
def test_the_explorer_in_a_real_browser(explorer: str) -> None:
    """Load the page, choose a place in the search box: the figure and the table change; drop
    a future: its columns go; run a variant: a progress bar, then its figure. The browser's
    console says no error throughout."""
    chromium = _browser_or_skip()
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1600})
            page.on(
                "console",
                lambda m: (
                    problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None
                ),
            )
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on(
                "response",
                lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
            )
            page.goto(explorer)
            figure = page.locator(".lbn-place-figure img")
            figure.wait_for(timeout=60_000)
            table = page.locator(".lbn-place-table")
            first_image, first_table = figure.get_attribute("src"), table.inner_text()
            assert "S00000000" in first_table and "S00000010" not in first_table  # L00 first
            assert "Gap 2030, best case" in first_table

            search = page.locator(".lbn-place-search input")
            search.fill("L01")
            search.press("Enter")
            page.locator(".lbn-place-title", has_text="L01").wait_for(timeout=30_000)
            page.wait_for_function(
                "(src) => document.querySelector('.lbn-place-figure img').src !== src",
                arg=first_image,
                timeout=30_000,
            )
            second_table = table.inner_text()
            assert second_table != first_table
            assert "S00000010" in second_table and "S00000000" not in second_table

            page.locator(".lbn-futures button", has_text="best case").click()
            page.wait_for_function(
                "() => !document.querySelector('.lbn-place-table').innerText.includes('best case')",
                timeout=30_000,
            )
            assert "Gap 2030, worst case" in table.inner_text()

            page.locator(".lbn-run-variant").click()
            page.locator(".lbn-variant-progress").wait_for(timeout=30_000)
            page.locator(".lbn-variant-figure img").wait_for(timeout=120_000)
        finally:
            browser.close()
    assert problems == []


@pytest.mark.slow
def test_a_killed_explorer_leaves_no_server_behind() -> None:
    """``kill`` on the process started stops the server itself (it takes the process's
    place): the port is closed afterwards, and no Solara process is left serving it."""
    if importlib.util.find_spec("solara") is None:
        message = 'the explorer test needs solara (pip install -e ".[explorer]")'
        if os.environ.get("LBN_SIM_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "lbn_sim.explore", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "did not start"
                time.sleep(0.3)
        server.terminate()
        server.wait(timeout=20)
    finally:
        if server.poll() is None:
            server.kill()
    with pytest.raises(OSError):
        urllib.request.urlopen(url, timeout=2).close()
    serving = []
    for entry in os.listdir("/proc"):
        try:
            command = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"solara" in b" ".join(command) and str(port).encode() in command:
            serving.append(entry)
    assert serving == []
