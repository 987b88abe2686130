"""Bounded load on loopback: concurrent readers across pages, callbacks, view data and
downloads — against gunicorn alone (50 readers), and behind deploy/nginx.conf with its proxy
cache (200 readers).

`NSPS_LOAD_SECONDS` sets the duration (default 60 s; `scripts/test` runs 15 s in CI). The
figures (requests, errors, p50/p95 overall and per kind of request, X-Cache-Status counts) are
printed and written to `NSPS_LOAD_REPORT` if set; timings are never asserted.
"""

from __future__ import annotations

import json
import os

import pytest

from tests.load.harness import (
    LoadResult,
    load_seconds,
    nginx_binary,
    reader_mix,
    run_readers,
    running,
    start_gunicorn,
    start_nginx,
)

READERS = int(os.environ.get("NSPS_LOAD_READERS", "50"))
NGINX_READERS = int(os.environ.get("NSPS_LOAD_NGINX_READERS", "200"))


def _report(test: str, readers: int, mix_size: int, result: LoadResult) -> None:
    print(f"\n{test} ({readers} readers, {mix_size} kinds of request): {result.summary()}")
    if report := os.environ.get("NSPS_LOAD_REPORT"):
        with open(report, "a") as out:
            figures = {
                "test": test,
                "readers": readers,
                "seconds": round(result.seconds, 1),
                "requests": result.requests,
                "errors": len(result.errors),
                "p50_ms": round(result.percentile(0.5) * 1000),
                "p95_ms": round(result.percentile(0.95) * 1000),
                "kinds": result.kinds(),
                "cache_status": result.statuses,
                "load_average": os.getloadavg(),
            }
            out.write(json.dumps(figures) + "\n")


@pytest.mark.load
def test_load_50_readers_no_errors_and_p95_reported(log_dir):
    server = start_gunicorn("gunicorn", log_dir)
    with running(server):
        mix = reader_mix(server.port)
        result = run_readers(server.port, READERS, load_seconds(), mix)
        server_alive = server.popen.poll() is None
    _report("load", READERS, len(mix), result)
    assert server_alive, server.log.read_text()[-3000:]
    assert result.errors == [], result.errors[:20]
    kinds = set(result.by_path)
    assert "callback" in kinds and "/download/nsps-data.csv" in kinds and "/goal/1" in kinds
    assert "view data" in result.by_kind
    assert result.requests >= READERS, "every reader completed at least one request"


@pytest.mark.load
@pytest.mark.skipif(nginx_binary() is None, reason="nginx is not installed")
def test_load_behind_nginx_cache_200_readers_no_errors_and_cache_hits(log_dir):
    server = start_gunicorn("gunicorn", log_dir)
    with running(server):
        proxy = start_nginx([server, server], log_dir)  # one instance in both upstream slots
        with running(proxy):
            mix = reader_mix(proxy.port)
            result = run_readers(proxy.port, NGINX_READERS, load_seconds(), mix)
            server_alive = server.popen.poll() is None
    _report("load behind nginx", NGINX_READERS, len(mix), result)
    assert server_alive, server.log.read_text()[-3000:]
    assert result.errors == [], result.errors[:20]
    assert result.statuses.get("HIT", 0) > result.statuses.get("MISS", 0) > 0, result.statuses
    assert result.requests >= NGINX_READERS, "every reader completed at least one request"
