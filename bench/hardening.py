"""Hardening measurements: cold start from the Parquet snapshot, and a flood of image requests.

`bash scripts/bench hardening` (or `python -m bench.hardening`) writes
bench/results/hardening.json and prints a table:

1. cold start (process start → first 200 on `/`, as in bench/run.py) and the master's CPU
   seconds, at 1× and 100× the observations (bench/datagen.py, sealed as publishing does),
   reading the snapshot, reading it without its stored joined observations (the snapshot as
   first landed: the tables only, joined at each start), and from the same folder without any
   snapshot (the build before: every table validated again at each start);
2. the image flood of issue 11: 60 distinct `/image/…` requests, 15 at a time, against the app
   as deployed (deploy/gunicorn.conf.py, 2 workers), while `/healthz` is asked every 50 ms: peak
   RSS, PSS and USS sums of the whole process tree (gunicorn and every Chromium), peak number of
   Chromium processes, statuses, how fast refusals (503) come back, and `/healthz` latency.

Timings are wall clock on a shared machine: compare the ratios within one run.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil

from bench.datagen import grow_release
from bench.run import REPO_ROOT, _env, _get, _percentile, serve
from dashboard.publish import MANIFEST_FILE, write_manifest
from dashboard.snapshot import TIDY, is_snapshot_file, snapshot_name

RESULTS = REPO_ROOT / "bench" / "results" / "hardening.json"
#: The issue's figures for the previous build (same flood, landed app before this work).
PREVIOUS_FLOOD = {"peak_chromium": 73, "peak_rss_mb": 8.5 * 1024, "healthz_max_ms": 58_000}


def _copy_without(folder: Path, target_root: Path, leave_out: Callable[[str], bool]) -> Path:
    """A copy of a sealed release without the files `leave_out` names, with a new manifest."""
    target = target_root / folder.name
    target.mkdir(parents=True)
    for path in folder.iterdir():
        if not leave_out(path.name) and path.name != MANIFEST_FILE:
            target.joinpath(path.name).write_bytes(path.read_bytes())
    write_manifest(target)
    return target


#: The variants of one release a server is started on: ours, the snapshot as it was before it
#: stored the joined observations (tables only), and no snapshot at all (validate every table).
VARIANTS: dict[str, Callable[[str], bool] | None] = {
    "snapshot": None,
    "tables_only": lambda name: name == snapshot_name(TIDY),
    "validate": is_snapshot_file,
}


def cold_starts(workdir: Path, factors: list[int]) -> list[dict[str, Any]]:
    source = REPO_ROOT / "data" / "releases"
    newest = sorted(p for p in source.iterdir() if (p / MANIFEST_FILE).is_file())[-1]
    rows = []
    for factor in factors:
        sealed_root = workdir / f"{factor}x-snapshot"
        sealed_root.mkdir()
        sealed, reached = grow_release(newest, sealed_root, factor)
        row: dict[str, Any] = {"factor": round(reached, 1)}
        for label, leave_out in VARIANTS.items():
            root = sealed_root
            if leave_out is not None:
                root = workdir / f"{factor}x-{label}"
                _copy_without(sealed, root, leave_out)
            print(f"[cold start {factor}x] {label} ...", file=sys.stderr, flush=True)
            with serve("ours", _env(root), workdir) as server:
                row[f"{label}_s"] = round(server.cold_start_s, 2)
                row[f"{label}_cpu_s"] = round(server.cold_start_cpu_s, 2)
        rows.append(row)
    return rows


def _image_urls(count: int) -> list[str]:
    """Distinct, valid image views: goal 1's maps by year, level, language, format and size."""
    urls = []
    for year in (2017, 2020, 2022, 2023, 2024):
        for level in ("province", "district"):
            for lang in ("lo", "en"):
                for fmt, size in (("png", "screen"), ("svg", "screen"), ("png", "slide")):
                    urls.append(
                        f"/image/map.{fmt}?goal=1&indicator=ILL_HEALTH_COVERAGE&level={level}"
                        f"&year={year}&lang={lang}&size={size}"
                    )
    return urls[:count]


def _tree(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def image_flood(workdir: Path, requests: int, concurrency: int) -> dict[str, Any]:
    with serve("ours", _env(None), workdir) as server:
        stop = threading.Event()
        peaks = {"rss_mb": 0.0, "pss_mb": 0.0, "uss_mb": 0.0, "chromium": 0}
        health: list[float] = []

        def sample() -> None:
            while not stop.is_set():
                rss, pss, uss, chromium = 0, 0, 0, 0
                for proc in _tree(server.process.pid):
                    try:
                        memory = proc.memory_full_info()
                        rss, pss, uss = rss + memory.rss, pss + memory.pss, uss + memory.uss
                        chromium += "chrom" in proc.name().lower()
                    except psutil.NoSuchProcess:
                        continue
                peaks["rss_mb"] = max(peaks["rss_mb"], rss / 2**20)
                peaks["pss_mb"] = max(peaks["pss_mb"], pss / 2**20)
                peaks["uss_mb"] = max(peaks["uss_mb"], uss / 2**20)
                peaks["chromium"] = max(peaks["chromium"], chromium)
                stop.wait(0.2)

        def probe() -> None:
            while not stop.is_set():
                started = time.perf_counter()
                _get(server.port, "/healthz")
                health.append((time.perf_counter() - started) * 1000)
                stop.wait(0.05)

        def fetch(url: str) -> tuple[int, float]:
            started = time.perf_counter()
            status, _, _ = _get(server.port, url)
            return status, (time.perf_counter() - started) * 1000

        watchers = [threading.Thread(target=sample), threading.Thread(target=probe)]
        for watcher in watchers:
            watcher.start()
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
            answers = list(pool.map(fetch, _image_urls(requests)))
        seconds = time.perf_counter() - started
        stop.set()
        for watcher in watchers:
            watcher.join()
    statuses: dict[str, int] = {}
    for status, _ in answers:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    refused = [ms for status, ms in answers if status == 503]
    return {
        "requests": requests,
        "concurrency": concurrency,
        "seconds": round(seconds, 1),
        "statuses": statuses,
        "refused_p50_ms": round(_percentile(refused, 50), 1) if refused else None,
        "refused_p95_ms": round(_percentile(refused, 95), 1) if refused else None,
        "refused_max_ms": round(max(refused), 1) if refused else None,
        # RSS counts pages shared between processes (Chromium's, copy-on-write) once per
        # process; PSS divides them among their sharers: its sum is the tree's real footprint;
        # USS counts only pages no other process maps (what killing a process would free).
        "peak_rss_sum_mb": round(peaks["rss_mb"]),
        "peak_pss_sum_mb": round(peaks["pss_mb"]),
        "peak_uss_sum_mb": round(peaks["uss_mb"]),
        "peak_chromium_processes": peaks["chromium"],
        "healthz_p50_ms": round(_percentile(health, 50), 1),
        "healthz_p99_ms": round(_percentile(health, 99), 1),
        "healthz_max_ms": round(max(health), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", default="1,100", help="data multipliers for cold start")
    parser.add_argument("--images", type=int, default=60, help="distinct image requests")
    parser.add_argument("--concurrency", type=int, default=15)
    parser.add_argument("--skip", choices=("cold", "images"), action="append", default=[])
    args = parser.parse_args(argv)
    results: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "cpus": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
    }
    with tempfile.TemporaryDirectory(prefix="nsps-hardening-") as tmp:
        workdir = Path(tmp)
        if "cold" not in args.skip:
            factors = [int(f) for f in args.factors.split(",")]
            results["cold_start"] = cold_starts(workdir, factors)
        if "images" not in args.skip:
            results["image_flood"] = image_flood(workdir, args.images, args.concurrency)
            results["image_flood_previous_build"] = PREVIOUS_FLOOD
    results["load_average_at_end"] = os.getloadavg()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
