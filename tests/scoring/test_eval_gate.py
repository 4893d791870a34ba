"""The regression gate: the rule path must meet eval/thresholds.toml on the bundled goldens."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import DOCS, GOLDENS, ROOT

from extractor.cli import main

THRESHOLDS = ROOT / "eval" / "thresholds.toml"
BASELINE = ROOT / "eval" / "runs" / "baseline"


def _eval(tmp_path: Path, *extra: str) -> tuple[int, str, Path]:
    out = tmp_path / "runs"
    result = CliRunner().invoke(main, ["eval", "--docs", str(DOCS), "--goldens", str(GOLDENS),
                                       "--thresholds", str(THRESHOLDS), "--baseline", str(BASELINE),
                                       "--out-dir", str(out), *extra])
    runs = sorted(out.iterdir()) if out.exists() else []
    return result.exit_code, result.output, runs[-1] if runs else out


def test_the_rule_path_passes_the_gate_on_the_bundled_goldens(tmp_path: Path) -> None:
    code, output, run = _eval(tmp_path)
    assert code == 0, output
    assert "gate passed" in output
    result = json.loads((run / "result.json").read_text("utf-8"))
    metrics = result["results"][0]["overall"]
    assert metrics["silent_errors"] == 0
    for name in ("report.md", "records.jsonl", "errors.jsonl"):
        assert (run / name).is_file()


def test_a_deliberately_broken_parser_fails_the_gate(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from extractor import values as tokens

    real = tokens.parse_value

    def off_by_one(text: str, *, amount: bool = False) -> int | float | None:
        value = real(text, amount=amount)
        return value + 1 if isinstance(value, int) and value > 10 else value

    monkeypatch.setattr(tokens, "parse_value", off_by_one)
    monkeypatch.setattr("extractor.parse.cells.parse_value", off_by_one)
    code, output, _ = _eval(tmp_path)
    assert code == 1
    assert "silent" in output.lower()
    assert "t2.licensing.decisions" in output  # the regressed cells are named


def test_eval_scores_another_directory_of_reports_and_goldens(tmp_path: Path) -> None:
    docs, goldens = tmp_path / "docs", tmp_path / "goldens"
    docs.mkdir()
    goldens.mkdir()
    shutil.copy(DOCS / "002_49469f21e3e534d6.txt", docs / "mine.txt")
    golden = json.loads((GOLDENS / "002_49469f21e3e534d6.json").read_text("utf-8"))
    golden["document"] = "mine.txt"
    (goldens / "mine.json").write_text(json.dumps(golden, ensure_ascii=False), "utf-8")
    result = CliRunner().invoke(main, ["eval", "--docs", str(docs), "--goldens", str(goldens),
                                       "--out-dir", str(tmp_path / "runs")])
    assert result.exit_code == 0, result.output
    assert "documents entirely correct" in result.output


def _records_with(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    """The baseline's records with ``change`` applied to each, as a file to re-score."""
    lines = (BASELINE / "records.jsonl").read_text("utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    for record in records:
        change(record)
    path = tmp_path / "changed.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def _gate(tmp_path: Path, records: Path) -> tuple[int, str]:
    code, output, _ = _eval(tmp_path, "--records", str(records), "--config", "rule")
    return code, " ".join(output.split())


def test_the_baselines_own_records_pass_the_gate(tmp_path: Path) -> None:
    code, output = _gate(tmp_path, _records_with(tmp_path, lambda r: None))
    assert code == 0, output


def test_one_wrong_cell_fails_the_gate_even_when_flagged(tmp_path: Path) -> None:
    def one_wrong(record: dict[str, Any]) -> None:
        if record["document"] == "002_49469f21e3e534d6.txt":
            cell = record["cells"]["t3.new.total"]
            cell["value"] += 1
            cell["flags"] = ["ambiguous_alignment"]  # flagged, so not silent: accuracy alone must catch it

    code, output = _gate(tmp_path, _records_with(tmp_path, one_wrong))
    assert code == 1
    assert "cell accuracy" in output and "t3.new.total" in output
    assert "silent errors (max" not in output


def test_flagging_every_cell_fails_the_gate(tmp_path: Path) -> None:
    def all_flagged(record: dict[str, Any]) -> None:
        for cell in record["cells"].values():
            cell["flags"], cell["confidence"] = ["ambiguous_alignment"], 0.1

    code, output = _gate(tmp_path, _records_with(tmp_path, all_flagged))
    assert code == 1
    assert "cells flagged" in output and "cells to review" in output


def test_a_regression_against_the_baseline_fails_the_gate(tmp_path: Path) -> None:
    lenient = tmp_path / "lenient.toml"
    lenient.write_text("no_regressions = true\n", "utf-8")  # only the baseline comparison gates

    def one_worse(record: dict[str, Any]) -> None:
        if record["document"] == "000_c177902358b96c63.txt":
            record["cells"]["t4.review.total"]["value"] = None

    out = tmp_path / "runs"
    result = CliRunner().invoke(main, ["eval", "--goldens", str(GOLDENS), "--records",
                                       str(_records_with(tmp_path, one_worse)), "--config", "rule",
                                       "--thresholds", str(lenient), "--baseline", str(BASELINE),
                                       "--out-dir", str(out)])
    output = " ".join(result.output.split())
    assert result.exit_code == 1, output
    assert "1 cells worse than the baseline" in output and "t4.review.total" in output
