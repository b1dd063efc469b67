"""``python -m lbn_sim [overrides]``: run one future (or a sweep with ``-m``); see
:mod:`lbn_sim.runs.cli`.

Ctrl-C and SIGTERM are caught before anything heavy is imported (Hydra, the model), so a
stop at any moment ends cleanly: one line, no traceback, no folder left behind. Until the
run starts (imports, the scenario files' check), a stop ends the process at once, since
nothing is written yet: an exception raised inside a library's import can be caught and
reworded by the library (OmegaConf turned one into an ``AttributeError`` with a traceback),
so none is raised there.
"""

import os
import signal
import sys
from types import FrameType

from lbn_sim.folders import STOPS


def _stop_while_importing(signum: int, frame: FrameType | None) -> None:
    """Say so and end at once (``os.write``: a print could meet a write it interrupted)."""
    line = (
        f"lbn_sim: stopped by {signal.Signals(signum).name} before the run started; "
        "nothing was written\n"
    )
    os.write(2, line.encode())
    os._exit(128 + signum)


if __name__ == "__main__":
    for sig in STOPS:
        if signal.getsignal(sig) is not signal.SIG_IGN:  # an ignored signal stays ignored
            signal.signal(sig, _stop_while_importing)
    from lbn_sim.runs.cli import CONF_DIR, entry
    from lbn_sim.runs.yaml_errors import exit_on_broken_config

    exit_on_broken_config(sys.argv[1:], CONF_DIR)  # a broken YAML file: one line, exit 2
    entry()  # from here a stop raises Stopped (lbn_sim.folders.catch_stops), handled there
