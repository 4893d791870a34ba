"""Gap questions: what is asked for each kind of gap, and how far an answer is taken."""

from __future__ import annotations

import importlib.util
import json
import random
from pathlib import Path

import pytest
from conftest import DOCS, ROOT, load_golden
from fake_llm_server import FakeLLM, tool_reply

from extractor.config import Settings
from extractor.llm.client import ScriptedClient, TableReply
from extractor.llm.openai_client import OpenAICompatibleClient
from extractor.llm.stage import LLMStage
from extractor.pipeline import extract_file
from extractor.records import Record, Usage
from extractor.render import LAYOUTS, render
from extractor.render.synth import random_golden
from extractor.scoring.gap_fill import gap_fill
from extractor.scoring.goldens import Golden

_spec = importlib.util.spec_from_file_location("gap_set", ROOT / "eval" / "gap_set.py")
assert _spec and _spec.loader
gap_set = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gap_set)


def settings(tmp_path: Path, **kw: object) -> Settings:
    base: dict[str, object] = dict(llm="fallback", llm_base_url="http://127.0.0.1:9/v1", llm_model="m",
                                   llm_cache=str(tmp_path / "cache.sqlite"))
    base.update(kw)
    return Settings(**base)  # type: ignore[arg-type]


def answer(rows: dict[str, object]) -> TableReply:
    return TableReply(rows=rows, raw=json.dumps(rows), usage=Usage(calls=1, input_tokens=300, output_tokens=6))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def smudged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """A tab report with one row of 三 (a non-zero one) whose label is smudged to □."""
    cells = random_golden(random.Random(7), "2021", large=True)
    text = gap_set.smudge_labels(render(cells, LAYOUTS["tab"]).decode(), random.Random(1), 1)
    path = tmp_path_factory.mktemp("smudged") / "smudged.txt"
    path.write_text(text, "utf-8")
    return path, cells


def _run(path: Path, tmp_path: Path, replies: list[TableReply]) -> tuple[Record, ScriptedClient]:
    client = ScriptedClient(replies)
    s = settings(tmp_path)
    return extract_file(path, s, LLMStage(s, client)), client


def _smudged_row(path: Path) -> str:
    line = next(line for line in path.read_text("utf-8").splitlines() if "□" in line)
    return line.split("\t", 1)[1]


def test_a_row_with_a_smudged_label_is_asked_which_line_it_is(smudged: tuple[Path, dict[str, object]],
                                                             tmp_path: Path) -> None:
    path, cells = smudged
    record, client = _run(path, tmp_path, [answer({"choice": [1]})])
    (request,) = client.requests
    assert request.choices == 1 and request.prompt == "gap@v1"
    assert _smudged_row(path) in request.section_text and request.section_text.count("\n") <= 3
    (row,) = request.rows
    filled = {c: x for c, x in record.cells.items() if c.startswith(f"t3.{row}.")}
    assert filled and all(x.method.value == "llm" and x.value == cells[c] for c, x in filled.items())
    # the column sums of 三 hold with the line read into the row: confirmed, out of the review queue
    assert all(x.flags == [] for x in filled.values())
    assert all(x.evidence is not None for x in filled.values())


def test_a_row_the_model_does_not_find_is_left_alone(smudged: tuple[Path, dict[str, object]],
                                                     tmp_path: Path) -> None:
    path, _ = smudged
    record, client = _run(path, tmp_path, [answer({"choice": [0]})])
    row = client.requests[0].rows[0]
    left = [x for c, x in record.cells.items() if c.startswith(f"t3.{row}.")]
    assert all(x.value is None and "missing_in_source" in x.flags for x in left)
    assert any("the model picked none" in n for n in record.notes)


def _digits_lost(tmp_path: Path) -> tuple[Path, dict[str, object], str]:
    """A smudged row whose line lost a blank (0) cell: no line fits the row, so its numbers are asked."""
    cells = random_golden(random.Random(7), "2021", large=True)
    text = gap_set.smudge_labels(render(cells, LAYOUTS["tab"]).decode(), random.Random(1), 1)
    lines = text.split("\n")
    i = next(i for i, line in enumerate(lines) if "□" in line)
    parts = lines[i].split("\t")
    del parts[parts.index("0", 1)]
    lines[i] = "\t".join(parts)
    path = tmp_path / "lost.txt"
    path.write_text("\n".join(lines), "utf-8")
    return path, cells, lines[i]


def test_numbers_not_in_the_window_or_taken_by_a_read_row_fill_nothing(tmp_path: Path) -> None:
    path, cells, line = _digits_lost(tmp_path)
    probe, client = _run(path, tmp_path, [answer({"x": None})])
    (request,) = client.requests
    (row,) = request.rows
    ids = [c for c in cells if c.startswith(f"t3.{row}.")]
    invented = [9999] * len(ids)
    before = request.section_text.split("\n")[0].split("\t")[1:]  # the row above: read by the rules
    copied = [int(x.replace(",", "")) for x in before]
    for wrong in (invented, copied):
        record, _ = _run(path, tmp_path / str(wrong[0]), [answer({row: wrong})])
        assert all(record.cells[c].value is None for c in ids), wrong
        assert any("is not in the text" in n for n in record.notes)
    right = [cells[c] for c in ids]
    record, _ = _run(path, tmp_path / "right", [answer({row: right})])
    assert [record.cells[c].value for c in ids] == right
    assert probe.cells[ids[0]].value is None


def test_a_cut_off_table_and_a_complete_report_ask_nothing(tmp_path: Path) -> None:
    for doc in (DOCS / "004_fb0219a4b427aef6.txt", DOCS / "000_c177902358b96c63.txt"):
        record, client = _run(doc, tmp_path, [])
        assert client.requests == [] and record.usage is None


def test_a_small_table_not_found_is_asked_whole(tmp_path: Path) -> None:
    seed = DOCS / "002_49469f21e3e534d6.txt"
    lost = [line for line in seed.read_text("utf-8").splitlines()  # heading and anchors gone: 二 is not found
            if not line.startswith(("二、主动公开", "第二十条第（一）项", "信息内容\t本年制发件数"))]
    doc = tmp_path / "no_t2.txt"
    doc.write_text("\n".join(lost), "utf-8")
    golden = load_golden(seed.name)
    probe, client = _run(doc, tmp_path, [answer({})])
    (request,) = client.requests
    assert request.table == "t2" and len(request.rows) > 3
    assert "规章\t0\t0\t0" in request.section_text and "三、收到和处理" not in request.section_text
    from extractor.llm.schemas import row_layout

    rows = {k: [golden[c] for c in ids] for k, ids in row_layout("t2", "2021").items() if k in request.rows}
    record, _ = _run(doc, tmp_path / "2", [answer(rows)])
    cell = record.cells["t2.normative.issued"]
    assert cell.value == golden["t2.normative.issued"] and cell.method.value == "llm"
    assert probe.cells["t2.normative.issued"].value is None


@pytest.mark.asyncio
async def test_an_answer_breaking_an_identity_is_reasked_once_quoting_it(
        smudged: tuple[Path, dict[str, object]], tmp_path: Path) -> None:
    from extractor.llm.gaps import Gap, gap_request
    from extractor.pipeline import load_or_fail, run

    path, cells = smudged
    ex = run(load_or_fail(path, Settings()))  # type: ignore[arg-type]
    key = "new"
    ids = [c for c in cells if c.startswith("t3.new.")]
    gap = Gap("row", "t3", (key,), tuple(ids), 0, 200)
    request = gap_request(ex, gap, endpoint="e", model="fake", prompt_version="v1", max_reasks=2)
    wrong = [1, 0, 0, 0, 0, 0, 1] if cells["t3.new.total"] != 1 else [2, 0, 0, 0, 0, 0, 2]
    with FakeLLM() as fake:
        fake.script.extend([("json", tool_reply({"v": wrong}))] * 3)
        reply = await OpenAICompatibleClient(fake.url, "k", timeout=5.0, retries=0).read_table(request)
        sent = fake.requests
    assert len(sent) == 2 and not reply.valid and reply.attempts == 2  # one re-ask, not max_reasks
    assert "breaks" in json.dumps(sent[-1]["messages"], ensure_ascii=False)
    assert sent[0]["max_tokens"] <= 70 and sent[0]["response_format"]["type"] == "json_object"
    assert reply.rows == {key: wrong}


def test_gap_filling_is_counted_against_the_golden() -> None:
    from extractor.records import Cell, Method

    def cell(value: object, method: str = "rule", flags: tuple[str, ...] = (), prompt: str | None = None) -> Cell:
        return Cell(value=value, confidence=0.5, method=Method(method), flags=list(flags), prompt=prompt)  # type: ignore[arg-type]

    record = Record(document="d", status="ok", notes=["LLM t3 (gap line x): gap@v1, 1 attempt(s)"] * 3,
                    usage=Usage(calls=3, input_tokens=900, output_tokens=30, latency_s=30.0),
                    cells={"t3.a.x": cell(5, "llm", prompt="gap@v1"),                       # right
                           "t3.a.y": cell(6, "llm", ("llm_unconfirmed",), prompt="gap@v1"),  # right, flagged
                           "t3.b.x": cell(7, "llm", ("llm_unconfirmed",), prompt="gap@v1"),  # wrong, caught
                           "t3.b.y": cell(8, "llm", prompt="gap@v1"),                        # wrong, silent
                           "t3.c.x": cell(None, flags=("missing_in_source",)),               # left alone
                           "t3.c.y": cell(None, flags=("truncated",)),                       # not a gap
                           "t3.d.x": cell(3)})                                               # not a gap
    golden = Golden(document="d", notes="", cells={"t3.a.x": 5, "t3.a.y": 6, "t3.b.x": 1, "t3.b.y": 2,
                                                    "t3.c.x": 4, "t3.c.y": 4, "t3.d.x": 3})
    g = gap_fill([record], {"d": golden})
    assert (g.gaps, g.filled_right, g.filled_right_unconfirmed, g.filled_wrong_caught, g.filled_wrong_silent,
            g.left_alone) == (5, 2, 1, 1, 1, 1)
    assert g.questions == 3 and g.seconds_per_question == 10.0 and g.seconds_per_filled == 7.5
