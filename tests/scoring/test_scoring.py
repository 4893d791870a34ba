"""The eval engine: hand-made records with known errors, and every metric checked exactly."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import ROOT

from extractor.cli.eval import eval_cmd
from extractor.errors import ConfigError
from extractor.records import Cell, Evidence, Method, Record, Usage
from extractor.scoring import (
    EvalResult,
    Golden,
    Metrics,
    Run,
    Thresholds,
    Verdict,
    calibration,
    check_thresholds,
    diff_runs,
    evaluate_records,
    load_configs,
    load_goldens,
    load_records,
    load_run,
    save_run,
    score_cell,
    values_equal,
    write_records,
)
from extractor.scoring.configs import EvalConfig, run_config
from extractor.scoring.metrics import Unscored
from extractor.scoring.runs import run_dir_for

GOLDENS: dict[str, dict[str, int | float | str | None]] = {
    "a.txt": {"meta.agency": "某局", "meta.year": 2022, "meta.template": "2021",
              "t2.fees.amount": 3.65, "t3.new.natural_person": 18, "t3.new.total": 18,
              "t3.total.total": None, "t4.review.total": 1},
    "b.html": {"meta.agency": "乙局", "t3.new.total": 5, "t4.review.total": 0},
    "c.pdf": {"t3.new.total": 2, "t4.review.total": 0},
    "d.docx": {"meta.agency": "丁局", "t3.new.total": 0},
    "e.txt": {"t3.new.total": 0},
}


def cell(value: Any, confidence: float, method: str = "rule", flags: tuple[str, ...] = (),
         evidence: str | None = None) -> Cell:
    ev = Evidence(text=evidence, start=0, end=len(evidence)) if evidence else None
    return Cell(value=value, confidence=confidence, method=Method(method), flags=list(flags),
                evidence=ev)


def goldens() -> dict[str, Golden]:
    return {d: Golden(document=d, cells=c, notes="") for d, c in GOLDENS.items()}


def extractions() -> list[Record]:
    """Known errors: A has a silent wrong value, a hallucination and a missing cell;
    B a flagged null; C failed; D is right; the unknown document has no golden."""
    a = Record(document="a.txt", status="needs_review", seconds=0.5, cells={
        "meta.agency": cell(" 某局 ", 1.0),
        "meta.year": cell(2022.0, 0.99),
        "meta.template": cell("2021", 0.99),
        "t2.fees.amount": cell(3.6500000001, 0.9),
        "t3.new.natural_person": cell(81, 0.95, evidence="本年新收 81 0 0"),
        "t3.new.total": cell(18, 0.6, "derived", ("derived_total",)),
        "t3.total.total": cell(7, 0.5, "llm"),
        "t2.rules.issued": cell(0, 1.0),
    })
    b = Record(document="b.html", status="needs_review", format="html", seconds=1.5, cells={
        "meta.agency": cell("乙局", 0.99),
        "t3.new.total": cell(None, 0.7, "llm", ("not_in_source",)),
        "t4.review.total": cell(0, 1.0, "review"),
    })
    c = Record(document="c.pdf", status="failed", format="pdf", error="encrypted")
    d = Record(document="d.docx", status="ok", cells={
        "meta.agency": cell("丁局", 0.99), "t3.new.total": cell(0.0, 0.99)})
    unknown = Record(document="unknown.txt", status="ok")
    b.usage = Usage(calls=1, input_tokens=100, output_tokens=50, cost_usd=0.01, latency_s=1.0)
    d.usage = Usage(calls=2, input_tokens=1000, output_tokens=500, latency_s=3.0)
    unknown.usage = Usage(calls=99, cost_usd=9.0)
    return [a, b, c, d, unknown]


def result() -> EvalResult:
    return evaluate_records("hand", extractions(), goldens(), path="rule",
                            price_in=1.0, price_out=2.0)


def m(cells: int, correct: int, silent: int, flagged: int, caught: int, hallucinated: int,
      missing: int, documents: int, documents_correct: int) -> Metrics:
    errors = cells - correct
    return Metrics(cells=cells, correct=correct, accuracy=correct / cells, errors=errors,
                   silent_errors=silent, silent_error_rate=silent / cells, flagged=flagged,
                   caught=caught, flag_recall=caught / errors if errors else None,
                   flag_precision=caught / flagged if flagged else None,
                   hallucinated=hallucinated, missing=missing, documents=documents,
                   documents_correct=documents_correct)


# ---------------------------------------------------------------- one cell


@pytest.mark.parametrize(("cell_id", "got", "want", "equal"), [
    ("t3.new.total", 7, 7.0, True),
    ("t3.new.total", 7.0, 7, True),
    ("t3.new.total", 7.5, 7, False),
    ("t3.new.total", 7, 8, False),
    ("t3.new.total", "7", 7, False),
    ("t3.new.total", None, 0, False),
    ("t3.new.total", 0, None, False),
    ("t3.new.total", None, None, True),
    ("t3.new.total", float("nan"), 0, False),
    ("t2.fees.amount", 3.6500004, 3.65, True),
    ("t2.fees.amount", 3.651, 3.65, False),
    ("t2.fees.amount", 7, 7.0, True),
    ("t2.procurement.amount", 199.927, 199.927000001, True),
    ("meta.agency", " 杭州市教育局\n", "杭州市教育局", True),
    ("meta.agency", "杭州市教育局", "杭州市", False),
    ("meta.template", 2021, "2021", False),
    ("meta.year", 2022.0, 2022, True),
])
def test_values_equal(cell_id: str, got: Any, want: Any, equal: bool) -> None:
    assert values_equal(cell_id, got, want) is equal


def test_score_cell_outcomes_and_explanation() -> None:
    s = score_cell("x.txt", "t3.new.total", 18, cell(81, 0.9, evidence="总计 81"))
    assert (s.outcome, s.silent, s.evidence) == (Verdict.WRONG, True, "总计 81")
    assert s.explain() == "golden 18, got 81, flagged: no"
    s = score_cell("x.txt", "t3.new.total", 18, cell(81, 0.9, flags=("checksum_failed",)))
    assert (s.outcome, s.silent) == (Verdict.WRONG_FLAGGED, False)
    assert s.explain() == "golden 18, got 81, flagged: checksum_failed"
    s = score_cell("x.txt", "t3.new.total", None, cell(3, 0.9))
    assert (s.outcome, s.silent) == (Verdict.HALLUCINATED, True)
    s = score_cell("x.txt", "t3.new.total", None, cell(3, 0.9, flags=("not_in_source",)))
    assert (s.outcome, s.silent) == (Verdict.HALLUCINATED, False)
    s = score_cell("x.txt", "t3.new.total", 18, None)
    assert (s.outcome, s.silent, s.method) == (Verdict.MISSING, True, None)
    assert s.explain() == "golden 18, missing from the record"
    s = score_cell("x.txt", "t3.new.total", 18, cell(18.0, 0.9, "derived", ("derived_total",)))
    assert (s.outcome, s.silent, s.flagged, s.method) == (Verdict.CORRECT, False, True, "derived")


# ---------------------------------------------------------------- metrics


def test_overall_metrics() -> None:
    r = result()
    # c.pdf failed: its two golden cells are wrong but caught (a visible failure), not silent
    assert r.overall == m(cells=15, correct=9, silent=3, flagged=4, caught=3, hallucinated=1,
                          missing=1, documents=4, documents_correct=1)
    assert r.overall.flag_recall == 3 / 6
    assert r.overall.flag_precision == 3 / 4
    assert r.config == "hand" and r.path == "rule"


def test_metrics_by_table() -> None:
    by = result().by_table
    assert list(by) == ["meta", "t2", "t3", "t4"]
    assert by["meta"] == m(5, 5, 0, 0, 0, 0, 0, documents=3, documents_correct=3)
    assert by["meta"].flag_recall is None and by["meta"].flag_precision is None
    assert by["t2"] == m(1, 1, 0, 0, 0, 0, 0, documents=1, documents_correct=1)
    assert by["t3"] == m(6, 2, silent=2, flagged=3, caught=2, hallucinated=1, missing=0,
                         documents=4, documents_correct=1)
    assert by["t4"] == m(3, 1, silent=1, flagged=1, caught=1, hallucinated=0, missing=1,
                         documents=3, documents_correct=1)
    assert by["t4"].flag_recall == 0.5 and by["t4"].flag_precision == 1.0


def test_metrics_by_method() -> None:
    by = result().by_method
    assert list(by) == ["derived", "llm", "none", "review", "rule"]
    assert by["rule"] == m(8, 7, silent=1, flagged=0, caught=0, hallucinated=0, missing=0,
                           documents=3, documents_correct=2)
    assert by["derived"] == m(1, 1, 0, flagged=1, caught=0, hallucinated=0, missing=0,
                              documents=1, documents_correct=1)
    assert by["derived"].flag_precision == 0.0
    assert by["llm"] == m(2, 0, silent=1, flagged=1, caught=1, hallucinated=1, missing=0,
                          documents=2, documents_correct=0)
    assert by["review"] == m(1, 1, 0, 0, 0, 0, 0, documents=1, documents_correct=1)
    assert by["none"] == m(3, 0, silent=1, flagged=2, caught=2, hallucinated=0, missing=1,
                           documents=2, documents_correct=0)


def test_metrics_by_document_and_format() -> None:
    r = result()
    assert list(r.by_document) == ["a.txt", "b.html", "c.pdf", "d.docx"]
    assert r.by_document["a.txt"] == m(8, 5, silent=3, flagged=1, caught=0, hallucinated=1,
                                       missing=1, documents=1, documents_correct=0)
    assert r.by_document["b.html"] == m(3, 2, silent=0, flagged=1, caught=1, hallucinated=0,
                                        missing=0, documents=1, documents_correct=0)
    assert r.by_document["c.pdf"] == m(2, 0, silent=0, flagged=2, caught=2, hallucinated=0,
                                       missing=0, documents=1, documents_correct=0)
    assert r.by_document["d.docx"] == m(2, 2, 0, 0, 0, 0, 0, documents=1, documents_correct=1)
    # format: the record's field (b, c), else the extension (a → text, d → docx)
    assert {k: v.cells for k, v in r.by_format.items()} == {
        "docx": 2, "html": 3, "pdf": 2, "text": 8}
    assert r.by_format["text"] == r.by_document["a.txt"]


def test_errors_failures_and_unscored() -> None:
    r = result()
    assert [(e.document, e.cell, e.outcome) for e in r.errors] == [
        ("a.txt", "t3.new.natural_person", Verdict.WRONG),
        ("a.txt", "t3.total.total", Verdict.HALLUCINATED),
        ("a.txt", "t4.review.total", Verdict.MISSING),
        ("b.html", "t3.new.total", Verdict.WRONG_FLAGGED),
        ("c.pdf", "t3.new.total", Verdict.FAILED),
        ("c.pdf", "t4.review.total", Verdict.FAILED),
    ]
    assert r.errors[0].evidence == "本年新收 81 0 0"
    assert [(f.document, f.error) for f in r.failed] == [("c.pdf", "encrypted")]
    assert r.unscored == [Unscored(document="unknown.txt", reason="no golden"),
                          Unscored(document="e.txt", reason="no record")]


def test_usage_and_cost() -> None:
    u = result().usage
    # unknown.txt has no golden: its 99 calls are not counted
    assert (u.documents, u.calls, u.input_tokens, u.output_tokens) == (4, 3, 1100, 550)
    # b reports 0.01; d is priced: 1000 × 1.0 + 500 × 2.0 per 1M tokens = 0.002
    assert u.cost_usd == pytest.approx(0.012)
    assert u.cost_per_document == pytest.approx(0.003)
    assert (u.latency_s, u.latency_per_document) == (4.0, 1.0)
    assert u.seconds_per_document == 0.5


def test_calibration() -> None:
    buckets = result().calibration
    assert [(b.low, b.high, b.cells, b.correct) for b in buckets] == [
        (0.0, 0.5, 0, 0), (0.5, 0.8, 3, 1), (0.8, 0.9, 0, 0), (0.9, 0.95, 1, 1),
        (0.95, 0.99, 1, 0), (0.99, 1.0, 7, 7)]
    assert buckets[0].accuracy is None and buckets[0].mean_confidence is None
    assert buckets[1].accuracy == 1 / 3
    assert buckets[1].mean_confidence == pytest.approx(0.6)
    assert buckets[5].mean_confidence == pytest.approx(6.95 / 7)
    assert calibration([(1.0, True), (0.0, False)])[5].cells == 1


def test_duplicate_record_is_unscored() -> None:
    ex = extractions()
    r = evaluate_records("dup", [ex[3], ex[3]], goldens())
    assert r.overall.cells == 2
    assert Unscored(document="d.docx", reason="second record for this document") in r.unscored


# ---------------------------------------------------------------- runs, diff, gate


def _run(r: EvalResult) -> Run:
    return Run(name=r.config, created="2026-01-01T00:00:00", results=[r])


def test_records_roundtrip_keeps_usage(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    write_records(path, extractions())
    line = json.loads(path.read_text("utf-8").splitlines()[1])
    assert line["usage"]["calls"] == 1
    assert load_records(path) == extractions()


def test_load_records_rejects_garbage(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"document": "x.txt"}\n', "utf-8")
    with pytest.raises(ConfigError, match="bad.jsonl:1"):
        load_records(path)


def test_save_and_load_run(tmp_path: Path) -> None:
    run = _run(result())
    save_run(tmp_path / "run", run, {"hand": extractions()})
    assert load_run(tmp_path / "run") == run
    assert len((tmp_path / "run" / "errors.jsonl").read_text("utf-8").splitlines()) == 6
    assert len(load_records(tmp_path / "run" / "records.jsonl")) == 5


def test_diff_runs() -> None:
    before = result()
    ex = extractions()
    a = ex[0]
    cells = dict(a.cells)
    cells["t3.new.natural_person"] = cell(18, 0.95)          # wrong → correct
    cells["meta.year"] = cell(2021, 0.99, flags=("meta_uncertain",))  # correct → flagged
    ex[0] = a.model_copy(update={"cells": cells})
    after = evaluate_records("hand", ex, goldens(), price_in=1.0, price_out=2.0)
    diff = diff_runs(_run(before), _run(after))
    assert [(c.document, c.cell, c.before, c.after) for c in diff.cells("better")] == [
        ("a.txt", "t3.new.natural_person", Verdict.WRONG, Verdict.CORRECT)]
    assert [(c.cell, c.got_before, c.got_after) for c in diff.cells("worse")] == [
        ("meta.year", 2022, 2021)]
    overall = {d.metric: d for d in diff.deltas if d.scope == "overall"}
    assert overall["silent_errors"].delta == -1
    assert overall["accuracy"].delta == 0.0


def test_check_thresholds_names_cells() -> None:
    r = result()
    assert check_thresholds(r, Thresholds()) == []
    violations = check_thresholds(r, Thresholds(
        max_silent_errors=0, max_hallucinated=0, max_failed_documents=0, min_accuracy=0.5,
        min_flag_recall=0.5, min_documents_correct=2, min_accuracy_by_table={"meta": 1.0,
                                                                             "t3": 0.5}))
    assert violations == [
        "hand: 3 silent errors (max 0): "
        "a.txt:t3.new.natural_person, a.txt:t3.total.total, a.txt:t4.review.total",
        "hand: 1 hallucinated cells (max 0): a.txt:t3.total.total",
        "hand: 1 failed documents (max 0): c.pdf",
        "hand: 1 documents entirely correct (min 2)",
        "hand: table t3 accuracy 0.3333 (min 0.5): c.pdf (failed: every cell), "
        "a.txt:t3.new.natural_person, a.txt:t3.total.total, b.html:t3.new.total",
    ]


def test_no_regressions_against_baseline() -> None:
    good = evaluate_records("hand", extractions()[3:4], goldens())
    ex = extractions()[3]
    worse = ex.model_copy(update={"cells": {**ex.cells, "t3.new.total": cell(9, 0.99)}})
    bad = evaluate_records("hand", [worse], goldens())
    assert check_thresholds(bad, Thresholds(no_regressions=True), good) == [
        "hand: 1 cells worse than the baseline: d.docx:t3.new.total (correct → wrong)"]
    assert check_thresholds(good, Thresholds(no_regressions=True), good) == []


# ---------------------------------------------------------------- configs


def test_configs_file(tmp_path: Path) -> None:
    path = tmp_path / "configs.toml"
    path.write_text('[configs.qwen]\npath = "rule+llm"\n[configs.qwen.llm]\n'
                    'model = "qwen"\nprice_in = 0.5\n', "utf-8")
    configs = load_configs(path)
    assert sorted(configs) == ["qwen", "rule"]
    assert configs["qwen"].llm is not None and configs["qwen"].llm.price_in == 0.5
    assert configs["qwen"].settings_overrides() == {
        "llm": "fallback", "llm_model": "qwen", "llm_price_in": 0.5, "llm_price_out": 0.0}
    path.write_text('[configs.x]\npath = "magic"\n', "utf-8")
    with pytest.raises(ConfigError, match="configs.toml"):
        load_configs(path)


def test_bundled_configs_parse() -> None:
    configs = load_configs(ROOT / "eval" / "configs.toml")
    assert configs["rule"].path == "rule"


def test_llm_config_needs_an_endpoint() -> None:
    with pytest.raises(ConfigError, match="the LLM path needs an endpoint"):
        run_config(EvalConfig(name="q", path="llm"), [Path("x.txt")])


# ---------------------------------------------------------------- CLI


def _write_inputs(tmp: Path) -> tuple[Path, Path]:
    gdir = tmp / "goldens"
    gdir.mkdir()
    for g in goldens().values():
        (gdir / f"{Path(g.document).stem}.json").write_text(g.model_dump_json(), "utf-8")
    records = tmp / "hand.jsonl"
    write_records(records, extractions())
    return gdir, records


def test_cli_rescores_records_and_gates(tmp_path: Path) -> None:
    gdir, records = _write_inputs(tmp_path)
    thresholds = tmp_path / "t.toml"
    thresholds.write_text("max_silent_errors = 0\n", "utf-8")
    out = tmp_path / "runs"
    res = CliRunner().invoke(eval_cmd, ["--goldens", str(gdir), "--records", str(records),
                                        "--out-dir", str(out), "--thresholds", str(thresholds)])
    assert res.exit_code == 1, res.output
    assert "3 silent errors (max 0)" in res.output
    (run_dir,) = out.iterdir()
    assert run_dir.name.endswith("-hand")
    assert {p.name for p in run_dir.iterdir()} == {
        "result.json", "report.md", "errors.jsonl", "plot.png", "reliability.png", "records.jsonl"}
    report = (run_dir / "report.md").read_text("utf-8")
    assert "| a.txt | t3.new.natural_person | wrong | 81 | 18 | — | 本年新收 81 0 0 |" in report
    assert "| c.pdf | 2 | encrypted |" in report
    assert load_run(run_dir).results[0].overall.silent_errors == 3

    # re-scoring the saved records gives the same result, under the config's name
    res = CliRunner().invoke(eval_cmd, ["--goldens", str(gdir), "--records",
                                        str(run_dir / "records.jsonl"), "--out-dir", str(out),
                                        "--baseline", str(run_dir)])
    assert res.exit_code == 0, res.output
    (second,) = [p for p in out.iterdir() if p != run_dir]
    assert load_run(second).results[0].overall == load_run(run_dir).results[0].overall

    res = CliRunner().invoke(eval_cmd, ["diff", str(run_dir), str(second)])
    assert res.exit_code == 0, res.output
    assert "0 better, 0 worse" in res.output


def test_cli_extracts_with_the_pipeline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import extractor.scoring.configs

    gdir, _ = _write_inputs(tmp_path)
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("a.txt", "d.docx", "stray.txt"):
        (docs / name).write_text("x", "utf-8")
    by_name = {r.document: r for r in extractions()}
    seen: list[str] = []

    def fake_extract_file(path: Path, settings: object, llm: object = None) -> Record:
        seen.append(path.name)
        return by_name[path.name]

    monkeypatch.setattr(extractor.scoring.configs, "extract_file", fake_extract_file)
    out = tmp_path / "runs"
    res = CliRunner().invoke(eval_cmd, ["--docs", str(docs), "--goldens", str(gdir),
                                        "--out-dir", str(out)])
    assert res.exit_code == 0, res.output
    assert seen == ["a.txt", "d.docx"]
    (run_dir,) = out.iterdir()
    r = load_run(run_dir).results[0]
    assert (r.config, r.path, r.overall.cells, r.overall.correct) == ("rule", "rule", 10, 7)
    assert {u.document for u in r.unscored} == {"b.html", "c.pdf", "e.txt"}


def test_cli_llm_config_is_a_clean_error(tmp_path: Path) -> None:
    gdir, _ = _write_inputs(tmp_path)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("x", "utf-8")
    configs = tmp_path / "configs.toml"
    configs.write_text('[configs.q]\npath = "llm"\n', "utf-8")
    res = CliRunner().invoke(eval_cmd, ["--docs", str(docs), "--goldens", str(gdir),
                                        "--config", "q", "--configs-file", str(configs),
                                        "--out-dir", str(tmp_path / "runs")])
    assert res.exit_code == 2
    assert "the LLM path needs an endpoint" in res.output


def test_bundled_goldens_load() -> None:
    gs = load_goldens(ROOT / "goldens")
    assert len(gs) >= 5 and all(g.edition in ("2019", "2021") for g in gs.values())


def test_run_dir_names(tmp_path: Path) -> None:
    now = datetime(2026, 1, 2, 3, 4, 5)
    first = run_dir_for(tmp_path, "rule+qwen 1.5b", now)
    assert first.name == "20260102-030405-rule+qwen_1.5b"
    first.mkdir()
    again = run_dir_for(tmp_path, "rule+qwen 1.5b", now)
    assert again.name == "20260102-030405-rule+qwen_1.5b-2"
