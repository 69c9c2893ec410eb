"""A real HTTP receiver on 127.0.0.1 that answers with scripted status codes."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    script: list[int | float]
    received: list[Received] = field(default_factory=list)


@contextmanager
def receiver(
    script: list[int | float] | None = None, answer: Callable[[bytes], int] | None = None
) -> Iterator[Receiver]:
    """Answers each POST with the next status of `script` (then 200), or with what
    `answer(body)` says (called from the server's threads).

    A float in the script means: sleep that many seconds, then answer 200 (to cause timeouts).
    """
    state = Receiver(url="", script=list(script or []))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", "0"))
            body = self.rfile.read(length)
            state.received.append(Received({k.lower(): v for k, v in self.headers.items()}, body))
            if answer is not None:
                step: int | float = answer(body)
            else:
                step = state.script.pop(0) if state.script else 200
            if isinstance(step, float):
                time.sleep(step)
                step = 200
            self.send_response(step)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
