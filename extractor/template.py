"""The national template: its cells (from ``data/cells.csv``), section headings, tables, rows, columns and labels.

Row and column labels are matched on normalised, whitespace-free simplified text.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

EDITIONS = ("2019", "2021")
META_CELLS = ("meta.agency", "meta.year", "meta.template")

# ---------------------------------------------------------------- section headings

SECTION_HEADING = re.compile(r"^[ \t•·]*(?:#{1,6}[ \t]*)?(?:\*\*|__)?[ \t]*第?([一二三四五六])[ \t]*[、.,:;\s][ \t]*"
                             r"(.{1,40}?)[ \t]*(?:\*\*|__)?[ \t]*$", re.M)
"""A heading line: numeral, separator, a short rest (normalised text: half-width, simplified);
Markdown ``#`` or ``**…**`` around it allowed."""
SECTION_KEYWORDS = {
    1: ("总体情况", "概述", "基本情况", "总体"),
    2: ("主动公开",),
    3: ("收到和处理", "依申请公开", "收到并处理", "申请情况"),
    4: ("行政复议", "行政诉讼", "复议"),
    5: ("存在的主要问题", "主要问题", "改进情况", "存在问题"),
    6: ("其他需要报告", "其他事项", "需要报告"),
}
"""Section number → the words one of which its heading holds (一、本年新收… never qualifies)."""


def heading_section(match: re.Match[str]) -> int | None:
    """The section a ``SECTION_HEADING`` match names, or None when the rest lacks its keyword."""
    number = "一二三四五六".index(match.group(1)) + 1
    rest = re.sub(r"\s", "", match.group(2))
    return number if any(k in rest for k in SECTION_KEYWORDS[number]) else None


@dataclass(frozen=True)
class CellSpec:
    id: str
    template: str
    section: str
    row_zh: str
    col_zh: str
    unit: str
    type: str


@dataclass(frozen=True, eq=False)
class RowSpec:
    """One template row: its id part (``t3.<key>.*``), label patterns and columns.

    Each is a constant of this module, so it hashes and compares by identity: label matching caches on
    tuples of specs, and hashing every field of each spec for every lookup cost more than the match."""

    table: str
    key: str
    patterns: tuple[str, ...]
    columns: tuple[str, ...]
    editions: tuple[str, ...] = EDITIONS

    def cell(self, column: str) -> str:
        return f"{self.table}.{self.key}.{column}"

    def matches(self, label: str) -> bool:
        return _compiled(self.patterns).search(label) is not None


@cache
def _compiled(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


@cache
def _spec_rows() -> tuple[CellSpec, ...]:
    text = resources.files("extractor").joinpath("data/cells.csv").read_text("utf-8")
    return tuple(CellSpec(r["cell"], r["template"], r["section"], r["row_zh"], r["col_zh"],
                          r["unit"], r["type"]) for r in csv.DictReader(text.splitlines()))


@cache
def cell_specs() -> dict[str, CellSpec]:
    """Cell id → spec. A few ids (t2.licensing.decisions …) belong to both editions."""
    out: dict[str, CellSpec] = {}
    for spec in _spec_rows():
        seen = out.get(spec.id)
        if seen is not None and seen.template != spec.template:
            spec = CellSpec(spec.id, "both", spec.section, seen.row_zh, seen.col_zh, spec.unit,
                            spec.type)
        out[spec.id] = spec
    return out


@cache
def cells_for(edition: str) -> tuple[str, ...]:
    """Every cell id of an edition, in the order of cells.csv."""
    return tuple(dict.fromkeys(c.id for c in _spec_rows() if c.template in ("both", edition)))


# ---------------------------------------------------------------- section 三

APPLICANTS = ("natural_person", "commercial", "research", "social_welfare",
              "legal_service", "other_org")
T3_COLUMNS = (*APPLICANTS, "total")

_T3 = [
    ("new", (r"本年新收",)),
    ("carried_over", (r"上年结转",)),
    ("granted", (r"予以公开",)),
    ("partial", (r"部分公开",)),
    ("denied_state_secret", (r"国家秘密",)),
    ("denied_law_forbidden", (r"禁止公开",)),
    ("denied_safety_stability", (r"三安全", r"一稳定")),
    ("denied_third_party", (r"第三方",)),
    ("denied_internal_affairs", (r"内部事务",)),
    ("denied_process_info", (r"过程性",)),
    ("denied_enforcement_file", (r"执法案卷",)),
    ("denied_query_matter", (r"查询事项",)),
    ("unavailable_not_held", (r"不掌握",)),
    ("unavailable_needs_creation", (r"另行制作",)),
    ("unavailable_unclear", (r"仍不明确",)),
    ("not_processed_petition", (r"信访", r"举报投诉")),
    ("not_processed_duplicate", (r"重复申请",)),
    ("not_processed_publication", (r"出版物",)),
    ("not_processed_excessive", (r"大量反复",)),
    ("not_processed_confirm", (r"重新出具", r"确认或")),
    ("other_no_correction", (r"不补正",)),
    ("other_no_fee", (r"缴纳费用", r"收费通知")),
    ("other_other", (r"(^|[)\d.])3\.?其他$",)),
    ("other", (r"其他处理$",)),
    ("total", (r"(^|\))(\(七\))?总计$",)),
    ("carried_forward", (r"结转下年",)),
]
_EDITION_ONLY = {"other": ("2019",), "other_no_correction": ("2021",),
                 "other_no_fee": ("2021",), "other_other": ("2021",)}

T3_ROWS = tuple(RowSpec("t3", key, pats, T3_COLUMNS, _EDITION_ONLY.get(key, EDITIONS))
                for key, pats in _T3)
OUTCOME_KEYS = tuple(k for k, _ in _T3[2:-2])
"""The 办理结果 rows that （七）总计 adds up (both editions' keys)."""
OTHER_SPLIT = ("other_no_correction", "other_no_fee", "other_other")

# ---------------------------------------------------------------- section 四

T4_GROUPS = ("review", "litigation_direct", "litigation_after_review")
T4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
T4_CELLS = tuple(f"t4.{g}.{c}" for g in T4_GROUPS for c in T4_COLUMNS)

# ---------------------------------------------------------------- section 二

_T2_2021 = [
    ("rules", (r"^规章",), ("issued", "repealed", "in_force")),
    ("normative", (r"规范性文件",), ("issued", "repealed", "in_force")),
    ("licensing", (r"行政许可",), ("decisions",)),
    ("punishment", (r"行政处罚",), ("decisions",)),
    ("coercion", (r"行政强制",), ("decisions",)),
    ("fees", (r"行政事业性收费",), ("amount",)),
]
_T2_2019 = [
    ("rules", (r"^规章",), ("new_made", "new_published", "total_published")),
    ("normative", (r"规范性文件",), ("new_made", "new_published", "total_published")),
    ("licensing", (r"行政许可",), ("prev_items", "change", "decisions")),
    ("other_services", (r"其他对外管理服务",), ("prev_items", "change", "decisions")),
    ("punishment", (r"行政处罚",), ("prev_items", "change", "decisions")),
    ("coercion", (r"行政强制",), ("prev_items", "change", "decisions")),
    ("fees", (r"行政事业性收费",), ("prev_items", "change")),
    ("procurement", (r"集中采购",), ("items", "amount")),
]
T2_ROWS = {
    "2021": tuple(RowSpec("t2", k, p, c, ("2021",)) for k, p, c in _T2_2021),
    "2019": tuple(RowSpec("t2", k, p, c, ("2019",)) for k, p, c in _T2_2019),
}

TYPICAL_SIZE = {
    "issued": 5, "repealed": 2, "in_force": 50,
    "new_made": 5, "new_published": 5, "total_published": 50,
    "prev_items": 30, "change": 2, "decisions": 500,
    "items": 10, "amount": 100,
}
"""Section 二 column → the size its values usually have in real reports (documents issued in a year
are few, documents in force many, decisions many). Section 二 has no arithmetic: when a flattened row's
digits split several ways, the splits are ranked by how typical their sizes are (and flagged)."""

EDITION_MARKERS: dict[str, dict[str, int]] = {
    "2021": {"本年制发件数": 1, "本年废止件数": 1, "现行有效件数": 1, "本年处理决定数量": 2, "本年收费金额": 2,
             "不补正": 2, "缴纳费用": 2},
    "2019": {"本年新制作数量": 1, "本年新公开数量": 1, "对外公开总数量": 1, "上一年项目数量": 2, "本年增/减": 1,
             "集中采购": 2, "其他对外管理服务": 2},
}
"""Words only one edition prints in sections 二 and 三, weighed: a column of section 二's first block
counts 1 (some 2021 reports keep the 2019 columns there), the later blocks' columns, their rows
and section 三's split （六） rows count 2."""
BLOCK_COLUMNS = {
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额"),
    "2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减", "采购项目数量",
             "采购总金额"),
}
"""Section 二's column headers by edition: the rows under a header belong to its edition's columns."""


def t3_rows(edition: str) -> tuple[RowSpec, ...]:
    return tuple(r for r in T3_ROWS if edition in r.editions)


@cache
def is_amount(cell: str) -> bool:
    spec = cell_specs().get(cell)
    return spec is not None and spec.unit == "万元"


def may_be_negative(cell: str) -> bool:
    return cell.endswith(".change")
