"""Render eval results: rich tables for the terminal, Markdown, and a plot of accuracy vs cost.

In: a ``Run`` (and optionally a baseline ``Run`` or a ``RunDiff``).
Out: rich renderables, ``report.md`` text, ``plot.png``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table

from .metrics import EvalResult, Metrics
from .runs import Run, RunDiff, baseline_for

log = logging.getLogger(__name__)

REPORT_FILE = "report.md"
PLOT_FILE = "plot.png"
RELIABILITY_FILE = "reliability.png"

Rows = list[list[str]]
_Getter = Callable[[EvalResult], float | int | None]


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.2f}%"


def _num(x: float | int | None) -> str:
    if x is None:
        return "—"
    return str(x) if isinstance(x, int) else f"{x:.4g}"


# (label, getter, formatter, higher is better)
_ROWS: list[tuple[str, _Getter, Callable[[float | None], str], bool]] = [
    ("cells scored", lambda r: r.overall.cells, _num, True),
    ("correct", lambda r: r.overall.correct, _num, True),
    ("cell accuracy", lambda r: r.overall.accuracy, _pct, True),
    ("silent errors", lambda r: r.overall.silent_errors, _num, False),
    ("silent-error rate", lambda r: r.overall.silent_error_rate, _pct, False),
    ("caught errors (flagged)", lambda r: r.overall.caught, _num, True),
    ("flag recall", lambda r: r.overall.flag_recall, _pct, True),
    ("flag precision", lambda r: r.overall.flag_precision, _pct, True),
    ("review items per document", lambda r: r.review.items_per_document if r.review else None, _num, False),
    ("review cells per document", lambda r: r.review.cells_per_document if r.review else None, _num, False),
    ("review items holding an error", lambda r: r.review.item_precision if r.review else None, _pct, True),
    ("wrong cells in the review queue", lambda r: r.review.queue_recall if r.review else None, _pct, True),
    ("hallucinated", lambda r: r.overall.hallucinated, _num, False),
    ("missing", lambda r: r.overall.missing, _num, False),
    ("documents", lambda r: r.overall.documents, _num, True),
    ("documents entirely correct", lambda r: r.overall.documents_correct, _num, True),
    ("failed documents", lambda r: len(r.failed), _num, False),
    ("gaps the text can close", lambda r: r.gaps.gaps if r.gaps else None, _num, True),
    ("gaps filled right", lambda r: r.gaps.filled_right if r.gaps else None, _num, True),
    ("gap fill rate", lambda r: r.gaps.fill_rate if r.gaps else None, _pct, True),
    ("gaps filled wrong, caught", lambda r: r.gaps.filled_wrong_caught if r.gaps else None, _num, False),
    ("gaps filled wrong, silent", lambda r: r.gaps.filled_wrong_silent if r.gaps else None, _num, False),
    ("gaps left alone", lambda r: r.gaps.left_alone if r.gaps else None, _num, False),
    ("gap questions", lambda r: r.gaps.questions if r.gaps else None, _num, False),
    ("LLM seconds per gap question", lambda r: r.gaps.seconds_per_question if r.gaps else None, _num, False),
    ("LLM seconds per filled cell", lambda r: r.gaps.seconds_per_filled if r.gaps else None, _num, False),
    ("LLM tokens per filled cell", lambda r: r.gaps.tokens_per_filled if r.gaps else None, _num, False),
    ("LLM calls", lambda r: r.usage.calls, _num, False),
    ("input tokens", lambda r: r.usage.input_tokens, _num, False),
    ("output tokens", lambda r: r.usage.output_tokens, _num, False),
    ("cost (USD)", lambda r: r.usage.cost_usd, _num, False),
    ("cost per document (USD)", lambda r: r.usage.cost_per_document, _num, False),
    ("LLM latency per document (s)", lambda r: r.usage.latency_per_document, _num, False),
    ("seconds per document", lambda r: r.usage.seconds_per_document, _num, False),
]


def comparison_rows(results: Sequence[EvalResult], baseline: Run | None = None
                    ) -> tuple[list[str], Rows]:
    """Metrics as rows, configs side by side; with a baseline each value carries its delta."""
    headers = ["metric", *(r.config for r in results)]
    rows: Rows = []
    for label, get, fmt, _ in _ROWS:
        row = [label]
        for r in results:
            text, base = fmt(get(r)), baseline_for(r, baseline)
            now, then = get(r), get(base) if base is not None else None
            if base is not None and now is not None and then is not None and now != then:
                delta = now - then
                shown = _pct(delta) if fmt is _pct else _num(delta)
                text += f" ({'+' if delta > 0 else ''}{shown})"
            row.append(text)
        rows.append(row)
    return headers, rows


def breakdown_rows(result: EvalResult, by: str) -> tuple[list[str], Rows]:
    groups: dict[str, Metrics] = getattr(result, by)
    # Short headers keep nine columns inside an 80-column terminal.
    headers = [by.removeprefix("by_"), "cells", "correct", "acc.", "silent", "flag rec.",
               "flag prec.", "halluc.", "docs ok"]
    rows = [[k, str(m.cells), str(m.correct), _pct(m.accuracy), str(m.silent_errors),
             _pct(m.flag_recall), _pct(m.flag_precision), str(m.hallucinated),
             f"{m.documents_correct}/{m.documents}"] for k, m in groups.items()]
    return headers, rows


def reliability_rows(result: EvalResult) -> tuple[list[str], Rows]:
    """Review items per confidence bin: the error rate their confidence predicts, and the one observed."""
    headers = ["item confidence", "items", "wrong", "predicted error", "observed error"]
    bins = result.review.reliability if result.review else []
    rows = [[f"[{b.low:.2f}, {b.high:.2f}{']' if b.high >= 1 else ')'}", str(b.items), str(b.wrong),
             _pct(b.predicted_error), _pct(b.observed_error)] for b in bins]
    return headers, rows


def calibration_rows(result: EvalResult) -> tuple[list[str], Rows]:
    headers = ["confidence", "cells", "correct", "accuracy", "mean confidence"]
    rows = [[f"[{b.low:.2f}, {b.high:.2f}{']' if b.high >= 1 else ')'}", str(b.cells),
             str(b.correct), _pct(b.accuracy), _num(b.mean_confidence)]
            for b in result.calibration]
    return headers, rows


def _short(value: object, limit: int = 80, none: str = "null") -> str:
    text = none if value is None else str(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def error_rows(result: EvalResult) -> tuple[list[str], Rows]:
    """Every wrong cell, except those of failed documents (listed with the failures)."""
    failed = {f.document for f in result.failed}
    headers = ["document", "cell", "outcome", "got", "want", "flags", "evidence"]
    rows = [[s.document, s.cell, str(s.outcome), _short(s.got), _short(s.want),
             ", ".join(s.flags) or "—", _short(s.evidence, none="—")]
            for s in result.errors if s.document not in failed]
    return headers, rows


def failed_rows(result: EvalResult) -> tuple[list[str], Rows]:
    cells = result.by_document
    return (["document", "cells missing", "error"],
            [[f.document, str(cells[f.document].cells if f.document in cells else 0),
              f.error or ""] for f in result.failed])


def diff_rows(diff: RunDiff) -> tuple[tuple[list[str], Rows], tuple[list[str], Rows]]:
    """(cells that changed, metric deltas that are not zero)."""
    cells = (["config", "document", "cell", "direction", "before", "after", "want"],
             [[c.config, c.document, c.cell, c.direction,
               f"{c.before} ({_short(c.got_before)})", f"{c.after} ({_short(c.got_after)})",
               _short(c.want)] for c in diff.changes])
    deltas = (["config", "scope", "metric", "before", "after", "delta"],
              [[d.config, d.scope, d.metric, _num(d.before), _num(d.after), _num(d.delta)]
               for d in diff.deltas if d.before != d.after])
    return cells, deltas


# ---------------------------------------------------------------- rich


def rich_table(title: str, headers: list[str], rows: Rows) -> Table:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
                  collapse_padding=True, show_edge=False)
    for i, h in enumerate(headers):
        table.add_column(h, justify="left" if i == 0 else "right", overflow="fold")
    for row in rows:
        table.add_row(*row)
    return table


def print_run(console: Console, run: Run, baseline: Run | None = None,
              breakdowns: bool = True) -> None:
    """The side-by-side table of configs, then each config's breakdowns and failures."""
    tables = [rich_table("configs" + (" (Δ vs baseline)" if baseline else ""),
                         *comparison_rows(run.results, baseline))]
    for r in run.results:
        if breakdowns:
            tables.append(rich_table(f"{r.config}: by table", *breakdown_rows(r, "by_table")))
            tables.append(rich_table(f"{r.config}: by method", *breakdown_rows(r, "by_method")))
            if r.review and r.review.items:
                tables.append(rich_table(f"{r.config}: review items by confidence (reliability)",
                                         *reliability_rows(r)))
        if r.failed:
            tables.append(rich_table(f"{r.config}: failed documents", *failed_rows(r)))
        if r.unscored:
            tables.append(rich_table(f"{r.config}: not scored", ["document", "reason"],
                                     [[u.document, u.reason] for u in r.unscored]))
    for table in tables:
        console.print(table)
        console.print()


def print_diff(console: Console, diff: RunDiff) -> None:
    (ch, cr), (dh, dr) = diff_rows(diff)
    title = (f"cells: {len(diff.cells('better'))} better, {len(diff.cells('worse'))} worse, "
             f"{len(diff.cells('changed'))} changed")
    console.print(rich_table(title, ch, cr) if cr else title)
    console.print(rich_table("metric deltas", dh, dr) if dr else "metrics: no change")
    if diff.unmatched:
        console.print(f"no baseline for: {', '.join(diff.unmatched)}")


# ---------------------------------------------------------------- markdown


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown_table(headers: list[str], rows: Rows) -> str:
    if not rows:
        return "_none_\n"
    lines = ["| " + " | ".join(_md_cell(h) for h in headers) + " |",
             "|" + "|".join(["---"] * len(headers)) + "|"]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def to_markdown(run: Run, baseline: Run | None = None, diff: RunDiff | None = None) -> str:
    """``report.md``: configs side by side, breakdowns, calibration, failures, every error."""
    parts = [f"# Eval run {run.name}\n",
             f"Created {run.created}; documents {run.docs or '—'}; goldens {run.goldens or '—'}.\n",
             "## Configs\n", markdown_table(*comparison_rows(run.results, baseline))]
    if diff is not None:
        (ch, cr), (dh, dr) = diff_rows(diff)
        parts += ["## Against the baseline\n", markdown_table(dh, dr),
                  "### Cells that changed\n", markdown_table(ch, cr)]
    for r in run.results:
        parts.append(f"## {r.config}\n")
        for by in ("by_table", "by_method", "by_format", "by_document"):
            parts += [f"### {by.replace('_', ' ')}\n", markdown_table(*breakdown_rows(r, by))]
        parts += ["### Calibration\n", markdown_table(*calibration_rows(r))]
        parts += ["### Review items by confidence (reliability)\n", markdown_table(*reliability_rows(r))]
        parts += ["### Failed documents\n", markdown_table(*failed_rows(r))]
        if r.unscored:
            parts += ["### Not scored\n", markdown_table(
                ["document", "reason"], [[u.document, u.reason] for u in r.unscored])]
        headers, rows = error_rows(r)
        parts += [f"### Errors ({len(rows)}, failed documents aside)\n",
                  markdown_table(headers, rows)]
    return "\n".join(parts)


# ---------------------------------------------------------------- plot


def _seconds(r: EvalResult) -> float:
    # Extraction wall time includes the model's latency when the pipeline measured it.
    return max(r.usage.seconds_per_document, r.usage.latency_per_document)


def plot_accuracy_vs_cost(results: Sequence[EvalResult], path: Path) -> Path | None:
    """Cell accuracy per config against cost and time per document. None without matplotlib."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        log.warning("no %s written: the plot needs matplotlib, pip install 'nianbao[plots]'", path.name)
        return None
    fig = Figure(figsize=(10, 4), dpi=100)
    axes = fig.subplots(1, 2, sharey=True)
    panels: list[tuple[str, Callable[[EvalResult], float]]] = [
        ("cost per document (USD)", lambda r: r.usage.cost_per_document),
        ("seconds per document", _seconds)]
    lowest = min((100 * (r.overall.accuracy or 0.0) for r in results), default=0.0)
    for ax, (label, x_of) in zip(axes, panels, strict=True):
        xs = [x_of(r) for r in results]
        for r, x in zip(results, xs, strict=True):
            y = 100 * (r.overall.accuracy or 0.0)
            ax.scatter([x], [y])
            ax.annotate(f"{r.config} ({r.overall.silent_errors} silent)", (x, y),
                        textcoords="offset points", xytext=(5, 5), fontsize=8)
        right = max(xs, default=0.0) * 1.3 or 1.0
        ax.set_xlim(-0.03 * right, right)
        ax.set_xlabel(label)
        ax.grid(True, alpha=0.3)
    axes[0].set_ylim(max(0.0, lowest - 1.0), 100.5)
    axes[0].set_ylabel("cell accuracy (%)")
    fig.suptitle("accuracy vs cost")
    fig.tight_layout()
    fig.savefig(path)
    return path


def plot_reliability(results: Sequence[EvalResult], path: Path) -> Path | None:
    """Observed against predicted error rate of the review items, per confidence bin and config (a point's
    size: its items); the diagonal is perfect calibration. None without matplotlib or review items."""
    measured = [r for r in results if r.review and r.review.items]
    if not measured:
        return None
    try:
        from matplotlib.figure import Figure
    except ImportError:
        log.warning("no %s written: the plot needs matplotlib, pip install 'nianbao[plots]'", path.name)
        return None
    fig = Figure(figsize=(5, 5), dpi=100)
    ax = fig.subplots()
    ax.plot([0, 100], [0, 100], color="grey", linewidth=1, linestyle="--")
    for r in measured:
        assert r.review is not None
        bins = [b for b in r.review.reliability if b.items]
        ax.scatter([100 * (b.predicted_error or 0.0) for b in bins], [100 * (b.observed_error or 0.0) for b in bins],
                   s=[20 + 180 * b.items / r.review.items for b in bins], label=r.config, alpha=0.7)
    ax.set_xlim(-2, 102)
    ax.set_ylim(-2, 102)
    ax.set_xlabel("predicted error (1 − mean confidence, %)")
    ax.set_ylabel("observed error (items holding a wrong cell, %)")
    ax.set_title("review items: reliability")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    return path


def write_report(run_dir: Path, run: Run, baseline: Run | None = None,
                 diff: RunDiff | None = None) -> None:
    """Write ``report.md``, ``plot.png`` and ``reliability.png`` into a run folder."""
    (run_dir / REPORT_FILE).write_text(to_markdown(run, baseline, diff), "utf-8")
    plot_accuracy_vs_cost(run.results, run_dir / PLOT_FILE)
    plot_reliability(run.results, run_dir / RELIABILITY_FILE)
