"""A feature whose extra is not installed says, in one line, how to install it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DOCS, FIXTURES

from extractor.cli import main


def _without(monkeypatch: pytest.MonkeyPatch, *modules: str) -> None:
    """As if ``modules`` were not installed (and nothing of nianbao had imported them yet)."""
    for name in [m for m in sys.modules if m.startswith(("extractor.llm.openai_client", "extractor.service",
                                                         "extractor.batch.cluster", "extractor.batch.parquet"))]:
        monkeypatch.delitem(sys.modules, name)
    for module in modules:
        monkeypatch.setitem(sys.modules, module, None)


def _one_line(output: str) -> str:
    lines = [line for line in output.splitlines() if "pip install" in line]
    assert len(lines) == 1, output
    return lines[0]


def test_the_llm_path_without_the_llm_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _without(monkeypatch, "instructor")
    doc = sorted(DOCS.glob("*.txt"))[0]
    result = CliRunner().invoke(main, ["extract", str(doc), "-o", str(tmp_path / "out.jsonl"), "--llm", "force",
                                       "--llm-base-url", "http://127.0.0.1:9/v1", "--llm-model", "m",
                                       "--workers", "0"])
    assert result.exit_code == 2, result.output
    assert "pip install 'nianbao[llm]'" in _one_line(result.output)
    assert not (tmp_path / "out.jsonl").exists() or (tmp_path / "out.jsonl").read_text("utf-8") == ""


def test_serve_without_the_serve_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _without(monkeypatch, "fastapi")
    result = CliRunner().invoke(main, ["serve", "--data-dir", str(tmp_path / "data"), "--port", "0"])
    assert result.exit_code == 2, result.output
    assert "pip install 'nianbao[serve]'" in _one_line(result.output)
    assert not (tmp_path / "data").exists()


def test_the_rule_path_needs_no_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _without(monkeypatch, "openai", "instructor", "fastapi", "uvicorn", "matplotlib", "distributed", "pyarrow",
             "rapidocr_onnxruntime")
    result = CliRunner().invoke(main, ["extract", str(DOCS), "-o", str(tmp_path / "out.jsonl"), "--workers", "0"])
    assert result.exit_code == 0, result.output
    assert len((tmp_path / "out.jsonl").read_text("utf-8").splitlines()) == len(list(DOCS.glob("*.txt")))


def test_cluster_and_parquet_without_their_extras(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _without(monkeypatch, "distributed", "pyarrow")
    out = tmp_path / "out.jsonl"
    for option, extra in ((["--cluster", "tcp://127.0.0.1:9"], "cluster"), (["--parquet", str(tmp_path)], "parquet")):
        result = CliRunner().invoke(main, ["extract", str(DOCS), "-o", str(out), *option])
        assert result.exit_code == 2, result.output
        assert f"pip install 'nianbao[{extra}]'" in _one_line(result.output)
        assert not out.exists()
    out.write_text("", "utf-8")
    result = CliRunner().invoke(main, ["export", str(out), "--parquet", str(tmp_path / "pq")])
    assert result.exit_code == 2, result.output
    assert "pip install 'nianbao[parquet]'" in _one_line(result.output)
def test_a_scan_without_the_ocr_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from extractor.read import ocr_engine

    _without(monkeypatch, "rapidocr_onnxruntime")
    ocr_engine._engine.cache_clear()  # an engine built by an earlier test would hide the missing package
    out = tmp_path / "out.jsonl"
    try:
        result = CliRunner().invoke(main, ["extract", str(FIXTURES / "scan_realism_003.pdf"), "-o", str(out),
                                           "--workers", "0"])
    finally:
        ocr_engine._engine.cache_clear()
    assert result.exit_code == 1, result.output
    record = json.loads(out.read_text("utf-8"))
    assert record["status"] == "failed"
    assert record["error"].startswith("no text layer: OCR is not supported")
    assert "pip install 'nianbao[ocr]'" in record["error"]
