"""A loaded run ready to speak: tokenizer, renderer and model (tuned or base), with streaming replies."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from simulacra.formats.render import renderer_for
from simulacra.schema import Turn


class Persona:
    """Everything needed to generate a run's speakers' turns; the model's `disable_adapter()` switches LoRA off."""

    def __init__(self, run_dir: Path, tuned: bool = True):
        from simulacra.models.load import load_base_model, load_tuned_model
        from simulacra.prepare.dataset import load_prepare_config, load_tokenizer

        self.run_dir = Path(run_dir)
        self.prepare_config = load_prepare_config(run_dir)
        self.tokenizer = load_tokenizer(run_dir)
        # The dataset's own style, personas and speaker tokens, so prompts look exactly like training.
        self.renderer = renderer_for(self.prepare_config, self.tokenizer)
        vocab = len(self.tokenizer)
        base = self.prepare_config.model
        self.model = load_tuned_model(run_dir, base, vocab) if tuned else load_base_model(base, vocab).eval()
        self.tuned = tuned

    def prompt(self, system_text: str | None, history: list[Turn], speaker: str) -> list[int]:
        """Prompt ids rendered exactly as in training: the dataset's style, personas and system text."""
        speakers = list(dict.fromkeys([t.speaker for t in history] + [speaker]))
        if self.prepare_config.system_prompt is None and self.prepare_config.style != "roles":
            system_text = None  # the style's own default (e.g. instruct's sentence, none for completion)
        return self.renderer.prompt(self.renderer.system_text(system_text, speakers), history, speaker)

    def reply(self, system_text: str | None, history: list[Turn], speaker: str, *, max_new_tokens: int = 96,
              temperature: float = 0.8, top_p: float = 0.9, repetition_penalty: float = 1.1, seed: int | None = 0,
              on_text: Callable[[str], None] | None = None) -> str:
        """Generate `speaker`'s next turn; stops at the end-of-turn token. `on_text` receives text as it streams."""
        import torch

        prompt = self.prompt(system_text, history, speaker)
        input_ids = torch.tensor([prompt], device=self.model.device)
        if seed is not None:
            torch.manual_seed(seed)
        streamer = _TurnStreamer(self.tokenizer, on_text) if on_text else None
        with torch.no_grad():
            output = self.model.generate(
                input_ids=input_ids, attention_mask=torch.ones_like(input_ids), max_new_tokens=max_new_tokens,
                do_sample=temperature > 0, temperature=temperature if temperature > 0 else None,
                top_p=top_p if temperature > 0 else None, repetition_penalty=repetition_penalty,
                eos_token_id=self.renderer.stop_token_id, pad_token_id=self.renderer.stop_token_id,
                streamer=streamer,
            )
        new = output[0, len(prompt):].tolist()
        if self.renderer.stop_token_id in new:
            new = new[:new.index(self.renderer.stop_token_id)]
        return self.tokenizer.decode(new, skip_special_tokens=True).strip()


class _TurnStreamer:
    """Decodes the growing reply and hands out only the new, complete characters (no half emoji)."""

    def __init__(self, tokenizer, on_text: Callable[[str], None]):
        self.tokenizer, self.on_text = tokenizer, on_text
        self.ids: list[int] = []
        self.sent = 0
        self.prompt_seen = False

    def put(self, value) -> None:
        if not self.prompt_seen:  # generate() first passes the prompt itself
            self.prompt_seen = True
            return
        self.ids += value.reshape(-1).tolist()
        text = self.tokenizer.decode(self.ids, skip_special_tokens=True)
        if text.endswith("\ufffd"):
            return
        if len(text) > self.sent:
            self.on_text(text[self.sent:])
            self.sent = len(text)

    def end(self) -> None:
        pass
