"""Versioned prompt files (``prompts/<id>.<version>.md``): front matter, a system and a user part.

They are package data (``extractor/data/prompts``, which the repository's top-level ``prompts/``
links to), so an installed wheel has them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from ..errors import ConfigError
from .schemas import describe_row, row_layout

PROMPTS_DIR = Path(str(resources.files("extractor") / "data" / "prompts"))
_FRONT = re.compile(r"^---\n(.*?)\n---\n", re.S)
TABLE_PROMPTS = {"t2": "table2", "t3": "table3", "t4": "table4", "gap": "gap"}


@dataclass(frozen=True)
class Prompt:
    id: str
    version: str
    schema: str
    system: str
    user: str

    def render(self, table: str, edition: str, section_text: str,
               question: str = "") -> tuple[tuple[str, str], ...]:
        """The messages: a table prompt lists the table's rows; a gap prompt gets its question."""
        rows = ("" if table == "gap" else
                "\n".join(f"- {key}: {describe_row(cells)}" for key, cells in row_layout(table, edition).items()))
        fill = {"edition": edition, "rows": rows, "section_text": section_text, "question": question}
        return (("system", self.system.format(**fill).strip()),
                ("user", self.user.format(**fill).strip()))


@cache
def load_prompt(table: str, version: str, directory: Path = PROMPTS_DIR) -> Prompt:
    prompt_id = TABLE_PROMPTS[table]
    path = directory / f"{prompt_id}.{version}.md"
    if not path.is_file():
        raise ConfigError(f"no prompt file {path}: set --prompt-version to one of "
                          f"{sorted(p.name for p in directory.glob(prompt_id + '.*.md'))}")
    text = path.read_text("utf-8")
    m = _FRONT.match(text)
    if not m:
        raise ConfigError(f"{path}: missing front matter (--- id / version / schema ---)")
    meta = dict(line.split(":", 1) for line in m.group(1).splitlines() if ":" in line)
    meta = {k.strip(): v.strip() for k, v in meta.items()}
    body = text[m.end():]
    parts = re.split(r"^## (system|user)\s*$", body, flags=re.M)
    sections = {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}
    if meta.get("version") != version or "system" not in sections or "user" not in sections:
        raise ConfigError(f"{path}: front matter version must be {version} and the file needs "
                          "'## system' and '## user' parts")
    return Prompt(meta.get("id", prompt_id), version, meta.get("schema", table),
                  sections["system"], sections["user"])
