"""Who a record is about: its agency, normalised, so that one body's reports over the years fall together.

The name comes from ``meta.agency`` (which carries the region: 杭州市教育局); widths, spaces and
punctuation are folded. Bodies renamed or written several ways are joined by a ``--group-by`` file: a
JSON object mapping an agency name or a document file name to the group it belongs to.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from ..errors import ConfigError
from ..records import Record

_NOISE = re.compile(r"[\s\u3000·•()（）\[\]【】“”\"'「」《》、,，.。:：-]")


def normalise_agency(name: str) -> str:
    """``杭州市 教育局`` and ``杭州市教育局`` are one key (NFKC, no spaces or punctuation)."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", name))


def load_groups(path: Path) -> dict[str, str]:
    """A ``--group-by`` file: ``{"杭州市教育局": "hz-edu", "2019_hz.txt": "hz-edu", …}``, keys normalised."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"group-by file {path} is not readable JSON: {exc}", path=str(path)) from exc
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise ConfigError(f"group-by file {path} must be a JSON object of names (agency or document) to group "
                          'names, e.g. {"杭州市教育局": "hangzhou-education"}', path=str(path))
    return {normalise_agency(k): v for k, v in data.items()}


def agency_of(record: Record, groups: Mapping[str, str] | None = None) -> str | None:
    """The record's group: the mapping's for its document or agency, else its normalised agency (None if
    the report names none)."""
    cell = record.cells.get("meta.agency")
    return agency_from(record.document, cell.value if cell is not None else None, groups)


def agency_from(document: str, agency: object, groups: Mapping[str, str] | None = None) -> str | None:
    """``agency_of`` from a record's document name and ``meta.agency`` value."""
    groups = groups or {}
    by_document = groups.get(normalise_agency(document))
    if by_document is not None:
        return by_document
    if not isinstance(agency, str) or not agency.strip():
        return None
    key = normalise_agency(agency)
    return groups.get(key, key)


def year_of(record: Record) -> int | None:
    cell = record.cells.get("meta.year")
    return cell.value if cell is not None and isinstance(cell.value, int) else None
