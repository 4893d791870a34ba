"""``nianbao golden``: check hand-labelled golden files (edition cells, value types, identities).

Exit codes: 0 all fine; 1 a golden has problems; 2 the folder cannot be read.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console

from ..errors import NianbaoError
from ..scoring.goldens import SCHEMA_FILE, golden_json_schema
from ..scoring.lint import check_goldens
from .eval import EvalUsageError


@click.group("golden")
def golden_group() -> None:
    """Hand-labelled golden files."""


@golden_group.command("check")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path),
                default=Path("goldens"))
@click.pass_context
def golden_check_cmd(ctx: click.Context, directory: Path) -> None:
    """Check every golden of DIRECTORY: its edition's cells, value types, identities.

    Exit codes: 0 all fine, 1 a golden has problems.
    """
    out = Console(highlight=False, soft_wrap=True)
    try:
        found = check_goldens(directory)
    except NianbaoError as exc:
        raise EvalUsageError(exc.message) from exc
    bad = 0
    for path, problems in found.items():
        if not problems:
            out.print("[green]ok[/green] ", path)
            continue
        bad += 1
        out.print(f"[red]{len(problems)} problem(s)[/red] ", path)
        for p in problems:
            out.print(f"  {p.cell or '(file)'}: {p.message}", markup=False)
    out.print(f"{len(found)} goldens, {bad} with problems")
    if bad:
        ctx.exit(1)


@golden_group.command("schema")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("goldens") / SCHEMA_FILE, show_default=True, help="Where to write it.")
def golden_schema_cmd(output: Path) -> None:
    """Write the JSON Schema of golden files, made from the Golden model."""
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(golden_json_schema(), ensure_ascii=False, indent=2) + "\n", "utf-8")
    click.echo(f"golden schema → {output}", err=True)
