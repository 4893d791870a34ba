"""Read: bytes of a .txt/.md, .html, .docx or .pdf file → a ``Document`` with text (tables as tab rows)."""

from __future__ import annotations

from .formats import FILE_TYPES, format_of, is_supported, listing
from .load import load_bytes, load_path

__all__ = ["FILE_TYPES", "format_of", "is_supported", "listing", "load_bytes", "load_path"]
