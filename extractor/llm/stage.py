"""The LLM stage of the pipeline: plan, call (async, bounded, rate-limited, budgeted), merge.

Requests of several documents run together, at most ``llm_concurrency`` in
flight and ``llm_rpm`` started per minute, so a batch of thousands of reports
does not trip rate limits. When the token budget of a document or of the
batch is spent, the remaining tables keep their rule values, flagged
``llm_skipped`` — nothing is dropped.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Settings
from ..errors import BudgetExhausted, LLMError, MissingExtra
from ..parse.extraction import Extraction
from ..records import Flag, Usage
from .cache import CachedClient, ResponseCache
from .client import ReplayClient, TableReader, TableReply
from .fallback import SECTION_OF, TablePlan, build_request, merge, route, table_cells
from .prices import price_of

log = logging.getLogger(__name__)


def make_client(settings: Settings) -> TableReader:
    """The client the settings describe: replay of recordings, or a real endpoint behind the cache."""
    if settings.llm_replay:
        return ReplayClient(Path(settings.llm_replay))
    try:
        from .openai_client import OpenAICompatibleClient
    except ImportError as exc:
        raise MissingExtra.of(exc, "the LLM path") from exc

    price_in, price_out = price_of(settings.llm_model or "")
    inner = OpenAICompatibleClient(
        settings.llm_base_url or "", settings.llm_api_key, timeout=settings.llm_timeout,
        price_in=settings.llm_price_in if settings.llm_price_in is not None else price_in,
        price_out=settings.llm_price_out if settings.llm_price_out is not None else price_out)
    cache_path = settings.cache_path()
    return CachedClient(inner, ResponseCache(cache_path) if cache_path else None)


class _RateLimiter:
    def __init__(self, rpm: float):
        self.interval = 60.0 / rpm if rpm > 0 else 0.0
        self.next_start = 0.0
        self.lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self.lock:
            now = time.monotonic()
            delay = self.next_start - now
            self.next_start = max(now, self.next_start) + self.interval
        if delay > 0:
            await asyncio.sleep(delay)


@dataclass
class Budget:
    per_document: int
    per_batch: int
    spent_batch: int = 0
    spent_doc: dict[str, int] = field(default_factory=dict)

    def check(self, document: str) -> None:
        if self.per_batch and self.spent_batch >= self.per_batch:
            raise BudgetExhausted(f"the batch token budget ({self.per_batch}) is spent")
        if self.per_document and self.spent_doc.get(document, 0) >= self.per_document:
            raise BudgetExhausted(f"the document token budget ({self.per_document}) is spent")

    def spend(self, document: str, usage: Usage) -> None:
        tokens = usage.input_tokens + usage.output_tokens
        self.spent_batch += tokens
        self.spent_doc[document] = self.spent_doc.get(document, 0) + tokens


class LLMStage:
    def __init__(self, settings: Settings, client: TableReader | None = None):
        self.settings = settings
        self.mode = settings.llm_mode
        self.client = client or make_client(settings)
        self.budget = Budget(settings.llm_budget_tokens_doc, settings.llm_budget_tokens_batch)
        self.usage = Usage()

    def plan(self, ex: Extraction) -> list[TablePlan]:
        plans = []
        for table, reason in route(ex.drafts, ex.edition, self.mode == "force").items():
            span = ex.table_span(SECTION_OF[table])
            if span is None:
                continue
            start, end = span
            request = build_request(ex.document.name, table, ex.edition, ex.text.text[start:end],
                                    endpoint=self.settings.llm_base_url or f"replay:{self.settings.llm_replay}",
                                    model=self.settings.llm_model or "", max_reasks=self.settings.llm_max_reasks,
                                    prompt_version=self.settings.llm_prompt_version)
            plans.append(TablePlan(table, reason, start, end, request))
        return plans

    def process(self, extractions: list[Extraction]) -> None:
        """Send every planned table of these documents, then merge and re-validate each document."""
        plans = {id(ex): self.plan(ex) for ex in extractions}
        flat = [(ex, p) for ex in extractions for p in plans[id(ex)]]
        if not flat:
            return
        replies = asyncio.run(self._read_all([p for _, p in flat]))
        for ex in extractions:
            usage = Usage()
            for (owner, plan), reply in zip(flat, replies, strict=True):
                if owner is not ex:
                    continue
                if isinstance(reply, TableReply):
                    usage.add(reply.usage)
                    report = merge(ex.drafts, plan, reply, ex.text.text, ex.edition, self.mode == "force")
                    ex.notes.append(f"LLM {plan.table} ({plan.reason}): {plan.request.prompt}, "
                                    f"{'cached' if reply.cached else f'{reply.attempts} attempt(s)'}; "
                                    f"{report.agreed} agree, {report.disagreed} disagree, "
                                    f"{report.filled} filled, {report.ungrounded} not in the text")
                else:
                    self._mark(ex, plan, reply)
            ex.usage = usage
            self.usage.add(usage)
            ex.revalidate()

    def _mark(self, ex: Extraction, plan: TablePlan, error: LLMError) -> None:
        flag = Flag.LLM_SKIPPED if isinstance(error, BudgetExhausted) else Flag.LLM_FAILED
        for cell in table_cells(plan.table, ex.edition):
            if cell in ex.drafts:
                ex.drafts[cell].flags.add(flag)
        ex.notes.append(f"LLM {plan.table} ({plan.reason}) not used: {error}")

    async def _read_all(self, plans: list[TablePlan]) -> list[TableReply | LLMError]:
        semaphore = asyncio.Semaphore(max(1, self.settings.llm_concurrency))
        limiter = _RateLimiter(self.settings.llm_rpm)

        async def one(plan: TablePlan) -> TableReply | LLMError:
            async with semaphore:
                try:
                    self.budget.check(plan.request.document)
                    await limiter.wait()
                    reply = await self.client.read_table(plan.request)
                except LLMError as exc:
                    log.warning("%s %s: %s", plan.request.document, plan.table, exc)
                    return exc
                self.budget.spend(plan.request.document, reply.usage)
                return reply

        return list(await asyncio.gather(*(one(p) for p in plans)))
