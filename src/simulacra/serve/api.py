"""The FastAPI app: /v1/models, /v1/chat/completions (streamed or not), /health and the page at /.

No route reads a path from the request: the page is one file read from the package at start-up.
"""

from __future__ import annotations

import asyncio
import hmac
import threading
import time
import uuid
from importlib import resources
from pathlib import Path

import orjson
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException

from simulacra.engine.sampling import Sampling
from simulacra.serve.batching import BatchWorker, Job
from simulacra.formats.messages import ChatNames, to_turns
from simulacra.serve.personas import Served
from simulacra.serve.protocol import ChatRequest, ChoiceText, chunk, completion, error, usage, validation_error

DEFAULT_MAX_TOKENS = 128
MAX_HEADER_BYTES = 16 * 1024
PAGE_HEADERS = {"Content-Security-Policy": "default-src 'self'; script-src 'unsafe-inline'; "
                "style-src 'unsafe-inline'; img-src data:", "X-Content-Type-Options": "nosniff"}


def build_app(served: dict[str, Served], worker: BatchWorker, api_key: str | None = None,
              cors_origins: list[str] | None = None, log_chats: Path | None = None,
              max_body_bytes: int = 1_000_000) -> FastAPI:
    app = FastAPI(title="simulacra", docs_url=None, redoc_url=None, openapi_url=None)
    page = resources.files("simulacra.serve").joinpath("page.html").read_text(encoding="utf-8")
    log_lock = threading.Lock()
    if cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])

    @app.middleware("http")
    async def guard(request: Request, call_next):
        # h11 only caps headers that arrive in pieces; this caps them however they arrive.
        if sum(len(k) + len(v) for k, v in request.scope["headers"]) > MAX_HEADER_BYTES:
            return error(431, f"request headers over {MAX_HEADER_BYTES} bytes", code="headers_too_large")
        # The page itself carries no data; everything it fetches needs the key.
        if api_key and not (request.url.path == "/" and request.method == "GET") and request.method != "OPTIONS":
            given = request.headers.get("authorization", "")
            if not hmac.compare_digest(given.encode(), f"Bearer {api_key}".encode()):
                return error(401, "missing or wrong API key (send Authorization: Bearer KEY)",
                             kind="authentication_error", code="invalid_api_key")
        return await call_next(request)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        return error(exc.status_code, str(exc.detail), code="not_found" if exc.status_code == 404 else None)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception):
        return error(500, f"generation failed: {exc}", kind="server_error")

    @app.get("/", response_class=HTMLResponse)
    async def index():
        return HTMLResponse(page, headers=PAGE_HEADERS)

    @app.get("/health")
    async def health():
        return {"status": "ok", "models": list(served)}

    @app.get("/v1/models")
    async def models():
        return {"object": "list", "data": [s.describe() for s in served.values()]}

    @app.post("/v1/chat/completions")
    async def chat_completions(request: Request):
        body = await _read_body(request, max_body_bytes)
        if isinstance(body, Response):
            return body
        try:
            req = ChatRequest.model_validate(orjson.loads(body))
        except orjson.JSONDecodeError as e:
            return error(400, f"malformed JSON body: {e}")
        except ValidationError as e:
            return validation_error(e)
        model = served.get(req.model)
        if model is None:
            return error(404, f"model {req.model!r} does not exist (GET /v1/models lists them)", param="model",
                         code="model_not_found")
        prompt, problem = _prompt(model, req)
        if problem:
            return problem
        steering, problem = _steering(model, req)
        if problem:
            return problem
        wanted = req.max_tokens or req.max_completion_tokens or DEFAULT_MAX_TOKENS
        given = {k: v for k, v in (("temperature", req.temperature), ("top_p", req.top_p)) if v is not None}
        sampling = Sampling(max_new_tokens=min(wanted, model.context - len(prompt)), seed=req.seed,
                            batch_size=req.n, **given)  # what the request leaves out: the engine's defaults
        log = (lambda texts: _log(log_chats, log_lock, req, texts)) if log_chats else None
        run = _Run(model, req, prompt, sampling, log, steering)
        if worker.stopped:
            return error(503, "the server is shutting down", kind="server_error", headers={"Retry-After": "5"})
        if not worker.submit(run.job):
            return error(429, "the server is busy; retry shortly", kind="rate_limit_error", code="overloaded",
                         headers={"Retry-After": "1"})
        if req.stream:
            return StreamingResponse(run.sse(), media_type="text/event-stream",
                                     headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        texts, reasons = await run.collect()
        return JSONResponse(completion(run.rid, req.model, texts, reasons, model.speaker, run.usage()))

    app.state.served, app.state.worker = served, worker
    return app


def _prompt(model: Served, req: ChatRequest):
    """The prompt ids as training rendered them, or a 400 when they leave no room in the context.

    The persona is the assistant; a user message is the chat's other person unless its `name` says who (in
    group chats, any member), and so is an assistant message's `name`. Bursts merge as prepare merged them;
    `system` messages add lines to the persona's system text."""
    messages = [m.model_dump() for m in req.messages]
    for m in messages:
        m["role"] = "system" if m["role"] == "developer" else m["role"]
    extra, history = to_turns(messages, ChatNames(model.speaker, model.user, None), assistant_names=True, clean=True)
    persona = model.persona
    base = persona.spec.system_prompt or _default_system([t.speaker for t in history] + [model.speaker])
    prompt = persona.prompt("\n".join(filter(None, (base, extra))) or None, history, model.speaker)
    if len(prompt) >= model.context:
        return None, error(400, f"messages: the prompt is {len(prompt)} tokens; this model's context is "
                                f"{model.context}", param="messages", code="context_length_exceeded")
    return prompt, None


def _steering(model: Served, req: ChatRequest):
    """The request's `steer` vectors, loaded as chat loads them (Persona.steering_vectors), or a 400 naming the
    problem. Steering needs the torch backend's forward hooks."""
    if not req.steer:
        return [], None
    persona = model.persona
    if getattr(persona.backend, "name", None) != "torch":
        return None, error(400, f"steer: model {req.model!r} runs on {persona.backend.name}, which cannot steer; "
                                "start the server with --engine torch", param="steer", code="steering_unsupported")
    from simulacra.engine.steering import parse_steer, saved_vectors
    from simulacra.errors import SimulacraError

    known = saved_vectors(persona.run.steering)
    try:
        for spec in req.steer:
            name = parse_steer(spec)[0]
            if name not in known:
                return None, error(400, f"steer: model {req.model!r} has no steering vector {name!r} (available: "
                                        f"{', '.join(known) or 'none'}; build one with `simulacra steer RUN {name} "
                                        "--toward ... --away ...`)", param="steer", code="steering_vector_not_found")
        return persona.steering_vectors(req.steer), None
    except SimulacraError as e:
        return None, error(400, str(e).replace("--steer ", "steer: ", 1), param="steer")


def _default_system(speakers: list[str]) -> str:
    from simulacra.formats.render import default_system_prompt

    return default_system_prompt(list(dict.fromkeys(speakers)))


async def _read_body(request: Request, limit: int) -> bytes | Response:
    too_big = error(413, f"request body over {limit} bytes", code="body_too_large")
    declared = request.headers.get("content-length")
    if declared and (not declared.isdigit() or int(declared) > limit):
        return too_big
    parts, size = [], 0
    async for part in request.stream():
        size += len(part)
        if size > limit:
            return too_big
        parts.append(part)
    return b"".join(parts)


def _log(path: Path, lock: threading.Lock, req: ChatRequest, texts: list[str]) -> None:
    line = orjson.dumps({"time": time.time(), "model": req.model, "messages": [m.model_dump() for m in req.messages],
                         "replies": texts}) + b"\n"
    with lock, open(path, "ab") as f:
        f.write(line)


class _Run:
    """One request in flight: its job on the worker, and its choices' text as tokens come back."""

    def __init__(self, model: Served, req: ChatRequest, prompt: list[int], sampling: Sampling, log=None,
                 steering: list | None = None):
        self.log = log
        self.rid, self.model, self.req, self.prompt = f"chatcmpl-{uuid.uuid4().hex[:24]}", model, req, prompt
        loop, self.events = asyncio.get_running_loop(), asyncio.Queue()
        decode = lambda ids: model.persona.tokenizer.decode(ids, skip_special_tokens=True)  # noqa: E731
        self.choices = [ChoiceText(decode, req.stops()) for _ in range(req.n)]
        put = lambda item: loop.call_soon_threadsafe(self.events.put_nowait, item)  # noqa: E731
        self.job = Job(model.persona.backend, prompt, sampling, n=req.n, steering=steering or [],
                       on_token=lambda c, t: put((c, t, None)), on_done=lambda c, r: put((c, None, r)))

    async def events_until_done(self):
        """(choice, text piece, finish reason or None) until every choice has finished."""
        left = self.req.n
        while left:
            c, token, reason = await self.events.get()
            text = self.choices[c]
            if token is not None:
                if text.stopped:
                    continue
                piece = text.push(token)
                if text.stopped:
                    self.job.cancelled[c] = True  # tell the worker this row needs no more tokens
                yield c, piece, None
            else:
                left -= 1
                if reason.startswith("error"):
                    raise RuntimeError(reason)
                yield c, text.flush(), "stop" if text.stopped else reason

    async def collect(self) -> tuple[list[str], list[str]]:
        reasons = [""] * self.req.n
        try:
            async for c, _, reason in self.events_until_done():
                if reason:
                    reasons[c] = reason
        finally:
            self.cancel()
        self._log()
        return [c.text for c in self.choices], reasons

    async def sse(self):
        def line(obj) -> bytes:
            return b"data: " + orjson.dumps(obj) + b"\n\n"

        try:
            for c in range(self.req.n):
                yield line(chunk(self.rid, self.req.model, c, {"role": "assistant", "content": ""}))
            async for c, piece, reason in self.events_until_done():
                if piece:
                    yield line(chunk(self.rid, self.req.model, c, {"content": piece}))
                if reason:
                    yield line(chunk(self.rid, self.req.model, c, {}, reason))
            if (self.req.stream_options or {}).get("include_usage"):
                yield line({**chunk(self.rid, self.req.model, 0, {}), "choices": [], "usage": self.usage()})
            yield b"data: [DONE]\n\n"
            self._log()
        finally:
            self.cancel()  # a client that went away frees its rows at the next step

    def cancel(self) -> None:
        for c in range(self.req.n):
            self.job.cancelled[c] = True

    def _log(self) -> None:
        if self.log:
            self.log([c.text for c in self.choices])

    def usage(self) -> dict:
        return usage(len(self.prompt), sum(len(c.ids) for c in self.choices))
