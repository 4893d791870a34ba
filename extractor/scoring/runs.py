"""Eval runs on disk, and comparing them: save, load, diff, and the threshold gate.

A run is a folder ``eval/runs/<timestamp>-<name>/`` holding ``result.json``
(every config's ``EvalResult``), ``errors.jsonl`` and the records it scored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import ConfigError
from ..records import Record, Value
from .configs import Thresholds
from .match import CellScore, Verdict
from .metrics import EvalResult, Metrics

RESULT_FILE = "result.json"
ERRORS_FILE = "errors.jsonl"
RECORDS_FILE = "records.jsonl"
DIFF_METRICS = ("accuracy", "silent_errors", "silent_error_rate", "flag_recall",
                "flag_precision", "hallucinated", "missing", "documents_correct")

_SEVERITY = {Verdict.CORRECT: 0, Verdict.WRONG_FLAGGED: 1}


class Run(BaseModel):
    """What ``result.json`` holds: one eval invocation, one result per config."""

    model_config = ConfigDict(extra="forbid")

    name: str
    created: str
    """ISO timestamp of the run."""
    docs: str | None = None
    goldens: str | None = None
    results: list[EvalResult]

    def result(self, config: str) -> EvalResult | None:
        return next((r for r in self.results if r.config == config), None)


def run_dir_for(out_dir: Path, name: str, now: datetime | None = None) -> Path:
    """``<out_dir>/<YYYYmmdd-HHMMSS>-<name>``, path-safe, never an existing folder."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    base = out_dir / f"{stamp}-{re.sub(r'[^A-Za-z0-9._+-]+', '_', name) or 'run'}"
    path, n = base, 1
    while path.exists():
        n += 1
        path = base.with_name(f"{base.name}-{n}")
    return path


def records_file(config: str, n_configs: int) -> str:
    """``records.jsonl`` for a one-config run, ``records.<config>.jsonl`` for several."""
    return RECORDS_FILE if n_configs == 1 else f"records.{config}.jsonl"


def write_records(path: Path, records: Sequence[Record]) -> None:
    """One record per line."""
    with path.open("w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record.model_dump(mode="json"), ensure_ascii=False) + "\n")


def load_records(path: Path) -> list[Record]:
    """Records from JSONL, each with its optional ``usage``."""
    out: list[Record] = []
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read records {path}: {exc}", path=str(path)) from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            out.append(Record.model_validate_json(line))
        except ValidationError as exc:
            raise ConfigError(f"{path}:{n} is not a record: {exc}", path=str(path)) from exc
    return out


def save_run(run_dir: Path, run: Run, records: Mapping[str, Sequence[Record]]) -> Path:
    """Write ``result.json``, ``errors.jsonl`` and the records of each config."""
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / RESULT_FILE).write_text(run.model_dump_json(indent=2), "utf-8")
    with (run_dir / ERRORS_FILE).open("w", encoding="utf-8") as f:
        for result in run.results:
            for s in result.errors:
                f.write(json.dumps({"config": result.config, **s.model_dump(mode="json")},
                                   ensure_ascii=False) + "\n")
    for config, rows in records.items():
        write_records(run_dir / records_file(config, len(records)), rows)
    return run_dir


def load_run(path: Path) -> Run:
    """A saved run, from its folder or its ``result.json``."""
    file = path / RESULT_FILE if path.is_dir() else path
    try:
        return Run.model_validate_json(file.read_bytes())
    except OSError as exc:
        raise ConfigError(f"{path} is not an eval run: no {RESULT_FILE}", path=str(path)) from exc
    except ValidationError as exc:
        raise ConfigError(f"{file} is not a result of this nianbao: {exc}", path=str(file)) from exc


# ---------------------------------------------------------------- diff


class CellChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    config: str
    document: str
    cell: str
    before: Verdict
    after: Verdict
    got_before: Value = None
    got_after: Value = None
    want: Value = None
    direction: str
    """``better``, ``worse`` or ``changed`` (another wrong value, same severity)."""


class MetricDelta(BaseModel):
    model_config = ConfigDict(extra="forbid")

    config: str
    scope: str
    """``overall`` or ``table t3`` etc."""
    metric: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


class RunDiff(BaseModel):
    model_config = ConfigDict(extra="forbid")

    changes: list[CellChange] = Field(default_factory=list)
    deltas: list[MetricDelta] = Field(default_factory=list)
    unmatched: list[str] = Field(default_factory=list)
    """Configs of the newer run with nothing to compare against."""

    def cells(self, direction: str) -> list[CellChange]:
        return [c for c in self.changes if c.direction == direction]


def _severity(s: CellScore | None) -> int:
    if s is None:
        return 0
    return _SEVERITY.get(s.outcome, 1 if s.flagged else 2)


def diff_results(a: EvalResult, b: EvalResult, config: str | None = None) -> RunDiff:
    """Cells that got better or worse from ``a`` to ``b``, over documents both scored."""
    name = config or b.config
    both = set(a.by_document) & set(b.by_document)
    errs_a = {(s.document, s.cell): s for s in a.errors if s.document in both}
    errs_b = {(s.document, s.cell): s for s in b.errors if s.document in both}
    changes: list[CellChange] = []
    for key in sorted(errs_a.keys() | errs_b.keys()):
        sa, sb = errs_a.get(key), errs_b.get(key)
        if sa is not None and sb is not None and sa.outcome == sb.outcome and sa.got == sb.got:
            continue
        va, vb = _severity(sa), _severity(sb)
        ref = sb or sa
        assert ref is not None
        changes.append(CellChange(
            config=name, document=key[0], cell=key[1],
            before=sa.outcome if sa else Verdict.CORRECT,
            after=sb.outcome if sb else Verdict.CORRECT,
            got_before=sa.got if sa else ref.want, got_after=sb.got if sb else ref.want,
            want=ref.want, direction="better" if vb < va else "worse" if vb > va else "changed"))
    scopes: list[tuple[str, Metrics | None, Metrics | None]] = [("overall", a.overall, b.overall)]
    scopes += [(f"table {t}", a.by_table.get(t), b.by_table.get(t))
               for t in sorted(a.by_table.keys() | b.by_table.keys())]
    deltas = [MetricDelta(config=name, scope=scope, metric=m,
                          before=getattr(ma, m) if ma else None,
                          after=getattr(mb, m) if mb else None)
              for scope, ma, mb in scopes for m in DIFF_METRICS]
    deltas.append(MetricDelta(config=name, scope="usage", metric="cost_per_document",
                              before=a.usage.cost_per_document, after=b.usage.cost_per_document))
    return RunDiff(changes=changes, deltas=deltas)


def baseline_for(result: EvalResult, baseline: Run | None) -> EvalResult | None:
    """The baseline result of the same config; a one-config baseline matches any config."""
    if baseline is None:
        return None
    same = baseline.result(result.config)
    if same is None and len(baseline.results) == 1:
        return baseline.results[0]
    return same


def diff_runs(a: Run, b: Run) -> RunDiff:
    """Compare each config of ``b`` with its baseline in ``a`` (see ``baseline_for``)."""
    out = RunDiff()
    for rb in b.results:
        ra = baseline_for(rb, a)
        if ra is None:
            out.unmatched.append(rb.config)
            continue
        d = diff_results(ra, rb)
        out.changes += d.changes
        out.deltas += d.deltas
    return out


# ---------------------------------------------------------------- gate


def _cells(result: EvalResult, scores: Sequence[CellScore], limit: int = 10) -> str:
    """``doc:cell, …`` for the first ``limit`` cells; a failed document is named once."""
    failed = {f.document for f in result.failed}
    names = [f"{s.document}:{s.cell}" for s in scores if s.document not in failed]
    more = f" … and {len(names) - limit} more" if len(names) > limit else ""
    docs = sorted({s.document for s in scores} & failed)
    shown = [*(f"{d} (failed: every cell)" for d in docs), *names[:limit]]
    return ", ".join(shown) + more


def check_thresholds(result: EvalResult, thresholds: Thresholds,
                     baseline: EvalResult | None = None) -> list[str]:
    """The violations of the gate, each a sentence naming the cells behind it."""
    t, m, out = thresholds, result.overall, []
    silent = [s for s in result.errors if s.silent]
    if t.max_silent_errors is not None and m.silent_errors > t.max_silent_errors:
        out.append(f"{m.silent_errors} silent errors (max {t.max_silent_errors}): "
                   f"{_cells(result, silent)}")
    rate = m.silent_error_rate
    if t.max_silent_error_rate is not None and rate is not None and rate > t.max_silent_error_rate:
        out.append(f"silent-error rate {rate:.4f} (max {t.max_silent_error_rate}): "
                   f"{_cells(result, silent)}")
    if t.max_hallucinated is not None and m.hallucinated > t.max_hallucinated:
        halluc = [s for s in result.errors if s.outcome is Verdict.HALLUCINATED]
        out.append(f"{m.hallucinated} hallucinated cells (max {t.max_hallucinated}): "
                   f"{_cells(result, halluc)}")
    if t.max_failed_documents is not None and len(result.failed) > t.max_failed_documents:
        out.append(f"{len(result.failed)} failed documents (max {t.max_failed_documents}): "
                   + ", ".join(f.document for f in result.failed))
    if t.min_accuracy is not None and (m.accuracy or 0.0) < t.min_accuracy:
        out.append(f"cell accuracy {m.accuracy or 0.0:.4f} (min {t.min_accuracy}): "
                   f"{_cells(result, result.errors)}")
    if t.min_flag_recall is not None and m.flag_recall is not None \
            and m.flag_recall < t.min_flag_recall:
        out.append(f"flag recall {m.flag_recall:.4f} (min {t.min_flag_recall}): "
                   f"{_cells(result, silent)}")
    if t.min_flag_precision is not None and m.errors and (m.flag_precision or 0.0) < t.min_flag_precision:
        out.append(f"flag precision {m.flag_precision or 0.0:.4f} (min {t.min_flag_precision}): "
                   f"{m.flagged} cells flagged for {m.caught} errors caught")
    flagged_rate = m.flagged / m.cells if m.cells else 0.0
    if t.max_flagged_rate is not None and flagged_rate > t.max_flagged_rate:
        out.append(f"{m.flagged} of {m.cells} cells flagged, {flagged_rate:.4f} (max {t.max_flagged_rate})")
    if t.max_review_per_document is not None:
        heavy = {d: dm.flagged for d, dm in result.by_document.items() if dm.flagged > t.max_review_per_document}
        if heavy:
            out.append(f"{len(heavy)} documents with more than {t.max_review_per_document} cells to review: "
                       + ", ".join(f"{d} ({n})" for d, n in sorted(heavy.items())[:10]))
    if t.min_documents_correct is not None and m.documents_correct < t.min_documents_correct:
        out.append(f"{m.documents_correct} documents entirely correct "
                   f"(min {t.min_documents_correct})")
    for table, least in sorted(t.min_accuracy_by_table.items()):
        tm = result.by_table.get(table)
        if tm is not None and (tm.accuracy or 0.0) < least:
            wrong = [s for s in result.errors if s.table == table]
            out.append(f"table {table} accuracy {tm.accuracy or 0.0:.4f} (min {least}): "
                       f"{_cells(result, wrong)}")
    if t.no_regressions and baseline is not None:
        worse = diff_results(baseline, result).cells("worse")
        if worse:
            out.append(f"{len(worse)} cells worse than the baseline: "
                       + ", ".join(f"{c.document}:{c.cell} ({c.before} → {c.after})"
                                   for c in worse[:10]))
    return [f"{result.config}: {v}" for v in out]
