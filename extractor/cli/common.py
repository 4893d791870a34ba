"""What the commands share: the stderr console and settings from the environment plus options."""

from __future__ import annotations

from typing import Any

import click
from rich.console import Console

from ..config import Settings
from ..errors import NianbaoError

err = Console(stderr=True)
"""Progress, summaries and messages go to stderr; stdout is left for data."""


def settings_from(**overrides: Any) -> Settings:
    """``Settings`` from ``NIANBAO_*`` and the options given; a bad value is a usage error (exit 2)."""
    try:
        return Settings.from_env(**overrides)
    except NianbaoError as exc:
        raise click.UsageError(str(exc)) from exc
