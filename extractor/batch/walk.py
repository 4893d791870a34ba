"""Walking the inputs: files and folders → the documents to read, in a stable order, each once.

Page images of one report (``name_p1.png``, ``name_p2.png``, …) are one document: only the first page
is listed, and the loader reads its siblings with it."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..read.formats import is_supported
from ..read.images import is_later_page


def discover(inputs: Iterable[Path]) -> list[Path]:
    """The readable documents under the given files and folders, in a stable order, each once."""
    found: list[Path] = []
    for p in inputs:
        if p.is_dir():
            found += sorted(f for f in p.rglob("*")
                            if f.is_file() and is_supported(f) and not is_later_page(f)
                            and not any(part.startswith(".") for part in f.relative_to(p).parts))
        else:
            found.append(p)
    unique: dict[str, Path] = {}
    for f in found:
        unique.setdefault(str(f.absolute()), f)
    return list(unique.values())
