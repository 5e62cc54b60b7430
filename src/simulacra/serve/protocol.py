"""The OpenAI wire format: the request body, the error shape, response and chunk objects, and reply text
assembled token by token (never half a character, cut at stop strings)."""

from __future__ import annotations

import time
from typing import Literal

from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    role: Literal["system", "developer", "user", "assistant"]
    content: str | None = ""
    name: str | None = Field(None, min_length=1, max_length=64)


class ChatRequest(BaseModel):
    """The fields we honour; others (logprobs, tools...) are ignored the way many servers do."""

    model_config = ConfigDict(extra="ignore", strict=True)
    model: str
    messages: list[ChatMessage] = Field(min_length=1)
    temperature: float | None = Field(None, ge=0, le=2)
    top_p: float | None = Field(None, gt=0, le=1)
    max_tokens: int | None = Field(None, ge=1)
    max_completion_tokens: int | None = Field(None, ge=1)
    seed: int | None = None
    stop: str | list[str] | None = None
    n: int = Field(1, ge=1, le=4)
    stream: bool = False
    stream_options: dict | None = None
    # Our extension (the openai client sends it with extra_body): steering vectors made by `simulacra steer`,
    # as on the command line, e.g. ["happy:4"] or ["happy:4@-3", "formal:-2"]; they add up.
    steer: list[str] = Field(default_factory=list, max_length=8)

    def stops(self) -> list[str]:
        stops = [self.stop] if isinstance(self.stop, str) else list(self.stop or [])
        return [s for s in stops if s][:4]


def error(status: int, message: str, param: str | None = None, code: str | None = None,
          kind: str = "invalid_request_error", headers: dict | None = None) -> JSONResponse:
    """OpenAI's error body: {"error": {"message", "type", "param", "code"}}."""
    return JSONResponse({"error": {"message": message, "type": kind, "param": param, "code": code}},
                        status_code=status, headers=headers)


def validation_error(e: ValidationError) -> JSONResponse:
    first = e.errors()[0]
    param = ".".join(str(p) for p in first["loc"]) or None
    return error(400, f"{param}: {first['msg']}" if param else first["msg"], param=param)


def completion(rid: str, model: str, texts: list[str], reasons: list[str], speaker: str, usage: dict) -> dict:
    return {"id": rid, "object": "chat.completion", "created": int(time.time()), "model": model,
            "choices": [{"index": i, "message": {"role": "assistant", "content": t, "name": speaker},
                         "finish_reason": r, "logprobs": None} for i, (t, r) in enumerate(zip(texts, reasons))],
            "usage": usage}


def chunk(rid: str, model: str, index: int, delta: dict, reason: str | None = None) -> dict:
    return {"id": rid, "object": "chat.completion.chunk", "created": int(time.time()), "model": model,
            "choices": [{"index": index, "delta": delta, "finish_reason": reason, "logprobs": None}]}


def usage(prompt: int, completion_tokens: int) -> dict:
    return {"prompt_tokens": prompt, "completion_tokens": completion_tokens,
            "total_tokens": prompt + completion_tokens}


class ChoiceText:
    """One choice's reply as tokens arrive: `push` returns the new text that is safe to send (complete
    characters, no part of a possible stop string); `stopped` turns true when a stop string appears."""

    def __init__(self, decode, stops: list[str]):
        self.decode, self.stops = decode, stops
        self.ids: list[int] = []
        self.text, self.sent, self.stopped = "", 0, False

    def push(self, token: int) -> str:
        self.ids.append(token)
        text = self.decode(self.ids).lstrip()
        if text.endswith("\ufffd"):
            return ""  # half a character: wait for the rest
        cut = min((i for i in (text.find(s) for s in self.stops) if i >= 0), default=-1)
        if cut >= 0:
            text, self.stopped = text[:cut], True
        self.text = text
        safe = len(text) if self.stopped else len(text) - self._holdback(text)
        return self._take(safe)

    def flush(self) -> str:
        """What is left to send when the choice ends (trailing spaces dropped)."""
        self.text = self.text.rstrip()
        return self._take(len(self.text))

    def _take(self, upto: int) -> str:
        piece = self.text[self.sent:upto] if upto > self.sent else ""
        self.sent = max(self.sent, upto)
        return piece

    def _holdback(self, text: str) -> int:
        """Length of the longest end of `text` that could begin a stop string."""
        return max((k for s in self.stops for k in range(1, len(s)) if text.endswith(s[:k])), default=0)
