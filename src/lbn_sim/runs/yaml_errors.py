"""Config files a run would compose, checked before Hydra reads them.

Hydra reads a config group's file (``scenario=mine`` with
``hydra.searchpath=[file://DIR]``) while it composes, before ``main`` runs, and a YAML
error there comes out as a long traceback (a duplicate key, a tab, a bracket left open,
bytes that are not UTF-8, an alias inside its own anchor). :func:`broken_config_file`
finds the files the command line chooses, in Hydra's order (the config directory first,
then each ``hydra.searchpath`` folder), follows their ``defaults`` lists within the group,
and reads each with :func:`lbn_sim.bad_files.read_yaml`; :func:`exit_on_broken_config`
prints the first fault as one line and exits 2.

Only the files a run would read are checked; anything this cannot work out from the
command line (an override it cannot parse, a ``glob`` sweep) is left to Hydra.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from lbn_sim.bad_files import BadFile, read_yaml

__all__ = ["broken_config_file", "config_folders", "exit_on_broken_config"]

#: The config file of the config directory, whose defaults choose the groups' options.
PRIMARY = "config.yaml"
#: Hydra's options that take the next word as their value (not an override).
OPTIONS = ("--config-dir", "-cd", "--config-path", "-cp", "--config-name", "-cn", "--info", "-i")


def _parse(argv: Sequence[str]) -> list[Any] | None:
    """The overrides of ``argv`` as Hydra parses them (None when they do not parse: Hydra
    then says what is wrong)."""
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import HydraException

    words = [
        a
        for i, a in enumerate(argv)
        if not a.startswith("-") and "=" in a and (i == 0 or argv[i - 1] not in OPTIONS)
    ]
    try:
        return list(OverridesParser.create().parse_overrides(words))
    except HydraException:
        return None


def _values(override: Any) -> list[str]:
    """The option(s) an override chooses (several for a sweep ``a,b`` or ``[a,b]``)."""
    from hydra.core.override_parser.types import ChoiceSweep

    value = override.value()
    if isinstance(value, ChoiceSweep):
        return [str(v) for v in value.list]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if override.is_sweep_override():
        return []  # a range or glob: not file names
    return [] if value is None else [str(value)]


def config_folders(conf_dir: str | Path, overrides: Sequence[Any]) -> list[Path]:
    """The folders Hydra searches for config files, in its order: ``conf_dir``, then each
    ``file://`` folder of ``hydra.searchpath`` (``pkg://`` ones hold packaged files)."""
    folders = [Path(conf_dir)]
    for o in overrides:
        if o.get_key_element() != "hydra.searchpath":
            continue
        for entry in _values(o):
            if entry.startswith("file://"):
                folders.append(Path(entry.removeprefix("file://")))
            elif "://" not in entry:
                folders.append(Path(entry))
    return folders


def _find(folders: Iterable[Path], group: str, option: str) -> Path | None:
    """The file Hydra would load for ``group=option`` (the first folder's that has it)."""
    for folder in folders:
        path = folder / group / f"{option}.yaml"
        if path.is_file():
            return path
    return None


def _defaults(data: Any, group: str) -> list[tuple[str, str]]:
    """``(group, option)`` of each entry of a config's ``defaults`` list that names a file:
    ``base_case`` in a group's file is that group's; ``{scenario: base_case}`` names its
    group (``_self_``, ``null``, ``optional`` and ``override`` prefixes handled)."""
    entries = data.get("defaults") if isinstance(data, dict) else None
    out: list[tuple[str, str]] = []
    if not isinstance(entries, list):
        return out
    for entry in entries:
        if isinstance(entry, str) and entry != "_self_":
            sub, _, option = entry.rpartition("/")
            out.append((f"{group}/{sub}".strip("/") if group else sub, option))
        elif isinstance(entry, dict):
            for key, option in entry.items():
                if option is None or not isinstance(option, str):
                    continue
                key = str(key).split()[-1].split("@")[0]  # "override hydra/x" -> "hydra/x"
                out.append((key, option))
    return [(g, o) for g, o in out if o and not g.startswith("hydra")]


def broken_config_file(argv: Sequence[str], conf_dir: str | Path) -> str | None:
    """The first config file the command line ``argv`` would compose that is not valid
    YAML, as ``<file>: <what is wrong>`` (with the line); None when every one reads.

    The files: ``config.yaml`` of ``conf_dir`` and each group option chosen by its
    defaults or by ``argv`` (``scenario=mine``, ``+group=option``, a sweep
    ``scenario=a,b``), found as Hydra finds them, and the files their own ``defaults``
    lists name, in turn.
    """
    parsed = _parse(argv)
    if parsed is None:
        return None
    folders = config_folders(conf_dir, parsed)
    for i, word in enumerate(argv):  # --config-dir DIR (-cd DIR): one more folder
        if word in ("--config-dir", "-cd") and i + 1 < len(argv):
            folders.append(Path(argv[i + 1]))
        elif word.startswith("--config-dir="):
            folders.append(Path(word.partition("=")[2]))
    todo: list[tuple[str, str]] = []
    try:
        primary = read_yaml(Path(conf_dir) / PRIMARY)
    except BadFile as err:
        return str(err)
    chosen: dict[str, list[str]] = {}
    for group, option in _defaults(primary, ""):
        chosen[group] = [option]
    for o in parsed:
        key = o.get_key_element()
        if "." in key or key.startswith("hydra") or o.is_delete():
            continue
        key = key.split("@")[0]
        if (Path(conf_dir) / key).is_dir() or any((f / key).is_dir() for f in folders):
            chosen[key] = _values(o)
    todo = [(g, option) for g, options in chosen.items() for option in options]
    seen: set[Path] = set()
    while todo:
        group, option = todo.pop(0)
        path = _find(folders, group, option)
        if path is None or path in seen:
            continue  # Hydra names an option that does not exist itself
        seen.add(path)
        try:
            data = read_yaml(path)
        except BadFile as err:
            return str(err)
        todo.extend(_defaults(data, group))
    return None


def exit_on_broken_config(argv: Sequence[str] | None = None, conf_dir: str | None = None) -> None:
    """Exit 2 with one line (``lbn_sim: error: <file>: <what is wrong>``) when a config
    file the command line ``argv`` (default ``sys.argv[1:]``) would compose is not valid
    YAML; return when every one reads (Hydra then composes them). Call it before Hydra's
    ``main``."""
    if conf_dir is None:
        from lbn_sim.runs.cli import CONF_DIR

        conf_dir = CONF_DIR
    problem = broken_config_file(sys.argv[1:] if argv is None else argv, conf_dir)
    if problem is not None:
        print(f"lbn_sim: error: {problem}", file=sys.stderr)
        sys.exit(2)
