"""The machine the figures were measured on, and its speed at the two things the core leans on.

Printed beside every results table: software versions, processor, cores and
memory, and two measured rates: float32 uniforms drawn per second by one core
(numpy's PCG64, the generator the model uses) and bytes copied per second
(a large array copy, so memory bandwidth).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

import numpy as np


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float:
    try:
        pages = os.sysconf("SC_PHYS_PAGES")
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**30
    except (ValueError, OSError, AttributeError):
        return float("nan")


def _git(repo: Path, *args: str) -> str:
    try:
        out = subprocess.run(
            ["git", *args], cwd=repo, capture_output=True, text=True, timeout=10, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip()


def describe(repo: Path) -> dict[str, str]:
    """Software, hardware and source version, as text."""
    commit = _git(repo, "rev-parse", "--short", "HEAD")
    if commit and _git(repo, "status", "--porcelain", "--untracked-files=no"):
        commit += " (with uncommitted changes)"
    return {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "commit": commit or "unknown",
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "mesa": metadata.version("mesa"),
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "cores": str(os.cpu_count()),
        "memory": f"{_memory_gib():.1f} GiB",
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def _best(run: object, repeats: int) -> float:
    assert callable(run)
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - t0)
    return best


def calibrate(n: int = 8_000_000, repeats: int = 5) -> dict[str, float]:
    """Measured rates of this machine (one core, best of ``repeats``).

    Returns ``uniforms_per_s`` (float32 uniforms from PCG64), ``outputs_per_s``
    (raw 64-bit PCG64 outputs) and ``copy_gb_per_s`` (bytes copied per second, 10^9).
    """
    rng = np.random.default_rng(0)
    buf = np.empty(n, dtype=np.float32)
    uniforms = n / _best(lambda: rng.random(n, dtype=np.float32, out=buf), repeats)
    outputs = n / _best(lambda: rng.bit_generator.random_raw(n), repeats)
    src = np.ones(32 * n // 4, dtype=np.float32)  # 256 MB at the default n
    dst = np.empty_like(src)
    np.copyto(dst, src)
    copy = src.nbytes / _best(lambda: np.copyto(dst, src), repeats) / 1e9
    return {"uniforms_per_s": uniforms, "outputs_per_s": outputs, "copy_gb_per_s": copy}


def busy_cpu_seconds() -> float:
    """CPU seconds every process on the machine has used since it started (``/proc/stat``:
    all but idle and iowait; NaN where there is no ``/proc/stat``). The difference over a
    measurement, less the measuring process's own, is what other programs took meanwhile."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return float("nan")
    ticks = [int(x) for x in fields]
    busy = sum(ticks) - ticks[3] - ticks[4]  # (user nice system idle iowait irq ...)
    return busy / os.sysconf("SC_CLK_TCK")


def wait_quiet(timeout: float, busy_share: float = 0.1, window: float = 2.0) -> float:
    """Wait (up to ``timeout`` seconds) until the machine's cores are nearly idle: less than
    ``busy_share`` of all cores busy over ``window`` seconds. Returns that share at the end
    (measuring on a shared machine: a threaded run needs the other cores free)."""
    cores = os.cpu_count() or 1
    end = time.monotonic() + timeout
    while True:
        before = busy_cpu_seconds()
        time.sleep(window)
        share = (busy_cpu_seconds() - before) / (window * cores)
        if share < busy_share or time.monotonic() > end:
            return share
