"""Settings: one object for every option, from defaults, ``NIANBAO_*`` environment variables and flags.

The API key is held but never shown: not in ``repr``, logs, records, caches or recordings.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError

LLM_MODES = ("none", "fallback", "force")


def _default_cache() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "nianbao", "llm-cache.sqlite")


@dataclass(frozen=True)
class Settings:
    review_threshold: float = 0.8
    """Cells with confidence under this go to review, flagged or not."""
    encoding: str | None = None
    """Force the text encoding instead of detecting it."""
    llm: str | None = None
    """``none``, ``fallback`` (broken tables only) or ``force`` (every table); default:
    fallback when an endpoint is configured, else none."""
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = field(default=None, repr=False)
    llm_prompt_version: str = "v1"
    llm_timeout: float = 600.0
    """Seconds per HTTP request (a 2-core machine runs a 1.5B model at about a minute a table)."""
    llm_retries: int = 2
    """Transport retries of one request (429, 5xx, timeouts), with backoff; re-asks are apart."""
    llm_table_deadline: float = 900.0
    """Seconds one table may take from when it is sent, retries and re-asks included; then it
    keeps its rule values, flagged ``llm_skipped`` (0: no deadline)."""
    llm_concurrency: int = 4
    llm_rpm: float = 60.0
    """Requests per minute at most."""
    llm_max_reasks: int = 2
    """Re-asks quoting the identity that failed, after the first answer."""
    llm_budget_tokens_doc: int = 0
    """Tokens one document may spend (0: no limit)."""
    llm_budget_tokens_batch: int = 0
    llm_cache: str = field(default_factory=_default_cache)
    llm_no_cache: bool = False
    llm_replay: str | None = None
    """A directory of recorded replies to answer from instead of a server (tests, CI)."""
    llm_price_in: float | None = None
    """USD per 1M input tokens; default from the price table by model name."""
    llm_price_out: float | None = None
    max_file_mb: float = 50.0
    """Documents larger than this fail with a clear error before they are read (0: no limit)."""
    max_pages: int = 300
    """Pages of one PDF at most, checked before any page is read (0: no limit)."""
    max_unpacked_mb: float = 100.0
    """Megabytes of XML one DOCX may unpack to: a zip bomb is refused unopened (0: no limit)."""
    doc_timeout: float = 60.0
    """Seconds the rule path may spend on one document; past it the document fails alone (0: no limit)."""
    max_memory_mb: int = 2048
    """Address space of a worker process in MiB: a document that needs more fails alone (0: no limit)."""
    workers: int = 0
    """Processes for the rule path of a batch (0: one per core); LLM runs stay in one process."""

    @property
    def llm_mode(self) -> str:
        mode = self.llm or ("fallback" if (self.llm_base_url or self.llm_replay) else "none")
        if mode not in LLM_MODES:
            raise ConfigError(f"--llm must be one of {', '.join(LLM_MODES)}, not {mode!r}")
        if mode != "none" and not (self.llm_base_url or self.llm_replay):
            raise ConfigError("the LLM path needs an endpoint: set NIANBAO_LLM_BASE_URL (and "
                              "NIANBAO_LLM_MODEL), or run with --llm none")
        if mode != "none" and not self.llm_model:
            raise ConfigError("set NIANBAO_LLM_MODEL (the model name the endpoint serves)")
        return mode

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        env = dict(os.environ if environ is None else environ)
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"NIANBAO_{f.name.upper()}")
            if raw is None:
                continue
            values[f.name] = _coerce(f.name, str(f.type), raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        unknown = set(values) - {f.name for f in fields(cls)}
        if unknown:
            raise ConfigError(f"unknown settings: {', '.join(sorted(unknown))}")
        return replace(cls(), **values)

    def cache_path(self) -> Path | None:
        return None if self.llm_no_cache else Path(self.llm_cache).expanduser()


def _coerce(name: str, type_name: str, raw: str) -> Any:
    try:
        if type_name.startswith("bool"):
            return raw.strip().lower() in ("1", "true", "yes", "on")
        if type_name.startswith("int"):
            return int(raw)
        if type_name.startswith("float"):
            return float(raw)
    except ValueError as exc:
        raise ConfigError(f"NIANBAO_{name.upper()}={raw!r} is not a {type_name.split(' ')[0]}") from exc
    return raw
