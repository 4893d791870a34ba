"""The LLM stage of the pipeline: plan, call (async, bounded, rate-limited, budgeted), merge.

Requests of several documents run together on one event loop (a ``TableSession``),
at most ``llm_concurrency`` in flight and ``llm_rpm`` started per minute, so a
batch of thousands of reports does not trip rate limits, and each document is
finished as soon as its own tables are answered. When the token budget is spent,
or a table's deadline passes, the table keeps its rule values, flagged
``llm_skipped`` — nothing is dropped.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from ..config import Settings
from ..errors import BudgetExhausted, DeadlinePassed, LLMError, MissingExtra
from ..parse.extraction import Extraction
from ..records import Flag, Usage
from .cache import CachedClient, ResponseCache
from .client import ReplayClient, TableReader, TableReply
from .fallback import TablePlan, build_request, merge, route, table_cells
from .gap_merge import merge_gap
from .gaps import find_gaps, gap_request
from .prices import price_of
from .text import SECTION_OF

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
        retries=settings.llm_retries,
        price_in=settings.llm_price_in if settings.llm_price_in is not None else price_in,
        price_out=settings.llm_price_out if settings.llm_price_out is not None else price_out)
    cache_path = settings.cache_path()
    return CachedClient(inner, ResponseCache(cache_path) if cache_path else None)


@dataclass
class TableProgress:
    """Tables of a stage so far, for a progress bar (read from another thread: plain counters)."""

    asked: int = 0
    answered: int = 0
    """Tables that got a reply (from the model or the cache)."""
    reasked: int = 0
    """Tables whose first reply was re-asked."""
    not_used: int = 0
    """Tables that failed, or were skipped (budget, deadline)."""
    tokens: int = 0

    def describe(self) -> str:
        """``12/15 tables, 3 re-asked, 1 not used, 48.2k tokens``: answered of those sent so far."""
        parts = [f"{self.answered}/{self.asked} tables"]
        if self.reasked:
            parts.append(f"{self.reasked} re-asked")
        if self.not_used:
            parts.append(f"{self.not_used} not used")
        parts.append(f"{_short_count(self.tokens)} tokens")
        return ", ".join(parts)


def _short_count(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}M"
    return f"{n / 1000:.1f}k" if n >= 10_000 else f"{n:,}"


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
        self.progress = TableProgress()

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
        if self.mode != "force":
            endpoint = self.settings.llm_base_url or f"replay:{self.settings.llm_replay}"
            for gap in find_gaps(ex, skip={p.table for p in plans}):
                request = gap_request(ex, gap, endpoint=endpoint, model=self.settings.llm_model or "",
                                      max_reasks=self.settings.llm_max_reasks,
                                      prompt_version=self.settings.llm_prompt_version)
                plans.append(TablePlan(gap.table, gap.reason, gap.start, gap.end, request, gap))
        return plans

    def process(self, extractions: list[Extraction]) -> None:
        """Send every planned table of these documents, then merge and re-validate each document."""
        with self.session() as session:
            for ex in extractions:
                session.submit(ex)
            for ex in extractions:
                session.finish(ex)

    def session(self) -> TableSession:
        return TableSession(self)

    def apply(self, ex: Extraction, plans: list[TablePlan], replies: list[TableReply | LLMError]) -> None:
        """Merge one document's replies into its drafts (a failed table keeps its rule values, flagged)."""
        usage = Usage()
        for plan, reply in zip(plans, replies, strict=True):
            if isinstance(reply, TableReply) and plan.gap is not None:
                usage.add(reply.usage)
                gap_report = merge_gap(ex.drafts, plan.gap, reply, ex.text.text, ex.edition, plan.request.prompt)
                ex.notes.append(f"LLM {plan.table} ({plan.reason}): {plan.request.prompt}, "
                                f"{'cached' if reply.cached else f'{reply.attempts} attempt(s)'}; "
                                f"{gap_report.filled} filled ({gap_report.unconfirmed} unconfirmed)"
                                + (f"; {gap_report.rejected}" if gap_report.rejected else ""))
            elif isinstance(reply, TableReply):
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
        flag = Flag.LLM_SKIPPED if isinstance(error, BudgetExhausted | DeadlinePassed) else Flag.LLM_FAILED
        for cell in plan.gap.fill if plan.gap else table_cells(plan.table, ex.edition):
            if cell in ex.drafts:
                ex.drafts[cell].flags.add(flag)
        ex.notes.append(f"LLM {plan.table} ({plan.reason}) not used: {error}")

    async def read(self, plan: TablePlan, semaphore: asyncio.Semaphore,
                   limiter: _RateLimiter) -> TableReply | LLMError:
        """One table, within the concurrency, the rate, the budget and the table's deadline."""
        async with semaphore:
            self.progress.asked += 1
            try:
                self.budget.check(plan.request.document)
                reply = await self._read_in_time(plan, limiter)
            except LLMError as exc:
                log.warning("%s %s: %s", plan.request.document, plan.table, exc)
                self.progress.not_used += 1
                return exc
            self.budget.spend(plan.request.document, reply.usage)
            self.progress.answered += 1
            self.progress.reasked += reply.usage.reasks > 0
            self.progress.tokens += reply.usage.input_tokens + reply.usage.output_tokens
            return reply

    async def _read_in_time(self, plan: TablePlan, limiter: _RateLimiter) -> TableReply:
        deadline = self.settings.llm_table_deadline
        try:
            async with asyncio.timeout(deadline if deadline > 0 else None) as timer:
                await limiter.wait()
                return await self.client.read_table(plan.request)
        except TimeoutError as exc:
            if not timer.expired():
                raise
            raise DeadlinePassed(f"the table's deadline passed: no answer within {deadline:g} s "
                                 "(NIANBAO_LLM_TABLE_DEADLINE)") from exc


class TableSession:
    """One event loop for a stream of documents: a document's tables are sent when it is
    submitted, and ``finish`` waits for that document's tables only, the others staying in flight.

    Closing it cancels the tables still in flight (an interrupted batch); the replies
    already received are in the cache, so a re-run does not ask for them again.
    """

    def __init__(self, stage: LLMStage):
        self.stage = stage
        self.runner = asyncio.Runner()
        self.semaphore = asyncio.Semaphore(max(1, stage.settings.llm_concurrency))
        self.limiter = _RateLimiter(stage.settings.llm_rpm)
        self.pending: dict[int, tuple[list[TablePlan], list[asyncio.Task[TableReply | LLMError]]]] = {}

    def submit(self, ex: Extraction) -> None:
        """Plan the document's tables and start sending them (they run while a ``finish`` waits)."""
        plans = self.stage.plan(ex)
        loop = self.runner.get_loop()
        tasks = [loop.create_task(self.stage.read(p, self.semaphore, self.limiter)) for p in plans]
        self.pending[id(ex)] = (plans, tasks)

    def finish(self, ex: Extraction) -> None:
        """Wait for the document's tables and merge them; a document with none is left as it is."""
        plans, tasks = self.pending.pop(id(ex))
        if plans:
            self.stage.apply(ex, plans, self.runner.run(_gather(tasks)))

    def close(self) -> None:
        # Runner.close cancels the tasks still pending and waits for them
        self.pending.clear()
        self.runner.close()

    def __enter__(self) -> TableSession:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


async def _gather(tasks: list[asyncio.Task[TableReply | LLMError]]) -> list[TableReply | LLMError]:
    return list(await asyncio.gather(*tasks))
