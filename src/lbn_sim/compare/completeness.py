"""Sweeps whose jobs did not all leave results (a job failed, or the machine went down)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from lbn_sim.compare.runs import CompareRefusal, RunInfo, natural_key
from lbn_sim.runs.sweep import MULTIRUN_FILE, job_key, sweep_jobs

Log = Callable[[str], None]


def missing_jobs(sweep_dir: Path, runs: Sequence[RunInfo]) -> list[tuple[int, tuple[str, ...]]]:
    """The jobs of the sweep in ``sweep_dir`` that have no run among ``runs``.

    A sweep that stopped part-way (a job failed, or the machine went down) has
    fewer runs than its ``multirun.yaml`` lists. Only runs inside ``sweep_dir``
    count, and a job counts as present when a run's overrides are the job's, as
    Hydra reads them (:func:`lbn_sim.runs.sweep.job_key`: a job rerun by hand with
    ``plots=false`` matches the sweep's ``plots=False``). Returns ``(job number,
    overrides)`` pairs; empty when the sweep is complete or its jobs cannot be
    listed (not a sweep's root, a sweeper other than the basic one, or a ``glob``).
    """
    jobs = sweep_jobs(sweep_dir)
    if jobs is None:
        return []
    root = Path(sweep_dir).resolve()
    inside = [run.overrides for run in runs if root in run.path.resolve().parents]
    # A run whose overrides are its job's, word for word (as Hydra and the ensemble store
    # write them), is matched without parsing (Hydra's parser takes about 5 ms an override
    # list: half a minute over a 600-run store); only the rest are read as Hydra reads them.
    written = set(inside)
    unmatched = [(num, job) for num, job in enumerate(jobs) if tuple(job) not in written]
    if not unmatched:
        return []
    present = {job_key(overrides) for overrides in inside}
    return [(num, job) for num, job in unmatched if job_key(job) not in present]


def sweep_roots(dirs: Iterable[Path]) -> list[Path]:
    """Every sweep root (a folder holding ``multirun.yaml``) at or under ``dirs``, sorted."""
    found: set[Path] = set()
    for root in dirs:
        for marker in [Path(root) / MULTIRUN_FILE, *Path(root).rglob(MULTIRUN_FILE)]:
            if marker.is_file():
                found.add(marker.parent.resolve())
    return sorted(found, key=natural_key)


def check_complete(
    dirs: Sequence[Path], runs: Sequence[RunInfo], allow_incomplete: bool, log: Log
) -> list[str]:
    """Refuse (or, if ``allow_incomplete``, warn about) each sweep missing some jobs' results.

    Returns one sentence per incomplete sweep allowed, for the report.
    """
    notes: list[str] = []
    for sweep in sweep_roots(dirs):
        missing = missing_jobs(sweep, runs)
        if not missing:
            continue
        total = len(sweep_jobs(sweep) or ())
        listed = "; ".join(f"job {num}: {' '.join(job)}" for num, job in missing[:5])
        more = f"; and {len(missing) - 5} more" if len(missing) > 5 else ""
        what = f"the sweep {sweep} has results for {total - len(missing)} of its {total} jobs"
        if not allow_incomplete:
            raise CompareRefusal(
                f"{what} (missing {listed}{more}); rerun each missing job with "
                f"'python -m lbn_sim <its overrides> hydra.run.dir={sweep}/<its folder>' (a "
                "job's folder is its overrides, sorted and joined by commas, for example "
                "scenario=base_case,seed=1), or pass --allow-incomplete to compare the runs that "
                "finished"
            )
        log(f"warning: {what}; comparing those (missing {listed}{more})")
        notes.append(f"Incomplete: {what}; the missing {_plural_jobs(len(missing))} left out.")
    return notes


def _plural_jobs(n: int) -> str:
    return "job is" if n == 1 else f"{n} jobs are"
