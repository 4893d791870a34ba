"""The service's configuration: data folder, bearer token, limits, retention.

The token comes from ``NIANBAO_SERVE_TOKEN``, else from ``DATA_DIR/token``;
on the first start it is generated there with mode 0600, and the command
prints where it is (the token itself only to a terminal, never to a log).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Settings
from ..errors import ConfigError

TOKEN_ENV = "NIANBAO_SERVE_TOKEN"
MIN_TOKEN = 16


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "nianbao" / "serve"


@dataclass(frozen=True)
class ServeConfig:
    data_dir: Path
    token: str = field(repr=False)
    settings: Settings = field(default_factory=Settings)
    max_upload_mb: float = 200.0
    """One request's body at most (every file of a job together)."""
    max_files: int = 1000
    """Documents in one job at most."""
    workers: int = 1
    """Processes for the rule path of jobs."""
    cluster: str | None = None
    """The Dask scheduler to run the rule path of jobs on (``tcp://host:8786``), instead of ``workers``."""
    cluster_send: str = "bytes"
    """Send the cluster each upload's bytes, or its path (``paths``: the data folder is shared storage)."""
    review_db: Path | None = None
    """The review queue (default ``DATA_DIR/review.db``): the same file ``nianbao review`` opens."""
    retention_days: float = 0.0
    """Finished jobs older than this are removed, with their uploads, at start and every ``sweep_every_s``;
    0 keeps them until DELETE /jobs/{id}."""
    sweep_every_s: float = 3600.0
    """How often the retention sweep runs while the server is up."""

    @property
    def jobs_db(self) -> Path:
        return self.data_dir / "jobs.db"

    @property
    def blobs(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def review_path(self) -> Path:
        return self.review_db or self.data_dir / "review.db"

    @property
    def max_file_bytes(self) -> int:
        mb = self.settings.max_file_mb
        return int(mb * 1_000_000) if mb > 0 else int(self.max_upload_mb * 1_000_000)


def resolve_token(data_dir: Path, environ: dict[str, str] | None = None) -> tuple[str, bool]:
    """The bearer token, and whether it was generated just now (then the caller shows it once)."""
    env = os.environ if environ is None else environ
    given = env.get(TOKEN_ENV, "").strip()
    if given:
        if len(given) < MIN_TOKEN:
            raise ConfigError(f"{TOKEN_ENV} is too short: use at least {MIN_TOKEN} random characters")
        return given, False
    path = data_dir / "token"
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
        token = path.read_text("utf-8").strip()
        if len(token) < MIN_TOKEN:
            raise ConfigError(f"{path} holds no usable token: delete it to have a new one generated") from None
        return token, False
    token = secrets.token_urlsafe(32)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(token + "\n")
    return token, True
