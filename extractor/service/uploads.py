"""Uploads: a multipart file → a blob named by its sha256, never by the name the client sent.

The client's file name is kept only as text to show (its last path part,
control characters removed); its suffix picks the reader and must be one of
the supported types. A request body over the limit is cut off by
``BodyLimit`` before it is read to the end.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import BinaryIO

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..read.formats import is_supported, listing
from .jobs import Upload

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class UploadRejected(Exception):
    """An upload the service will not take; ``status`` is the HTTP answer."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def display_name(raw: str | None) -> str:
    """The file name to show: the last part of whatever path the client sent, printable, bounded."""
    name = _CONTROL.sub("", (raw or "").replace("\\", "/").rsplit("/", 1)[-1]).strip()
    if len(name) > 200:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[: 190] + dot + suffix[:9]) if dot else name[:200]
    return name or "document"


def upload_suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if not is_supported(name):
        raise UploadRejected(415, f"{name!r}: unsupported file type {suffix or '(none)'!r}; "
                                  f"send one of {listing()}")
    return suffix


def store_upload(raw_name: str | None, stream: BinaryIO, blobs: Path, limit: int) -> Upload:
    """Copy an upload into ``blobs`` as ``<sha256><suffix>``, hashing as it goes; 413 past ``limit`` bytes."""
    name = display_name(raw_name)
    suffix = upload_suffix(name)
    blobs.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(dir=blobs, prefix=".upload-")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            while block := stream.read(1 << 20):
                size += len(block)
                if size > limit:
                    raise UploadRejected(413, f"{name!r} is over the {limit / 1_000_000:g} MB limit for one "
                                              "document")
                digest.update(block)
                out.write(block)
        sha = digest.hexdigest()
        blob = blobs / f"{sha}{suffix}"
        os.replace(tmp, blob)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return Upload(name=name, sha256=sha, size=size, blob=blob)


class BodyLimit:
    """ASGI middleware: a request body over ``limit`` bytes gets 413 without being read to the end."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._too_large(send)
            return
        seen = 0
        started = answered = False

        async def counted() -> Message:
            nonlocal seen, answered
            message = await receive()
            if message["type"] == "http.request" and not answered:
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    if not started:  # answer now; the app sees the client gone and stops reading
                        await self._too_large(send)
                    answered = True
            return {"type": "http.disconnect"} if answered else message

        async def tracked(message: Message) -> None:
            nonlocal started
            if answered:
                return  # the 413 went out: drop the app's own answer
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except Exception:
            if not answered:
                raise

    async def _too_large(self, send: Send) -> None:
        body = json.dumps({"detail": f"the request is over the {self.limit / 1_000_000:g} MB upload limit; "
                                     "send fewer or smaller files per job"}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
