"""The parsed-table cache: the same frame as a parse, keyed on the file's bytes, written whole
into its own folder (never the data folder), passed by when it cannot be used."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lbn_sim.data.table_cache import ENV_VAR, read_cached


def _parse_counting(calls: list[Path]) -> Callable[[Path], pd.DataFrame]:
    def parse(path: Path) -> pd.DataFrame:
        calls.append(path)
        text = path.read_text()
        return pd.DataFrame(
            {
                "code": pd.array([text, "E01", None], dtype="string"),
                "value": np.array([1.5, np.nan, 3.0]),
                "count": np.array([1, 2, 3], dtype=np.int32),
            },
            index=pd.RangeIndex(1, 4),
        )

    return parse


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "table.rda"
    path.write_text("first")
    return path


def test_a_cached_table_is_the_parsed_frame_and_is_read_without_parsing(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv(ENV_VAR, str(cache))
    calls: list[Path] = []
    parse = _parse_counting(calls)
    first = read_cached(source, parse)
    second = read_cached(source, parse)
    assert len(calls) == 1
    pd.testing.assert_frame_equal(first, second, check_exact=True)
    assert list(first.dtypes) == list(second.dtypes)
    assert [p.name for p in source.parent.iterdir()] == ["table.rda"]  # data folder untouched
    assert len(list(cache.glob("table-*.parquet"))) == 1
    assert not list(cache.glob(".*tmp"))


def test_a_changed_file_is_parsed_again(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "cache"))
    calls: list[Path] = []
    parse = _parse_counting(calls)
    read_cached(source, parse)
    source.write_text("second")
    assert read_cached(source, parse)["code"].iloc[0] == "second"
    assert len(calls) == 2


def test_a_damaged_cache_file_is_replaced(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv(ENV_VAR, str(cache))
    calls: list[Path] = []
    parse = _parse_counting(calls)
    read_cached(source, parse)
    (cached,) = cache.glob("table-*.parquet")
    cached.write_bytes(b"not parquet")
    assert read_cached(source, parse)["code"].iloc[0] == "first"
    assert len(calls) == 2
    pd.read_parquet(cached)  # rewritten whole


def test_no_cache_when_switched_off_or_unwritable(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Path] = []
    parse = _parse_counting(calls)
    monkeypatch.setenv(ENV_VAR, "0")
    read_cached(source, parse)
    read_cached(source, parse)
    assert len(calls) == 2
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be")
    monkeypatch.setenv(ENV_VAR, str(blocked))
    assert read_cached(source, parse)["code"].iloc[0] == "first"
    assert len(calls) == 3
