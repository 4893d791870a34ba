"""``OpenAICompatibleClient``: the only module that imports openai and instructor.

Any OpenAI-compatible endpoint (OpenAI, DeepSeek, DashScope, vLLM, Ollama, the
llama.cpp server) is called through instructor with a forced tool call whose
parameters are the table's JSON schema, so local servers constrain decoding to it. Transport
retries are one layer, the SDK's (429/5xx/timeouts, with backoff), counted apart
from the validation re-asks instructor makes when the table's arithmetic fails.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any, cast

import instructor
import openai
from instructor.core.exceptions import InstructorRetryException
from pydantic import BaseModel, ValidationError

from ..errors import LLMOutputError, LLMTransportError
from ..records import Usage
from .client import TableReply, TableRequest
from .schemas import gap_failures, gap_model, gap_rows, reply_model, row_layout

log = logging.getLogger(__name__)


class OpenAICompatibleClient:
    """Reads a table by asking a model behind an OpenAI-compatible API."""

    def __init__(self, base_url: str, api_key: str | None, *, timeout: float = 180.0,
                 retries: int = 2, price_in: float = 0.0, price_out: float = 0.0,
                 mode: str = "tools", temperature: float = 0.0):
        self.base_url = base_url
        self._api_key = api_key or "not-needed"
        self.timeout = timeout
        self.retries = retries
        """Transport retries of one request, the SDK's (429, 5xx, timeouts; backoff, ``Retry-After``)."""
        self.price_in = price_in
        self.price_out = price_out
        # TOOLS: a forced function call, which llama.cpp's server constrains to the schema and
        # hosted APIs (OpenAI, DeepSeek, DashScope, vLLM) all accept.
        self.mode = {"tools": instructor.Mode.TOOLS, "json_schema": instructor.Mode.JSON_SCHEMA,
                     "json": instructor.Mode.JSON}[mode]
        self.temperature = temperature

    def __repr__(self) -> str:  # never show the key
        return f"OpenAICompatibleClient(base_url={self.base_url!r})"

    async def read_table(self, request: TableRequest) -> TableReply:
        """One table: instructor re-asks on a bad reply; each request is retried by the SDK alone."""
        if request.is_gap:
            return await self._ask_gap(request)
        usage = Usage()
        sent = 0

        async def count(_: Any) -> None:
            nonlocal sent
            sent += 1

        responses: list[Any] = []
        tokens: list[tuple[int, int]] = []

        def on_response(response: Any) -> None:
            # read the counts now: instructor later folds the retries' totals into the object
            u = getattr(response, "usage", None)
            tokens.append((int(getattr(u, "prompt_tokens", 0) or 0), int(getattr(u, "completion_tokens", 0) or 0)))
            responses.append(response)

        http = openai.DefaultAsyncHttpxClient(timeout=self.timeout, event_hooks={"request": [count]})
        raw_client = openai.AsyncOpenAI(base_url=self.base_url, api_key=self._api_key,
                                        max_retries=self.retries, timeout=self.timeout,
                                        http_client=http)
        client = instructor.from_openai(raw_client, mode=self.mode)
        client.on("completion:response", on_response)
        strict = reply_model(request.table, request.edition, strict=True)
        started = time.perf_counter()
        try:
            reply, _ = await client.chat.completions.create_with_completion(
                model=request.model, response_model=strict,
                messages=cast(Any, [{"role": r, "content": c} for r, c in request.messages]),
                max_retries=request.max_reasks, temperature=self.temperature,
                context={"check_identities": True, "table": request.table,
                         "edition": request.edition})
            valid = True
        except InstructorRetryException as exc:
            failures = [getattr(f, "exception", None) for f in getattr(exc, "failed_attempts", None) or []]
            for n, failure in enumerate(failures, 1):
                log.info("%s %s attempt %d: %s", request.document, request.table, n, _short(str(failure)))
            api_error = _api_error(exc, failures)
            if exc.last_completion is None and api_error is not None:
                raise self._transport_error(request, api_error, sent) from exc
            reply = self._lenient(request, exc)
            valid = False
        except ValidationError as exc:  # pragma: no cover - instructor wraps these
            raise LLMOutputError(f"reply does not fit the schema: {exc}") from exc
        finally:
            await http.aclose()
        usage.latency_s += time.perf_counter() - started
        usage.calls += len(responses) or 1
        usage.reasks += max(len(responses) - 1, 0)
        usage.transport_retries += max(sent - max(len(responses), 1), 0)
        usage.input_tokens += sum(t[0] for t in tokens)
        usage.output_tokens += sum(t[1] for t in tokens)
        usage.cost_usd += (usage.input_tokens * self.price_in + usage.output_tokens * self.price_out) / 1e6
        raw = _content(responses[-1]) if responses else reply.model_dump_json()
        return TableReply(rows=reply.model_dump(), raw=raw, usage=usage,
                          attempts=max(len(responses), 1), valid=valid)

    async def _ask_gap(self, request: TableRequest) -> TableReply:
        """A gap question: one plain call whose JSON the server constrains to the question's schema,
        a bounded answer length, and one re-ask at most when the answer breaks an identity.

        No instructor here: its tool-call wrapping costs prompt tokens a small local model pays
        for in seconds. ``cache_prompt`` lets a llama.cpp server keep the shared prefix (the system
        part, the same for every question) between calls."""
        model = gap_model(request.table, request.edition, request.rows, request.choices)
        schema = model.model_json_schema()
        local = any(h in self.base_url for h in ("127.0.0.1", "localhost"))
        response_format: dict[str, Any] = (
            {"type": "json_object", "schema": schema} if local
            else {"type": "json_schema", "json_schema": {"name": "answer", "schema": schema}})
        layout = row_layout(request.table, request.edition)
        cells = sum(len(layout[r]) for r in request.rows)
        max_tokens = 12 if request.choices else 12 + 8 * len(request.rows) + 6 * cells
        messages: list[dict[str, str]] = [{"role": r, "content": c} for r, c in request.messages]
        known = dict(request.known)
        usage = Usage()
        answer: dict[str, Any] | None = None
        text, valid, attempts = "", False, 0
        client = openai.AsyncOpenAI(base_url=self.base_url, api_key=self._api_key,
                                    max_retries=self.retries, timeout=self.timeout)
        started = time.perf_counter()
        try:
            for attempts in range(1, 2 + min(request.max_reasks, 1)):
                try:
                    response = await client.chat.completions.create(
                        model=request.model, messages=cast(Any, messages), temperature=self.temperature,
                        max_tokens=max_tokens, response_format=cast(Any, response_format),
                        extra_body={"cache_prompt": True})
                except openai.APIError as exc:
                    raise self._transport_error(request, exc, attempts) from exc
                u = response.usage
                usage.input_tokens += int(getattr(u, "prompt_tokens", 0) or 0)
                usage.output_tokens += int(getattr(u, "completion_tokens", 0) or 0)
                text = _content(response)
                try:
                    answer = gap_rows(request.rows, model.model_validate_json(_strip_fences(text)).model_dump())
                except ValidationError as exc:
                    problem = f"the answer does not fit the schema: {_short(str(exc), 200)}"
                else:
                    failures = [] if request.choices else gap_failures(request.table, request.edition,
                                                                        answer, known)
                    if not failures:
                        valid = True
                        break
                    problem = "with the table's other numbers, this breaks: " + "; ".join(failures[:3])
                messages += [{"role": "assistant", "content": text},
                             {"role": "user", "content": problem + ". Re-read the lines and answer again."}]
        finally:
            await client.close()
        usage.latency_s += time.perf_counter() - started
        usage.calls += attempts
        usage.reasks += attempts - 1
        usage.cost_usd += (usage.input_tokens * self.price_in + usage.output_tokens * self.price_out) / 1e6
        if answer is None:
            raise LLMOutputError(f"{request.model}: no answer fitted the question's schema after "
                                 f"{attempts} attempts", attempts=attempts, raw=text[:2000])
        rows: dict[str, Any] = {"choice": [answer["choice"]]} if request.choices else answer
        return TableReply(rows=rows, raw=text, usage=usage, attempts=attempts, valid=valid)

    def _transport_error(self, request: TableRequest, error: openai.APIError, sent: int) -> LLMTransportError:
        """The endpoint failed every try the SDK made."""
        what = (f"HTTP {error.status_code}: {_short(error.message)}" if isinstance(error, openai.APIStatusError)
                else f"{type(error).__name__}: {_short(str(error))}")
        return LLMTransportError(f"{request.model} at {self.base_url}: {what} (after {sent} tries)",
                                 attempts=sent)

    def _lenient(self, request: TableRequest, exc: InstructorRetryException) -> BaseModel:
        """Every re-ask still broke the arithmetic: keep the last reply if it fits the shape."""
        text = _content(exc.last_completion) if exc.last_completion is not None else ""
        lenient = reply_model(request.table, request.edition, strict=False)
        try:
            return lenient.model_validate(json.loads(_strip_fences(text)))
        except (ValueError, ValidationError) as inner:
            raise LLMOutputError(f"{request.model}: no reply fitted the table's schema after "
                                 f"{exc.n_attempts} attempts: {_short(str(inner))}",
                                 attempts=exc.n_attempts, raw=text[:2000]) from exc


def _api_error(exc: BaseException, failures: list[Any]) -> openai.APIError | None:
    """The HTTP/transport error behind an instructor retry failure, if that is what it was."""
    for f in reversed(failures):
        if isinstance(f, openai.APIError):
            return f
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, openai.APIError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _content(completion: Any) -> str:
    """The reply's text: the forced tool call's arguments, or the message content."""
    try:
        message = completion.choices[0].message
    except (AttributeError, IndexError):
        return ""
    calls = getattr(message, "tool_calls", None) or []
    if calls:
        return str(calls[0].function.arguments or "")
    return str(message.content or "")


def _strip_fences(text: str) -> str:
    s = text.strip()
    if s.startswith("```"):
        s = s.split("\n", 1)[-1].rsplit("```", 1)[0]
    return s


def _short(text: str, n: int = 300) -> str:
    return text if len(text) <= n else text[:n] + "…"
