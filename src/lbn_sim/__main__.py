"""``python -m lbn_sim [overrides]``: run one future (or a sweep with ``-m``) with Hydra."""

from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from lbn_sim.config import ConfigError, register_configs, to_config

CONF_DIR = str(Path(__file__).resolve().parents[2] / "conf")

register_configs()


def _discard(run_dir: Path) -> None:
    """Remove a run directory that holds no results (only Hydra's own files)."""
    results = [p for p in run_dir.iterdir() if p.name not in (".hydra", "__main__.log")]
    if not results:
        shutil.rmtree(run_dir, ignore_errors=True)


@hydra.main(version_base="1.3", config_path=CONF_DIR, config_name="config")
def main(dcfg: DictConfig) -> None:
    """Validate the config, run the scenario, write results, print the headline."""
    from lbn_sim.data.files import DataError
    from lbn_sim.runner import headline, simulate, write

    logging.getLogger("MESA").setLevel(logging.WARNING)  # Mesa logs every step at INFO
    run_dir = Path(HydraConfig.get().runtime.output_dir)
    try:
        cfg = to_config(dcfg)
        result = simulate(cfg, progress=True)
    except (ConfigError, DataError) as err:
        _discard(run_dir)
        print(f"lbn_sim: error: {err}", file=sys.stderr)
        sys.exit(2)
    write(result, cfg, run_dir)
    print(headline(result, cfg))
    print(f"Results in {run_dir} ({result.seconds:.1f} s)")


if __name__ == "__main__":
    main()
