"""An ensemble's progress is reported as each batch ends, not when the last one does."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from lbn_sim.runs.ensemble import as_they_end


def test_each_result_is_reported_before_a_later_batch_ends() -> None:
    # The second task waits for the first one's report: waiting for every task before
    # reporting (the old loop) would leave it waiting out its timeout.
    first_reported = threading.Event()
    reports: list[str] = []

    def report(result: str) -> None:
        reports.append(result)
        if result == "first":
            first_reported.set()

    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [
            pool.submit(lambda: "first"),
            pool.submit(lambda: "second" if first_reported.wait(10) else "second, unreported"),
        ]
        as_they_end(futures, report)
    assert reports == ["first", "second"]


def test_a_failed_batch_is_raised_without_waiting_for_the_rest() -> None:
    release = threading.Event()

    def fail() -> str:
        raise RuntimeError("member 3 failed")

    with ThreadPoolExecutor(max_workers=2) as pool:
        slow = pool.submit(lambda: "slow" if release.wait(10) else "timed out")
        futures = [slow, pool.submit(fail)]
        with pytest.raises(RuntimeError, match="member 3 failed"):
            as_they_end(futures, lambda result: None)
        assert not slow.done()
        release.set()
