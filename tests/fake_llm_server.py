"""A local OpenAI-compatible server for fault injection: answers from a script of behaviours."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def tool_reply(arguments: dict[str, Any] | str, prompt_tokens: int = 100,
               completion_tokens: int = 50) -> dict[str, Any]:
    args = arguments if isinstance(arguments, str) else json.dumps(arguments, ensure_ascii=False)
    return {"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": "fake",
            "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
                "role": "assistant", "content": None,
                "tool_calls": [{"id": "call_1", "type": "function",
                                "function": {"name": "Table", "arguments": args}}]}}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens}}


class FakeLLM:
    """Each request pops one behaviour: ("json", body), ("status", code), ("sleep", seconds, body),
    ("hang",): never answered (the connection is dropped when the server stops), or
    ("gate", threading.Event, body): answered once the event is set.

    With ``answer`` set, the behaviour is chosen from the request's JSON instead of the script
    (requests sent together arrive in any order).
    """

    def __init__(self) -> None:
        self.script: deque[tuple[Any, ...]] = deque()
        self.answer: Callable[[dict[str, Any]], tuple[Any, ...]] | None = None
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.answered = 0
        """Requests answered so far (a hanging one never is)."""
        self.stopping = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                fake.requests.append(body)
                fake.headers.append(dict(self.headers))
                if fake.answer is not None:
                    step = fake.answer(body)
                else:
                    step = fake.script.popleft() if fake.script else ("status", 500)
                if step[0] == "hang":
                    fake.stopping.wait()
                    self.close_connection = True
                    return
                if step[0] == "sleep":
                    time.sleep(step[1])
                    step = ("json", step[2])
                if step[0] == "gate":
                    while not step[1].wait(0.05) and not fake.stopping.is_set():
                        pass
                    step = ("json", step[2])
                fake.answered += 1
                if step[0] == "status":
                    self.send_response(step[1])
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(b'{"error": {"message": "injected fault"}}')
                    return
                payload = step[1] if isinstance(step[1], bytes) else json.dumps(step[1]).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> FakeLLM:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()
