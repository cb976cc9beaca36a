"""A real HTTP server on 127.0.0.1 that speaks OpenAI's /v1/chat/completions (no mocking of the client
library).  It answers from a script, each reply either text or a list of tool calls
``[(name, arguments), ...]``; when the script is used up it answers ``reply``.  ``status``, ``delay``,
``trickle`` (one byte every so many seconds) and ``content`` (a raw content value: a number, a list ...)
make it misbehave.  It records every request."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = str | list[tuple[str, dict[str, Any]]]


class ScriptedLLM:
    def __init__(self, replies: list[Reply] | None = None, delay: float = 0.0) -> None:
        self.replies = list(replies or [])
        self.reply = "好的。"
        self.status = 200
        self.delay = delay
        self.trickle = 0.0
        self.content: Any = None
        self.requests: list[dict[str, Any]] = []

    def next_message(self) -> dict[str, Any]:
        reply: Reply = self.replies.pop(0) if self.replies else self.reply
        if isinstance(reply, str):
            return {"role": "assistant", "content": reply if self.content is None else self.content}
        calls = [
            {
                "id": f"call_{len(self.requests)}_{i}",
                "type": "function",
                "function": {"name": name, "arguments": json.dumps(args, ensure_ascii=False)},
            }
            for i, (name, args) in enumerate(reply)
        ]
        return {"role": "assistant", "content": None, "tool_calls": calls}

    def payload(self, body: dict[str, Any]) -> dict[str, Any]:
        if self.status != 200:
            return {"error": {"message": "denied", "type": "invalid_request_error", "code": None}}
        message = self.next_message()
        finish = "tool_calls" if "tool_calls" in message else "stop"
        return {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": 0,
            "model": body.get("model", ""),
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }


def _handler(state: ScriptedLLM) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep test output clean
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length).decode("utf-8"))
            headers = {k.lower(): v for k, v in self.headers.items()}
            state.requests.append({"path": self.path, "headers": headers, "body": body})
            if state.delay:
                time.sleep(state.delay)
            data = json.dumps(state.payload(body), ensure_ascii=False).encode("utf-8")
            try:
                self.send_response(state.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if state.trickle:
                    for i in range(len(data)):
                        self.wfile.write(data[i : i + 1])
                        self.wfile.flush()
                        time.sleep(state.trickle)
                else:
                    self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout tests)
                pass

    return Handler


@contextmanager
def scripted_llm(replies: list[Reply] | None = None, delay: float = 0.0) -> Iterator[tuple[ScriptedLLM, str]]:
    """The server's state and its base URL (``http://127.0.0.1:PORT/v1``)."""
    state = ScriptedLLM(replies, delay)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()
