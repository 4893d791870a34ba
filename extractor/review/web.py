"""The browser reviewer: one page plus a JSON API over the review database, on localhost.

Standard library only (``http.server``); the page is plain HTML/JS from
``static/``. Each request opens its own connection, so claims and decisions
are as atomic here as in the terminal.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .decisions import Outcome, decide, undo
from .present import progress, view
from .store import CLAIM_SECONDS, ReviewError, ReviewStore

log = logging.getLogger(__name__)

STATIC = {"/": ("index.html", "text/html; charset=utf-8"),
          "/static/app.js": ("app.js", "text/javascript; charset=utf-8"),
          "/static/style.css": ("style.css", "text/css; charset=utf-8")}


class ApiError(Exception):
    def __init__(self, status: HTTPStatus, message: str):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class ReviewApp:
    """The API, independent of HTTP: (method, path, query, body) → (status, JSON)."""

    db_path: Path
    reviewer: str
    """The default reviewer name; the page may send its own."""
    sha256: str | None = None
    include_skipped: bool = False
    claim_seconds: float = CLAIM_SECONDS

    def handle(self, method: str, path: str, query: dict[str, str],
               body: dict[str, Any]) -> tuple[HTTPStatus, dict[str, Any]]:
        reviewer = str(body.get("reviewer") or query.get("reviewer") or self.reviewer).strip()
        with ReviewStore(self.db_path) as store:
            if method == "GET" and path == "/api/config":
                return HTTPStatus.OK, {"reviewer": self.reviewer, "document": self.sha256,
                                       "db": str(self.db_path)}
            if method == "GET" and path == "/api/progress":
                return HTTPStatus.OK, self._progress(store)
            if method == "GET" and path == "/api/next":
                item = store.claim_next(reviewer, seconds=self.claim_seconds, sha256=self.sha256,
                                        include_skipped=self.include_skipped)
                shown = None if item is None else view(store, item, self.sha256).to_json()
                return HTTPStatus.OK, {"item": shown, "progress": self._progress(store)}
            if method == "POST" and path == "/api/decide":
                try:
                    item_id = int(body["item_id"])
                    action = str(body["action"])
                except (KeyError, TypeError, ValueError) as exc:
                    raise ApiError(HTTPStatus.BAD_REQUEST, "send item_id and action") from exc
                try:
                    outcome = decide(store, item_id, reviewer, action, body.get("value"))
                except ReviewError as exc:
                    raise ApiError(HTTPStatus.CONFLICT if "being reviewed" in str(exc)
                                   else HTTPStatus.UNPROCESSABLE_ENTITY, str(exc)) from exc
                return HTTPStatus.OK, {**_outcome(outcome), "progress": self._progress(store)}
            if method == "POST" and path == "/api/undo":
                undone = undo(store, reviewer, self.claim_seconds)
                return HTTPStatus.OK, {"undone": None if undone is None else _outcome(undone),
                                       "progress": self._progress(store)}
        raise ApiError(HTTPStatus.NOT_FOUND, f"no such endpoint: {method} {path}")

    def _progress(self, store: ReviewStore) -> dict[str, Any]:
        p = progress(store, self.sha256)
        return {"total": p.total, "decided": p.decided, "skipped": p.skipped,
                "pending": p.pending, "resolved": p.resolved, "done": p.done, "text": str(p)}


def _outcome(outcome: Outcome) -> dict[str, Any]:
    d = outcome.decision
    return {"cell": d.cell, "action": d.action, "value": d.value, "reviewer": d.reviewer,
            "resolved": outcome.resolved, "requeued": outcome.requeued}


def make_server(app: ReviewApp, host: str = "127.0.0.1", port: int = 8765) -> ThreadingHTTPServer:
    """A server bound to host:port (port 0 picks a free one: see ``server.server_address``)."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "nianbao-review"

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self._dispatch("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._dispatch("POST")

        def _dispatch(self, method: str) -> None:
            url = urlsplit(self.path)
            if method == "GET" and url.path in STATIC:
                name, kind = STATIC[url.path]
                data = resources.files("extractor.review").joinpath("static", name).read_bytes()
                self._send(HTTPStatus.OK, data, kind)
                return
            try:
                body = self._body() if method == "POST" else {}
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                status, payload = app.handle(method, url.path, query, body)
            except ApiError as exc:
                status, payload = exc.status, {"error": str(exc)}
            self._send(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"),
                       "application/json; charset=utf-8")

        def _body(self) -> dict[str, Any]:
            # a JSON content type cannot be sent cross-site without a preflight we never answer
            if not self.headers.get("Content-Type", "").startswith("application/json"):
                raise ApiError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send application/json")
            length = int(self.headers.get("Content-Length") or 0)
            try:
                data = json.loads(self.rfile.read(length) or b"{}")
            except json.JSONDecodeError as exc:
                raise ApiError(HTTPStatus.BAD_REQUEST, f"bad JSON: {exc}") from exc
            if not isinstance(data, dict):
                raise ApiError(HTTPStatus.BAD_REQUEST, "send a JSON object")
            return data

        def _send(self, status: HTTPStatus, data: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            log.info("%s %s", self.address_string(), format % args)

    return ThreadingHTTPServer((host, port), Handler)
