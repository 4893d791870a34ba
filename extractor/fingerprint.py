"""What a record was made with, as a short hash: a resumed batch redoes the records it no longer matches.

Two parts, ``outputs-limits``. The first covers everything that can change a
record's cells, flags or status: nianbao's version, ``PIPELINE_VERSION``,
every setting not listed below as harmless and, when an LLM is used, the
endpoint, model, prompt texts and re-ask count (with no LLM those settings
do not matter and are left out). The second covers the limits that decide
whether a document fails; only a failed record is redone when they change.
A setting added later counts as output-changing unless it is listed here.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from functools import cache
from importlib.metadata import PackageNotFoundError, version

from .config import Settings
from .records import PIPELINE_VERSION

HARMLESS = frozenset({"llm_api_key", "llm_cache", "llm_no_cache", "workers", "llm_concurrency", "llm_rpm",
                      "llm_timeout"})
"""Settings that change how a record is made, never what it says (the API key is never hashed)."""
LIMITS = frozenset({"max_file_mb", "max_pages", "max_unpacked_mb", "doc_timeout", "max_memory_mb"})


def nianbao_version() -> str:
    try:
        return version("nianbao")
    except PackageNotFoundError:
        return "0+unknown"


@cache
def fingerprint(settings: Settings) -> str:
    values = {k: v for k, v in asdict(settings).items() if k not in HARMLESS}
    mode = settings.llm_mode
    if mode == "none":
        values = {k: v for k, v in values.items() if not k.startswith("llm")}
    else:
        values["llm_prompts"] = _prompt_texts(settings.llm_prompt_version)
    values["llm"] = mode
    limits = {k: values.pop(k) for k in sorted(LIMITS)}
    outputs = {"nianbao": nianbao_version(), "pipeline": PIPELINE_VERSION, **values}
    return f"{_short(outputs)}-{_short(limits)}"


def differences(old: str | None, new: str, *, failed: bool) -> str | None:
    """Why a record made under ``old`` is stale now (None: it is current)."""
    if old is None:
        return "made before settings were recorded"
    old_outputs, _, old_limits = old.partition("-")
    new_outputs, _, new_limits = new.partition("-")
    if old_outputs != new_outputs:
        return "settings, model or nianbao version changed"
    if failed and old_limits != new_limits:
        return "limits changed (the document had failed)"
    return None


def _prompt_texts(prompt_version: str) -> str:
    from .llm.prompts import PROMPTS_DIR

    digest = hashlib.sha256()
    for path in sorted(PROMPTS_DIR.glob(f"*.{prompt_version}.md")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _short(values: dict[str, object]) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()[:16]
