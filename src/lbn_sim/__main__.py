"""``python -m lbn_sim [overrides]``: run one future (or a sweep with ``-m``); see
:mod:`lbn_sim.runs.cli`.

Ctrl-C and SIGTERM are caught before anything heavy is imported (Hydra, the model), so a
stop at any moment ends cleanly: one line, no traceback, no folder left behind.
"""

import signal
import sys

from lbn_sim.folders import Stopped, catch_stops

if __name__ == "__main__":
    catch_stops()
    try:
        from lbn_sim.runs.cli import CONF_DIR, entry
        from lbn_sim.runs.yaml_errors import exit_on_broken_config

        exit_on_broken_config(sys.argv[1:], CONF_DIR)  # a broken YAML file: one line, exit 2
    except (Stopped, KeyboardInterrupt) as stop:
        signum = stop.signum if isinstance(stop, Stopped) else int(signal.SIGINT)
        print(
            f"lbn_sim: stopped by {signal.Signals(signum).name} before the run started; "
            "nothing was written",
            file=sys.stderr,
        )
        sys.exit(128 + signum)
    entry()
