"""Eval configurations and thresholds, read from TOML, and running a configuration.

In: ``eval/configs.toml`` (which extraction paths and models to compare) and
``eval/thresholds.toml`` (the regression gate). Out: ``EvalConfig`` and
``Thresholds``; ``run_config`` turns a config and files into records.
"""

from __future__ import annotations

import logging
import time
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..config import Settings
from ..errors import ConfigError, NianbaoError
from ..llm.cache import CachedClient
from ..llm.stage import LLMStage, make_client
from ..pipeline import extract_file
from ..records import Record

log = logging.getLogger(__name__)

DEFAULT_CONFIGS = Path("eval/configs.toml")
DEFAULT_THRESHOLDS = Path("eval/thresholds.toml")


def find_configs(goldens_dir: Path) -> Path | None:
    """``eval/configs.toml`` of the working directory, else of the project the goldens belong to.

    So ``nianbao eval --goldens ~/nianbao/goldens`` run from anywhere finds that project's configs;
    None when neither has one (only the built-in ``rule`` config exists then)."""
    for root in (Path.cwd(), goldens_dir.resolve().parent):
        if (root / DEFAULT_CONFIGS).is_file():
            return root / DEFAULT_CONFIGS
    return None
LLM_MODE = {"rule": "none", "rule+llm": "fallback", "llm": "force"}


class LLMOptions(BaseModel):
    """The model a configuration calls; passed through to ``Settings``."""
    model_config = ConfigDict(extra="forbid")

    base_url: str | None = None
    """OpenAI-compatible endpoint, e.g. ``http://localhost:8000/v1``."""
    model: str | None = None
    prompt_version: str | None = None
    price_in: float = 0.0
    """USD per 1M input tokens, for cost when the client reports none."""
    price_out: float = 0.0
    """USD per 1M output tokens."""
    max_reasks: int | None = None
    """Re-asks after a reply whose arithmetic fails (default: Settings')."""
    concurrency: int | None = None
    """Requests in flight (default: Settings'); 1 for a local server, which answers one at a time,
    so that each question's seconds are its own and not time spent waiting behind another."""


class EvalConfig(BaseModel):
    """One *task*: an extraction path plus, for LLM paths, a model."""
    model_config = ConfigDict(extra="forbid")

    name: str
    path: Literal["rule", "rule+llm", "llm"] = "rule"
    description: str = ""
    llm: LLMOptions | None = None

    def settings_overrides(self) -> dict[str, Any]:
        """What this config changes in ``extractor.config.Settings``."""
        out: dict[str, Any] = {"llm": LLM_MODE.get(self.path, "none")}
        if self.llm is None:
            return out
        keys = ("base_url", "model", "prompt_version", "max_reasks", "concurrency")
        out.update({f"llm_{k}": v for k, v in self.llm.model_dump(include=set(keys)).items()
                    if v is not None})
        if self.llm.price_in or self.llm.price_out:
            out.update(llm_price_in=self.llm.price_in, llm_price_out=self.llm.price_out)
        return out


RULE = EvalConfig(name="rule", path="rule", description="the rule pipeline, no model")


class Thresholds(BaseModel):
    """The regression gate; an absent field is not checked."""
    model_config = ConfigDict(extra="forbid")

    max_silent_errors: int | None = None
    max_silent_error_rate: float | None = None
    max_hallucinated: int | None = None
    max_failed_documents: int | None = None
    min_accuracy: float | None = None
    min_flag_recall: float | None = None
    min_flag_precision: float | None = None
    """Least share of flagged cells that are wrong; checked when the run has errors to catch."""
    max_flagged_rate: float | None = None
    """Most share of golden cells flagged: the review load, so that flagging everything fails."""
    max_review_per_document: int | None = None
    """Most flagged cells (sent to review) in any one document."""
    min_documents_correct: int | None = None
    min_accuracy_by_table: dict[str, float] = Field(default_factory=dict)
    """Table prefix (meta, t2, t3, t4) → least cell accuracy."""
    no_regressions: bool = False
    """With a baseline: no cell that was correct there may be wrong now."""


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError as exc:
        raise ConfigError(f"{path} does not exist", path=str(path)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}", path=str(path)) from exc


def _invalid(path: Path, exc: ValidationError) -> ConfigError:
    problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
                         for e in exc.errors())
    return ConfigError(f"{path}: {problems}", path=str(path))


def load_configs(path: Path | None = DEFAULT_CONFIGS) -> dict[str, EvalConfig]:
    """The ``[configs.NAME]`` tables of a TOML file, by name. ``rule`` is always there."""
    if path is None:
        return {"rule": RULE}
    data = _read_toml(path)
    tables = data.get("configs", {})
    if not isinstance(tables, dict):
        raise ConfigError(f"{path}: [configs] must be a table of tables", path=str(path))
    configs = {"rule": RULE}
    for name, table in tables.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: configs.{name} must be a table", path=str(path))
        try:
            configs[name] = EvalConfig.model_validate({"name": name, **table})
        except ValidationError as exc:
            raise _invalid(path, exc) from exc
    return configs


def select_configs(configs: dict[str, EvalConfig], names: Sequence[str],
                   source: Path | None = DEFAULT_CONFIGS) -> list[EvalConfig]:
    unknown = [n for n in names if n not in configs]
    if unknown:
        where = (f"see {source}" if source is not None else
                 "no eval/configs.toml here nor beside the goldens: pass --configs-file")
        raise ConfigError(f"unknown config {', '.join(unknown)}; known: {', '.join(sorted(configs))} ({where})")
    return [configs[n] for n in names]


def load_thresholds(path: Path = DEFAULT_THRESHOLDS) -> Thresholds:
    try:
        return Thresholds.model_validate(_read_toml(path))
    except ValidationError as exc:
        raise _invalid(path, exc) from exc


def run_config(config: EvalConfig, paths: Sequence[Path], *, replay: Path | None = None,
               record_to: Path | None = None) -> list[Record]:
    """Run a configuration over documents; a document that cannot be read fails alone.

    ``replay`` answers LLM calls from recorded replies instead of the endpoint;
    ``record_to`` saves every reply of a real model there as a recording.
    """

    overrides = config.settings_overrides()
    if replay is not None:
        overrides["llm_replay"] = str(replay)
    if record_to is not None:
        overrides["llm_no_cache"] = True
    settings = Settings.from_env(**overrides)
    stage = None
    if settings.llm_mode != "none":
        client = make_client(settings)
        stage = LLMStage(settings, CachedClient(client, None, record_to) if record_to else client)
    out: list[Record] = []
    for path in paths:
        started = time.perf_counter()
        try:
            record = extract_file(path, settings, stage)
        except NianbaoError as exc:
            log.warning("%s: %s", path.name, exc)
            record = Record(document=path.name, status="failed", error=str(exc))
        if record.seconds is None:
            record = record.model_copy(update={"seconds": time.perf_counter() - started})
        out.append(record)
    return out
