"""What one file may cost before it is parsed: PDF pages, a DOCX's unpacked XML, HTML nesting.

Each is checked from the file's own header (the page tree's /Count, the ZIP
directory's sizes, the parser's depth limit), so a hostile file is refused
before it can take a worker's time or memory. Past a limit the document gets a
clear error naming the setting that raises it.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from ..errors import InputError


class OverLimit(InputError):
    """The file is larger than a report can be, by a limit the user can raise."""


@dataclass(frozen=True)
class Limits:
    max_pages: int = 300
    """Pages of one PDF at most (a report has a few dozen; 0: no limit)."""
    max_unpacked_mb: float = 100.0
    """Megabytes of XML a DOCX may unpack to (a zip bomb unpacks to gigabytes; 0: no limit)."""


DEFAULT_LIMITS = Limits()

HTML_MAX_DEPTH = 255
"""libxml2's nesting limit without XML_PARSE_HUGE: deeper, it drops the rest of the page."""


def check_pages(n_pages: int, limits: Limits, path: str | None) -> None:
    if limits.max_pages and n_pages > limits.max_pages:
        raise OverLimit(f"the PDF has {n_pages:,} pages, over the limit of {limits.max_pages:,} for one "
                        "report; raise it with --max-pages (NIANBAO_MAX_PAGES) if it really is one",
                        path=path, stage="load")


def check_unpacked(zf: zipfile.ZipFile, limits: Limits, path: str | None) -> None:
    """The XML parts' sizes as the ZIP directory declares them (reading more than declared fails the CRC)."""
    if not limits.max_unpacked_mb:
        return
    size = sum(i.file_size for i in zf.infolist() if i.filename.endswith((".xml", ".rels")))
    if size > limits.max_unpacked_mb * 1_000_000:
        packed = sum(i.compress_size for i in zf.infolist() if i.filename.endswith((".xml", ".rels")))
        raise OverLimit(f"the DOCX's XML unpacks to {size / 1_000_000:,.0f} MB (from {packed / 1_000_000:,.1f} "
                        f"MB packed), over the limit of {limits.max_unpacked_mb:g} MB: a zip bomb or not a "
                        "report; raise it with --max-unpacked-mb (NIANBAO_MAX_UNPACKED_MB)",
                        path=path, stage="load")


def too_deep(path: str | None = None) -> OverLimit:
    return OverLimit(f"the HTML nests elements more than {HTML_MAX_DEPTH} deep, where the parser stops "
                     "reading: the page is damaged or hostile, and its text past that depth would be lost",
                     path=path, stage="load")
