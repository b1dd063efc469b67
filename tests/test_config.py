"""Config composition: schemas reject bad input at composition, with a message naming it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hydra.errors import ConfigCompositionException, MissingConfigException
from omegaconf.errors import ConfigKeyError, ValidationError
from tests.conftest import compose_cfg, run_cli

from lbn_sim.config import ConfigError, MacroConditions, PolicyLevers, ScenarioConfig

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", ["worst_case", "base_case", "best_case"])
def test_each_scenario_composes(name: str) -> None:
    cfg = compose_cfg([f"scenario={name}"])
    assert cfg.scenario.name == name
    assert cfg.start_year == 2019 and cfg.policy_start == 2025 and cfg.horizon == 2050


def test_default_is_base_case_on_synthetic() -> None:
    cfg = compose_cfg()
    assert cfg.scenario.name == "base_case"
    assert cfg.data.name == "synthetic"


def test_unknown_scenario_fails_naming_it() -> None:
    with pytest.raises(MissingConfigException, match="nonsense"):
        compose_cfg(["scenario=nonsense"])


def test_unknown_key_fails_naming_it() -> None:
    with pytest.raises((ConfigCompositionException, ConfigKeyError), match="sead"):
        compose_cfg(["sead=3"])


def test_wrong_type_fails_naming_key() -> None:
    with pytest.raises((ConfigCompositionException, ValidationError), match="horizon"):
        compose_cfg(["horizon=soon"])


def test_scenario_cannot_set_an_indicator_trend() -> None:
    # Scenario schemas hold levers and conditions only: an outcome key does not exist.
    with pytest.raises((ConfigCompositionException, ConfigKeyError), match="income_trend"):
        compose_cfg(["scenario.levers.income_trend=-0.01"])
    fields = set(PolicyLevers.__dataclass_fields__) | set(ScenarioConfig.__dataclass_fields__)
    assert not any("trend" in f or "deprivation" in f.replace("la_deprivation", "") for f in fields)


def test_domain_rules_fail_in_post_init() -> None:
    with pytest.raises(ConfigError, match="devolution_share"):
        compose_cfg(["scenario.levers.devolution_share=1.5"])
    with pytest.raises(ConfigError, match="allocation"):
        compose_cfg(["scenario.levers.allocation=lottery"])
    with pytest.raises(ConfigError, match="policy_start"):
        compose_cfg(["policy_start=2060"])


def test_more_domain_rules() -> None:
    with pytest.raises(ConfigError, match="la_spend_share"):
        compose_cfg(["history.levers.la_spend_share=0"])
    with pytest.raises(ConfigError, match="recession_years"):
        compose_cfg(["scenario.macro.recession_years=[2021]"])
    with pytest.raises(ConfigError, match="price_shock_years: 2023 is before"):
        compose_cfg(["scenario.macro.price_shock_years=[2023]"])
    with pytest.raises(ConfigError, match="start_year"):
        compose_cfg(["start_year=2015"])
    with pytest.raises(ConfigError, match=r"params\.local_power_gain"):
        compose_cfg(["params.local_power_gain=50"])
    with pytest.raises(ConfigError, match="programme_per_head"):
        compose_cfg(["scenario.levers.programme_per_head=1e9"])
    with pytest.raises(ConfigError, match="benefit_uprating"):
        compose_cfg(["history.levers.benefit_uprating=-0.5"])
    with pytest.raises(ConfigError, match="ring_fenced_growth"):
        compose_cfg(["scenario.levers.ring_fenced_growth=0.3"])
    with pytest.raises(ConfigError, match=r"regional_growth\['E09'\]"):
        compose_cfg(["+scenario.macro.regional_growth.E09=0.5"])
    with pytest.raises(ConfigError, match="empty key"):
        MacroConditions(regional_growth={" ": 0.01})


def test_errors_name_the_key_as_typed() -> None:
    # The history and the scenario share the levers' schema: the message says which one.
    with pytest.raises(ConfigError, match=r"^history\.levers\.devolution_share must be"):
        compose_cfg(["history.levers.devolution_share=2"])
    with pytest.raises(ConfigError, match=r"^scenario\.levers\.least_first_share must be"):
        compose_cfg(["scenario.levers.least_first_share=80"])
    with pytest.raises(ConfigError, match=r"^scenario\.macro\.cost_of_living_pressure must"):
        compose_cfg(["scenario.macro.cost_of_living_pressure=2"])


def test_a_key_added_with_plus_must_exist() -> None:
    # Hydra suggests '+key=value' for an unknown key; the schema still refuses it, by name.
    with pytest.raises(ConfigError, match=r"scenario\.levers\.devolution_shar is not a setting"):
        compose_cfg(["+scenario.levers.devolution_shar=0.5"])
    with pytest.raises(ConfigError, match=r"did you mean seed\?"):
        compose_cfg(["+sed=3"])
    # A free-form mapping takes new keys: regional growth by LA code prefix.
    cfg = compose_cfg(["+scenario.macro.regional_growth.E09=0.01"])
    assert cfg.scenario.macro.regional_growth == {"E09": 0.01}


def test_a_setting_of_the_other_data_source_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"data\.dir is read with the real data only"):
        compose_cfg(["data.dir=/somewhere"])
    with pytest.raises(ConfigError, match=r"data\.n_wards applies to synthetic data only"):
        compose_cfg(["data=england_2019", "data.n_wards=300"])
    with pytest.raises(ConfigError, match=r"data\.seed applies to synthetic data only"):
        compose_cfg(["data=england_2019", "data.seed=2"])
    assert compose_cfg(["data=england_2019", "data.dir=/somewhere"]).data.dir == "/somewhere"


def test_scenario_files_hold_levers_and_conditions_only() -> None:
    import yaml

    for path in sorted((ROOT / "conf" / "scenario").glob("*.yaml")):
        text = path.read_text()
        assert "@package" not in text, path.name
        data = yaml.safe_load(text)
        assert set(data) <= {"name", "description", "levers", "macro", "phases"}, path.name
        assert data["name"] == path.stem, path.name
        # A phase changes levers only: no conditions, no outcomes.
        levers = {f.name for f in dataclasses.fields(PolicyLevers)}
        for phase in data.get("phases", []):
            assert set(phase) == {"from_year", "levers"}, path.name
            assert set(phase["levers"]) <= levers, path.name


@pytest.mark.parametrize(
    ("override", "named", "code"),
    [
        # Hydra cannot compose the config: its own message, exit 1 (README, exit codes).
        ("scenario=nonsense", "nonsense", 1),
        ("sead=3", "sead", 1),
        ("horizon=soon", "horizon", 1),
        # A value lbn_sim refuses: one line, exit 2.
        ("scenario.levers.devolution_share=2", "devolution_share", 2),
        ("scenario.name=best_case", "relabelled", 2),
        ("history.levers.la_spend_share=0", "la_spend_share", 2),
        ("+scenario.macro.regional_growth.E09=0.01", "scenario.macro.regional_growth key 'E09'", 2),
        (
            "+scenario.levers.devolution_shar=0.5",
            "did you mean scenario.levers.devolution_share",
            2,
        ),
        ("data=england_2019", "does not exist", 2),  # no such data folder (set below)
    ],
)
def test_cli_rejects_bad_input_and_writes_nothing(
    override: str, named: str, code: int, tmp_path: Path
) -> None:
    run_dir = tmp_path / "run"
    extra = [f"data.dir={tmp_path / 'no_data'}"] if override == "data=england_2019" else []
    size = [] if extra else ["data.n_wards=30"]
    result = run_cli(override, *extra, f"hydra.run.dir={run_dir}", *size, cwd=tmp_path)
    assert result.returncode == code, result.stderr
    assert named in result.stderr
    assert "the simulation failed" not in result.stderr  # reported as bad input
    assert "Traceback" not in result.stderr
    assert not run_dir.exists()  # not even Hydra's own files are left behind


def test_a_scenario_that_sets_only_some_levers_is_refused_naming_the_rest(
    tmp_path: Path,
) -> None:
    """The schema's defaults are not the base case's (no programme money, no recessions):
    a scenario file that sets one lever must not silently take them for the rest. It is
    refused, naming what it leaves unset; one that starts from the base case runs, with
    the base case's values except the lever it changes."""
    folder = tmp_path / "my_conf" / "scenario"
    folder.mkdir(parents=True)
    (folder / "partial.yaml").write_text("name: partial\nlevers:\n  devolution_share: 0.6\n")
    (folder / "from_base.yaml").write_text(
        "defaults:\n  - base_case\n  - _self_\nname: from_base\nlevers:\n  devolution_share: 0.6\n"
    )
    search = f"hydra.searchpath=[file://{tmp_path / 'my_conf'}]"
    with pytest.raises(ConfigError) as err:
        compose_cfg(["scenario=partial", search])
    message = str(err.value)
    assert message.startswith("scenario 'partial' does not set levers.allocation,")
    assert "levers.programme_per_head" in message and "macro.recession_years" in message
    assert "devolution_share" not in message and "regional_growth" not in message
    assert "defaults: [base_case, _self_]" in message
    cfg, base = compose_cfg(["scenario=from_base", search]), compose_cfg(["scenario=base_case"])
    assert cfg.scenario.levers.devolution_share == 0.6
    assert cfg.scenario.levers.programme_per_head == base.scenario.levers.programme_per_head
    assert cfg.scenario.macro == base.scenario.macro


def test_a_scenario_file_without_its_own_name_is_told_to_add_it(tmp_path: Path) -> None:
    """A file starting from the base case without ``name:`` would carry 'base_case' into
    every output: refused, telling what to add, with nothing written."""
    folder = tmp_path / "my_conf" / "scenario"
    folder.mkdir(parents=True)
    (folder / "unnamed.yaml").write_text(
        "defaults:\n  - base_case\n  - _self_\nlevers:\n  devolution_share: 0.6\n"
    )
    run_dir = tmp_path / "run"
    result = run_cli(
        "scenario=unnamed",
        f"hydra.searchpath=[file://{tmp_path / 'my_conf'}]",
        f"hydra.run.dir={run_dir}",
        "data.n_wards=30",
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "add 'name: unnamed' to scenario/unnamed.yaml" in result.stderr
    assert not run_dir.exists()


def test_a_scenario_file_cannot_move_out_of_its_group(tmp_path: Path) -> None:
    """With '# @package _global_' a scenario file could switch mechanisms off, which a
    scenario may not: refused, naming the file and the line, with nothing written."""
    folder = tmp_path / "my_conf" / "scenario"
    folder.mkdir(parents=True)
    (folder / "sneaky.yaml").write_text(
        "# @package _global_\n"
        "defaults:\n  - /scenario/base_case@scenario\n  - _self_\n"
        "scenario:\n  name: sneaky\n"
        "mechanisms:\n  education_skills: false\n"
    )
    run_dir = tmp_path / "run"
    result = run_cli(
        "scenario=sneaky",
        f"hydra.searchpath=[file://{tmp_path / 'my_conf'}]",
        f"hydra.run.dir={run_dir}",
        "data.n_wards=30",
        cwd=tmp_path,
    )
    assert result.returncode == 2, result.stderr
    assert "sneaky.yaml has '# @package _global_'" in result.stderr
    assert not run_dir.exists()
