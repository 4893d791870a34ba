"""Golden lint: does each golden hold its edition's cells, with the right types and arithmetic?

In: a folder of golden files. Out: ``GoldenProblem``s per file; an identity
that fails is a problem unless the golden's notes acknowledge it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePath

from ..errors import ConfigError
from ..identities import Identity, check_all
from ..template import EDITIONS, cell_specs, cells_for, may_be_negative
from .goldens import Golden, golden_files, load_golden

ACKNOWLEDGED = re.compile(r"source (is )?inconsistent|不一致|does not add up|doesn't add up",
                          re.IGNORECASE)
"""Notes phrases that accept every failing identity of a golden."""
_MENTION = re.compile(r"identity|inconsisten|add up|fails|failed|不符|不等", re.IGNORECASE)


@dataclass(frozen=True)
class GoldenProblem:
    path: str
    cell: str | None
    """The cell at fault; None for a problem with the whole file."""
    message: str

    def __str__(self) -> str:
        where = f" {self.cell}" if self.cell else ""
        return f"{self.path}:{where} {self.message}"


def _type_problem(cell: str, value: object) -> str | None:
    """Why a value has the wrong type for its cell, or None."""
    spec = cell_specs()[cell]
    if value is None:
        return "meta.template must name the edition" if cell == "meta.template" else None
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if spec.type == "str":
        if not isinstance(value, str):
            return f"should be a string, not {type(value).__name__} {value!r}"
        if not value.strip():
            return "is an empty string; use null when the document does not say"
        return None
    if spec.type == "decimal":
        return None if is_number else f"should be a number in 万元, not {value!r}"
    if not isinstance(value, int) or isinstance(value, bool):
        return f"should be an int, not {type(value).__name__} {value!r}"
    if value < 0 and not may_be_negative(cell):
        return f"is negative ({value}); counts cannot be"
    return None


def acknowledged(notes: str, identity: Identity) -> bool:
    """Whether the notes say that this identity fails in the source.

    Either a general phrase ("source inconsistent"), the identity's name, or
    one of its cell ids next to a word such as "identity" or "inconsistent".
    """
    if ACKNOWLEDGED.search(notes) or identity.name in notes:
        return True
    for cell in identity.cells:
        for m in re.finditer(re.escape(cell), notes):
            if _MENTION.search(notes[max(0, m.start() - 120): m.end() + 120]):
                return True
    return False


def check_golden(golden: Golden, path: str = "") -> list[GoldenProblem]:
    """The problems of one golden: cells, types and identities."""
    name = path or golden.document

    def problem(cell: str | None, message: str) -> GoldenProblem:
        return GoldenProblem(name, cell, message)

    edition = golden.edition
    if edition not in EDITIONS:
        return [problem("meta.template",
                        f"is {golden.cells.get('meta.template')!r}; expected one of "
                        f"{', '.join(EDITIONS)}, so the edition's cells cannot be checked")]
    out: list[GoldenProblem] = []
    if path and PurePath(path).stem != PurePath(golden.document).stem:
        out.append(problem(None, f"file name does not match its document {golden.document}"))
    expected = cells_for(edition)
    out += [problem(c, f"missing (every {edition}-edition cell must appear; null if unknowable)")
            for c in expected if c not in golden.cells]
    specs = cell_specs()
    for cell in golden.cells:
        if cell not in expected:
            other = cell in specs
            out.append(problem(cell, "belongs to the other edition" if other
                               else "is not a cell of cells.csv"))
    for cell in expected:
        if cell in golden.cells and (why := _type_problem(cell, golden.cells[cell])):
            out.append(problem(cell, why))
    for key in golden.narrative or {}:
        out += [problem(c, f"in narrative key {key}: not a cell of the {edition} edition")
                for c in key.split("+") if c not in expected]
    for result in check_all(edition, golden.cells):
        if result.holds is False and not acknowledged(golden.notes, result.identity):
            out.append(problem(result.identity.left[0],
                               f"identity {result.describe()}; fix the golden, or say in its "
                               "notes that the source is inconsistent"))
    return out


def check_goldens(directory: Path) -> dict[str, list[GoldenProblem]]:
    """Every golden file of a folder with its problems (an empty list when it is fine)."""
    out: dict[str, list[GoldenProblem]] = {}
    seen: dict[str, str] = {}
    for path in golden_files(directory):
        try:
            golden = load_golden(path)
        except ConfigError as exc:
            out[str(path)] = [GoldenProblem(str(path), None, exc.message)]
            continue
        problems = check_golden(golden, str(path))
        if golden.document in seen:
            problems.append(GoldenProblem(
                str(path), None, f"{golden.document} also has golden {seen[golden.document]}"))
        seen.setdefault(golden.document, str(path))
        out[str(path)] = problems
    return out
