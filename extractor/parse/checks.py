"""Validate: drafts → ``Cell``s with flags, confidence and evidence.

Every identity of the edition is evaluated; the cells of a failing identity are
flagged ``checksum_failed``. Confidence is computed from the checks by the
rules of ``confidence``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypedDict

from pydantic import TypeAdapter

from ..document import Document, Text
from ..identities import IdentityResult, check_all
from ..records import Cell, Flag, Value
from .confidence import cell_confidence, null_confidence
from .draft import Draft

OCR_DOUBT = 0.8
"""An OCR score under which a cell no identity confirms is flagged (a mended ``o`` → 0 scores 0.5)."""


def validate(drafts: Mapping[str, Draft], edition: str, text: Text,
             doc: Document | None = None) -> tuple[dict[str, Cell], list[IdentityResult]]:
    values: dict[str, Value] = {k: d.value for k, d in drafts.items()}
    results = check_all(edition, values)
    failing: dict[str, list[IdentityResult]] = {}
    passing: dict[str, int] = {}
    for r in results:
        for c in r.identity.cells:
            if r.holds is False:
                failing.setdefault(c, []).append(r)
            elif r.holds:
                passing[c] = passing.get(c, 0) + 1
    fields: dict[str, dict[str, object]] = {}
    boxed = doc is not None and bool(doc.boxes)
    for cell_id, d in drafts.items():
        flags = set(d.flags)
        note = d.note
        conf = cell_confidence(d, holds=passing.get(cell_id, 0), fails=cell_id in failing)
        if cell_id in failing:
            flags.add(Flag.CHECKSUM_FAILED)
            note = "; ".join(r.describe() for r in failing[cell_id])
        ev = evidence(d, text, doc)
        if ev is not None and "\ufffd" in ev["text"]:
            flags.add(Flag.DAMAGED_TEXT)  # an undecodable byte of the file was replaced in its evidence
            conf = min(conf, 0.5)
        if ev is not None and boxed:
            assert doc is not None
            box = doc.box_at(text.raw_span(d.token.start, d.token.end)[0]) if d.token else None
            if box is not None and box.source == "words":
                conf *= 0.85  # placed by word positions, no ruled table: less sure
            if box is not None and box.ocr is not None:
                conf, doubt = ocr_confidence(conf, box.ocr, confirmed=bool(passing.get(cell_id)))
                if doubt:
                    flags.add(Flag.OCR_UNCERTAIN)
        if d.value is None:
            conf = null_confidence(d)
        fields[cell_id] = {
            "value": d.value, "confidence": round(min(conf, 0.999), 3), "method": d.method,
            "flags": sorted(f.value for f in flags) if flags else [], "evidence": ev, "alignment": d.alignment,
            "note": note, "alternatives": d.alternatives, "prompt": d.prompt}
    return _CELLS.validate_python(fields), results


_CELLS = TypeAdapter(dict[str, Cell])
"""The cells are built as plain dictionaries and validated in one pass: a model constructed per cell
(a few hundred a document) cost more than the checks themselves."""


class EvidenceFields(TypedDict):
    """``Evidence``'s fields, validated with the cell."""

    text: str
    start: int
    end: int
    raw_start: int
    raw_end: int
    page: int | None
    bbox: tuple[float, float, float, float] | None


def ocr_confidence(conf: float, score: float, *, confirmed: bool) -> tuple[float, bool]:
    """A cell read by OCR: its confidence scaled by the OCR score of its characters, and whether to flag
    it ``ocr_uncertain`` — read with a low score and confirmed by no identity (section 二 has none, so a
    misread digit there could otherwise pass unseen)."""
    conf *= 0.5 + 0.5 * score
    return conf, score < OCR_DOUBT and not confirmed


def evidence(d: Draft, text: Text, doc: Document | None = None) -> EvidenceFields | None:
    tok, label = d.token, d.label
    if tok is None and label is None:
        return None
    if label is not None and tok is not None and label.start <= tok.start:
        start, end = label.start, tok.end
        shown = f"{label.text} … {tok.text}" if tok.start > label.end + 1 else text.text[start:end]
    elif tok is not None:
        start, end, shown = tok.start, tok.end, tok.text
    else:
        assert label is not None
        start, end, shown = label.start, label.end, f"{label.text} … (blank)"
    raw_start, raw_end = text.raw_span(start, end)
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    if doc is not None and doc.boxes:
        anchor = tok if tok is not None else label
        assert anchor is not None
        box = doc.box_at(text.raw_span(anchor.start, anchor.end)[0])
        if box is not None:
            page, bbox = box.page, box.bbox
    return {"text": shown.replace("\n", " ").replace("\t", " "), "start": start, "end": end,
            "raw_start": raw_start, "raw_end": raw_end, "page": page, "bbox": bbox}
