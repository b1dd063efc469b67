"""The Python API (``lbn_sim.run``, ``lbn_sim.load``, ``lbn_sim.load_comparison``), at toy
size."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from hydra import compose, initialize_config_dir
from hydra.core.global_hydra import GlobalHydra
from tests.conftest import CONF_DIR, TOY, compose_cfg

import lbn_sim
from lbn_sim.compare import run_comparison
from lbn_sim.config import ConfigError
from lbn_sim.runs.api import RUN_FILES, Run
from lbn_sim.runs.runner import simulate

README = Path(__file__).resolve().parents[1] / "README.md"
#: Toy size, and a short horizon.
FAST = [*TOY, "horizon=2030"]


def assert_same_tables(got: Run, expected: object) -> None:
    """Every result table of ``got`` equals ``expected``'s (frame equality, dtypes too)."""
    for name in RUN_FILES:
        pd.testing.assert_frame_equal(getattr(got, name), getattr(expected, name), obj=name)


@pytest.fixture(scope="module")
def sweep(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Run]]:
    """Two runs of the best case (seeds 0 and 1) written into ``sweep/0`` and ``sweep/1``."""
    root = tmp_path_factory.mktemp("api") / "sweep"
    runs = [
        lbn_sim.run(scenario="best_case", seed=seed, overrides=FAST, out_dir=root / str(seed))
        for seed in (0, 1)
    ]
    return root, runs


def test_importing_lbn_sim_loads_neither_the_model_nor_hydra() -> None:
    code = (
        "import sys, lbn_sim\n"
        "heavy = sorted(m for m in sys.modules if m.startswith(('lbn_sim.engine', 'hydra', "
        "'mesa', 'lbn_sim.runs.api')))\n"
        "print(heavy)\n"
        "print(lbn_sim.__version__ is None or isinstance(lbn_sim.__version__, str))\n"
        "print(sorted(set(lbn_sim.__all__) - set(dir(lbn_sim))))\n"
        "print(lbn_sim.load.__module__, 'lbn_sim.runs.api' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.splitlines() == ["[]", "True", "[]", "lbn_sim.runs.api True"]
    assert set(lbn_sim.__all__) == {
        "__version__",
        "compose",
        "run",
        "load",
        "load_comparison",
        "place",
    }
    with pytest.raises(AttributeError, match="no_such_thing"):
        lbn_sim.no_such_thing  # noqa: B018


def readme_examples() -> list[str]:
    """The Python blocks of the README's 'From Python' section, in order."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### From Python", 1)[1].split("\n### ", 1)[0]
    found = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert found, "the 'From Python' section has no python block"
    return found


def readme_example() -> str:
    """The first Python block of the README's 'From Python' section."""
    return readme_examples()[0]


@pytest.mark.slow
def test_the_readme_example_runs_verbatim(tmp_path: Path) -> None:
    """In a fresh interpreter, in an empty folder: it runs, prints the headline and writes
    the run folder it loads."""
    code = readme_example()
    assert "lbn_sim.run(" in code and "lbn_sim.load(" in code
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("On the synthetic England (300 synthetic wards), best_case: ")
    written = tmp_path / "runs" / "worst"
    worst = lbn_sim.load(written).config
    assert worst is not None and worst.scenario.name == "worst_case"


def test_run_gives_the_tables_simulate_gives() -> None:
    got = lbn_sim.run(scenario="worst_case", seed=3, overrides=FAST)
    cfg = compose_cfg(["scenario=worst_case", "data=synthetic", "seed=3", *FAST])
    assert got.config == cfg
    assert got.path is None
    assert_same_tables(got, simulate(cfg))
    assert repr(got).startswith("Run(worst_case, seed 3, synthetic, 120 wards, 2019-2030")
    # The data first: a synthetic run's headline never reads like a real result's.
    assert got.headline().startswith("On the synthetic England (")
    assert ", worst_case: " in got.headline().split("\n")[0]
    assert "in 2019 prices: GBP " in got.headline()


def test_run_twice_leaves_hydra_as_it_found_it() -> None:
    first = lbn_sim.run(seed=0, overrides=FAST)
    assert not GlobalHydra.instance().is_initialized()
    second = lbn_sim.run(seed=1, overrides=[*FAST, "scenario.levers.devolution_share=0.5"])
    assert not GlobalHydra.instance().is_initialized()
    assert first.config is not None and second.config is not None
    assert (first.config.seed, second.config.seed) == (0, 1)
    assert second.config.scenario.levers.devolution_share == 0.5
    assert not first.wards.equals(second.wards)
    # Inside a caller's own Hydra session, that session is kept.
    with initialize_config_dir(config_dir=CONF_DIR, version_base="1.3"):
        lbn_sim.run(overrides=FAST)
        assert GlobalHydra.instance().is_initialized()
        assert compose(config_name="config", overrides=["seed=5"]).seed == 5


def test_out_dir_is_written_and_load_reads_it_back(sweep: tuple[Path, list[Run]]) -> None:
    root, runs = sweep
    made = runs[0]
    assert made.path == root / "0"
    for file in [*RUN_FILES.values(), ".hydra/config.yaml", "provenance.json"]:
        assert (root / "0" / file).is_file(), file
    loaded = lbn_sim.load(root / "0")
    assert loaded.config == made.config
    assert loaded.path == root / "0"
    assert_same_tables(loaded, made)
    assert loaded.headline() == made.headline()
    with pytest.raises(FileExistsError, match=re.escape(str(root / "0"))):
        lbn_sim.run(scenario="best_case", overrides=FAST, out_dir=root / "0")


def test_load_without_a_config_gives_the_tables_and_no_config(
    sweep: tuple[Path, list[Run]], tmp_path: Path
) -> None:
    copy = tmp_path / "run"
    shutil.copytree(sweep[0] / "0", copy, ignore=shutil.ignore_patterns(".hydra"))
    loaded = lbn_sim.load(copy)
    assert loaded.config is None
    assert_same_tables(loaded, sweep[1][0])
    with pytest.raises(ValueError, match="no config"):
        loaded.headline()


def test_an_unknown_scenario_is_named_with_those_there_are(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="scenario='best_cas' does not exist") as err:
        lbn_sim.run(scenario="best_cas", overrides=FAST, out_dir=tmp_path / "out")
    assert all(name in str(err.value) for name in ("base_case", "best_case", "worst_case"))
    assert err.value.__cause__ is None and err.value.__suppress_context__
    assert not (tmp_path / "out").exists()
    assert not GlobalHydra.instance().is_initialized()


def test_a_bad_lever_value_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"scenario\.levers\.devolution_share .*got 2"):
        lbn_sim.run(overrides=[*FAST, "scenario.levers.devolution_share=2"], out_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("override", "named"),
    [
        ("seed=abc", "seed=abc"),
        ("scenario.levers.devolution_shar=0.5", "scenario.levers.devolution_shar"),
        ("+nosuchkey=1", "nosuchkey"),
        ("horizon=[2030", "the override 'horizon=[2030'"),
    ],
)
def test_what_hydra_cannot_compose_is_a_config_error(override: str, named: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(named)) as err:
        lbn_sim.run(overrides=[*FAST, override])
    assert "Config search path" not in str(err.value)
    assert not GlobalHydra.instance().is_initialized()


def test_load_names_what_a_folder_lacks(tmp_path: Path, sweep: tuple[Path, list[Run]]) -> None:
    with pytest.raises(FileNotFoundError, match=re.escape("lacks wards.parquet, groups.parquet")):
        lbn_sim.load(tmp_path)
    (tmp_path / "groups.parquet").write_bytes(b"")
    with pytest.raises(FileNotFoundError, match=re.escape("lacks wards.parquet, ward_summary.csv")):
        lbn_sim.load(tmp_path)
    with pytest.raises(FileNotFoundError, match="it holds runs: 0, 1"):
        lbn_sim.load(sweep[0])
    with pytest.raises(FileNotFoundError, match="is not a folder"):
        lbn_sim.load(tmp_path / "nowhere")


@pytest.mark.slow
def test_load_comparison_reads_every_table(sweep: tuple[Path, list[Run]]) -> None:
    root, _ = sweep
    out = run_comparison([root], log=lambda message: None)
    from_sweep = lbn_sim.load_comparison(root)
    from_folder = lbn_sim.load_comparison(out)
    assert from_sweep.path == from_folder.path == out
    names = {p.stem for p in (out / "tables").glob("*.parquet")}
    assert {"group_bands", "group_gap_bands", "left_behind_count_bands"} <= names
    assert set(from_sweep.tables) == names
    for name, table in from_sweep.tables.items():
        pd.testing.assert_frame_equal(table, pd.read_parquet(out / "tables" / f"{name}.parquet"))
        pd.testing.assert_frame_equal(table, from_folder.tables[name])
    assert set(from_sweep.tables["group_bands"]["n_runs"]) == {2}
    assert sorted(from_sweep.runs["seed"]) == [0, 1]
    assert from_sweep.report == (out / "report.md").read_text(encoding="utf-8")
    assert from_sweep.report.startswith("# Left-behind wards under one future: best case")
    assert from_sweep.figures["panel"] == out / "figures" / "panel.png"


def test_load_comparison_of_a_folder_without_one(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=re.escape("report.md or tables")):
        lbn_sim.load_comparison(tmp_path)


@pytest.mark.slow
def test_the_readme_on_year_example_runs_verbatim(tmp_path: Path) -> None:
    """The second block: a model built from lbn_sim.compose, watched year by year."""
    code = "import lbn_sim\n" + readme_examples()[1]
    assert "on_year=" in code and "lbn_sim.compose(" in code
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=600
    )
    assert out.returncode == 0, out.stderr
    years = [int(line.split()[0]) for line in out.stdout.splitlines()]
    assert years == list(range(2019, 2027))


def test_load_reads_a_run_made_before_the_parameter_registry(tmp_path: Path) -> None:
    """A run folder written before the registry (strengths under ``mechanisms``, no
    ``params``) loads as it was made: the strengths moved, the local authorities keeping
    their start-year mix (the only rule then)."""
    from omegaconf import OmegaConf

    from lbn_sim.runs.api import MOVED_TO_PARAMS

    folder = tmp_path / "old"
    lbn_sim.run(overrides=[*FAST, "params.agglomeration=5"], out_dir=folder)
    path = folder / ".hydra" / "config.yaml"
    written = OmegaConf.load(path)
    params = written.pop("params")
    for name in MOVED_TO_PARAMS:
        written.mechanisms[name] = params[name]
    OmegaConf.save(written, path)
    old = lbn_sim.load(folder).config
    assert old is not None and old.params.agglomeration == 5
    assert all(
        getattr(old.params, name) == 1.0
        for name in vars(type(old.params))
        if name.startswith("la_elasticity_")
    )
    assert not hasattr(old.mechanisms, "agglomeration")


@pytest.mark.slow
def test_two_api_runs_into_one_folder_cannot_mix(tmp_path: Path) -> None:
    """A second ``lbn_sim.run(out_dir=...)`` into a folder another process is writing is
    refused; the folder holds the first run's tables under the first run's config."""
    out = tmp_path / "run"
    code = (
        "import sys, lbn_sim\n"
        "try:\n"
        "    lbn_sim.run(seed=int(sys.argv[1]), overrides=sys.argv[3:], out_dir=sys.argv[2])\n"
        "    print('ok')\n"
        "except FileExistsError as err:\n"
        "    print('refused', err)\n"
    )
    # Large enough that the first still writes when the second starts (so the lock is what
    # refuses it, not the finished folder).
    slow = ["data.n_wards=1500", "households.sample_rate=0.02", "households.min_per_ward=20"]
    args = [str(out), *slow, "plots=false"]
    first = subprocess.Popen(
        [sys.executable, "-c", code, "0", *args], stdout=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    while not (out / ".lbn_sim.lock").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    second = subprocess.run(
        [sys.executable, "-c", code, "1", *args], capture_output=True, text=True, timeout=300
    )
    assert first.communicate(timeout=300)[0].startswith("ok")
    assert second.stdout.startswith("refused"), second.stdout + second.stderr
    # Refused by the lock while the first writes, or by the finished folder when a loaded
    # machine lets the first finish before the second starts (seen in CI): never mixed.
    assert "is in use" in second.stdout or "already holds results" in second.stdout, second.stdout
    loaded = lbn_sim.load(out)
    assert loaded.config is not None and loaded.config.seed == 0
    again = lbn_sim.run(seed=0, overrides=[*slow, "plots=false"])
    assert loaded.groups.equals(again.groups)


def test_load_names_a_damaged_table(tmp_path: Path) -> None:
    """A table cut short or emptied is named, with why; nothing else is read as good."""
    from lbn_sim.bad_files import BadFile

    folder = tmp_path / "run"
    lbn_sim.run(overrides=[*FAST, "plots=false"], out_dir=folder)
    wards = folder / "wards.parquet"
    wards.write_bytes(wards.read_bytes()[:100])
    with pytest.raises(BadFile, match=r"wards\.parquet: cannot be read as a table"):
        lbn_sim.load(folder)
    wards.write_bytes(b"")
    with pytest.raises(BadFile, match=r"wards\.parquet: is empty \(0 bytes\)"):
        lbn_sim.load(folder)
