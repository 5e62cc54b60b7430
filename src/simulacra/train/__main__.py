"""`python -m simulacra.train CONFIG.yaml`: one training process (what the launchers start N of)."""

from __future__ import annotations

import sys
from pathlib import Path

from simulacra.config import build_config
from simulacra.train import TrainConfig, run

if __name__ == "__main__":
    run(build_config(TrainConfig, yaml_path=Path(sys.argv[1])))
