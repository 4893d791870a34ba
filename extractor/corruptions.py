"""Misreadings a table's identities cannot see: a golden's cells → copies with a count moved so that every
identity of the template still holds (a request read in the wrong row, one more on both sides of a sum).

What the narrative and the cross-year check are for: the eval and the tests inject these and count who
notices.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from .template import OUTCOME_KEYS, t3_rows


@dataclass(frozen=True)
class Corruption:
    name: str
    cells: dict[str, object]


def coherent_corruptions(cells: Mapping[str, object], edition: str) -> Iterator[Corruption]:
    """Misreadings every identity of the table still passes, one per witnessed quantity where the
    counts allow: a request moved between 新收 and 上年结转, between two 办理结果 rows; one more
    结转下年度 (with one more 新收); one more 办结; one more 行政复议, 行政诉讼, 规范性文件."""
    outcomes = [k for k in OUTCOME_KEYS if any(r.key == k for r in t3_rows(edition))]
    col = "natural_person"

    def moved(changes: dict[str, int]) -> Corruption | None:
        out = dict(cells)
        for cell, delta in changes.items():
            value = out.get(cell)
            if not isinstance(value, int) or value + delta < 0:
                return None
            out[cell] = value + delta
            row = cell.rsplit(".", 1)[0]
            if cell.startswith("t3.") and not cell.endswith(".total"):
                total = out.get(f"{row}.total")
                if not isinstance(total, int):
                    return None
                out[f"{row}.total"] = total + delta
        return Corruption(", ".join(f"{c} {d:+d}" for c, d in changes.items()), out)

    candidates = [
        {f"t3.carried_over.{col}": +1, f"t3.new.{col}": -1},
        {f"t3.carried_over.{col}": -1, f"t3.new.{col}": +1},
        {f"t3.carried_forward.{col}": +1, f"t3.new.{col}": +1},
        {f"t3.granted.{col}": +1, f"t3.total.{col}": +1, f"t3.new.{col}": +1},
        {f"t3.granted.{col}": -1, f"t3.partial.{col}": +1},
        {f"t3.partial.{col}": -1, f"t3.granted.{col}": +1},
        *({f"t3.{k}.{col}": -1, f"t3.{outcomes[0]}.{col}": +1} for k in outcomes[2:]),
        {"t4.review.upheld": +1, "t4.review.total": +1},
        {"t4.litigation_direct.upheld": +1, "t4.litigation_direct.total": +1},
        {("t2.normative.issued" if edition == "2021" else "t2.normative.new_made"): +1},
    ]
    for changes in candidates:
        corruption = moved(changes)
        if corruption is not None:
            yield corruption
