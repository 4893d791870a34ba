"""The arithmetic identities of the template's tables, and how to evaluate them.

Used by the alignment solver, the validator and the golden linter alike, so
there is one definition of "the numbers add up".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from .template import APPLICANTS, T3_COLUMNS, T4_COLUMNS, T4_GROUPS, cells_for, t3_rows


@dataclass(frozen=True)
class Identity:
    """``sum(left) == sum(right)``."""

    name: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    kind: str
    """``row`` (a row's 总计), ``balance`` (一+二 = 七+四), ``outcomes`` (七 = 办理结果) or ``t4``."""

    @property
    def cells(self) -> tuple[str, ...]:
        return self.left + self.right


@dataclass(frozen=True)
class IdentityResult:
    identity: Identity
    holds: bool | None
    """None when a cell is null: the identity cannot be checked."""
    left_sum: float | None
    right_sum: float | None

    def describe(self) -> str:
        i = self.identity
        if self.holds is None:
            return f"{i.name}: not checkable (a cell is null)"
        verdict = "holds" if self.holds else "FAILS"
        return f"{i.name}: {_fmt(self.left_sum)} vs {_fmt(self.right_sum)} — {verdict}"


def _fmt(x: float | None) -> str:
    if x is None:
        return "?"
    return str(int(x)) if float(x).is_integer() else str(x)


@cache
def identities_for(edition: str) -> tuple[Identity, ...]:
    rows = [r.key for r in t3_rows(edition)]
    outcomes = [k for k in rows if k not in ("new", "carried_over", "total", "carried_forward")]
    out: list[Identity] = []
    for key in rows:
        out.append(Identity(f"三 {key}: 总计 = 六类申请人之和", (f"t3.{key}.total",),
                            tuple(f"t3.{key}.{a}" for a in APPLICANTS), "row"))
    for col in T3_COLUMNS:
        out.append(Identity(f"三 {col}: 一 + 二 = （七）总计 + 四",
                            (f"t3.new.{col}", f"t3.carried_over.{col}"),
                            (f"t3.total.{col}", f"t3.carried_forward.{col}"), "balance"))
        out.append(Identity(f"三 {col}: （七）总计 = 办理结果之和", (f"t3.total.{col}",),
                            tuple(f"t3.{k}.{col}" for k in outcomes), "outcomes"))
    for g in T4_GROUPS:
        out.append(Identity(f"四 {g}: 总计 = 维持 + 纠正 + 其他 + 尚未审结", (f"t4.{g}.total",),
                            tuple(f"t4.{g}.{c}" for c in T4_COLUMNS[:-1]), "t4"))
    known = set(cells_for(edition))
    assert all(c in known for i in out for c in i.cells), "identity names an unknown cell"
    return tuple(out)


def evaluate(identity: Identity, values: Mapping[str, object]) -> IdentityResult:
    left = _sum(identity.left, values)
    right = _sum(identity.right, values)
    if left is None or right is None:
        return IdentityResult(identity, None, left, right)
    return IdentityResult(identity, abs(left - right) < 1e-6, left, right)


def _sum(cells: tuple[str, ...], values: Mapping[str, object]) -> float | None:
    """The sum of the cells, or None when one is null (or not a number)."""
    try:
        return float(sum(values[c] for c in cells))  # type: ignore[misc]
    except (KeyError, TypeError):
        return None


def check_all(edition: str, values: Mapping[str, object]) -> list[IdentityResult]:
    return [evaluate(i, values) for i in identities_for(edition)]
