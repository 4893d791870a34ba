"""A real ``nianbao serve`` in a subprocess on 127.0.0.1, on a port the OS picks, for the API tests."""

from __future__ import annotations

import itertools
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

TOKEN = "test-token-0123456789abcdef"
NIANBAO = str(Path(sys.executable).with_name("nianbao"))


_starts = itertools.count()
_ADDRESS = re.compile(r"nianbao serve: (http://127\.0\.0\.1:(\d+))")


class LiveServer:
    """Start with ``start()``; ``kill()`` is kill -9 of its process group (the worker processes too)."""

    def __init__(self, data_dir: Path, *args: str, token: str | None = TOKEN):
        self.data_dir = data_dir
        self.args = args
        self.token = token
        self.url = ""
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = data_dir.parent / f"serve-{os.getpid()}-{next(_starts)}.log"

    def start(self, timeout: float = 30.0) -> LiveServer:
        env = {k: v for k, v in os.environ.items() if not k.startswith("NIANBAO_")}
        env["HOME"] = str(self.data_dir.parent / "home")
        if self.token is not None:
            env["NIANBAO_SERVE_TOKEN"] = self.token
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [NIANBAO, "serve", "--port", "0", "--data-dir", str(self.data_dir), *self.args],
                stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nianbao serve exited: {self.log.read_text('utf-8')[-2000:]}")
            if not self.url:  # the port it bound is printed before it serves
                found = _ADDRESS.search(self.log.read_text("utf-8", errors="replace"))
                self.url = found.group(1) if found else ""
                time.sleep(0.05)
                continue
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
