"""The model card (README.md) of a hub-ready folder: YAML metadata, training settings, results, warnings.

The metadata block is what model hubs read (base_model, library_name, tags); the license is left for
the user to fill in, because only they know what they may publish.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from simulacra.io import read_json
from simulacra.rundir import RunDir

EMBEDDED_HUB_ID = "HuggingFaceTB/SmolLM2-135M-Instruct"  # the embedded model, from its Q4_1 GGUF
SETTINGS = ("method", "lora_r", "lora_alpha", "learning_rate", "epochs", "max_steps", "batch_size", "grad_accum",
            "seed", "quantization")


def hub_base_id(base: str) -> str | None:
    """The base model's hub id, or None when it is a local folder the user must name."""
    if base == "smollm2-135m":
        return EMBEDDED_HUB_ID
    return None if Path(base).exists() or base.startswith(("/", ".", "~")) else base


def front_matter(base: str, weights: str, style: str) -> str:
    hub_id = hub_base_id(base)
    meta = {"base_model": hub_id or "FILL-IN (the hub id of your base model)",
            "library_name": "peft" if weights == "adapter" else "transformers",
            "tags": ["simulacra", "persona", "chat", f"prompt-style-{style}"] + (["lora"] if weights == "adapter" else []),
            "pipeline_tag": "text-generation"}
    body = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
    return f"---\n{body}license: # FILL IN before uploading (see your base model's license)\n---\n"


def _training_settings(run_dir: Path) -> list[str]:
    path = RunDir(run_dir).train_config
    if not path.is_file():
        return ["(no model/config.yaml in the run)"]
    saved = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    rows = [f"| {k} | {saved[k]} |" for k in SETTINGS if k in saved]
    return ["| setting | value |", "|---|---|", *rows]


def _fmt(value, fmt: str) -> str:
    try:
        return fmt.format(value) if value is not None else "–"
    except (ValueError, TypeError):
        return str(value)


def _evaluation(report: dict | None) -> list[str]:
    if not report or not report.get("headline"):
        return ["Not evaluated yet (`simulacra evaluate RUN` writes report/report.json)."]
    lines = ["| metric | base | tuned | real person |", "|---|---|---|---|"]
    for row in report["headline"]:
        f = row.get("fmt", "{:.3f}")
        lines.append(f"| {row['metric']} | {_fmt(row.get('base'), f)} | {_fmt(row.get('tuned'), f)} "
                     f"| {_fmt(row.get('real'), f)} |")
    return lines


def _memorisation(report: dict | None) -> list[str]:
    audit = (report or {}).get("memorisation")
    if not audit:
        return ["The memorisation audit was not run (`simulacra evaluate RUN --memorisation`). Run it before "
                "sharing this model."]
    lines = ["| model | split | turns | exact | near-verbatim |", "|---|---|---|---|---|"]
    for side in ("tuned", "base"):
        for split, r in (audit.get(side) or {}).items():
            lines.append(f"| {side} | {split} | {r.get('n')} | {_fmt(r.get('exact'), '{:.1%}')} "
                         f"| {_fmt(r.get('near'), '{:.1%}')} |")
    leaked = (audit.get("pii") or {}).get("leaked_values")
    lines.append(f"\nPersonal details in generated text that also occur in the training chats: **{leaked}**.")
    return lines


# Where a template's text, tokenized whole, has other token boundaries than training (tests/formats pin both)
STYLE_NOTES = {
    "segments": " Tokenized as one string, the text has other token boundaries than in training: `Name: text` "
                "gives `:` `Ġtext` where training has `:` `Ġ` `text`, and the blank line after the system text "
                "is two newline tokens where training has one.",
    "completion": " With a system text, the blank line after it is two newline tokens where training has one.",
}


def model_card(run_dir: Path, merged, weights: str, names) -> str:
    """README.md for the folder: metadata, warning, usage, settings, results, how to upload."""
    report_path = RunDir(run_dir).report / "report.json"
    report = read_json(report_path) if report_path.is_file() else None
    prep = merged.prep
    load = ("from peft import AutoPeftModelForCausalLM\nmodel = AutoPeftModelForCausalLM.from_pretrained(FOLDER)"
            if weights == "adapter" else
            "from transformers import AutoModelForCausalLM\nmodel = AutoModelForCausalLM.from_pretrained(FOLDER)")
    parts = [
        front_matter(merged.base, weights, prep.style),
        f"# {names.persona} (a Simulacra persona)\n",
        "> **Warning: this model was trained on private chat messages.** It can repeat things the people in "
        "those chats wrote, including personal details. Publish it only with the consent of everyone in the "
        "chats, and prefer a private repository.\n",
        f"A {'LoRA adapter' if weights == 'adapter' else 'fine-tuned model'} on `{merged.base}` that writes "
        f"{names.persona}'s next message in a chat with {names.user} (prompt style `{prep.style}`). The tokenizer's "
        "chat template renders OpenAI-style messages exactly like the training prompt: the assistant is "
        f"{names.persona}, the user is {names.user}, and consecutive messages of one side become one turn."
        f"{STYLE_NOTES.get(prep.style, '')}\n",
        "## Use\n", f"```python\n{load}\nfrom transformers import AutoTokenizer\n"
        "tok = AutoTokenizer.from_pretrained(FOLDER)\n"
        "ids = tok.apply_chat_template([{\"role\": \"user\", \"content\": \"where are you?\"}],\n"
        "                              add_generation_prompt=True, return_tensors=\"pt\")\n```\n",
        "## llama.cpp, LM Studio, Ollama\n",
        "`simulacra export RUN --format gguf --quant f16|q8_0` writes one GGUF with the same chat template, the "
        "end of turn as EOS and every special token whole (`--format ollama` adds a Modelfile). On small models "
        "prefer f16: on SmolLM2-135M it keeps the merged model's next token on 99.9 % of positions, q8_0 on 98.3 %. "
        "Leave the repetition penalty at 1.0 there (the Modelfile does): llama.cpp and Ollama penalise the prompt's "
        "last tokens too, the previous turn and its end of turn among them, which makes replies run on and loop; "
        "Simulacra's own engines penalise only the reply's tokens (1.1).\n",
        "## Training settings\n", *_training_settings(run_dir), "",
        "## Evaluation (held-out turns)\n", *_evaluation(report), "",
        "## Memorisation audit\n", *_memorisation(report), "",
        "## Uploading (your step; nothing is uploaded automatically)\n",
        "Fill in `license` above, read the card once more, then:\n",
        "```bash\nhuggingface-cli upload --private YOUR_NAME/MODEL_NAME FOLDER .\n```\n",
    ]
    return "\n".join(parts)
