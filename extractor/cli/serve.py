"""``nianbao serve``: the HTTP API (jobs, records, the review queue) behind a bearer token."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from ..batch import worker_count
from ..config import Settings
from ..errors import MissingExtra, NianbaoError
from .cluster import cluster_options, connect
from .common import err
from .limits import limit_options
from .listen import bind, run_app, url_of


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8700, show_default=True,
              help="Port to listen on (0: any free one; the address is printed).")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Jobs, uploads, the review queue and the token (default ~/.local/share/nianbao/serve).")
@click.option("-w", "--workers", type=click.IntRange(min=0), default=None,
              help="Processes for the rule path of jobs (default: one per core).")
@click.option("--max-upload-mb", type=float, default=200.0, show_default=True,
              help="Largest request (all files of one job).")
@click.option("--max-file-mb", type=float, default=None, help="Largest document (default 50).")
@click.option("--max-files", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Documents in one job at most.")
@click.option("--review-db", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The review queue to fill and serve (default DATA_DIR/review.db).")
@click.option("--job-retention-days", type=click.FloatRange(min=0), default=0, show_default=True,
              envvar="NIANBAO_JOB_RETENTION_DAYS", show_envvar=True,
              help="Remove finished jobs and their uploads this many days after they finished, at start and "
                   "hourly (0: keep them until DELETE /jobs/ID).")
@click.option("--openapi", "openapi_out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the OpenAPI spec to this file and exit (docs/openapi.json is committed).")
@limit_options
@cluster_options(send="bytes")
def serve_cmd(host: str, port: int, data_dir: Path | None, workers: int | None, max_upload_mb: float,
              max_file_mb: float | None, max_files: int, review_db: Path | None, job_retention_days: float,
              openapi_out: Path | None, limits: dict[str, float | None], cluster: str | None = None,
              cluster_send: str = "bytes") -> None:
    """Start the HTTP API: submit documents as jobs, poll, fetch records, review.

    Every request but /health and /version needs the bearer token: set
    NIANBAO_SERVE_TOKEN, or let the first start generate one into
    DATA_DIR/token (mode 0600; read it with cat). The spec is at
    /openapi.json, the interactive docs at /docs.
    """
    try:
        import uvicorn  # noqa: F401 - run_app's; checked before anything is written

        from ..service import ServeConfig, create_app, default_data_dir, resolve_token
    except ImportError as exc:
        raise click.UsageError(MissingExtra.of(exc, "nianbao serve").message) from exc

    try:
        settings = Settings.from_env(None, max_file_mb=max_file_mb, workers=workers, **limits)
        settings.llm_mode  # noqa: B018 - validates the LLM settings before serving
    except NianbaoError as exc:
        raise click.UsageError(str(exc)) from exc
    data = (data_dir or default_data_dir()).expanduser()
    if openapi_out is not None:
        spec = create_app(ServeConfig(data_dir=data, token="x" * 32)).openapi()
        openapi_out.parent.mkdir(parents=True, exist_ok=True)
        openapi_out.write_text(json.dumps(spec, ensure_ascii=False, indent=2) + "\n", "utf-8")
        err.print(f"OpenAPI spec → {openapi_out}")
        return
    data.mkdir(parents=True, exist_ok=True, mode=0o700)  # uploads may be private: the folder is the owner's
    try:
        token, generated = resolve_token(data)
    except NianbaoError as exc:
        raise click.UsageError(str(exc)) from exc
    config = ServeConfig(data_dir=data, token=token, settings=settings, max_upload_mb=max_upload_mb,
                         max_files=max_files, workers=worker_count(settings), review_db=review_db,
                         retention_days=job_retention_days, cluster=cluster, cluster_send=cluster_send)
    if cluster:
        connect(cluster, cluster_send, settings).close()  # a wrong address fails now, not at the first job
    announce_token(token, data / "token", generated=generated,
                   from_env=bool(os.environ.get("NIANBAO_SERVE_TOKEN")))
    sock = bind(host, port)
    err.print(f"nianbao serve: {url_of(sock)} (data in {data}; review queue {config.review_path})",
              highlight=False)
    run_app(create_app(config), sock, log_level="info")
    sys.exit(0)


def announce_token(token: str, token_file: Path, *, generated: bool, from_env: bool) -> None:
    """Say where the bearer token is, never the token itself into a log.

    stdout and stderr of a service end up in journald or a log file, which
    outlive the token's secrecy; only a person at a terminal sees it printed,
    once, on the start that generated it.
    """
    if from_env:
        err.print("bearer token: from NIANBAO_SERVE_TOKEN", highlight=False)
        return
    made = "generated into" if generated else "in"
    err.print(f"bearer token: {made} {token_file} (mode 0600); read it with: cat {token_file}",
              highlight=False)
    if generated and sys.stdout.isatty():
        print(f"bearer token (shown once, on this terminal only): {token}", flush=True)
