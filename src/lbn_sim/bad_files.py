"""Files that cannot be read as what they should be: one line naming the file and the fault.

A damaged table, a run's ``.hydra/config.yaml`` cut short, a scenario file with a tab or a
duplicate key, a data file nobody may read: each is reported as
``<file>: <what is wrong>`` (:class:`BadFile`), and the command lines print it as
``lbn_sim: error: <file>: <what is wrong>`` and exit 2, never with a traceback.

:func:`read_yaml` reads YAML more strictly than PyYAML's ``safe_load`` (as OmegaConf's
loader does, a key given twice is refused; unlike either, an alias inside its own anchor
is refused rather than making a structure that contains itself), so a file that passes
it composes without a YAML error.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from omegaconf import DictConfig, ListConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

__all__ = ["BadFile", "error_line", "file_problem", "load_yaml", "read_yaml", "yaml_problem"]


class BadFile(ValueError):
    """``path`` cannot be read as what it should be; ``problem`` says why (one line)."""

    def __init__(self, path: str | os.PathLike[str], problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")

    def __reduce__(self) -> tuple[type[BadFile], tuple[Path, str]]:
        # (Rebuilt from its two arguments: raised in a worker process, it reaches the
        # caller as itself, not as a broken pool.)
        return type(self), (self.path, self.problem)


def error_line(err: BaseException) -> str:
    """The first line of ``err``'s message (its type's name when it has none)."""
    text = str(err).strip()
    return text.splitlines()[0].strip() if text else type(err).__name__


def file_problem(err: OSError) -> str:
    """An operating-system error on a file as a short phrase (``cannot be read:
    Permission denied``), without the path the message would repeat."""
    reason = err.strerror or error_line(err)
    return f"cannot be read ({reason})"


def _at(mark: Any) -> str:
    return "" if mark is None else f"line {mark.line + 1}, column {mark.column + 1}"


def yaml_problem(err: yaml.YAMLError) -> str:
    """A PyYAML error on one line, with where it is (``line 4, column 1: ...``)."""
    if isinstance(err, yaml.MarkedYAMLError):
        problem = (err.problem or "").strip() or error_line(err)
        if "'\\t'" in problem:  # the context ("while scanning...") says nothing more
            where = _at(err.problem_mark)
            return f"{where}: a tab character, which YAML does not allow here (indent with spaces)"
        where = _at(err.problem_mark)
        context = (err.context or "").strip()
        tail = ""
        if context:
            started = _at(err.context_mark)
            same = err.context_mark is not None and where == started
            tail = f" ({context}{'' if same or not started else ' at ' + started})"
        return f"{where + ': ' if where else ''}{problem}{tail}"
    return error_line(err)


class _StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader refusing a key given twice in one mapping and an alias used
    inside the node its anchor names (a recursive structure)."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._open_anchors: set[str] = set()

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        if isinstance(event, yaml.AliasEvent):
            if anchor in self._open_anchors:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"the alias *{anchor} is inside the node its anchor &{anchor} names "
                    "(a structure that contains itself)",
                    event.start_mark,
                )
            return super().compose_node(parent, index)
        if anchor is None:
            return super().compose_node(parent, index)
        self._open_anchors.add(anchor)
        try:
            return super().compose_node(parent, index)
        finally:
            self._open_anchors.discard(anchor)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, Any] = {}
            for key_node, _ in node.value:
                try:
                    key = self.construct_object(key_node, deep=True)
                    hash(key)
                except (TypeError, yaml.YAMLError):
                    continue  # the base class reports an unhashable key itself
                if key in seen:
                    first = seen[key]
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f"the key {key!r} is given twice (first at line {first.line + 1})",
                        key_node.start_mark,
                    )
                seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)


def read_yaml(path: str | os.PathLike[str]) -> Any:
    """The YAML document in ``path``, read strictly (see the module's note).

    Raises:
        BadFile: the file cannot be read, is not UTF-8 text, or is not valid YAML (a key
            given twice, a recursive alias, a tab, an unclosed bracket...), with the line.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise BadFile(path, file_problem(err)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise BadFile(
            path,
            f"not UTF-8 text (byte 0x{data[err.start]:02x} on line {line}); save it as UTF-8",
        ) from None
    try:
        return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader
    except yaml.YAMLError as err:
        raise BadFile(path, f"not valid YAML: {yaml_problem(err)}") from None
    except RecursionError:
        raise BadFile(path, "not valid YAML: nested too deeply") from None


def load_yaml(path: str | os.PathLike[str]) -> DictConfig | ListConfig:
    """``path`` as OmegaConf reads it (as Hydra wrote it: a run's ``.hydra`` files, a
    sweep's ``multirun.yaml``).

    Raises:
        BadFile: the file cannot be read or is not valid YAML (cut short, garbage), named
            with the line where known (:func:`read_yaml`).
    """
    path = Path(path)
    try:
        return OmegaConf.load(path)
    except (OSError, ValueError, yaml.YAMLError, OmegaConfBaseException) as err:
        if isinstance(err, OSError):
            raise BadFile(path, file_problem(err)) from None
        read_yaml(path)  # names the fault and its line, when it is one of the YAML's
        what = yaml_problem(err) if isinstance(err, yaml.YAMLError) else error_line(err)
        raise BadFile(path, f"not valid YAML: {what}") from None
