"""Each odd layout has the properties it claims, read off the text it produces, and says what it conveys."""

from __future__ import annotations

import re

import pytest
from conftest import SEEDS, load_golden
from corpus import CUT_SYNTHETIC, web_golden

from extractor.identities import check_all
from extractor.render import LAYOUTS, render
from extractor.render.editions import merged_other_lines
from extractor.render.labels import SECTION_HEADINGS, T2_BLOCKS, t3_labels
from extractor.render.layouts import blank_golden, to_traditional
from extractor.render.odd import ODD_LAYOUTS, expected_odd_cells, open_odd_cells, render_odd
from extractor.render.odd_pages import INSTRUCTIONS, MOJIBAKE, SPAM
from extractor.render.odd_tables import T2_EXTRAS, open_placements
from extractor.render.office import layout_names, render_layout, renders
from extractor.render.prose import report_title
from extractor.render.tables import AS_IS, t3_lines
from extractor.template import EDITION_MARKERS, OTHER_SPLIT, T3_COLUMNS, cells_for

GOLDENS = [load_golden(doc) for doc in SEEDS] + [web_golden(*case) for case in CUT_SYNTHETIC]


def text(golden: dict[str, object], layout: str) -> str:
    return render_odd(golden, ODD_LAYOUTS[layout]).decode("utf-8")


def takes(layout: str) -> list[dict[str, object]]:
    return [g for g in GOLDENS if str(g["meta.template"]) in ODD_LAYOUTS[layout].editions]


def shown(value: object) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def printed_rows(golden: dict[str, object]) -> list[tuple[str, str]]:
    return [(key, label) for key, _, label in t3_labels(str(golden["meta.template"]))
            if golden[f"t3.{key}.total"] is not None]


def section(page: str, n: int) -> str:
    """Section ``n`` (1 … 6) of a page: from its heading to the next one."""
    start = page.index(SECTION_HEADINGS[n - 1])
    ends = [page.find(h, start + 1) for h in SECTION_HEADINGS[n:]]
    return page[start:min([e for e in ends if e > 0], default=len(page))]


def tab_lines(golden: dict[str, object]) -> set[str]:
    return set(render(golden, LAYOUTS["tab"]).decode().splitlines())


def test_every_odd_layout_is_registered_and_renders_the_same_bytes_twice() -> None:
    assert set(ODD_LAYOUTS) <= set(layout_names())
    for name, spec in ODD_LAYOUTS.items():
        golden = takes(name)[0]
        data, suffix = render_layout(golden, name)
        assert data == render_odd(golden, spec) == render_layout(golden, name)[0] and suffix == ".txt"
    assert {(g["meta.template"], n) for g in GOLDENS for n in ODD_LAYOUTS if not renders(g, n)} == {
        ("2019", "mixed_edition_t2_headers"), ("2019", "mixed_edition_merged_other")}
    with pytest.raises(ValueError, match="2021-edition goldens"):
        render_odd(takes("lines_blank")[3], ODD_LAYOUTS["mixed_edition_merged_other"])


# ---------------------------------------------------------------- one cell a line, blank lines for blanks


def test_lines_blank_prints_a_line_per_cell_and_an_empty_line_per_blank_cell() -> None:
    for golden in GOLDENS:
        lines = text(golden, "lines_blank").splitlines()
        assert "\u00a0" not in "".join(lines)
        for key, label in printed_rows(golden):
            at = lines.index(label)
            values = [shown(golden[f"t3.{key}.{c}"]) for c in T3_COLUMNS]
            assert lines[at + 1:at + 8] == ["" if v == "0" else v for v in values]
    assert any(text(g, "lines_blank").count("\n\n\n\n\n\n") for g in GOLDENS)
    assert all(expected_odd_cells(g, ODD_LAYOUTS["lines_blank"]) == g for g in GOLDENS)


# ---------------------------------------------------------------- section 二 one cell a line with pipes


def test_t2_lines_pipe_prints_each_section_two_cell_on_its_line_with_a_trailing_pipe() -> None:
    for golden in GOLDENS:
        page = text(golden, "t2_lines_pipe")
        cells = [line for line in section(page, 2).splitlines()[1:] if line]
        assert cells and all(line.endswith(" |") for line in cells)
        at = cells.index("行政许可 |")
        decisions = golden["t2.licensing.decisions"]
        if golden["meta.template"] == "2021":
            assert cells[at + 1] == f"{decisions} |"
        else:
            change = int(str(golden["t2.licensing.change"]))
            forms = {f"减{-change}", f"-{-change}"} if change < 0 else {f"增{change}", f"{change}"} if change else {"0"}
            assert cells[at + 1:at + 4:2] == [f"{golden['t2.licensing.prev_items']} |", f"{decisions} |"]
            assert cells[at + 2].removesuffix(" |") in forms
        new = ["一、本年新收政府信息公开申请数量", *(shown(golden[f"t3.new.{c}"]) for c in T3_COLUMNS)]
        assert "\t".join(new) in page.splitlines()  # the rest is ordinary tab rows


def test_signed_changes_vary_across_goldens() -> None:
    forms = set()
    for golden in takes("t2_lines_pipe"):
        if golden["meta.template"] != "2019":
            continue
        for layout in ("t2_lines_pipe", "t2_lines_pipe_alone"):
            forms |= set(re.findall(r"^(减|增|-)\d+", section(text(golden, layout), 2), re.M))
    assert forms == {"减", "增", "-"}


def test_t2_lines_pipe_alone_puts_every_pipe_on_its_own_line() -> None:
    for golden in GOLDENS:
        lines = [x for x in section(text(golden, "t2_lines_pipe_alone"), 2).splitlines()[1:] if x]
        assert lines[1::2] == ["|"] * (len(lines) // 2) and "|" not in "".join(lines[0::2])
        assert "\n".join(lines[:4]) == "第二十条第（一）项\n|\n信息内容\n|"
        rules = lines.index("规章")
        values = [shown(golden[f"t2.rules.{c}"]) for c in T2_BLOCKS[str(golden["meta.template"])][0][2][0][2]]
        assert lines[rules:rules + 8] == [x for v in ["规章", *values] for x in (v, "|")]


def test_t2_lines_pipe_traditional_is_in_traditional_script() -> None:
    for golden in GOLDENS:
        page = text(golden, "t2_lines_pipe_traditional")
        assert "行政處罰 |\n" in page and "处罚" not in page and "信息公開" in page
        assert page == to_traditional(page)


# ---------------------------------------------------------------- mixed editions


def test_mixed_t2_headers_prints_the_first_item_under_2019_columns_and_nulls_those_cells() -> None:
    for golden in takes("mixed_edition_t2_headers"):
        two = section(text(golden, "mixed_edition_t2_headers"), 2)
        assert "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n规章\t" in two
        assert "规范性文件\t" in two and "行政规范性文件" not in two
        assert two.count("本年处理决定数量") == 2 and "本年收费金额" in two
        assert "第二十条第（九）项" not in two and "上一年项目数量" not in two
        want = expected_odd_cells(golden, ODD_LAYOUTS["mixed_edition_t2_headers"])
        assert {c for c, v in want.items() if v != golden[c]} == {
            f"t2.{r}.{c}" for r in ("rules", "normative") for c in ("issued", "repealed", "in_force")
            if golden[f"t2.{r}.{c}"] is not None}
        assert all(v is None for c, v in want.items() if c.startswith(("t2.rules.", "t2.normative.")))


def test_a_2021_report_on_the_2019_template_is_a_2019_edition_document() -> None:
    layout = ODD_LAYOUTS["mixed_edition_2019_template"]
    for golden in GOLDENS:
        want = expected_odd_cells(golden, layout)
        page = text(golden, "mixed_edition_2019_template")
        assert set(want) == set(cells_for("2019")) and want["meta.template"] == "2019"
        assert int(str(want["meta.year"])) >= 2021 and page.startswith(report_title(want))
        assert all(m not in page for m in EDITION_MARKERS["2021"])
        assert sum(page.count(m) for m in EDITION_MARKERS["2019"]) >= 7
        assert [r.describe() for r in check_all("2019", want) if r.holds is False] == []
        if golden["meta.template"] == "2019":
            assert {c: v for c, v in want.items() if c != "meta.year"} == {
                c: v for c, v in golden.items() if c != "meta.year"}
        else:
            keep = [c for c in golden if c.startswith(("t3.", "t4.")) and not c.startswith("t3.other_")]
            assert all(want[c] == golden[c] for c in keep)


def test_a_merged_other_row_prints_the_sums_and_its_sub_rows_are_zero_only_when_all_zero() -> None:
    layout = ODD_LAYOUTS["mixed_edition_merged_other"]
    zero = nonzero = 0
    for golden in takes("mixed_edition_merged_other"):
        page = text(golden, "mixed_edition_merged_other")
        assert "不补正" not in page and "缴纳费用" not in page
        want = expected_odd_cells(golden, layout)
        subs = [f"t3.{k}.{c}" for k in OTHER_SPLIT for c in T3_COLUMNS]
        if golden["t3.other_other.total"] is None:
            assert "（六）其他处理" not in page and all(want[c] is None for c in subs)
            continue
        sums = [sum(int(str(golden[f"t3.{k}.{c}"])) for k in OTHER_SPLIT) for c in T3_COLUMNS]
        assert "\t".join(["（六）其他处理", *map(str, sums)]) in page.splitlines()
        if any(sums):
            nonzero += 1
            assert all(want[c] is None for c in subs)
        else:
            zero += 1
            assert all(want[c] == 0 for c in subs)
        assert all(want[c] == golden[c] for c in golden if c not in subs)
    assert zero and nonzero


def test_merged_other_lines_sum_the_three_rows_by_hand() -> None:
    golden = blank_golden("2021")
    golden |= {"t3.other_no_correction.natural_person": 2, "t3.other_other.natural_person": 1,
               "t3.other_no_fee.commercial": 4}
    merged = [line for line in merged_other_lines(t3_lines(golden, "2021", AS_IS), golden) if line.key == "other"]
    assert [line.values for line in merged] == [("3", "4", "0", "0", "0", "0", "0")]


# ---------------------------------------------------------------- odd pages


def test_mirror_mojibake_is_traditional_with_a_few_garbled_characters_never_in_numbers() -> None:
    for golden in GOLDENS:
        page = text(golden, "mirror_mojibake")
        assert 3 <= sum(ch in MOJIBAKE for ch in page) <= 12
        assert page.splitlines()[0] == to_traditional(report_title(golden))
        assert all(to_traditional(h) in page for h in SECTION_HEADINGS)
        rows = [line for line in page.splitlines() if "\t" in line]
        clean = [line for line in to_traditional(render(golden, LAYOUTS["tab"]).decode()).splitlines() if "\t" in line]
        assert len(rows) == len(clean)
        for row, want in zip(rows, clean, strict=True):
            assert len(row) == len(want)
            assert all(a == b or (a in MOJIBAKE and "\u4e00" <= b <= "\u9fff") for a, b in zip(row, want, strict=True))
        assert rows != clean  # some row labels are garbled
        assert expected_odd_cells(golden, ODD_LAYOUTS["mirror_mojibake"]) == golden


def test_spam_takes_the_place_name_and_the_agency_is_what_the_signature_still_states() -> None:
    stated = unstated = 0
    for golden in GOLDENS:
        page = text(golden, "spam_agency")
        title = page.splitlines()[0]
        spam = next(s for s in SPAM if title.startswith(s))
        assert title == f"{spam}{golden['meta.year']}年政府信息公开工作年度报告"
        assert page.count(spam) >= 4  # title, opening paragraph, contact, prose
        want = expected_odd_cells(golden, ODD_LAYOUTS["spam_agency"])["meta.agency"]
        agency = golden["meta.agency"]
        if want is None:
            unstated += 1
            assert not agency or str(agency) not in page
        else:
            stated += 1
            assert want == agency and page.rstrip("\n").splitlines()[-2] == agency
    assert stated and unstated


def test_instructions_left_in_between_and_inside_sections() -> None:
    seen = set()
    for golden in GOLDENS:
        page = text(golden, "instructions_left")
        present = {p for p, note in INSTRUCTIONS.items() if note in page}
        assert len(present) >= 4
        seen |= present
        if "二.items" in present:
            two = section(page, 2)
            assert two.count(INSTRUCTIONS["二.items"]) == len(T2_BLOCKS[str(golden["meta.template"])]) - 1
            assert f"{INSTRUCTIONS['二.items']}\n第二十条第（五）项" in two
        assert {line for line in page.splitlines() if "\t" in line} <= tab_lines(golden)
    assert seen == set(INSTRUCTIONS)


def test_extra_rows_sit_inside_the_tables_and_change_nothing_else() -> None:
    extras = set()
    for golden in GOLDENS:
        page = text(golden, "extra_rows")
        lines = page.splitlines()
        added = [line for line in lines if line not in tab_lines(golden)]
        extras |= {line.split("\t")[0] for line in added}
        assert added and {line.split("\t")[0] for line in added} <= {*T2_EXTRAS.values(), "小计"}
        assert [line for line in lines if line not in added] == render(golden, LAYOUTS["tab"]).decode().splitlines()
        for line in added:
            if line.startswith("小计"):
                values = [int(v) for v in line.split("\t")[1:]]
                assert len(values) == 7 and sum(values[:6]) == values[6]
        assert expected_odd_cells(golden, ODD_LAYOUTS["extra_rows"]) == golden
    assert extras == {*T2_EXTRAS.values(), "小计"}


# ---------------------------------------------------------------- squeezed pipes


def test_pipe_squeezed_runs_blank_cells_together_as_bare_pipes() -> None:
    squeezed = 0
    for golden in GOLDENS:
        page = text(golden, "pipe_squeezed")
        values = [line for line in page.splitlines() if re.search(r"\| \d", line)]
        assert values and not any("|  |" in line for line in values)  # no blank value printed with spaces
        squeezed += len(re.findall(r"\d \|\|+ \d", page))
        for key, label in printed_rows(golden):
            row = next(line for line in page.splitlines() if line.endswith("|") and label in line)
            values = [shown(golden[f"t3.{key}.{c}"]) for c in T3_COLUMNS]
            assert re.findall(r"(?<=\| )\d+(?= \|)", row.split(label, 1)[1]) == [v for v in values if v != "0"]
    assert squeezed > 0


def test_a_squeezed_rows_cells_are_open_where_its_sums_allow_several_placements() -> None:
    ids = [f"t3.new.{c}" for c in T3_COLUMNS]
    # 3, a gap, 3, a gap, 6: the second 3 may stand in column 2, 3 or 4, and every placement adds up
    assert open_placements(ids, ["3", "", "3", "", "", "", "6"], ((0, 6),)) == set(ids[2:5])
    # 3, 3, one gap, 6: a single gap has one length
    assert open_placements(ids, ["3", "3", "", "", "", "", "6"], ((0, 6),)) == set()
    t4 = [f"t4.{g}.{c}" for g in ("review", "litigation_direct", "litigation_after_review")
          for c in ("upheld", "corrected", "other", "pending", "total")]
    row = ["1", "", "", "", "1", *[""] * 10]  # 行政复议 upheld 1, total 1; the rest blank
    assert open_placements(t4, row, ((0, 4), (5, 9), (10, 14))) == set()  # only column 4 keeps every group's sum
    assert open_placements(t4, row, ()) == set(t4[2:14])  # without them it could stand anywhere between gaps


def blank_runs(values: list[object]) -> int:
    """How many runs of blank (0 or null) cells a row has, i.e. how many squeezed gaps it prints."""
    return len(re.findall(r"-+", "".join("-" if v in (0, None) else "x" for v in values)))


def test_open_squeezed_cells_lie_in_rows_with_two_or_more_gaps_and_the_golden_is_expected() -> None:
    layout = ODD_LAYOUTS["pipe_squeezed"]
    seen = 0
    for golden in GOLDENS:
        rows: dict[str, list[str]] = {}
        for cell in golden:
            if cell.startswith(("t2.", "t3.")):
                rows.setdefault(cell.rsplit(".", 1)[0], []).append(cell)
            elif cell.startswith("t4."):
                rows.setdefault("t4", []).append(cell)
        opened = open_odd_cells(golden, layout)
        seen += len(opened)
        for row in rows.values():
            if set(row) & opened:
                assert blank_runs([golden[c] for c in row]) >= 2 and any(golden[c] for c in row), row
        assert expected_odd_cells(golden, layout) == golden
    assert seen > 0
