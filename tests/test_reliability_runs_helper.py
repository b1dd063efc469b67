"""Run ``python -m lbn_sim`` with one function patched to send this process a signal at an
exact moment (used by tests/test_reliability_runs.py): ``python HELPER WHAT [overrides]``.

- ``int_in_headline``: SIGINT while the headline is worked out (the results are written).
- ``term_in_staging_of_job_1``: SIGTERM while sweep job 1's tables are half-written in
  its staging folder (the ward table is written; provenance.json is being written).
- ``int_in_compose``: SIGINT while Hydra composes the config (a stop raised inside
  OmegaConf once came out as another error, exit 1).
- ``int_in_job_check``: SIGINT while a sweep's jobs are being checked (after the first).
"""

from __future__ import annotations

import os
import runpy
import signal
import sys
import time
from pathlib import Path
from typing import Any

from lbn_sim.runs import runner


def int_in_headline() -> None:
    real = runner.headline

    def headline(*args: Any) -> str:
        # To this thread (the main one), not the process: a process-directed signal may be
        # taken by another thread of the run, and the main thread's sleep then runs on.
        signal.raise_signal(signal.SIGINT)
        time.sleep(2.0)  # the handler runs by here
        return real(*args)

    runner.headline = headline


def term_in_staging_of_job_1() -> None:
    real = runner.write_provenance

    def write_provenance(path: Path, *args: Any) -> None:
        # sweep/<job 1's folder, named from its overrides: ...,seed=1>/.staging-x/provenance.json
        if path.parent.parent.name.endswith(",seed=1"):
            assert (path.parent / "wards.parquet").exists()
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(2.0)
        real(path, *args)

    runner.write_provenance = write_provenance


def int_in_compose() -> None:
    from hydra._internal.hydra import Hydra

    real = Hydra.compose_config

    def compose_config(self: Any, *args: Any, **kwargs: Any) -> Any:
        signal.raise_signal(signal.SIGINT)  # arrives while Hydra composes
        # Held, not raised here (where it would land inside OmegaConf's work): say so.
        print("helper: the composing went on", file=sys.stderr, flush=True)
        return real(self, *args, **kwargs)

    Hydra.compose_config = compose_config  # type: ignore[method-assign]


def int_in_job_check() -> None:
    from lbn_sim.runs import sweep

    real = sweep.refuse_params_with_draw
    calls = []

    def refuse(*args: Any) -> None:
        calls.append(1)
        if len(calls) == 2:  # the second job's config is being checked
            signal.raise_signal(signal.SIGINT)
        real(*args)

    sweep.refuse_params_with_draw = refuse


if __name__ == "__main__":
    what = sys.argv.pop(1)
    {
        "int_in_headline": int_in_headline,
        "term_in_staging_of_job_1": term_in_staging_of_job_1,
        "int_in_compose": int_in_compose,
        "int_in_job_check": int_in_job_check,
    }[what]()
    runpy.run_module("lbn_sim", run_name="__main__", alter_sys=True)
