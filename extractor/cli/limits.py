"""The options that bound what one document may cost, shared by ``extract`` and ``serve``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

_OPTIONS = (
    click.option("--doc-timeout", type=click.FloatRange(min=0), default=None,
                 help="Seconds one document's reading and rules may each take; past it the document fails "
                      "alone (default 60; 0: no limit)."),
    click.option("--max-pages", type=click.IntRange(min=0), default=None,
                 help="Pages of one PDF at most, checked before any page is read (default 300; 0: no limit)."),
    click.option("--max-unpacked-mb", type=click.FloatRange(min=0), default=None,
                 help="MB of XML one DOCX may unpack to; a zip bomb is refused unopened (default 100)."),
    click.option("--max-memory-mb", type=click.IntRange(min=0), default=None,
                 help="Address space of each worker process in MiB (default 2048; 0: no limit)."),
)
NAMES = ("doc_timeout", "max_pages", "max_unpacked_mb", "max_memory_mb")


def limit_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the limit options; the command receives them as one ``limits`` dict of settings."""

    @functools.wraps(command)
    def with_limits(*args: Any, **kwargs: Any) -> Any:
        return command(*args, limits={name: kwargs.pop(name) for name in NAMES}, **kwargs)

    for option in reversed(_OPTIONS):
        with_limits = option(with_limits)
    return with_limits
