"""Load and failure harness on loopback: gunicorn instances, nginx in front, and many readers.

Used by tests/load and by `scripts/loadtest`. Every process started here runs in its own
process group and is killed with it, so nothing is left behind even when a test fails.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
GUNICORN_CONF = REPO / "deploy" / "gunicorn.conf.py"
NGINX_TEMPLATE = REPO / "deploy" / "nginx.conf"
CALLBACK_PATH = "/_dash-update-component"
VIEW_DATA_PATH = "/api/v1/views/map"
_STALE_CONNECTION = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(port: int, path: str = "/healthz", timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with suppress(OSError):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing answered 200 on 127.0.0.1:{port}{path} within {timeout}s")


@dataclass
class Process:
    """A server process in its own process group (killed as a group)."""

    name: str
    popen: subprocess.Popen
    port: int
    log: Path

    def kill(self, sig: int = signal.SIGKILL) -> None:
        with suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)
        with suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=10)

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.kill(signal.SIGTERM)
        self.kill(signal.SIGKILL)  # the group: workers too, even if the master is gone

    def worker_pids(self) -> list[int]:
        import psutil

        return [c.pid for c in psutil.Process(self.popen.pid).children()]


def _start(name: str, argv: list[str], port: int, log_dir: Path, env: dict[str, str]) -> Process:
    log = log_dir / f"{name}.log"
    with log.open("wb") as out:
        popen = subprocess.Popen(
            argv, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    return Process(name, popen, port, log)


def start_gunicorn(name: str, log_dir: Path, workers: int = 2, threads: int = 4) -> Process:
    port = free_port()
    env = {
        **os.environ,
        "NSPS_BIND": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": str(workers),
        "WEB_THREADS": str(threads),
        "NSPS_ACCESS_LOG": "",
    }
    env.pop("NSPS_DEBUG", None)
    argv = [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "app:server"]
    process = _start(name, argv, port, log_dir, env)
    try:
        wait_for_http(port)
    except Exception:
        process.stop()
        raise
    return process


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A throw-away certificate for localhost, for the TLS server of the nginx template."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


def render_nginx_conf(
    listen: str, upstream_a: str, upstream_b: str, prefix: Path, tls_listen: str | None = None
) -> str:
    """deploy/nginx.conf for loopback: the site's names are localhost and 127.0.0.1, plain
    HTTP serves the site (no redirect to HTTPS), and the TLS server uses a self-signed
    certificate on `tls_listen` (a free port when not given)."""
    cert, key = self_signed_certificate(prefix)
    text = NGINX_TEMPLATE.read_text()
    for key_name, value in {
        "LISTEN": listen,
        "TLS_LISTEN": tls_listen or f"127.0.0.1:{free_port()}",
        "TLS_CERT": str(cert),
        "TLS_KEY": str(key),
        "SERVER_NAME": "localhost 127.0.0.1",
        "HTTP_TO_HTTPS": "off",
        "UPSTREAM_A": upstream_a,
        "UPSTREAM_B": upstream_b,
        "PREFIX": str(prefix),
    }.items():
        text = text.replace("{{" + key_name + "}}", value)
    assert not re.search(r"{{[A-Z_]+}}", text), "unfilled placeholder in deploy/nginx.conf"
    return text


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if Path(p).is_file()), None
    )


def nginx_command(prefix: Path, conf: Path) -> list[str]:
    """nginx in the foreground with `conf` and `prefix`. Started by root, its workers would run
    as nobody, who may not enter a test's private temporary folder (the proxy cache, temporary
    files): here they stay root."""
    binary = nginx_binary()
    assert binary, "nginx is not installed (scripts/setup --dev installs it)"
    directives = "daemon off;" + (" user root;" if os.geteuid() == 0 else "")
    return [binary, "-p", str(prefix), "-c", str(conf), "-e", "stderr", "-g", directives]


def start_nginx(upstreams: list[Process], log_dir: Path) -> Process:
    port = free_port()
    prefix = log_dir / "nginx"
    prefix.mkdir(exist_ok=True)
    conf = prefix / "nginx.conf"
    a, b = (f"127.0.0.1:{u.port}" for u in upstreams)
    conf.write_text(render_nginx_conf(f"127.0.0.1:{port}", a, b, prefix))
    argv = nginx_command(prefix, conf)
    process = _start("nginx", argv, port, log_dir, dict(os.environ))
    try:
        wait_for_http(port)
    except Exception:
        process.stop()
        raise
    return process


@contextmanager
def running(*processes: Process) -> Iterator[None]:
    try:
        yield
    finally:
        for process in processes:
            process.stop()


# --- readers -------------------------------------------------------------------------------


def dash_callback_request(callback: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """The body dash-renderer posts for `callback` (from /_dash-dependencies), with `values`
    given by "component.property" (missing ones are None)."""
    outputs = [
        dict(zip(("id", "property"), o.rsplit(".", 1), strict=True))
        for o in callback["output"].strip(".").split("...")
    ]

    def props(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {
                "id": i["id"],
                "property": i["property"],
                "value": values.get(f"{i['id']}.{i['property']}"),
            }
            for i in items
        ]

    first = callback["inputs"][0]
    return {
        "output": callback["output"],
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": props(callback["inputs"]),
        "state": props(callback["state"]),
        "changedPropIds": [f"{first['id']}.{first['property']}"],
    }


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: bytes | None = None
    label: str = ""  # what a callback request asks for, for the error report

    @property
    def kind(self) -> str:
        """The group its latency is reported in."""
        if self.method != "GET":
            return "callback"
        if self.path.startswith(VIEW_DATA_PATH):
            return "view data"
        return (
            "page"
            if self.path.startswith(("/goal", "/data", "/challenges")) or self.path == "/"
            else "other GET"
        )


def _callback_taking(deps: list[dict[str, Any]], component: str) -> dict[str, Any]:
    return next(c for c in deps if any(i["id"] == component for i in c["inputs"]))


def reader_mix(port: int) -> list[Request]:
    """What readers do: open pages (index + the page-render callback), move the map and the
    trends (callbacks, and the map's view data as GETs, latest and pinned), download CSVs and
    geometry."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/_dash-dependencies")
    deps = json.loads(conn.getresponse().read())
    pages = _callback_taking(deps, "_pages_location")
    map_update = next(c for c in deps if c["output"].startswith("..map-graph.figure"))
    series = _callback_taking(deps, "series-indicator")

    def post(callback: dict[str, Any], values: dict[str, Any]) -> Request:
        return Request(
            "POST", CALLBACK_PATH, json.dumps(dash_callback_request(callback, values)).encode()
        )

    mix = [Request("GET", p) for p in ("/", "/goal/1", "/goal/2", "/data", "/challenges")]
    for path, search in [
        ("/", ""),
        ("/goal/1", "?indicator=ILL_HEALTH_COVERAGE&level=district&year=2020"),
        ("/goal/2", ""),
        ("/goal/3", "?series=ILL_SOCIAL_WELFARE_BENEFICIARIES&areas=LA01,LA13"),
        ("/data", ""),
        ("/challenges", ""),
    ]:
        mix.append(
            post(pages, {"_pages_location.pathname": path, "_pages_location.search": search})
        )
    for level, year in [("province", 2018), ("district", 2022), ("province", 2024)]:
        mix.append(
            post(
                map_update,
                {
                    "map-indicator.value": "ILL_HEALTH_COVERAGE",
                    "map-level.value": level,
                    "map-year.value": year,
                    "goal-id.data": "1",
                },
            )
        )
    mix.append(
        post(
            series,
            {
                "series-indicator.value": "ILL_HEALTH_COVERAGE",
                "series-areas.value": ["LA01", "LA05"],
                "goal-id.data": "1",
            },
        )
    )
    conn.request("GET", "/healthz")
    release = json.loads(conn.getresponse().read())["release"]
    for query in (
        "goal=1&indicator=ILL_HEALTH_COVERAGE&level=province&lang=lo",
        "goal=1&indicator=ILL_HEALTH_COVERAGE&level=district&lang=en",
        f"goal=1&indicator=ILL_HEALTH_COVERAGE&level=district&lang=lo&release={release}",
    ):
        mix.append(Request("GET", f"{VIEW_DATA_PATH}?{query}"))
    mix += [
        Request("GET", "/download/map.csv?indicator=ILL_HEALTH_COVERAGE&level=province&year=2020"),
        Request("GET", "/download/series.csv?indicator=ILL_HEALTH_COVERAGE&areas=LA01,LA13"),
        Request("GET", "/download/nsps-data.csv"),
        Request("GET", "/geo/province.geojson"),
        Request("GET", "/healthz"),
    ]
    return mix


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    by_path: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, list[float]] = field(default_factory=dict)  # latencies per Request.kind
    statuses: dict[str, int] = field(default_factory=dict)  # X-Cache-Status values seen
    seconds: float = 0.0
    retried: int = 0  # stale kept-alive connections retried once, as browsers do

    @property
    def requests(self) -> int:
        return len(self.latencies) + len(self.errors)

    def percentile(self, q: float, kind: str | None = None) -> float:
        values = self.latencies if kind is None else self.by_kind.get(kind, [])
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0

    def kinds(self) -> dict[str, dict[str, float]]:
        """Requests and p50/p95 in ms per kind of request."""
        return {
            kind: {
                "requests": len(values),
                "p50_ms": round(self.percentile(0.5, kind) * 1000),
                "p95_ms": round(self.percentile(0.95, kind) * 1000),
            }
            for kind, values in sorted(self.by_kind.items())
        }

    def summary(self) -> str:
        p50, p95 = (self.percentile(q) * 1000 for q in (0.50, 0.95))
        slowest = max(self.latencies, default=0) * 1000
        return (
            f"{self.requests} requests in {self.seconds:.1f} s "
            f"({self.requests / max(self.seconds, 1e-9):.0f}/s), {len(self.errors)} errors, "
            f"{self.retried} stale connections retried, "
            f"p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {slowest:.0f} ms; "
            + "; ".join(
                f"{kind}: {k['requests']} requests, p50 {k['p50_ms']} ms, p95 {k['p95_ms']} ms"
                for kind, k in self.kinds().items()
            )
            + (f"; X-Cache-Status {self.statuses}" if self.statuses else "")
        )


def run_readers(
    port: int, readers: int, seconds: float, mix: list[Request], seed: int = 1
) -> LoadResult:
    """`readers` threads, each a keep-alive client issuing random requests from `mix` until
    `seconds` have passed. An error is any exception or a status >= 500."""
    result = LoadResult()
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def send(conn: http.client.HTTPConnection, req: Request) -> tuple[int, bytes]:
        headers = {"Accept-Encoding": "gzip"}
        if req.body is not None:
            headers["Content-Type"] = "application/json"
        conn.request(req.method, req.path, body=req.body, headers=headers)
        response = conn.getresponse()
        body = response.read()
        if response.will_close:
            conn.close()
        if cache_status := response.getheader("X-Cache-Status"):
            with lock:
                result.statuses[cache_status] = result.statuses.get(cache_status, 0) + 1
        return response.status, body

    def reader(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        conn: http.client.HTTPConnection | None = None
        while time.monotonic() < stop_at:
            req = rng.choice(mix)
            started = time.monotonic()
            try:
                reused = conn is not None and conn.sock is not None
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                try:
                    status, body = send(conn, req)
                except _STALE_CONNECTION:
                    if not reused:
                        raise
                    # Like a browser: a kept-alive connection the server closed before
                    # answering is retried once on a new connection.
                    conn.close()
                    with lock:
                        result.retried += 1
                    status, body = send(conn, req)
                if status >= 500:
                    raise RuntimeError(f"HTTP {status}: {body[:200]!r}")
            except Exception as error:  # noqa: BLE001 - every failure is counted, none hidden
                if conn is not None:
                    conn.close()
                with lock:
                    result.errors.append(f"{req.method} {req.path} {req.label}: {error!r}")
                continue
            with lock:
                latency = time.monotonic() - started
                result.latencies.append(latency)
                result.by_kind.setdefault(req.kind, []).append(latency)
                key = req.path if req.method == "GET" else "callback"
                result.by_path[key] = result.by_path.get(key, 0) + 1

    started = time.monotonic()
    threads = [threading.Thread(target=reader, args=(i,), daemon=True) for i in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    result.seconds = time.monotonic() - started
    return result


def load_seconds(default: float = 60) -> float:
    """`NSPS_LOAD_SECONDS`: how long the load test runs (CI uses a shorter run)."""
    return float(os.environ.get("NSPS_LOAD_SECONDS", default))
