"""``cut``: a document cut off anywhere, and what it still conveys — checked on the text it produces."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import GOLDENS as GOLDEN_FILES
from conftest import SEEDS, load_golden
from corpus import CUT_SYNTHETIC, web_golden

from extractor.cli.render import render_cmd
from extractor.render import LAYOUTS, WEB_LAYOUTS, expected_cells, render, render_web
from extractor.render.cut import (
    CUT_LAYOUTS,
    KINDS,
    close_of,
    cut_points,
    cuttable,
    fixed_cut,
    marked_document,
    render_cut,
    sample_cuts,
)
from extractor.render.labels import T3_LABELS_2021
from extractor.render.layouts import blank_golden
from extractor.render.odd import ODD_LAYOUTS, render_odd
from extractor.render.office import render_layout
from extractor.render.spans import Marked, Role, Span
from extractor.template import T3_COLUMNS, T4_CELLS, t3_rows
from extractor.values import parse_value

GOLDENS = [load_golden(doc) for doc in SEEDS] + [web_golden(*case) for case in CUT_SYNTHETIC]


def full_bytes(golden: dict[str, object], layout: str) -> bytes:
    if layout in LAYOUTS:
        return render(golden, LAYOUTS[layout])
    if layout in WEB_LAYOUTS:
        return render_web(golden, WEB_LAYOUTS[layout])
    return render_odd(golden, ODD_LAYOUTS[layout])


def row_cells(key: str) -> list[str]:
    return [f"t3.{key}.{c}" for c in T3_COLUMNS]


def later_t3_cells(edition: str, key: str) -> list[str]:
    keys = [r.key for r in t3_rows(edition)]
    return [c for k in keys[keys.index(key) + 1:] for c in row_cells(k)]


def safety_golden() -> dict[str, object]:
    """A 2021 golden whose 3.危及“三安全一稳定” row is 0, 0, 2, 0, 0, 0, 2 (its first two values zeros)."""
    golden = blank_golden("2021", agency="杭州市教育局", year=2022)
    for cell, value in (("natural_person", 0), ("research", 2), ("total", 2)):
        golden[f"t3.denied_safety_stability.{cell}"] = value
    for col in ("research", "total"):
        golden[f"t3.new.{col}"] = golden[f"t3.total.{col}"] = 2
    golden["t4.review.upheld"] = golden["t4.review.total"] = 1
    return golden


# ---------------------------------------------------------------- the layouts that can be cut


def test_the_text_layouts_can_be_cut_and_the_html_and_markdown_ones_cannot() -> None:
    assert {n for n, spec in LAYOUTS.items() if spec.kind != "html"} <= set(CUT_LAYOUTS)
    assert {"crawler_flat", "crawler_flat_spaces", "no_headings", "lines_blank", "t2_lines_pipe"} <= set(CUT_LAYOUTS)
    for layout in ("html", "html_fragment", "word_html", "markdown_html2text", "markdown_markdownify"):
        with pytest.raises(ValueError, match="cannot be cut"):
            render_cut(GOLDENS[0], layout, 100)


@pytest.mark.parametrize("layout", CUT_LAYOUTS)
def test_a_cut_document_is_the_layouts_document_up_to_the_cut_and_uncut_it_expects_everything(layout: str) -> None:
    for golden in GOLDENS:
        whole = full_bytes(golden, layout)
        document = cuttable(golden, layout)
        end = document.cut(len(document.doc.text))
        assert end.data == whole
        assert end.expected == document.expected  # every cell the layout conveys has a span
        at = len(document.doc.text) // 3
        encoding = document.encoding
        assert document.cut(at).data.decode(encoding) == whole.decode(encoding)[:at]


@pytest.mark.parametrize("layout", CUT_LAYOUTS)
def test_each_cell_span_prints_that_cells_value(layout: str) -> None:
    for golden in GOLDENS:
        doc = marked_document(golden, layout)
        expected = cuttable(golden, layout).expected
        for span in doc.spans:
            if span.role not in (Role.VALUE, Role.DROPPED) or span.id not in expected:
                continue
            text = doc.text[span.start:span.end].replace(" ", "").replace("減", "-").replace("减", "-")
            want = expected[span.id]
            if not text.strip():
                assert want in (0, None), (span, want)
            else:
                value = parse_value(text.removeprefix("增"), amount=span.id.endswith(".amount"))
                assert value == pytest.approx(want), (layout, span, text, want)


# ---------------------------------------------------------------- hand-checked cuts


def test_cut_after_two_of_seven_values_in_the_one_cell_a_line_layout() -> None:
    golden = safety_golden()
    text = render(golden, LAYOUTS["lines"]).decode()
    at = text.index("3.危及“三安全一稳定”\n\n0\n\n0\n\n") + len("3.危及“三安全一稳定”\n\n0\n\n0")
    cut = render_cut(golden, "lines", at)
    assert cut.data.decode().endswith("\n\n3.危及“三安全一稳定”\n\n0\n\n0")
    want = cut.expected
    assert [want[c] for c in row_cells("denied_safety_stability")] == [0, 0, None, None, None, None, None]
    assert all(want[c] is None for c in later_t3_cells("2021", "denied_safety_stability"))
    assert all(want[c] is None for c in T4_CELLS)
    assert [want[c] for c in row_cells("new")] == [0, 0, 2, 0, 0, 0, 2]
    assert all(want[c] == golden[c] for c in ("meta.agency", "meta.year", "meta.template", "t2.rules.issued"))


@pytest.mark.parametrize(("layout", "end", "unknown_row", "known_row"), [
    ("tab", "（二）部分公开（区", "partial", "granted"),                 # the label itself cut
    ("lines", "6.属于四类过程性信", "denied_process_info", "denied_internal_affairs"),
    ("tab", "二、上年结转政府信息公开", "carried_over", "new"),
    ("lines", "（一）予以公开\n\n", "granted", "carried_over"),          # the label and a blank line
    ("tab", "\n\n三、收到和处理政府信息公开申请情况", "new", None),      # before table 三 begins
])
def test_a_cut_row_and_every_later_one_are_null(layout: str, end: str, unknown_row: str,
                                                known_row: str | None) -> None:
    golden = safety_golden()
    text = render(golden, LAYOUTS[layout]).decode()
    want = render_cut(golden, layout, text.index(end) + len(end)).expected
    assert all(want[c] is None for c in row_cells(unknown_row) + later_t3_cells("2021", unknown_row))
    assert all(want[c] is None for c in T4_CELLS)
    assert known_row is None or all(want[c] == golden[c] for c in row_cells(known_row))
    assert all(want[c] == golden[c] for c in golden if c.startswith(("t2.", "meta.")))


def test_cut_after_six_of_seven_values() -> None:
    golden = safety_golden()
    six = "3.危及“三安全一稳定”\n\n0\n\n0\n\n2\n\n0\n\n0\n\n0"
    text = render(golden, LAYOUTS["lines"]).decode()
    want = render_cut(golden, "lines", text.index(six) + len(six)).expected
    assert [want[c] for c in row_cells("denied_safety_stability")] == [0, 0, 2, 0, 0, 0, None]


def test_a_number_is_known_only_once_all_its_digits_are_in() -> None:
    golden = blank_golden("2021")
    golden |= {"t3.new.natural_person": 640, "t3.new.total": 640, "t3.granted.natural_person": 640,
               "t3.granted.total": 640, "t3.total.natural_person": 640, "t3.total.total": 640}
    text = render(golden, LAYOUTS["tab"]).decode()
    start = text.index("申请数量\t640") + len("申请数量\t")
    assert render_cut(golden, "tab", start + 2).expected["t3.new.natural_person"] is None  # "64" of 640
    assert render_cut(golden, "tab", start + 3).expected["t3.new.natural_person"] == 640
    assert render_cut(golden, "tab", start + 3).expected["t3.new.commercial"] is None


def test_a_blank_cell_is_known_once_its_separator_is_in() -> None:
    golden = safety_golden()
    text = render(golden, LAYOUTS["tab_blank_zeros"]).decode()
    row = text.index("3.危及“三安全一稳定”\t\t\t2\t")
    label_end = row + len("3.危及“三安全一稳定”")
    at_label = render_cut(golden, "tab_blank_zeros", label_end + 1).expected  # the label and its tab
    assert at_label["t3.denied_safety_stability.natural_person"] is None  # the end of the text is no blank
    one = render_cut(golden, "tab_blank_zeros", label_end + 2).expected  # … and the tab closing the first blank
    assert [one[c] for c in row_cells("denied_safety_stability")[:2]] == [0, None]
    research = "t3.denied_safety_stability.research"  # "2" is the text's characters label_end + 3 … + 4
    assert render_cut(golden, "tab_blank_zeros", label_end + 3).expected[research] is None
    assert render_cut(golden, "tab_blank_zeros", label_end + 4).expected[research] == 2


@pytest.mark.parametrize(("text", "start", "end", "close"), [
    ("a\t\t3\n", 2, 2, 3),                # tab: the tab after the blank
    ("a |  | 3 |\n", 4, 4, 6),             # pipe: the pipe after it, not the space before it
    ("a\n\n\u00a0\n\n3", 3, 4, 5),         # one cell a line: the NBSP's line break
    ("a\n\n3\n", 2, 2, 3),                 # blank lines for blank cells: the empty line's break
    ("a\t7\t", 2, 3, 3),                   # a value: its last character
])
def test_close_of_a_cell(text: str, start: int, end: int, close: int) -> None:
    assert close_of(text, Span("t3.new.natural_person", Role.VALUE, start, end)) == close


def test_a_dropped_blank_is_known_once_the_next_row_begins() -> None:
    text = "1.属于国家秘密\n\n4\n\n2.其他"
    dropped = Span("t3.denied_state_secret.research", Role.DROPPED, 11, 11)  # right after "4"
    assert text[11:13] == "\n\n" and close_of(text, dropped) == 14  # just past the "2" of 2.其他


def test_the_end_of_a_one_cell_a_line_text_with_blank_lines() -> None:
    golden = safety_golden()
    text = render_odd(golden, ODD_LAYOUTS["lines_blank"]).decode()
    at = text.index("3.危及“三安全一稳定”\n\n\n2\n") + len("3.危及“三安全一稳定”\n")
    assert [render_cut(golden, "lines_blank", at + k).expected["t3.denied_safety_stability.commercial"]
            for k in range(3)] == [None, None, 0]  # label line, first blank closed, then the second


def test_meta_is_known_while_the_title_is_in() -> None:
    golden = safety_golden()
    title = "杭州市教育局2022年政府信息公开工作年度报告"
    assert render(golden, LAYOUTS["tab"]).decode().startswith(title)
    assert render_cut(golden, "tab", len(title)).expected["meta.agency"] == "杭州市教育局"
    assert render_cut(golden, "tab", len(title) - 1).expected["meta.year"] is None


def test_a_cut_in_the_second_copy_of_a_page_holding_the_report_twice_loses_nothing() -> None:
    golden = GOLDENS[0]
    document = cuttable(golden, "traditional_lines")
    first, second = sorted(s.start for s in document.doc.spans if s.id == "t4.review.total")
    assert document.cut(first).expected["t4.review.total"] is None
    assert document.cut(second).expected == expected_cells(golden, LAYOUTS["traditional_lines"])


# ---------------------------------------------------------------- cut points


@pytest.mark.parametrize("layout", ["tab", "lines", "pinyin_pipe", "crawler_flat", "lines_blank", "no_headings"])
def test_cut_points_cover_every_class(layout: str) -> None:
    for golden in GOLDENS:
        if golden["t3.total.total"] is None:
            continue  # a golden whose table 三 is cut off has no later rows to cut between
        doc = marked_document(golden, layout)
        kinds = {p.kind for p in cut_points(doc)}
        wanted = set(KINDS) - {"random"} - ({"after_values_0", "between_rows"} if layout == "crawler_flat" else set())
        if not any(s.end - s.start >= 2 for s in doc.spans if s.role == Role.VALUE):
            wanted.discard("mid_number")  # every number a single digit
        assert wanted <= kinds, wanted - kinds


@pytest.mark.parametrize("layout", ["tab", "lines", "tab_blank_zeros", "lines_blank", "crawler_flat_spaces"])
def test_after_k_values_leaves_exactly_k_of_the_row_known_and_nothing_after(layout: str) -> None:
    for golden in GOLDENS[:3] + GOLDENS[-3:]:
        document = cuttable(golden, layout)
        for point in cut_points(document.doc):
            match = re.fullmatch(r"after_values_(\d)", point.kind)
            if not match:
                continue
            key = point.where.split(":")[0].removeprefix("t3.")
            want = document.cut(point.at).expected
            row = [want[c] is not None for c in row_cells(key) if golden[c] is not None]
            assert sum(row) == int(match.group(1)) and row == sorted(row, reverse=True), (point, row)
            assert all(want[c] is None for c in later_t3_cells(str(golden["meta.template"]), key))


@pytest.mark.parametrize("layout", CUT_LAYOUTS)
def test_what_a_cut_conveys_only_grows_as_the_cut_moves_on(layout: str) -> None:
    for golden in GOLDENS[::3]:
        document = cuttable(golden, layout)
        known: set[str] = set()
        for point in cut_points(document.doc, random.Random(1))[::4]:
            now = {c for c, v in document.cut(point.at).expected.items() if v is not None}
            assert known <= now, (point, known - now)
            known = now


def test_sample_cuts_takes_one_of_each_class_then_others() -> None:
    points = cut_points(marked_document(GOLDENS[-1], "tab"))
    sample = sample_cuts(points, random.Random(3), 24)
    assert len(sample) == 24 and {p.kind for p in sample} == {p.kind for p in points}
    assert sample == sorted(sample, key=lambda p: p.at)


def test_cut_layouts_are_registered_for_the_render_command_at_a_fixed_cut() -> None:
    golden = safety_golden()
    data, suffix = render_layout(golden, "cut_lines")
    assert suffix == ".txt" and data == render_cut(golden, "lines", fixed_cut(marked_document(golden, "lines"))).data
    middle = T3_LABELS_2021[len(T3_LABELS_2021) // 2][2]
    assert middle == "1.本机关不掌握相关政府信息" and data.decode().endswith(f"{middle}\n\n0\n\n0")


def test_marked_spans_survive_insertion_and_conversion() -> None:
    text = Marked("ab", (Span("x", Role.VALUE, 0, 2),)) + Marked("cd", (Span("y", Role.VALUE, 0, 0),))
    inserted = text.insert(1, " ").insert(4, "!")
    assert inserted.text == "a bc!d" and [(s.start, s.end) for s in inserted.spans] == [(0, 3), (3, 3)]
    with pytest.raises(ValueError, match="length"):
        text.converted(lambda s: s + "x")


def test_the_render_command_writes_cut_and_odd_layouts_and_skips_an_edition_a_layout_does_not_take(
        tmp_path: Path) -> None:
    golden = GOLDEN_FILES / "003_c676913514f69321.json"  # a 2019-edition golden
    result = CliRunner().invoke(render_cmd, [str(golden), "-o", str(tmp_path), "--layout", "cut_tab",
                                             "--layout", "mixed_edition_merged_other", "--layout", "pipe_squeezed"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["003_c676913514f69321-cut_tab.txt",
                                                          "003_c676913514f69321-pipe_squeezed.txt"]
    cut = (tmp_path / "003_c676913514f69321-cut_tab.txt").read_bytes()
    assert cut == render_layout(load_golden("003_c676913514f69321.txt"), "cut_tab")[0]
    assert "1 skipped" in result.output
