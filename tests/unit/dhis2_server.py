"""A stand-in DHIS2 server for the client tests: answers with recorded real responses.

Runs `http.server` in a thread on 127.0.0.1 at a free port. `routes` maps a path (and, for paged
collections, `path?page=N`) to a reply, or to a function of the request that makes one
(`AnalyticsReplay`); every request is recorded with its query and headers.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
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
    routes: dict[str, Reply | Callable[[Request], Reply]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)

    def __enter__(self) -> FakeDHIS2:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 -- http.server's name
                parts = urlsplit(self.path)
                params = parse_qsl(parts.query, keep_blank_values=True)
                request = Request(parts.path, params, dict(self.headers), parts.query)
                fake.requests.append(request)
                page = dict(params).get("page")
                reply = fake.routes.get(f"{parts.path}?page={page}") or fake.routes.get(parts.path)
                if callable(reply):
                    reply = reply(request)
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


def unit_count(total: int) -> Reply:
    """`/api/organisationUnits?…&pageSize=1`: the pager says how many units the levels hold."""
    body = {"pager": {"page": 1, "pageCount": total, "total": total, "pageSize": 1}}
    return Reply(200, json.dumps({**body, "organisationUnits": [{"id": "x"}]}).encode())


@dataclass
class AnalyticsReplay:
    """`/api/analytics` answered from recorded real responses: the rows whose dx and pe the query
    names (all recorded units: the recordings are one level each), in the response format of the
    recordings. `max_rows` plays a server whose analyticsMaxLimit is that low: it refuses a larger
    answer with HTTP 409 E7128 (`truncate=False`) or cuts it short, `height` still counting
    every row (`truncate=True`)."""

    recordings: list[dict]
    max_rows: int | None = None
    truncate: bool = False

    def __call__(self, request: Request) -> Reply:
        asked = dict(v.split(":", 1) for k, v in request.params if k == "dimension")
        dx, pe = asked["dx"].split(";"), asked["pe"].split(";")
        first = self.recordings[0]
        names = [h["name"] for h in first["headers"]]
        rows, items, units = [], {}, []
        for body in self.recordings:
            order = [h["name"] for h in body["headers"]]
            for cells in body["rows"]:
                record = dict(zip(order, cells, strict=True))
                if record["dx"] in dx and record["pe"] in pe:
                    rows.append([record[n] for n in names])
            items.update(body["metaData"]["items"])
            units += [u for u in body["metaData"]["dimensions"]["ou"] if u not in units]
        height = len(rows)
        if self.max_rows is not None and height > self.max_rows:
            if not self.truncate:
                refusal = {
                    "httpStatus": "Conflict",
                    "httpStatusCode": 409,
                    "status": "ERROR",
                    "message": f"Query result set exceeded max limit: `{self.max_rows}`",
                    "errorCode": "E7128",
                }
                return Reply(409, json.dumps(refusal).encode())
            rows = rows[: self.max_rows]
        dimensions = {"dx": [d for d in dx if d in items], "pe": pe, "ou": units, "co": []}
        body = {
            "headers": first["headers"],
            "metaData": {"items": items, "dimensions": dimensions},
            "rows": rows,
            "headerWidth": len(names),
            "width": len(names),
            "height": height,
        }
        return Reply(200, json.dumps(body).encode())


#: The unit count a Lao province-level query gets (18 provinces): add to a test's routes.
EIGHTEEN_UNITS = {"/api/organisationUnits": unit_count(18)}
