"""A real ``nianbao serve`` in a subprocess on 127.0.0.1 (a free port), for the API tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

TOKEN = "test-token-0123456789abcdef"
NIANBAO = str(Path(sys.executable).with_name("nianbao"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """Start with ``start()``; ``kill()`` is kill -9 of its process group (the worker processes too)."""

    def __init__(self, data_dir: Path, *args: str, token: str | None = TOKEN, port: int | None = None):
        self.data_dir = data_dir
        self.args = args
        self.token = token
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = data_dir.parent / f"serve-{self.port}.log"

    def start(self, timeout: float = 30.0) -> LiveServer:
        env = {k: v for k, v in os.environ.items() if not k.startswith("NIANBAO_")}
        env["HOME"] = str(self.data_dir.parent / "home")
        if self.token is not None:
            env["NIANBAO_SERVE_TOKEN"] = self.token
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [NIANBAO, "serve", "--port", str(self.port), "--data-dir", str(self.data_dir), *self.args],
                stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nianbao serve exited: {self.log.read_text('utf-8')[-2000:]}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1.0).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"nianbao serve did not answer in {timeout} s")

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token or self.token}"}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30.0)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
