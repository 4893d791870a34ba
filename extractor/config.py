"""Settings: one object for every option, from defaults, ``NIANBAO_*`` environment variables and flags."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from typing import Any

from .errors import ConfigError


@dataclass(frozen=True)
class Settings:
    review_threshold: float = 0.8
    """Cells with confidence under this go to review, flagged or not."""
    encoding: str | None = None
    """Force the text encoding instead of detecting it."""

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        env = dict(os.environ if environ is None else environ)
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"NIANBAO_{f.name.upper()}")
            if raw is None:
                continue
            try:
                values[f.name] = float(raw) if f.type == "float" else raw
            except ValueError as exc:
                raise ConfigError(f"NIANBAO_{f.name.upper()}={raw!r} is not a number") from exc
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)
