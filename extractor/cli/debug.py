"""``nianbao debug``: every intermediate stage of one document, rendered with rich."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from ..config import Settings
from ..errors import InputError
from ..pipeline import read_report, to_record
from ..read.load import load_path
from .common import console, settings_from


@click.command("debug")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--stage", type=click.Choice(["text", "sections", "grids", "cells", "all"]),
              default="all", show_default=True)
def debug_cmd(path: Path, stage: str) -> None:
    """Print every stage of the pipeline for one document (exit 1 when it is not readable as a report)."""
    if not render_debug(path, stage, console(), settings_from()):
        sys.exit(1)


def render_debug(path: Path, stage: str, console: Console, settings: Settings) -> bool:
    """Every stage that ran, then — for a document that is not a report — the reason, so a user
    sees where a page went wrong (its text, the headings found, the grids read)."""
    try:
        doc = load_path(path)
    except InputError as exc:
        console.print(f"[red]failed while loading:[/red] {exc}", highlight=False, soft_wrap=True)
        return False
    ex = read_report(doc)

    def want(name: str) -> bool:
        return stage in (name, "all")

    console.print(f"{doc.name}  ({doc.format}, {doc.encoding}, edition {ex.edition})", style="bold", markup=False)
    console.rule()
    if want("text"):
        console.print(ex.text.text[: ex.structure.body_end], markup=False, highlight=False)
    if want("sections"):
        t = Table("section", "heading", "start", "end", title="sections")
        for n, s in sorted(ex.structure.sections.items()):
            t.add_row("一二三四五六"[n - 1], s.heading or "(no heading: found by its table)", str(s.start),
                      str(s.end))
        if not ex.structure.sections:
            t.caption = "no section heading and no table of the template was found"
        console.print(t)
        for note in ex.notes:
            console.print(f"note: {note}", markup=False)
    if want("grids"):
        for n, grid in ex.grids.items():
            t = Table("label", "values", title=f"grid of section {'一二三四五六'[n - 1]} ({grid.layout})")
            for row in grid.rows:
                t.add_row(row.label[-30:], " | ".join(c.text or "∅" for c in row.values))
            console.print(t)
    if ex.failure is not None:
        console.print(f"[red]failed at the {ex.failure.stage or 'cells'} stage:[/red] {ex.failure}",
                      highlight=False, soft_wrap=True)
        return False
    if want("cells"):
        record = to_record(ex, settings)
        t = Table(title=f"cells — status {record.status}")
        t.add_column("cell", no_wrap=True)
        for name in ("value", "conf", "method", "alignment", "flags", "evidence"):
            t.add_column(name)
        for cid, c in record.cells.items():
            style = "red" if c.flags else None
            t.add_row(cid, repr(c.value), f"{c.confidence:.2f}", c.method.value,
                      c.alignment.value if c.alignment else "", ",".join(c.flags),
                      (c.evidence.text[:40] if c.evidence else ""), style=style)
        console.print(t)
        for r in ex.identities:
            if r.holds is False:
                console.print(f"[red]identity fails[/red] {r.describe()}")
    return True
