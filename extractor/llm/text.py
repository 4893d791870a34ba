"""What a question sends of a document's text: which section holds each table, and the text compacted."""

from __future__ import annotations

SECTION_OF = {"t2": 2, "t3": 3, "t4": 4}


def compact(text: str) -> str:
    """The section as sent: blank lines and trailing spaces dropped (tokens cost time and money).

    A line holding only spaces stays (as a lone space): it is an empty cell.
    """
    lines = [line.rstrip() or (" " if line else "") for line in text.split("\n")]
    return "\n".join(line for line in lines if line != "")
