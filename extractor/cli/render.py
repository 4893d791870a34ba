"""The ``nianbao render`` command: goldens → reports in every layout (text, HTML, DOCX, PDF, web pages).

A thin click command over ``extractor.render``; the main group attaches ``render_cmd``.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import NianbaoError
from ..render.office import layout_names, render_layout, renders
from ..scoring.goldens import load_golden
from .common import err


@click.command("render")
@click.argument("goldens", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              required=True, help="Folder to write the rendered reports to (created if needed).")
@click.option("--layout", "layouts", multiple=True, type=click.Choice(layout_names()),
              help="A layout to render (repeat the option for several; default: every layout). "
                   "PDF layouts need LibreOffice (.ci/install-office.sh), browser_pdf_* "
                   "ones Chromium (.ci/install-browser.sh).")
def render_cmd(goldens: tuple[Path, ...], out_dir: Path, layouts: tuple[str, ...]) -> None:
    """Render each GOLDEN report in the given layouts: tab, pipe, lines, HTML, DOCX, PDF, web pages, pages
    printed to PDF by a browser …"""
    out_dir.mkdir(parents=True, exist_ok=True)
    names = list(layouts) or layout_names()
    written = skipped = 0
    for path in goldens:
        try:
            cells = load_golden(path).cells
            for name in names:
                if not renders(cells, name):
                    skipped += 1  # e.g. a mixed_edition_* layout, which needs a 2021-edition golden
                    continue
                data, suffix = render_layout(cells, name)
                target = out_dir / f"{path.stem}-{name}{suffix}"
                target.write_bytes(data)
                written += 1
        except NianbaoError as exc:
            raise click.UsageError(str(exc)) from exc
    note = f"; {skipped} skipped: the layout takes the other edition's goldens" if skipped else ""
    err.print(f"{written} documents ({len(goldens)} goldens × {len(names)} layouts{note}) → {out_dir}")
