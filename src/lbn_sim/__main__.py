"""``python -m lbn_sim [overrides]``: run one future (or a sweep with ``-m``); see
:mod:`lbn_sim.runs.cli`."""

from lbn_sim.runs.cli import main

if __name__ == "__main__":
    main()
