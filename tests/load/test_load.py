"""Bounded load on loopback: 50 concurrent readers across pages, callbacks and downloads.

`NSPS_LOAD_SECONDS` sets the duration (default 60 s; `scripts/test` runs 15 s in CI). The
figures (requests, errors, p50/p95) are printed and written to `NSPS_LOAD_REPORT` if set.
"""

from __future__ import annotations

import json
import os

import pytest

from tests.load.harness import load_seconds, reader_mix, run_readers, running, start_gunicorn

READERS = int(os.environ.get("NSPS_LOAD_READERS", "50"))


@pytest.mark.load
def test_load_50_readers_no_errors_and_p95_reported(log_dir):
    server = start_gunicorn("gunicorn", log_dir)
    with running(server):
        mix = reader_mix(server.port)
        result = run_readers(server.port, READERS, load_seconds(), mix)
        server_alive = server.popen.poll() is None
    print(f"\nload ({READERS} readers, {len(mix)} kinds of request): {result.summary()}")
    if report := os.environ.get("NSPS_LOAD_REPORT"):
        with open(report, "a") as out:
            out.write(
                json.dumps(
                    {
                        "test": "load",
                        "readers": READERS,
                        "seconds": round(result.seconds, 1),
                        "requests": result.requests,
                        "errors": len(result.errors),
                        "p50_ms": round(result.percentile(0.5) * 1000),
                        "p95_ms": round(result.percentile(0.95) * 1000),
                    }
                )
                + "\n"
            )
    assert server_alive, server.log.read_text()[-3000:]
    assert result.errors == [], result.errors[:20]
    kinds = set(result.by_path)
    assert "callback" in kinds and "/download/nsps-data.csv" in kinds and "/goal/1" in kinds
    assert result.requests >= READERS, "every reader completed at least one request"
