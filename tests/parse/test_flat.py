"""Flattened tables (a crawler's one-line dumps): rows cut at their digit runs, runs split by arithmetic."""

from __future__ import annotations

from extractor.document import Document, GridCell, Section
from extractor.parse.cells import T3_SHAPE, t2_cells, t3_cells
from extractor.parse.grids import section_to_grid
from extractor.parse.normalise import normalise
from extractor.parse.readings import Candidate, Shape
from extractor.parse.runs import run_candidates
from extractor.records import Alignment, Flag
from extractor.render.labels import T3_LABELS_2021


def _grid(body: str, number: int = 3):  # type: ignore[no-untyped-def]
    text = normalise(Document(name="x", sha256="", format="text", raw=body, encoding="utf-8"))
    return text, section_to_grid(text, Section(number, 0, len(text.text), ""))


def _read(slots: tuple[GridCell | None, ...], alignment: Alignment, extra: bool) -> Candidate:
    values = {f"c{i}": (0 if s is None else int(s.text)) for i, s in enumerate(slots)}
    return Candidate(values, {f"c{i}": s for i, s in enumerate(slots)}, frozenset(), alignment, extra)


def _splits(run: str, shape: Shape) -> list[list[object]]:
    return [list(c.values.values()) for c in run_candidates([GridCell(run, 0, len(run))], shape, _read)]


def test_a_row_total_leaves_one_split_of_a_run() -> None:
    assert _splits("640020470", T3_SHAPE) == [[64, 0, 0, 2, 0, 4, 70]]
    assert _splits("0000000", T3_SHAPE) == [[0] * 7]


def test_a_number_never_starts_with_zero() -> None:
    assert _splits("1000001", T3_SHAPE) == [[1, 0, 0, 0, 0, 0, 1]]


def test_stray_spaces_are_ignored_but_exact_words_are_read_as_written() -> None:
    assert _splits("500000 5", T3_SHAPE) == [[5, 0, 0, 0, 0, 0, 5]]
    assert _splits("12 3 0 0 0 1 16", T3_SHAPE) == [[12, 3, 0, 0, 0, 1, 16]]


def test_every_split_is_kept_when_the_row_alone_cannot_tell() -> None:
    # 1,10,… or 11,0,… : both add up to 11 — the table's columns must decide
    splits = _splits("110000011", T3_SHAPE)
    assert [1, 10, 0, 0, 0, 0, 11] in splits and [11, 0, 0, 0, 0, 0, 11] in splits


def test_a_run_no_split_explains_is_unreadable_not_guessed() -> None:
    [cand] = run_candidates([GridCell("12", 0, 2)], Shape((7,), True), _read)
    assert cand.alignment is Alignment.AMBIGUOUS and set(cand.values.values()) == {None}


def test_section_two_splits_are_ranked_by_typical_sizes() -> None:
    text, grid = _grid("二、主动公开政府信息情况第二十条第(一)项信息内容本年制发件数本年废止件数现行有效件数规章000"
                       "行政规范性文件5719第二十条第(五)项信息内容本年处理决定数量行政许可4303", number=2)
    assert grid.layout == "flat"
    cells = t2_cells(grid, "2021").cells
    assert [cells[f"t2.normative.{c}"].value for c in ("issued", "repealed", "in_force")] == [5, 7, 19]
    assert Flag.AMBIGUOUS_ALIGNMENT in cells["t2.normative.in_force"].flags  # no arithmetic: flagged
    assert cells["t2.rules.issued"].value == 0 and not cells["t2.rules.issued"].flags
    assert cells["t2.licensing.decisions"].value == 4303


def _flat_t3(values: dict[str, str]) -> str:
    parts = ["三、收到和处理政府信息公开申请情况(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)"
             "申请人情况自然人法人或其他组织总计 商业企业科研机构社会公益组织法律服务机构其他"]
    group = ""
    for key, grp, label in T3_LABELS_2021:
        if grp and grp != group:
            parts.append(grp)
        group = grp
        parts.append(label + values.get(key, "0000000"))
    return "".join(parts)


def test_item_numbers_after_a_run_start_the_next_label() -> None:
    text, grid = _grid(_flat_t3({"denied_state_secret": "1000001 ", "new": "1000001", "total": "1000001"}))
    labels = {row.label: [c.text for c in row.values] for row in grid.rows}
    assert labels["1.属于国家秘密"] == ["1000001"]
    assert labels["2.其他法律行政法规禁止公开"] == ["0000000"]


def test_column_identities_settle_what_each_row_leaves_open() -> None:
    # 11 requests, each row reading "110000011" (1,10 or 11,0): only 11,0 everywhere, or 1,10
    # everywhere, keeps the columns adding up — and 上年结转 "1000001" (1 natural person) rules out 1,10
    body = _flat_t3({"new": "100000010", "carried_over": "1000001", "granted": "110000011",
                     "total": "110000011"})
    cells = t3_cells(_grid(body)[1], "2021").cells
    assert cells["t3.new.natural_person"].value == 10
    assert cells["t3.granted.natural_person"].value == 11 and cells["t3.granted.commercial"].value == 0
    assert cells["t3.granted.natural_person"].alignment is Alignment.SPLIT
    assert not cells["t3.granted.natural_person"].flags


def _generic_splits(text: str, shape: Shape) -> list[tuple[tuple[int, int], ...]]:
    """Every split whose groups' 总计 add up, by enumerating each group's parts and checking the sum."""
    from extractor.parse.runs import _parts, _show

    def groups(pos: int, g: int, acc: tuple[tuple[int, int], ...]):  # type: ignore[no-untyped-def]
        if g == len(shape.groups):
            if pos == len(text):
                yield acc
            return
        later = sum(shape.groups[g + 1:])
        for parts, want in _parts(text, pos, shape.groups[g] - 1, later + 1, (), 0):
            end = parts[-1][1] if parts else pos
            digits = _show(want)
            if text.startswith(digits, end):
                yield from groups(end + len(digits), g + 1, (*acc, *parts, (end, end + len(digits))))

    return sorted(groups(0, 0, ()))


def test_a_last_group_split_by_its_total_finds_every_split_the_enumeration_finds() -> None:
    import random

    from extractor.parse.runs import _splits as fast

    rng = random.Random(5)
    found = 0
    for _ in range(1500):
        sizes = rng.choice([(7,), (5, 5, 5), (3,), (1,), (2, 3)])
        numbers: list[int] = []
        for size in sizes:
            parts = [rng.choice([0, 1, rng.randint(0, 99), rng.randint(0, 99999)]) for _ in range(size - 1)]
            numbers += [*parts, sum(parts) if rng.random() < 0.8 else rng.randint(0, 999)]
        run, shape = "".join(map(str, numbers)), Shape(sizes, True)
        splits = sorted(tuple(s) for s in fast(run, shape, check_totals=True))
        assert splits == _generic_splits(run, shape), run
        found += len(splits)
    assert found > 1000  # most runs were written to add up: the comparison is not of empty lists
