"""What the commands share: the stderr console and settings from the environment plus options."""

from __future__ import annotations

from typing import Any

import click
from rich.console import Console

from ..config import Settings
from ..errors import NianbaoError

err = Console(stderr=True, soft_wrap=True)
"""Progress, summaries and messages go to stderr; stdout is left for data. A message is one line
whatever the terminal's width (``soft_wrap``): it can be grepped, and a long path does not break it."""


def console() -> Console:
    """A console for stdout, its messages unwrapped like ``err``'s (tables still fit the width)."""
    return Console(soft_wrap=True)


def settings_from(**overrides: Any) -> Settings:
    """``Settings`` from ``NIANBAO_*`` and the options given; a bad value is a usage error (exit 2)."""
    try:
        return Settings.from_env(**overrides)
    except NianbaoError as exc:
        raise click.UsageError(str(exc)) from exc
