"""The file types nianbao reads: one list, used by the loader, the batch walker, the service's
upload check, the CLI's messages and the eval's per-format breakdown.
"""

from __future__ import annotations

from pathlib import PurePath

from ..document import Format

FILE_TYPES: dict[str, Format] = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image", ".tiff": "image",
}
"""Suffix → format. A file without a suffix, named explicitly, is sniffed (PDF, HTML or text)."""

SUFFIXES = tuple(FILE_TYPES)


def suffix_of(name: str | PurePath) -> str:
    return PurePath(name).suffix.lower()


def format_of(name: str | PurePath) -> Format | None:
    """The format a file's suffix names, or None for an unknown suffix."""
    return FILE_TYPES.get(suffix_of(name))


def is_supported(name: str | PurePath) -> bool:
    """Whether a folder walk or an upload takes this file."""
    return suffix_of(name) in FILE_TYPES


def listing() -> str:
    """``.txt .text .md .html .htm .xhtml .pdf .docx .png …``, for messages."""
    return " ".join(SUFFIXES)
