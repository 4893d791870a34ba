"""Every command has help text and appears in the README."""

from __future__ import annotations

import click
from conftest import ROOT

from extractor.cli import main


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out = []
    for name, cmd in group.commands.items():
        out.append((f"{prefix}{name}", cmd))
        if isinstance(cmd, click.Group):
            out += _commands(cmd, f"{prefix}{name} ")
    return out


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    for name, cmd in _commands(main):
        assert (cmd.help or cmd.short_help), f"nianbao {name} has no help text"
        assert f"nianbao {name}" in readme, f"nianbao {name} is not in the README"
