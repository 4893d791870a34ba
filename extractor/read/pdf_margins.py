"""Running lines in a PDF page's margins: page numbers, and the header and footer a browser prints.

Chromium's "Save as PDF" puts the date and time and the page's title at the
top of every page, and its URL and "page x/y" at the bottom, unless the user
turns "Headers and footers" off. None of it is report text: left in, the title
repeated on every page reads as a second copy of the report, and the lines
between two halves of a table keep the halves apart.
"""

from __future__ import annotations

import re
import unicodedata

from .pdf_geometry import Line

_PAGE_NUMBER = re.compile(r"^[-—–－~\s]*(第\s*)?\d{1,4}(\s*页)?(\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[-—–－~\s]*$")
_DATE_TIME = re.compile(r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}[,\s]*(?:上午|下午)?\s*\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AP]M)?",
                        re.I)
_URL = re.compile(r"^(?:https?|file|ftp)://\S+", re.I)
_PAGE_OF = re.compile(r"\s\d{1,4}\s*/\s*\d{1,4}$")

TOP_MARGIN = 0.12
BOTTOM_MARGIN = 0.85
"""Shares of the page height: a running line lies above the first or below the second."""


def is_running_line(line: Line, height: float) -> bool:
    """A page number, or a browser's header (date and time, title) or footer (URL, page x/y)."""
    if not (line.top > BOTTOM_MARGIN * height or line.bottom < TOP_MARGIN * height):
        return False
    text = unicodedata.normalize("NFKC", line.text).strip()
    return bool(_PAGE_NUMBER.match(text) or _DATE_TIME.match(text) or _URL.match(text)
                or (_PAGE_OF.search(text) and "://" in text))
