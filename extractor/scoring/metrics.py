"""Aggregate cell scores into the eval's metrics.

In: the records of one configuration (each with its LLM usage) and the goldens.
Out: an ``EvalResult`` with the metrics overall and by table, method, document
and input format, calibration buckets, usage and cost, failed documents and
the list of wrong cells.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field

from ..records import Record, Usage
from .gap_fill import GapFill, gap_fill
from .goldens import Golden
from .match import CellScore, DocumentScore, Verdict, score_record
from .review_load import ReviewLoad, review_load

NO_METHOD = "none"
"""The method group of cells missing from the record."""

CONFIDENCE_EDGES = (0.0, 0.5, 0.8, 0.9, 0.95, 0.99, 1.0)
"""Calibration bucket edges; the last bucket is closed: [0.99, 1.0]."""


def usage_of(record: Record) -> Usage:
    """The record's LLM usage; zeros when it asked no model."""
    return record.usage or Usage()


class Metrics(BaseModel):
    """Counts and rates over a set of scored cells. A rate with no denominator is None."""

    model_config = ConfigDict(extra="forbid")

    cells: int
    """Golden cells scored."""
    correct: int
    accuracy: float | None
    errors: int
    """Cells not correct: wrong, wrong_flagged, hallucinated, missing."""
    silent_errors: int
    """Errors with no flag (missing cells included): the number that matters."""
    silent_error_rate: float | None
    flagged: int
    """Cells carrying any flag, right or wrong."""
    caught: int
    """Errors carrying a flag."""
    flag_recall: float | None
    """caught / errors."""
    flag_precision: float | None
    """caught / flagged."""
    hallucinated: int
    missing: int
    documents: int
    documents_correct: int
    """Documents whose cells in this group are all correct."""


class CalibrationBucket(BaseModel):
    model_config = ConfigDict(extra="forbid")

    low: float
    high: float
    cells: int
    correct: int
    accuracy: float | None
    mean_confidence: float | None


class UsageSummary(Usage):
    """LLM usage summed over a configuration's documents, and per document."""

    model_config = ConfigDict(extra="forbid")

    documents: int = 0
    cost_per_document: float = 0.0
    latency_per_document: float = 0.0
    seconds_per_document: float = 0.0
    """Extraction wall time per document (the records' ``seconds``)."""


class FailedDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document: str
    error: str | None


class Unscored(BaseModel):
    """A document that is in one of the inputs but could not be scored."""

    model_config = ConfigDict(extra="forbid")

    document: str
    reason: str


class EvalResult(BaseModel):
    """The scores of one configuration: what ``result.json`` holds per config."""

    model_config = ConfigDict(extra="forbid")

    config: str
    path: str | None = None
    """The extraction path: ``rule``, ``rule+llm`` or ``llm`` (None when re-scored)."""
    overall: Metrics
    by_table: dict[str, Metrics]
    by_method: dict[str, Metrics]
    by_document: dict[str, Metrics]
    by_format: dict[str, Metrics]
    calibration: list[CalibrationBucket]
    usage: UsageSummary
    failed: list[FailedDocument] = Field(default_factory=list)
    unscored: list[Unscored] = Field(default_factory=list)
    errors: list[CellScore] = Field(default_factory=list)
    """Every cell that is not correct, in document then golden order."""
    review: ReviewLoad | None = None
    """Review load and item precision (None in runs saved before it was measured)."""
    gaps: GapFill | None = None
    """What the LLM's gap answers added (LLM paths; None for the rules alone and older runs)."""


def _rate(num: int, den: int) -> float | None:
    return num / den if den else None


def compute_metrics(scores: Iterable[CellScore]) -> Metrics:
    cells = correct = silent = flagged = caught = hallucinated = missing = 0
    doc_ok: dict[str, bool] = {}
    for s in scores:
        cells += 1
        correct += s.outcome is Verdict.CORRECT
        silent += s.silent
        flagged += s.flagged
        caught += s.is_error and s.flagged
        hallucinated += s.outcome is Verdict.HALLUCINATED
        missing += s.outcome is Verdict.MISSING
        doc_ok[s.document] = doc_ok.get(s.document, True) and not s.is_error
    errors = cells - correct
    return Metrics(
        cells=cells, correct=correct, accuracy=_rate(correct, cells), errors=errors,
        silent_errors=silent, silent_error_rate=_rate(silent, cells), flagged=flagged,
        caught=caught, flag_recall=_rate(caught, errors), flag_precision=_rate(caught, flagged),
        hallucinated=hallucinated, missing=missing, documents=len(doc_ok),
        documents_correct=sum(doc_ok.values()),
    )


def breakdown(scores: Iterable[CellScore], key: Callable[[CellScore], str]) -> dict[str, Metrics]:
    groups: dict[str, list[CellScore]] = defaultdict(list)
    for s in scores:
        groups[key(s)].append(s)
    return {k: compute_metrics(groups[k]) for k in sorted(groups)}


def calibration_pairs(scores: Iterable[CellScore]) -> list[tuple[float, bool]]:
    """``(confidence, was_wrong)`` for every scored cell the record gave."""
    return [(s.confidence, s.is_error) for s in scores if s.confidence is not None]


def calibration(pairs: Iterable[tuple[float, bool]]) -> list[CalibrationBucket]:
    """Accuracy per confidence bucket (``CONFIDENCE_EDGES``); empty buckets are kept."""
    edges = CONFIDENCE_EDGES
    counts = [[0, 0, 0.0] for _ in edges[:-1]]
    for confidence, was_wrong in pairs:
        i = next((j for j in range(len(edges) - 2) if confidence < edges[j + 1]), len(edges) - 2)
        counts[i][0] += 1
        counts[i][1] += not was_wrong
        counts[i][2] += confidence
    return [CalibrationBucket(low=edges[i], high=edges[i + 1], cells=int(n), correct=int(ok),
                              accuracy=_rate(int(ok), int(n)),
                              mean_confidence=total / n if n else None)
            for i, (n, ok, total) in enumerate(counts)]


def summarize_usage(records: Sequence[Record], price_in: float = 0.0,
                    price_out: float = 0.0) -> UsageSummary:
    """Sum usage; a document whose usage gives no cost is priced per 1M tokens."""
    n = len(records)
    total = UsageSummary(documents=n)
    for r in records:
        u = usage_of(r).model_copy()
        u.cost_usd = u.cost_usd or (u.input_tokens * price_in + u.output_tokens * price_out) / 1e6
        total.add(u)
    if n:
        total.cost_per_document = total.cost_usd / n
        total.latency_per_document = total.latency_s / n
        total.seconds_per_document = sum(r.seconds or 0.0 for r in records) / n
    return total


def summarize(config: str, documents: Sequence[DocumentScore], usage: UsageSummary, *,
              path: str | None = None, unscored: Sequence[Unscored] = (),
              review: ReviewLoad | None = None, gaps: GapFill | None = None) -> EvalResult:
    """Aggregate document scores into an ``EvalResult``."""
    scores = [s for d in documents for s in d.scores]
    fmt = {d.document: d.format for d in documents}
    return EvalResult(
        config=config, path=path, overall=compute_metrics(scores),
        by_table=breakdown(scores, lambda s: s.table),
        by_method=breakdown(scores, lambda s: s.method or NO_METHOD),
        by_document=breakdown(scores, lambda s: s.document),
        by_format=breakdown(scores, lambda s: fmt[s.document]),
        calibration=calibration(calibration_pairs(scores)), usage=usage,
        failed=[FailedDocument(document=d.document, error=d.error) for d in documents if d.failed],
        unscored=list(unscored), errors=[s for s in scores if s.is_error], review=review, gaps=gaps,
    )


def evaluate_records(config: str, records: Sequence[Record],
                     goldens: Mapping[str, Golden], *, path: str | None = None,
                     price_in: float = 0.0, price_out: float = 0.0) -> EvalResult:
    """Score the records of one configuration against the goldens.

    Records without a golden, and goldens without a record, are listed as
    unscored rather than guessed at; usage counts only scored documents.
    """
    scored: list[Record] = []
    documents: list[DocumentScore] = []
    unscored: list[Unscored] = []
    seen: set[str] = set()
    for record in records:
        name = record.document
        if name in seen:
            unscored.append(Unscored(document=name, reason="second record for this document"))
            continue
        seen.add(name)
        golden = goldens.get(name)
        if golden is None:
            unscored.append(Unscored(document=name, reason="no golden"))
            continue
        scored.append(record)
        documents.append(score_record(golden, record))
    unscored += [Unscored(document=d, reason="no record") for d in sorted(goldens)
                 if d not in seen]
    return summarize(config, documents, summarize_usage(scored, price_in, price_out),
                     path=path, unscored=unscored, review=review_load(scored, documents),
                     gaps=gap_fill(scored, goldens) if path in ("rule+llm", "llm") else None)
