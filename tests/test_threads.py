"""Threads: the ``threads`` setting, the pool over household blocks, and the same bytes on any
number of threads (the tables' hashes, tests/test_same_bytes.py's digest)."""

from __future__ import annotations

import multiprocessing
import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest
from hydra.errors import ConfigCompositionException
from omegaconf.errors import ValidationError
from tests.test_same_bytes import table_hash

from lbn_sim.config import Config, ConfigError
from lbn_sim.engine import blocks, households, new_households
from lbn_sim.engine.blocks import AHEAD_PER_THREAD, map_blocks
from lbn_sim.engine.model import LBNModel
from lbn_sim.runs.runner import simulate
from lbn_sim.threads import available_cores, check_threads, resolve_threads

TABLES = ("wards", "groups", "summary", "ledger", "balances")


@pytest.mark.parametrize("bad", ["0", "-1", "-8", "many", "two"])
def test_a_bad_thread_count_is_refused_naming_the_key(
    toy_cfg: Callable[..., Config], bad: str
) -> None:
    with pytest.raises(ConfigError, match=r"^threads must be a whole number .* at least 1"):
        toy_cfg(f"threads={bad}")


@pytest.mark.parametrize("bad", ["1.5", "true", "null"])
def test_a_thread_count_of_the_wrong_type_is_refused_naming_the_key(
    toy_cfg: Callable[..., Config], bad: str
) -> None:
    with pytest.raises((ConfigCompositionException, ValidationError, ConfigError), match="threads"):
        toy_cfg(f"threads={bad}")


def test_check_threads_refuses_what_python_callers_might_pass() -> None:
    for bad in (0, -1, True, False, 2.0, None, "0", " ", "auto2"):
        with pytest.raises(ConfigError, match="threads"):
            check_threads(bad)
    for good in (1, 2, 64, "auto", "3"):
        check_threads(good)


def test_auto_is_every_core_here_and_one_in_a_worker_process(
    toy_cfg: Callable[..., Config],
) -> None:
    assert toy_cfg().threads == "auto"
    assert resolve_threads("auto") == available_cores()
    assert resolve_threads(3) == 3
    assert resolve_threads("2") == 2
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        assert pool.submit(resolve_threads, "auto").result() == 1
        assert pool.submit(resolve_threads, 2).result() == 2  # an explicit count is kept


def test_a_sweep_job_run_by_another_process_uses_one_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LBN_SIM_SWEEP_OWNER", f"{socket.gethostname()}:1")
    assert resolve_threads("auto") == 1


def test_map_blocks_draws_in_this_thread_in_order_and_returns_in_order() -> None:
    here = threading.get_ident()
    rng = np.random.default_rng(7)
    taken: list[int] = []
    done = [0]
    ran_on: set[int] = set()

    def items() -> Iterator[tuple[int, float]]:
        for i in range(40):
            assert threading.get_ident() == here
            # Never more than AHEAD_PER_THREAD * threads blocks beyond those finished.
            assert i - done[0] <= AHEAD_PER_THREAD * 3 + 1
            taken.append(i)
            yield i, float(rng.random())

    def work(item: tuple[int, float]) -> tuple[int, float]:
        ran_on.add(threading.get_ident())
        time.sleep(0.002 * ((item[0] * 7) % 5))  # finish out of order
        done[0] += 1
        return item

    got = map_blocks(work, items(), threads=3)
    expected = np.random.default_rng(7).random(40)
    assert [i for i, _ in got] == list(range(40)) == taken
    assert np.array_equal([u for _, u in got], expected)
    assert here not in ran_on and len(ran_on) >= 2


def test_map_blocks_on_one_thread_or_one_block_starts_no_thread() -> None:
    here = threading.get_ident()

    def work(i: int) -> int:
        assert threading.get_ident() == here
        return i * i

    assert map_blocks(work, range(5), threads=1) == [0, 1, 4, 9, 16]
    assert map_blocks(work, [3], threads=4) == [9]
    assert map_blocks(work, [], threads=4) == []


def test_map_blocks_raises_the_first_blocks_error() -> None:
    def work(i: int) -> int:
        if i in (5, 9):
            raise ArithmeticError(f"block {i}")
        return i

    with pytest.raises(ArithmeticError, match="block 5"):
        map_blocks(work, range(30), threads=2)


def test_the_same_bytes_on_one_two_and_three_threads(
    toy_cfg: Callable[..., Config], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every household at toy size (about 388 thousand), blocks of about 8 thousand (some
    47 blocks a year and in the start's solvers, three or four chunks of new households a
    year): every table the same bytes on any number of threads, and the pool used."""
    monkeypatch.setattr(households, "BLOCK_HOUSEHOLDS", 8192)
    monkeypatch.setattr(new_households, "BLOCK_HOUSEHOLDS", 8192)  # the leavers' chunks
    submitted = [0]

    class Counting(ThreadPoolExecutor):
        def submit(self, *args: Any, **kwargs: Any) -> Any:
            submitted[0] += 1
            return super().submit(*args, **kwargs)

    monkeypatch.setattr(blocks, "ThreadPoolExecutor", Counting)
    every = ["households.sample_rate=1.0", "horizon=2027", "policy_start=2022"]
    hashes, on_pool = {}, {}
    for threads in (1, 2, 3):
        submitted[0] = 0
        cfg = toy_cfg(*every, "scenario=best_case", f"threads={threads}")
        result = simulate(cfg)
        hashes[threads] = {name: table_hash(getattr(result, name)) for name in TABLES}
        on_pool[threads] = submitted[0]
    assert hashes[1] == hashes[2] == hashes[3]
    # Eight years of about 47 blocks, and the start's three solvers over them: on the pool.
    assert on_pool[1] == 0 and on_pool[2] == on_pool[3] >= 10 * 47


def test_the_model_takes_its_threads_from_the_config(toy_cfg: Callable[..., Config]) -> None:
    from lbn_sim.runs.runner import load_wards

    cfg = toy_cfg("threads=3", "horizon=2020", "policy_start=2020")
    model = LBNModel(cfg, load_wards(cfg.data)[0])
    assert model.threads == 3
