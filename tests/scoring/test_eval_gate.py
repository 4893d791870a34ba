"""The regression gate: the rule path must meet eval/thresholds.toml on the bundled goldens."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DOCS, GOLDENS, ROOT

from extractor.cli import main

THRESHOLDS = ROOT / "eval" / "thresholds.toml"


def _eval(tmp_path: Path, *extra: str) -> tuple[int, str, Path]:
    out = tmp_path / "runs"
    result = CliRunner().invoke(main, ["eval", "--docs", str(DOCS), "--goldens", str(GOLDENS),
                                       "--thresholds", str(THRESHOLDS), "--out-dir", str(out),
                                       *extra])
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
