"""Activation steering: a direction in a decoder layer's output, read from contrast prompts and added back.

    vector = weighted mean of the layer's last-token states over {"i feel happy": 0.25, "i feel sad": -0.25, ...}
    generate with   layer output += strength * vector        (several vectors add up)

The same decoder layer is read when building and written when applying, so the vector lives exactly
where it is added. Layers are counted from the last (-1 is the last decoder layer), as repeng does.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass, field
from typing import Iterator


@dataclass
class SteeringVector:
    """A named direction at one decoder layer, with what made it and the base model it belongs to."""

    name: str
    layer: int
    vector: object  # a 1-D float32 torch tensor, hidden size long
    base_fingerprint: str
    prompts: dict[str, float] = field(default_factory=dict)


def decoder_layers(model):
    """The list of decoder blocks of a causal LM, under any PEFT wrapper (Llama, Qwen2, Mistral, Gemma...)."""
    inner = model.get_base_model() if hasattr(model, "get_base_model") else model
    for path in ("model.layers", "model.decoder.layers", "transformer.h", "gpt_neox.layers"):
        obj = inner
        try:
            for attr in path.split("."):
                obj = getattr(obj, attr)
            return obj
        except AttributeError:
            continue
    raise ValueError(f"{type(inner).__name__}: cannot find its decoder layers to steer")


def layer_index(model, layer: int) -> int:
    layers = decoder_layers(model)
    if not -len(layers) <= layer < len(layers):
        raise ValueError(f"layer {layer}: the model has {len(layers)} decoder layers (use -1 … -{len(layers)})")
    return layer % len(layers)


def fingerprint(model) -> str:
    """Identifies the base weights a vector was read from: architecture sizes plus a hash of some embedding rows."""
    emb = model.get_input_embeddings().weight
    h = hashlib.sha256(f"{type(model).__name__}/{emb.shape[1]}/{len(decoder_layers(model))}".encode())
    h.update(emb[:64].detach().float().cpu().numpy().tobytes())
    return h.hexdigest()[:16]


def _hidden(output):
    return output[0] if isinstance(output, tuple) else output


class _Enough(Exception):
    """Raised by a reading hook once its layer ran: the layers above it and the LM head are not needed."""


def run_until(model, block, ids, attention) -> object:
    """The output of decoder block `block` for this batch, stopping the forward pass right after it."""
    import torch

    seen: list = []

    def hook(_module, _inputs, output):
        seen.append(_hidden(output))
        raise _Enough

    handle = block.register_forward_hook(hook)
    try:
        with torch.no_grad():
            model(input_ids=ids, attention_mask=attention)
    except _Enough:
        pass
    finally:
        handle.remove()
    return seen[0]


def read_states(model, prompts: list[list[int]], layer: int, pad_id: int, batch_size: int = 8):
    """The output of decoder layer `layer` at each prompt's last token (prompts × hidden, float32)."""
    import torch

    from simulacra.engine.scoring import pad_left

    states: list = []
    block = decoder_layers(model)[layer_index(model, layer)]
    model.eval()
    for start in range(0, len(prompts), batch_size):
        ids, attention = pad_left(prompts[start:start + batch_size], pad_id)
        out = run_until(model, block, ids.to(model.device), attention.to(model.device))
        states.append(out[:, -1].detach().float().cpu())
    return torch.cat(states)


def weighted_direction(states, weights: list[float]):
    """sum_i w_i * state_i, normalised by sum |w_i| (with ±0.25 weights: the difference of the two means / 2)."""
    import torch

    w = torch.tensor(weights, dtype=torch.float32)[:, None]
    return (w * states).sum(0) / w.abs().sum().clamp(min=1e-9)


@contextlib.contextmanager
def steered(model, vectors: list[tuple[SteeringVector, float]]) -> Iterator[None]:
    """Add strength × vector to each named layer's output while generating; hooks are removed afterwards."""
    hooks = []
    by_layer: dict[int, object] = {}
    for vec, strength in vectors:
        index = layer_index(model, vec.layer)
        delta = vec.vector.to(model.device, model.dtype) * strength
        by_layer[index] = by_layer[index] + delta if index in by_layer else delta

    def add(delta):
        def hook(_module, _inputs, output):
            if isinstance(output, tuple):
                return (output[0] + delta,) + tuple(output[1:])
            return output + delta
        return hook

    layers = decoder_layers(model)
    try:
        for index, delta in by_layer.items():
            hooks.append(layers[index].register_forward_hook(add(delta)))
        yield
    finally:
        for h in hooks:
            h.remove()


def save_vector(folder, vec: SteeringVector) -> None:
    """NAME.safetensors (the vector) and NAME.json (layer, base fingerprint, prompts), each renamed into place."""
    import os
    import tempfile
    from pathlib import Path

    from safetensors.torch import save_file

    from simulacra.io import write_json

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{vec.name}.", suffix=".tmp")
    os.close(fd)
    save_file({"vector": vec.vector.contiguous()}, tmp)
    os.replace(tmp, folder / f"{vec.name}.safetensors")
    write_json(folder / f"{vec.name}.json", {"name": vec.name, "layer": vec.layer, "prompts": vec.prompts,
                                            "base_fingerprint": vec.base_fingerprint})


def saved_vectors(folder) -> list[str]:
    """Names of the vectors saved in `folder` (NAME.json beside NAME.safetensors; not NAME.measure.json)."""
    from pathlib import Path

    folder = Path(folder)
    return sorted(p.stem for p in folder.glob("*.safetensors") if (folder / f"{p.stem}.json").is_file())


def load_vector(folder, name: str, expected_fingerprint: str | None = None) -> SteeringVector:
    """A saved vector; a clear error when it is missing or was read from other base weights."""
    from pathlib import Path

    from safetensors.torch import load_file

    from simulacra.errors import SimulacraError
    from simulacra.io import read_json

    folder = Path(folder)
    meta_path = folder / f"{name}.json"
    if not meta_path.is_file():
        known = saved_vectors(folder)
        raise SimulacraError(f"--steer {name!r}: no vector {meta_path} (run `simulacra steer RUN {name} --toward "
                             f"... --away ...` first; saved: {', '.join(known) or 'none'})")
    meta = read_json(meta_path)
    if expected_fingerprint and meta["base_fingerprint"] != expected_fingerprint:
        raise SimulacraError(f"--steer {name!r}: {meta_path} was read from other base weights "
                             f"({meta['base_fingerprint']}, this model is {expected_fingerprint}); build it again")
    vector = load_file(str(folder / f"{name}.safetensors"))["vector"]
    return SteeringVector(name, int(meta["layer"]), vector, meta["base_fingerprint"], dict(meta.get("prompts") or {}))


def parse_steer(spec: str) -> tuple[str, float, int | None]:
    """'happy:4' -> ('happy', 4.0, None); 'happy' -> ('happy', 1.0, None); 'happy:4@-3' -> ('happy', 4.0, -3):
    an optional @LAYER adds the vector at another decoder layer (counted from the last) than it was read at."""
    from simulacra.errors import SimulacraError

    spec, at, layer_text = spec.partition("@")
    layer = None
    if at:
        try:
            layer = int(layer_text)
        except ValueError:
            raise SimulacraError(f"--steer {spec}@{layer_text}: expected NAME:STRENGTH@LAYER with LAYER a "
                                 "negative integer, e.g. happy:4@-3") from None
    name, sep, value = spec.rpartition(":")
    if not sep:
        return spec, 1.0, layer
    try:
        return name, float(value), layer
    except ValueError:
        raise SimulacraError(f"--steer {spec!r}: expected NAME:STRENGTH, e.g. happy:4") from None
