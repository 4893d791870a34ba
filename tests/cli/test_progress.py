"""The progress line of ``nianbao extract`` fits any terminal: one line, never wider than the screen."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from rich.progress import Progress

from extractor.cli.extract import BatchColumn
from extractor.llm.stage import TableProgress


@pytest.mark.parametrize("width", [6, 12, 24, 40, 80, 120, 200])
@pytest.mark.parametrize("tables", [None, TableProgress(asked=120, answered=97, reasked=12, not_used=3,
                                                         tokens=1_234_567)])
def test_the_progress_line_is_one_line_within_the_width(width: int, tables: TableProgress | None) -> None:
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=True, color_system=None)
    progress = Progress(BatchColumn(tables), console=console, expand=True)
    progress.add_task("a_long_document_name_from_a_county_website_2023.pdf", total=500, completed=37)
    console.print(progress.make_tasks_table(progress.tasks))
    lines = out.getvalue().splitlines()
    assert len(lines) == 1 and console.measure(lines[0]).maximum <= width
    assert lines[0].lstrip("━╸ ").startswith("37/5")  # the counts come first, the name is cut


def test_the_tables_count_reads_short() -> None:
    assert TableProgress(asked=3, answered=2, tokens=9_999).describe() == "2/3 tables, 9,999 tokens"
    assert TableProgress(asked=3, answered=1, reasked=1, not_used=1, tokens=48_210).describe() == \
        "1/3 tables, 1 re-asked, 1 not used, 48.2k tokens"
