"""Re-launch the train stage as several data-parallel processes.

    simulacra train runs/ana --launcher torchrun --nproc 2
      -> python -m torch.distributed.run --standalone --nproc_per_node 2 -m simulacra.train <config.yaml>
    simulacra train runs/ana --launcher accelerate --set accelerate_config=fsdp
      -> accelerate launch --config_file configs/accelerate/fsdp.yaml --num_processes N -m simulacra.train ...

Every process runs `train.run` with `launcher: none`; the Trainer (through accelerate) sees
RANK/WORLD_SIZE, shards the data and averages gradients. On CPU, gloo is used and the two cores
are split between the processes. `accelerate launch --cpu` silently runs a single process on CPU,
so on a machine without a GPU the accelerate launcher falls back to torchrun (with a note).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from simulacra.errors import SimulacraError
from simulacra.io import write_yaml
from simulacra.rundir import RunDir
from simulacra.train.config import TrainConfig

CONFIGS = Path(__file__).resolve().parents[3] / "configs" / "accelerate"


def relaunch(config: TrainConfig) -> Path:
    worker = config.model_copy(update={"launcher": "none"})
    out = RunDir(config.run_dir).model
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out, prefix=".launch.") as tmp:
        cfg_path = Path(tmp) / "train.yaml"
        write_yaml(cfg_path, worker.dump())
        cmd = command(config, cfg_path)
        env = dict(os.environ)
        env.setdefault("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // config.nproc)))
        from simulacra.ui import console

        console.print("launching: " + " ".join(cmd), highlight=False)
        result = subprocess.run(cmd, env=env)
    if result.returncode != 0:
        raise SimulacraError(f"{config.launcher}: {config.nproc} training processes failed (exit {result.returncode})")
    return out


def command(config: TrainConfig, cfg_path: Path) -> list[str]:
    import torch

    entry = ["-m", "simulacra.train", str(cfg_path)]
    if config.launcher == "accelerate" and torch.cuda.is_available():
        accelerate_file = accelerate_config_path(config.accelerate_config)
        extra = ["--deepspeed_config_file", str(CONFIGS.parent / "deepspeed" / "zero3.json")] \
            if accelerate_file.stem.startswith("deepspeed") else []
        return [sys.executable, "-m", "accelerate.commands.launch", "--config_file", str(accelerate_file),
                "--num_processes", str(config.nproc), *extra, *entry]
    if config.launcher == "accelerate":
        from simulacra.ui import console

        console.print("[yellow]note:[/] no GPU: `accelerate launch --cpu` would run one process; using torchrun (gloo)")
    return [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", str(config.nproc), *entry]


def accelerate_config_path(name: str) -> Path:
    path = Path(name)
    if path.is_file():
        return path
    candidate = CONFIGS / f"{name}.yaml"
    if not candidate.is_file():
        known = ", ".join(sorted(p.stem for p in CONFIGS.glob("*.yaml")))
        raise SimulacraError(f"--set accelerate_config={name}: no such file or ready config ({known})")
    return candidate
