"""``nianbao eval witnesses``: what the narrative and the cross-year check catch that the table's
identities do not (the bundled goldens corrupted on purpose, and a rendered five-year series)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from ..errors import NianbaoError
from ..render.series_study import series_study
from ..scoring.goldens import load_goldens
from ..scoring.witnesses import Catches, corruption_study, narrative_agreement
from .common import console

_DirPath = click.Path(file_okay=False, path_type=Path)


@click.command("witnesses")
@click.option("--docs", type=_DirPath, default=Path("goldens/docs"), show_default=True,
              help="The documents of the goldens.")
@click.option("--goldens", "goldens_dir", type=_DirPath, default=Path("goldens"), show_default=True,
              help="Golden files; those with a narrative block are scored for narrative agreement.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the rendered series.")
def witnesses_cmd(docs: Path, goldens_dir: Path, seed: int) -> None:
    """Narrative agreement on the goldens, corruptions caught by identities vs the narrative, and the
    cross-year check on a rendered series. Exits 1 when a witness flags the clean series or misses a
    corruption that breaks its identity."""
    try:
        goldens = load_goldens(goldens_dir)
    except NianbaoError as exc:
        raise click.UsageError(exc.message) from exc
    out = console()
    a = narrative_agreement(docs, goldens)
    out.print(f"narrative: {a.documents} goldens with a narrative block, {a.stated} statements; the reader "
              f"found {a.found} ({a.extra} extra); {a.agreeing} of {a.checkable} checkable agree with the "
              "golden table", markup=False)
    for line in a.disagreeing:
        out.print(f"  disagrees: {escape(line)}")
    study = corruption_study(docs, goldens)
    table = Table(title="corrupted golden cells: who notices", show_header=True)
    for col in ("corruption", "injected", "identities", "narrative", "narrative only", "missed by both"):
        table.add_column(col, justify="right" if col != "corruption" else "left")
    for name, c in (("one cell +1", study.single), ("coherent (identities hold)", study.coherent)):
        table.add_row(name, *_counts(c))
    out.print(table)
    s = series_study(seed)
    out.print(f"series: {s.documents} years; flags on the clean series: {len(s.flags_on_clean)}; "
              f"{s.injected} coherent corruptions injected, {s.breaking} break a narrative or cross-year "
              f"identity, {s.caught} of those flagged", markup=False)
    for line in [*s.flags_on_clean, *s.missed]:
        out.print(f"  {escape(line)}")
    if s.flags_on_clean or s.missed:
        raise SystemExit(1)


def _counts(c: Catches) -> tuple[str, ...]:
    return tuple(str(n) for n in (c.injected, c.by_identities, c.by_narrative, c.by_narrative_only,
                                  c.missed_by_both))
