"""Serving an ASGI app on a socket the command binds itself, so ``--port 0`` works and the port is known."""

from __future__ import annotations

import socket
from typing import Any

import click


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: one the OS picks); a busy port is a usage error."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        raise click.UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; try another --port") from exc
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def run_app(app: Any, sock: socket.socket, log_level: str) -> None:
    """uvicorn on the bound socket until Ctrl-C or SIGTERM."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, log_level=log_level, access_log=False))
    server.run(sockets=[sock])
