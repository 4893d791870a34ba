"""The terminal reviewer: one queued cell after another, rendered with rich, answered by a line.

Line input (not raw keys) so it works over SSH and in any terminal; the
reader and the console are injected, so tests drive it with scripted lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from .decisions import DecisionResult, decide, decide_item, undo
from .pace import queue_left
from .present import IdentityView, ItemView, Progress, progress, shown, view
from .store import CLAIM_SECONDS, ReviewError, ReviewStore

Reader = Callable[[str], str]
"""Reads one answer after showing a prompt; raises EOFError when input ends."""

PROMPT = "[a]ccept  [c VALUE] correct  [u]nknown  [s]kip  [z] undo  [q]uit › "
GROUP_PROMPT = "[a]ccept all  [1–9] pick a reading  [c VALUE | c CELL=VALUE …] correct  [s]kip  [z] undo  [q]uit › "
HELP = """a            accept the proposed value (of every cell of the item)
1–9          pick that reading of an ambiguous row (the item's cells take its values)
c VALUE      correct the cell shown (a bare number works too): counts are whole numbers, amounts in 万元
c CELL=VALUE correct cells of the item by id (several at once; the others are accepted)
u            mark it unknown: the source does not give the number (null)
s            skip it (every cell of the item) for now (--skipped brings skips back)
z            undo your last decision and show that cell again
q            quit (your claim on this cell is released)"""


@dataclass(frozen=True)
class Session:
    """Who reviews what."""

    reviewer: str
    sha256: str | None = None
    """Only this document's cells, if given."""
    include_skipped: bool = False
    claim_seconds: float = CLAIM_SECONDS


@dataclass(frozen=True)
class Command:
    action: str
    """accept, correct, unknown, skip, undo, quit, help, or '' when the line is not understood."""
    value: str | None = None


def parse_command(line: str) -> Command:
    text = line.strip()
    head, _, rest = text.partition(" ")
    key = head.lower()
    names = {"a": "accept", "accept": "accept", "u": "unknown", "unknown": "unknown",
             "s": "skip", "skip": "skip", "z": "undo", "undo": "undo", "q": "quit",
             "quit": "quit", "?": "help", "h": "help", "help": "help"}
    if key in ("c", "correct"):
        return Command("correct", rest.strip() or None)
    if key in names and not rest:
        return Command(names[key])
    if text and (text[0].isdigit() or text[0] in "-+.") and " " not in text:
        return Command("correct", text)
    return Command("")


def run_terminal(store: ReviewStore, session: Session, console: Console,
                 read: Reader | None = None) -> Progress:
    """Review until the queue is empty or the reviewer quits; returns the progress at the end."""
    ask: Reader = read or (lambda prompt: console.input(escape(prompt)))
    while True:
        item = store.claim_next(session.reviewer, seconds=session.claim_seconds,
                                sha256=session.sha256, include_skipped=session.include_skipped)
        if item is None:
            done = progress(store, session.sha256)
            console.print(Rule(f"nothing left to review · {done}"))
            return done
        shown_view = view(store, item, session.sha256)
        console.print(render_view(shown_view))
        console.print(Text(remaining(store, session.sha256), style="dim"))
        group = shown_view.group
        while True:
            try:
                line = ask(GROUP_PROMPT if group else PROMPT)
                command = parse_command(line)
            except (EOFError, KeyboardInterrupt):
                command, line = Command("quit"), ""
            if command.action == "quit":
                store.release(item.id, session.reviewer)
                done = progress(store, session.sha256)
                console.print(Text(f"stopped · {done}"))
                return done
            if command.action == "help":
                console.print(HELP, markup=False)
                continue
            if command.action == "undo":
                undone = undo(store, session.reviewer, session.claim_seconds)
                if undone is None:
                    console.print("[yellow]nothing to undo[/yellow]")
                    continue
                store.release(item.id, session.reviewer)
                console.print(Text(f"undid {undone.decision.action} of {undone.decision.cell}"))
                break
            if not command.action:
                console.print("[yellow]not understood;[/yellow] type ? for help")
                continue
            if group is not None:
                acted = _item_action(command, line.strip(), len(group.choices))
                if acted is not None:
                    action, choice, values = acted
                    try:
                        outcome = decide_item(store, item.id, session.reviewer, action, choice=choice,
                                              values=values)
                    except ReviewError as exc:
                        console.print(Text(str(exc), style="red"))
                        continue
                    console.print(describe_item_outcome(outcome, action))
                    break
            typed = command.value
            if command.action == "correct" and typed is None:
                try:
                    typed = ask(f"value for {item.cell} › ")
                except EOFError:
                    continue
            try:
                outcome = decide(store, item.id, session.reviewer, command.action, typed)
            except ReviewError as exc:
                console.print(Text(str(exc), style="red"))
                continue
            console.print(describe_outcome(outcome))
            break


def _item_action(command: Command, line: str, readings: int
                 ) -> tuple[str, int | None, dict[str, object] | None] | None:
    """What an answer does to the whole item: accept, choose a reading, type some cells, skip; None
    when it is about the cell shown (``c VALUE``, ``u``)."""
    if command.action in ("accept", "skip"):
        return command.action, None, None
    if command.action == "correct" and readings and len(line) == 1 and line in "123456789":
        return "choose", int(line), None
    if command.action == "correct" and command.value and "=" in command.value:
        pairs = [p.partition("=") for p in command.value.split()]
        return "values", None, {cell.strip(): value.strip() for cell, _, value in pairs}
    return None


def remaining(store: ReviewStore, sha256: str | None = None) -> str:
    """Items and cells left in the queue, and the time they take at the reviewers' pace."""
    left = queue_left(store)
    when = f", about {_duration(left.hours)} at the reviewers' pace" if left.hours is not None else ""
    return f"{left.items} items ({left.cells} cells) left{when}"


def _duration(hours: float) -> str:
    return f"{hours:.1f} h" if hours >= 1 else f"{max(1, round(hours * 60))} min"


def describe_item_outcome(outcome: DecisionResult, action: str) -> Text:
    out = Text("✓ ", style="green")
    out.append(f"{action}: {len(outcome.cells)} cells ({', '.join(outcome.cells)})")
    if outcome.resolved:
        out.append(f"\n  identities hold now; left the queue: {', '.join(outcome.resolved)}", style="green")
    if outcome.requeued:
        out.append(f"\n  back in the queue (an identity fails): {', '.join(outcome.requeued)}", style="yellow")
    return out


def describe_outcome(outcome: DecisionResult) -> Text:
    d = outcome.decision
    out = Text("✓ ", style="green")
    out.append(f"{d.cell}: {d.action}")
    if d.action in ("accept", "correct"):
        out.append(f" = {shown(d.value)}", style="bold")
    if outcome.resolved:
        out.append(f"\n  identities hold now; left the queue: {', '.join(outcome.resolved)}",
                   style="green")
    if outcome.requeued:
        out.append(f"\n  back in the queue (an identity fails): {', '.join(outcome.requeued)}",
                   style="yellow")
    return out


def render_view(v: ItemView) -> RenderableType:
    """Everything about one cell, top to bottom: where, what, why, the row, the source."""
    parts: list[RenderableType] = [Rule(f"{v.progress} · {v.document} · {v.table_name}")]
    head = Text()
    head.append(v.cell, style="bold cyan")
    head.append(f"   {v.row}" + (f" / {v.column}" if v.column else ""), style="bold")
    head.append("\nproposed ")
    head.append(shown(v.value), style="bold reverse")
    head.append(f" {v.unit}  ({v.method}, confidence {v.confidence:.2f})")
    for reading, value in v.readings.items():
        head.append(f"\n{reading} reads {value}", style="magenta")
    for flag, words in zip(v.flags, v.flag_words, strict=True):
        head.append(f"\n⚑ {flag}: ", style="yellow")
        head.append(words)
    if v.note:
        head.append(f"\nnote: {v.note}", style="dim")
    if v.decision:
        head.append(f"\nearlier: {v.decision['action']} by {v.decision['reviewer']}", style="dim")
    parts.append(head)
    if v.group is not None:
        parts.append(_group_table(v))
    for identity in v.identities:
        parts.append(_identity_table(identity))
    parts.append(_row_table(v))
    parts.append(_source(v))
    return Panel(Group(*parts), title=f"review {v.cell}", border_style="cyan")


def _group_table(v: ItemView) -> Table:
    """The item's cells (one decision settles them all) and, for an ambiguous row, its readings."""
    assert v.group is not None
    table = Table(title=f"one decision: {v.group.words}", title_style="cyan", padding=(0, 1))
    table.add_column("cell")
    table.add_column("proposed", justify="right")
    for n, _ in enumerate(v.group.choices, 1):
        table.add_column(f"reading {n}", justify="right")
    for m in v.group.members:
        table.add_row(m.cell, shown(m.value), *(shown(ch.get(m.cell)) for ch in v.group.choices))
    return table


def _identity_table(identity: IdentityView) -> Table:
    table = Table(title=f"fails: {identity.text}", title_style="red", show_header=False,
                  box=None, padding=(0, 1))
    for side, terms, total in (("left", identity.left, identity.left_sum),
                               ("right", identity.right, identity.right_sum)):
        sum_text = " + ".join(f"{t.label} {shown(t.value)}" for t in terms)
        table.add_row(side, sum_text, f"= {shown(total)}")
    return table


def _row_table(v: ItemView) -> Table:
    table = Table(title=f"the row: {v.row}" if v.table != "meta" else "the report",
                  padding=(0, 1))
    for n in v.row_cells:
        mark = "✓" if n.decided else ("?" if n.flagged else "")
        table.add_column(f"{n.label}{mark}", justify="right",
                         style="bold reverse" if n.current else None)
    table.add_row(*(shown(n.value) for n in v.row_cells))
    return table


def _source(v: ItemView) -> RenderableType:
    c = v.context
    if c.source == "none":
        return Text("source: no evidence (the value was not found in the text)", style="dim")
    text = Text(c.text)
    if c.evidence:
        text.stylize("underline", *c.evidence)
    if c.number:
        text.stylize("bold black on yellow", *c.number)
    where = f"page {c.page} · " if c.page else ""
    title = (f"{where}source around offset {c.offset}" if c.source == "document"
             else f"{where}evidence only (the source file is gone or changed)")
    return Panel(text, title=title, border_style="dim")
