"""The HTTP service (``nianbao serve``): documents uploaded as jobs → records and the review queue.

``config`` (data folder, token, limits), ``uploads`` (files → blobs named by
sha256), ``jobs`` (SQLite job store), ``worker`` (background extraction),
``cleanup`` (job deletion and retention), ``app`` and ``review_api`` (the
FastAPI routes).
"""

from __future__ import annotations

from .app import create_app
from .config import ServeConfig, default_data_dir, resolve_token

__all__ = ["ServeConfig", "create_app", "default_data_dir", "resolve_token"]
