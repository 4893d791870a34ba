"""The ``nianbao review`` commands: review the queue in the terminal or browser, export, promote.

``nianbao review DB`` (no subcommand) starts the reviewer; ``export``,
``promote``, ``status`` and ``sync`` work on the same database. Exit codes:
0 fine; 1 the review could not be done as asked (e.g. promoting an unfinished
document); 2 bad usage.
"""

from __future__ import annotations

import getpass
import os
import secrets
from pathlib import Path

import click
from rich import box
from rich.table import Table

from ..batch.writers import read_records
from ..errors import MissingExtra, NianbaoError
from ..review import (
    ReviewError,
    ReviewStore,
    progress,
    promote,
    reviewed_records,
    sync_records,
    write_jsonl,
    write_reviewed_csv,
)
from ..review.pace import paces, queue_left
from ..review.tui import Session, run_terminal
from .common import console, err, settings_from
from .listen import bind, run_app, url_of

_Db = click.Path(dir_okay=False, path_type=Path)
_ExistingDb = click.Path(exists=True, dir_okay=False, path_type=Path)

REVIEW_HELP = """Review the flagged cells queued by `nianbao extract … --review-db DB`.

\b
  nianbao review DB                       terminal: one cell after another
  nianbao review DB --web [--port 8765]   the same queue in the browser, on localhost
  nianbao review export DB -o corrected.jsonl [--csv]   records with the decisions applied
  nianbao review promote DB DOCUMENT -o goldens/   a fully reviewed document → golden
  nianbao review status DB                progress per document

\b
Options of `nianbao review DB`: --web, --host, --port, --reviewer NAME
(default $NIANBAO_REVIEWER or your login), --document DOC (one document only),
--skipped (bring skipped cells back), --claim-minutes N (default 10).
"""


class ReviewFailed(click.ClickException):
    exit_code = 1


def _default_reviewer() -> str:
    try:
        return os.environ.get("NIANBAO_REVIEWER") or getpass.getuser()
    except (KeyError, OSError):
        return "reviewer"


class _ReviewGroup(click.Group):
    """A group whose first argument may be the database itself: ``review DB`` runs ``open``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args:  # no database named: the help, as a usage error (exit 2) whatever click's version
            click.echo(ctx.get_help(), err=True)
            ctx.exit(2)
        if args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["open", *args]
        return super().parse_args(ctx, args)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return review_open if cmd_name == "open" else super().get_command(ctx, cmd_name)


@click.group("review", cls=_ReviewGroup, help=REVIEW_HELP)
def review_group() -> None:
    pass


@click.command("open")
@click.argument("db", type=_ExistingDb)
@click.option("--web", is_flag=True, help="Serve the review page on localhost instead.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on (--web).")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to serve on (--web; 0: any free one).")
@click.option("--reviewer", default=_default_reviewer, show_default="$NIANBAO_REVIEWER or login",
              help="Your name, stored with every decision.")
@click.option("--document", default=None, help="Review only this document (name or sha256).")
@click.option("--skipped", is_flag=True, help="Bring back the cells skipped earlier.")
@click.option("--claim-minutes", type=float, default=10.0, show_default=True,
              help="How long a cell stays yours before another reviewer may take it.")
def review_open(db: Path, web: bool, host: str, port: int, reviewer: str, document: str | None,
                skipped: bool, claim_minutes: float) -> None:
    """Review the queued cells of DB, riskiest first (terminal, or --web for the browser)."""
    with ReviewStore(db) as store:
        sha = _resolve(store, document)
    if web:
        _serve(db, host, port, reviewer, sha, skipped, claim_minutes * 60)
        return
    out = console()
    with ReviewStore(db) as store:
        run_terminal(store, Session(reviewer, sha, skipped, claim_minutes * 60), out)


def _serve(db: Path, host: str, port: int, reviewer: str, sha: str | None, skipped: bool,
           seconds: float) -> None:
    """The review page and API (the service's review router) on host:port, behind a fresh token."""
    try:
        import uvicorn  # noqa: F401 - checked here so that a missing extra is one clear line

        from ..service.review_api import ReviewSite, page_url, review_app
    except ImportError as exc:
        raise click.UsageError(MissingExtra.of(exc, "the browser reviewer").message) from exc
    token = secrets.token_urlsafe(24)
    app = review_app(ReviewSite(db, seconds), token)
    sock = bind(host, port)
    url = page_url(url_of(sock), token, reviewer=reviewer, document=sha or "",
                   skipped="1" if skipped else "")
    err.print(f"reviewing {db} as {reviewer}: open {url}\n(Ctrl-C to stop)", soft_wrap=True,
              highlight=False)
    run_app(app, sock, log_level="warning")


def _resolve(store: ReviewStore, document: str | None) -> str | None:
    if document is None:
        return None
    try:
        return store.find_document(document)
    except ReviewError as exc:
        raise click.BadParameter(str(exc), param_hint="--document") from exc


@review_group.command("export")
@click.argument("db", type=_ExistingDb)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("corrected.jsonl"), show_default=True, help="File to write.")
@click.option("--csv", "as_csv", is_flag=True,
              help="Write CSV (one row per cell) instead of JSONL; implied by a .csv output.")
def review_export_cmd(db: Path, output: Path, as_csv: bool) -> None:
    """Write the records of DB with every decision applied (method `review`)."""
    with ReviewStore(db) as store:
        records = reviewed_records(store)
    if as_csv or output.suffix.lower() == ".csv":
        rows = write_reviewed_csv(records, output)
        click.echo(f"{len(records)} documents, {rows} cells → {output}", err=True)
    else:
        write_jsonl(records, output)
        click.echo(f"{len(records)} documents → {output}", err=True)


@review_group.command("promote")
@click.argument("db", type=_ExistingDb)
@click.argument("document")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              default=Path("goldens"), show_default=True, help="Golden folder to write into.")
@click.option("--note", default="", help="Added to the golden's notes (e.g. 'source inconsistent').")
@click.option("--force", is_flag=True, help="Replace an existing golden of the document.")
def promote_cmd(db: Path, document: str, output: Path, note: str, force: bool) -> None:
    """Write DOCUMENT (name or sha256), once every queued cell is decided, as a golden file."""
    with ReviewStore(db) as store:
        try:
            path = promote(store, document, output, notes=note, force=force)
        except NianbaoError as exc:
            raise ReviewFailed(str(exc)) from exc
    click.echo(f"golden written: {path}", err=True)


@review_group.command("status")
@click.argument("db", type=_ExistingDb)
def status_cmd(db: Path) -> None:
    """Show the review progress of every document in DB."""
    table = Table(title=str(db), box=box.SIMPLE_HEAD)
    table.add_column("document", no_wrap=True)
    for col in ("queued", "decided", "skipped", "pending", "resolved"):
        table.add_column(col, justify="right")
    with ReviewStore(db) as store:
        for row in store.documents():
            p = progress(store, row["sha256"])
            table.add_row(row["document"], str(p.total), str(p.decided),
                          str(p.skipped), str(p.pending), str(p.resolved))
        total = progress(store)
        pace = paces(store)
        left = queue_left(store, pace)
    console().print(table)
    click.echo(str(total))
    if pace:
        who = Table(title="reviewers", box=box.SIMPLE_HEAD)
        for col in ("reviewer", "items", "cells", "hours", "items/hour"):
            who.add_column(col, justify="left" if col == "reviewer" else "right")
        for one in pace:
            rate = one.items_per_hour
            who.add_row(one.reviewer, str(one.items), str(one.cells), f"{one.hours:.2f}",
                        "—" if rate is None else f"{rate:.0f}")
        console().print(who)
    eta = "" if left.hours is None else f", about {left.hours:.1f} h at the reviewers' pace"
    click.echo(f"{left.items} items left ({left.cells} cells){eta}")


@review_group.command("sync")
@click.argument("db", type=_Db)
@click.argument("results", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--review-threshold", type=float, default=None,
              help="Cells under this confidence are queued even without a flag (default 0.8).")
def sync_cmd(db: Path, results: Path, review_threshold: float | None) -> None:
    """Queue the flagged cells of a results JSONL file in DB (keeps earlier decisions)."""
    settings = settings_from(review_threshold=review_threshold)
    summary = sync_records(db, read_records(results), settings.review_threshold)
    click.echo(f"review queue {db}: {summary}", err=True)
