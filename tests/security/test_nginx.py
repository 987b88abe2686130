"""deploy/nginx.conf as deployed, with both upstreams down (only nginx's own behaviour is
tested): unknown hosts are dropped, its own error pages carry the security headers, HTTPS adds
HSTS, and images are rate-limited per client. Skipped where nginx is not installed.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator

import pytest

from tests.load.harness import free_port, nginx_binary, render_nginx_conf

pytestmark = pytest.mark.skipif(nginx_binary() is None, reason="nginx is not installed")


@pytest.fixture(scope="module")
def proxy(tmp_path_factory) -> Iterator[tuple[int, int]]:
    prefix = tmp_path_factory.mktemp("nginx")
    port, tls_port = free_port(), free_port()
    dead = f"127.0.0.1:{free_port()}"
    conf = prefix / "nginx.conf"
    conf.write_text(
        render_nginx_conf(f"127.0.0.1:{port}", dead, dead, prefix, f"127.0.0.1:{tls_port}")
    )
    argv = [nginx_binary(), "-p", str(prefix), "-c", str(conf), "-e", "stderr"]
    process = subprocess.Popen(
        [*argv, "-g", "daemon off;"], start_new_session=True, stderr=subprocess.PIPE
    )
    try:
        for _ in range(200):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert process.poll() is None, process.stderr.read().decode()
            time.sleep(0.05)
        yield port, tls_port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(10)


def _get(port: int, path: str, host: str, source: str = "127.0.0.1") -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=10, source_address=(source, 0)
    )
    connection.request("GET", path, headers={"Host": host})
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
