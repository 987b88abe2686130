"""deploy/nginx.conf as deployed, with both upstreams down (only nginx's own behaviour is
tested): unknown hosts are dropped, its own error pages carry the security headers, HTTPS adds
HSTS, and images are rate-limited per client; and in front of a small stand-in upstream, its
proxy cache: view data and API answers cached as the app's Cache-Control says, one copy per
encoding, one request upstream for a crowd, pages and callbacks never cached. Skipped where
nginx is not installed.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.load.harness import free_port, nginx_binary, nginx_command, render_nginx_conf

pytestmark = pytest.mark.skipif(nginx_binary() is None, reason="nginx is not installed")


@pytest.fixture(scope="module")
def proxy(tmp_path_factory) -> Iterator[tuple[int, int]]:
    process, port, tls_port = _start(tmp_path_factory.mktemp("nginx"), f"127.0.0.1:{free_port()}")
    try:
        yield port, tls_port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(10)


class _Upstream(BaseHTTPRequestHandler):
    """Stands in for the app: what it asked, and answers with the app's cache headers."""

    asked: list[tuple[str, str]] = []  # (path, Accept-Encoding)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        type(self).asked.append((self.path, self.headers.get("Accept-Encoding", "")))
        time.sleep(0.2)  # long enough for a crowd to arrive while it is asked
        body = json.dumps({"path": self.path}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        cacheable = self.path.startswith(("/api/", "/download/")) and "nocache" not in self.path
        self.send_header("Cache-Control", "public, max-age=300" if cacheable else "no-cache")
        self.send_header("ETag", f'"{hash(self.path)}"')
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def cached_proxy(tmp_path_factory) -> Iterator[int]:
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    address = f"127.0.0.1:{upstream.server_address[1]}"
    process, port, _ = _start(tmp_path_factory.mktemp("nginx-cache"), address)
    try:
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(10)
        upstream.shutdown()


def _start(prefix: Path, upstream: str) -> tuple[subprocess.Popen, int, int]:
    port, tls_port = free_port(), free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(
        render_nginx_conf(f"127.0.0.1:{port}", upstream, upstream, prefix, f"127.0.0.1:{tls_port}")
    )
    process = subprocess.Popen(
        nginx_command(prefix, conf), start_new_session=True, stderr=subprocess.PIPE
    )
    for _ in range(200):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        assert process.poll() is None, process.stderr.read().decode()
        time.sleep(0.05)
    return process, port, tls_port


def _get(
    port: int, path: str, host: str, source: str = "127.0.0.1", **headers: str
) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=10, source_address=(source, 0)
    )
    connection.request("GET", path, headers={"Host": host, **headers})
    response = connection.getresponse()
    response.read()
    return response


def test_nginx_drops_requests_for_unknown_hosts(proxy):
    port, _ = proxy
    for host in ("evil.example", "10.0.0.1", "localhost.evil.example"):
        with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
            _get(port, "/", host)


def test_nginx_own_error_pages_carry_security_headers(proxy):
    port, _ = proxy
    response = _get(port, "/goal/1", "localhost")  # both instances down: nginx answers 502
    assert response.status == 502
    headers = {k.lower(): v for k, v in response.getheaders()}
    assert headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert headers["cache-control"] == "no-store"
    assert "strict-transport-security" not in headers, "HSTS only over HTTPS"
    assert headers["server"] == "nginx"


def _tls(port: int, name: str) -> ssl.SSLSocket:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    raw = socket.create_connection(("127.0.0.1", port), timeout=10)
    return context.wrap_socket(raw, server_hostname=name)


def test_nginx_https_sends_hsts_and_refuses_unknown_names(proxy):
    _, tls_port = proxy
    with _tls(tls_port, "localhost") as tls:
        tls.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        answer = b"".join(iter(lambda: tls.recv(65536), b"")).decode("latin-1")
    assert answer.startswith("HTTP/1.1 502")
    assert "\r\nStrict-Transport-Security: max-age=" in answer
    with pytest.raises(ssl.SSLError):
        _tls(tls_port, "evil.example")


def test_nginx_rate_limits_images_per_client(proxy):
    port, _ = proxy
    statuses = [
        _get(port, f"/image/map.png?goal=1&n={n}", "localhost", source="127.0.0.2").status
        for n in range(20)
    ]
    assert 429 in statuses, statuses
    limited = _get(port, "/image/map.png", "localhost", source="127.0.0.2")
    assert limited.status == 429
    assert limited.getheader("X-Content-Type-Options") == "nosniff"
    # loopback itself (health checks, load tests) is never limited
    assert {_get(port, "/image/map.png", "localhost").status for _ in range(20)} == {502}


def _asked(path: str) -> list[str]:
    return [encoding for asked, encoding in _Upstream.asked if asked == path]


def test_nginx_cache_answers_repeated_view_data_without_the_app(cached_proxy):
    path = "/api/v1/views/map?goal=1&indicator=X&level=province&lang=lo"
    first = _get(cached_proxy, path, "localhost", **{"Accept-Encoding": "gzip, deflate, br"})
    again = _get(cached_proxy, path, "localhost", **{"Accept-Encoding": "br, gzip"})
    assert (first.status, again.status) == (200, 200)
    assert first.getheader("X-Cache-Status") == "MISS"
    assert again.getheader("X-Cache-Status") == "HIT"  # another spelling, the same copy
    assert _asked(path) == ["br"]  # the app was asked once, with the normalised encoding
    plain = _get(cached_proxy, path, "localhost")
    assert plain.getheader("X-Cache-Status") == "MISS" and _asked(path) == ["br", ""]
    csv = "/download/map.csv?indicator=X&level=province&year=2020"
    assert [_get(cached_proxy, csv, "localhost").getheader("X-Cache-Status") for _ in "ab"] == [
        "MISS",
        "HIT",
    ]


def test_nginx_cache_asks_the_app_once_for_a_crowd(cached_proxy):
    path = "/api/v1/views/map?goal=2&indicator=Y&level=district&lang=en"
    with ThreadPoolExecutor(12) as pool:
        statuses = list(pool.map(lambda _: _get(cached_proxy, path, "localhost").status, range(12)))
    assert statuses == [200] * 12
    assert len(_asked(path)) == 1  # proxy_cache_lock: the others waited for that answer


def test_nginx_never_caches_pages_or_uncacheable_answers(cached_proxy):
    for _ in range(2):
        page = _get(cached_proxy, "/goal/1", "localhost")
        assert page.status == 200 and page.getheader("X-Cache-Status") is None
        image = _get(cached_proxy, "/image/map.png?goal=1", "localhost")
        assert image.status == 200 and image.getheader("X-Cache-Status") is None
        api = _get(cached_proxy, "/api/v1/nocache", "localhost")  # an answer marked no-cache
        assert api.status == 200 and api.getheader("X-Cache-Status") == "MISS"
    assert len(_asked("/goal/1")) == 2 and len(_asked("/api/v1/nocache")) == 2
    assert len(_asked("/image/map.png?goal=1")) == 2
