"""Load: a path or bytes → ``Document``, dispatched by content and suffix.

PDF (``pdf``) by its ``%PDF-`` header or suffix; DOCX (``docx``) by suffix;
page images (``image``: .png .jpg .tif, OCR'd; ``<name>_p1.png``, ``_p2`` … one
document) by suffix; HTML (``html``) by suffix or markup, reduced to text with its tables as tab
rows; anything else is decoded as text (``decode``). A PDF also gives the
page and box of every table cell and text line.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..document import Document
from ..errors import EmptyInput, UnsupportedFormat
from .decode import decode
from .docx import docx_to_text
from .formats import format_of, listing, suffix_of
from .html import html_to_text
from .images import images_to_text, page_files
from .limits import DEFAULT_LIMITS, Limits
from .pdf import pdf_to_text


def load_path(path: Path, *, encoding: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read a file; raises an ``InputError`` subclass when it cannot be a report."""
    if format_of(path) is None and suffix_of(path) != "":
        raise UnsupportedFormat(f"unsupported file type '{suffix_of(path)}': nianbao reads {listing()}",
                                path=str(path), stage="load")
    if format_of(path) == "image":
        files = [(p.name, p.read_bytes()) for p in page_files(path)]
        return _images(files, name=path.name, path=str(path), limits=limits)
    return load_bytes(path.read_bytes(), name=path.name, path=str(path), encoding=encoding, limits=limits)


def load_bytes(data: bytes, *, name: str, path: str | None = None,
               encoding: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Document:
    sha = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise EmptyInput("the file is empty", path=path, stage="load")
    declared = format_of(name)
    if declared == "image":
        return _images([(name, data)], name=name, path=path, limits=limits)
    if declared == "pdf" or (declared != "docx" and data[:1024].lstrip().startswith(b"%PDF-")):
        pdf = pdf_to_text(data, path=path, limits=limits)
        return Document(name=name, sha256=sha, format="pdf", raw=pdf.text, encoding="pdf",
                        path=path, boxes=pdf.boxes, pages=pdf.pages)
    if declared == "docx":
        return Document(name=name, sha256=sha, format="docx", raw=docx_to_text(data, path=path, limits=limits),
                        encoding="docx", path=path)
    if declared == "html" or _looks_like_html(data):
        page = decode(data, path=path, encoding=encoding, html=True)
        return Document(name=name, sha256=sha, format="html", raw=html_to_text(page.text, path=path),
                        encoding=page.encoding, path=path, replaced=page.replaced)
    text = decode(data, path=path, encoding=encoding)
    return Document(name=name, sha256=sha, format="text", raw=text.text, encoding=text.encoding, path=path,
                    replaced=text.replaced)


def _images(files: list[tuple[str, bytes]], *, name: str, path: str | None, limits: Limits) -> Document:
    """Page images read by OCR as one document; its hash covers every page's bytes."""
    sha = hashlib.sha256(b"".join(data for _, data in files)).hexdigest()
    if not any(data.strip() for _, data in files):
        raise EmptyInput("the file is empty", path=path, stage="load")
    text = images_to_text(files, path=path, limits=limits)
    return Document(name=name, sha256=sha, format="image", raw=text.text, encoding="ocr", path=path,
                    boxes=text.boxes, pages=text.pages)


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<table" in data[:200_000].lower()
