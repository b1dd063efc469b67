"""An ensemble's progress is reported as each batch ends, not when the last one does."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from lbn_sim.runs.ensemble import as_they_end, batch_lines


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


def test_a_batchs_members_share_one_estimate_of_the_time_left() -> None:
    # Three members of 600 written, 60 s in: 597 left at 20 s each is 3 h 19 min, for every
    # line of the batch (not 5 h 49 min, 2 h 54 min, 1 h 56 min, as per line).
    lines = batch_lines([(0, 30.0), (1, 15.0), (2, 15.0)], 0, 600, 600, 60.0)
    assert lines == [
        f"[{k}/600] member {k - 1} of 600 written ({s} s); 1 min 0 s so far, about 3 h 19 min left"
        for k, s in ((1, "30.0"), (2, "15.0"), (3, "15.0"))
    ]
    later = batch_lines([(5, 9.0)], 597, 600, 600, 3000.0)
    assert later[0].startswith("[598/600] member 5 of 600 written (9.0 s); 50 min 0 s so far")
    assert later[0].endswith("about 10 s left")
