"""A stand-in DHIS2 server for the client tests: answers with recorded real responses.

Runs `http.server` in a thread on 127.0.0.1 at a free port. `routes` maps a path (and, for paged
collections, `path?page=N`) to a reply; every request is recorded with its query and headers.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Reply:
    status: int = 200
    body: bytes = b"{}"
    delay: float = 0.0  # seconds before answering (a timeout test)
    content_type: str = "application/json"


@dataclass
class Request:
    path: str
    params: list[tuple[str, str]]
    headers: dict[str, str]
    raw_query: str


@dataclass
class FakeDHIS2:
    routes: dict[str, Reply] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)

    def __enter__(self) -> FakeDHIS2:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 -- http.server's name
                parts = urlsplit(self.path)
                params = parse_qsl(parts.query, keep_blank_values=True)
                fake.requests.append(Request(parts.path, params, dict(self.headers), parts.query))
                page = dict(params).get("page")
                reply = fake.routes.get(f"{parts.path}?page={page}") or fake.routes.get(parts.path)
                if reply is None:
                    reply = Reply(404, b'{"httpStatus":"Not Found"}')
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (timeout test)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
