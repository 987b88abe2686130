"""Failure under load: a killed gunicorn worker is replaced, and a killed instance behind nginx
is routed around; readers see no errors beyond the requests in flight at the moment of the kill.
"""

from __future__ import annotations

import http.client
import os
import signal
import threading
import time

import pytest

from tests.load.harness import (
    LoadResult,
    nginx_binary,
    reader_mix,
    run_readers,
    running,
    start_gunicorn,
    start_nginx,
)

READERS = 10
SECONDS = float(os.environ.get("NSPS_FAILOVER_SECONDS", "8"))
THREADS = 4  # per worker (deploy/gunicorn.conf.py): at most this many requests in flight


def _load_in_background(port: int, mix) -> tuple[threading.Thread, list[LoadResult]]:
    results: list[LoadResult] = []
    thread = threading.Thread(
        target=lambda: results.append(run_readers(port, READERS, SECONDS, mix)), daemon=True
    )
    thread.start()
    return thread, results


def _wait_until(condition, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


@pytest.mark.load
def test_failover_killed_worker_is_replaced_without_failed_requests(log_dir):
    server = start_gunicorn("gunicorn", log_dir, workers=2, threads=THREADS)
    with running(server):
        mix = reader_mix(server.port)
        _wait_until(lambda: len(server.worker_pids()) == 2, "both workers to start")
        before = server.worker_pids()
        thread, results = _load_in_background(server.port, mix)
        time.sleep(SECONDS / 3)
        victim = before[0]
        os.kill(victim, signal.SIGKILL)
        _wait_until(
            lambda: len(server.worker_pids()) == 2 and victim not in server.worker_pids(),
            "gunicorn to replace the killed worker",
        )
        thread.join(timeout=SECONDS + 60)
        replaced = server.worker_pids()
    result = results[0]
    print(f"\nworker kill: {result.summary()}; errors: {result.errors}")
    assert victim not in replaced and len(replaced) == 2
    assert len(result.errors) <= THREADS, result.errors
    assert result.requests > 2 * READERS


@pytest.mark.load
@pytest.mark.skipif(nginx_binary() is None, reason="nginx not installed (scripts/setup --dev)")
def test_failover_nginx_routes_around_a_killed_instance(log_dir):
    a = start_gunicorn("gunicorn-a", log_dir, workers=2, threads=THREADS)
    b = start_gunicorn("gunicorn-b", log_dir, workers=2, threads=THREADS)
    with running(a, b):
        proxy = start_nginx([a, b], log_dir)
        with running(proxy):
            response = _get(proxy.port, "/healthz")
            assert response.getheader("Server") == "nginx", "nginx must not tell its version"
            assert response.getheader("Content-Security-Policy"), "app headers pass through"
            mix = reader_mix(proxy.port)
            thread, results = _load_in_background(proxy.port, mix)
            time.sleep(SECONDS / 3)
            a.kill()  # the whole instance: master and workers, no graceful shutdown
            thread.join(timeout=SECONDS + 60)
            after = _get(proxy.port, "/healthz").status
            a_seen_dead = a.popen.poll() is not None
    result = results[0]
    print(f"\ninstance kill behind nginx: {result.summary()}; errors: {result.errors}")
    assert a_seen_dead and after == 200
    # nginx retries what was in flight on the other instance (proxy_next_upstream); at most
    # the requests in flight on the killed instance may fail.
    assert len(result.errors) <= 2 * THREADS, result.errors
    assert result.requests > 2 * READERS


def _get(port: int, path: str) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    return response
