"""Golden files: load and validate the hand-labelled values of one document each.

A golden directory holds ``*.json`` files in the shared format (``schema.json``
beside them is skipped); out comes one ``Golden`` per source document.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    StrictStr,
    StringConstraints,
    ValidationError,
)

from ..errors import ConfigError

log = logging.getLogger(__name__)

GoldenValue = StrictInt | StrictFloat | StrictStr | None
"""A golden cell: int for counts, number for 万元 amounts, str for meta, None for unknowable."""

SCHEMA_FILE = "schema.json"
CellId = Annotated[str, StringConstraints(pattern=r"^(meta\.(agency|year|template)|t[234]\.[a-z_]+\.[a-z_]+)$")]
StatedCells = Annotated[str, StringConstraints(pattern=r"^t[234]\.[a-z_]+\.[a-z_]+(\+t[234]\.[a-z_]+\.[a-z_]+)*$")]
"""A narrative key: one cell id, or several joined by ``+`` (their sum)."""
Statements = Annotated[dict[StatedCells, StrictInt], Field(json_schema_extra={"additionalProperties": False})]


class Golden(BaseModel):
    """The hand-labelled values of one source document."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="nianbao golden file")

    document: str = Field(description="File name of the source document, matched against the names "
                                      "in the docs folder.")
    cells: dict[CellId, GoldenValue] = Field(description=(
        "Cell id (shared/schema/cells.csv) → value: an integer for counts, a number in 万元 for "
        "amounts, a string for meta.agency and meta.template, null where the document does not give it."),
        json_schema_extra={"additionalProperties": False})
    notes: str = Field(description="Free text: what was ambiguous and how it was decided.")
    narrative: Statements | None = Field(default=None, description=(
        "Optional: the numbers the report's sentences (sections 一–四) state, read by hand: a cell id, or "
        "cell ids joined by '+' for a number that is their sum (办结 = the 办理结果 rows' totals), → the "
        "stated value (无/未收到 = 0). Kept apart from cells: the narrative may disagree with the table."))

    @property
    def edition(self) -> str | None:
        """The template edition the golden claims (``meta.template``), if it is a string."""
        value = self.cells.get("meta.template")
        return value if isinstance(value, str) else None


def golden_json_schema() -> dict[str, Any]:
    """The JSON Schema of a golden file, made from ``Golden`` (``goldens/schema.json`` holds it)."""
    schema = Golden.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://nianbao.local/goldens/schema.json",
            "description": "Hand-labelled values of one 政府信息公开工作年度报告 source document.",
            **schema}


def golden_files(directory: Path) -> list[Path]:
    """The golden files of a directory, sorted by name, without ``schema.json``."""
    if not directory.is_dir():
        raise ConfigError(f"golden directory {directory} does not exist; pass --goldens DIR",
                          path=str(directory))
    return sorted(p for p in directory.glob("*.json") if p.name != SCHEMA_FILE)


def load_golden(path: Path) -> Golden:
    """Parse one golden file; a malformed one raises ``ConfigError`` naming the file and field."""
    try:
        raw = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"golden {path} is not readable JSON: {exc}", path=str(path)) from exc
    try:
        return Golden.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"golden {path} does not match the golden format: {problems}",
                          path=str(path)) from exc


def iter_goldens(directory: Path) -> Iterator[tuple[Path, Golden]]:
    for path in golden_files(directory):
        yield path, load_golden(path)


def load_goldens(directory: Path) -> dict[str, Golden]:
    """Every golden of a directory, keyed by its ``document`` name.

    Two goldens for the same document are an error: the score would depend on
    which one was read last.
    """
    goldens: dict[str, Golden] = {}
    origin: dict[str, Path] = {}
    for path, golden in iter_goldens(directory):
        if golden.document in goldens:
            raise ConfigError(
                f"goldens {origin[golden.document]} and {path} both describe {golden.document}",
                path=str(path),
            )
        goldens[golden.document] = golden
        origin[golden.document] = path
    log.debug("loaded %d goldens from %s", len(goldens), directory)
    return goldens
