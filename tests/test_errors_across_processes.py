"""Errors that name a file survive the trip back from a worker process whole (a pool
pickles what its task raised; an error rebuilt from the wrong arguments arrives as a
broken pool instead)."""

from __future__ import annotations

import pickle
from pathlib import Path

from lbn_sim.bad_files import BadFile
from lbn_sim.data.files import ChecksumError


def test_a_bad_file_error_pickles_as_itself() -> None:
    err = BadFile(Path("/runs/seed=1/groups.parquet"), "is cut short")
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is BadFile
    assert (back.path, back.problem, str(back)) == (err.path, err.problem, str(err))


def test_a_checksum_error_pickles_as_itself() -> None:
    err = ChecksumError("imd2019.rda", "ab" * 32, "cd" * 32, "the data folder", "Fetch it again.")
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is ChecksumError
    assert (back.name, back.expected, back.actual, back.where, back.fix) == (
        err.name,
        err.expected,
        err.actual,
        err.where,
        err.fix,
    )
    assert str(back) == str(err)
