"""Benchmark the dashboard against the naive reference build, side by side, in one run.

Usage (from the repository root): `bash scripts/bench` or `python -m bench.run [--quick]`.
Starts both apps as deployed (deploy/gunicorn.conf.py: 2 workers × 4 threads, preloaded) on
loopback ports, drives the map callback with the exact request the browser sends, loads the page
in headless Chromium, repeats the server measurements with 10× and 100× the observations, prints
a table with ratios naive / ours and writes bench/results/latest.json. Every process it starts is
stopped before it exits.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from bench.datagen import grow_release
from dashboard.config import REPO_ROOT

HOST = "127.0.0.1"
PORTS = {"ours": int(os.environ.get("BENCH_PORT", "18050")), "naive": 18051}
APPS = {"ours": "app:server", "naive": "bench.naive_app:server"}
PAGES = {"ours": "/goal/1", "naive": "/"}
RESULTS = REPO_ROOT / "bench" / "results" / "latest.json"
GUNICORN_CONFIG = REPO_ROOT / "deploy" / "gunicorn.conf.py"
WORKERS = 2
#: The cheapest request the real app answers: the Python + Flask + gunicorn floor per request.
FLOOR_PATH = "/healthz"
CALLBACK_PATH = "/_dash-update-component"
ACCEPT = "gzip, deflate, br"
GOAL = "3"  # the goal page whose map offers several district indicators
LANG = "lo"  # the default page language

#: Each map update alternates between two states, so every request really changes something.
SCENARIOS: dict[str, list[dict[str, Any]]] = {
    "indicator change": [
        {"map-indicator": "ILL_HEALTH_COVERAGE", "map-level": "district", "map-year": 2024},
        {"map-indicator": "ILL_SCHOOL_MEALS_COVERAGE", "map-level": "district", "map-year": 2024},
    ],
    "year change": [
        {"map-indicator": "ILL_HEALTH_COVERAGE", "map-level": "district", "map-year": 2023},
        {"map-indicator": "ILL_HEALTH_COVERAGE", "map-level": "district", "map-year": 2024},
    ],
    "level switch": [
        {"map-indicator": "ILL_HEALTH_COVERAGE", "map-level": "province", "map-year": 2024},
        {"map-indicator": "ILL_HEALTH_COVERAGE", "map-level": "district", "map-year": 2024},
    ],
}
CHANGED = {
    "indicator change": "map-indicator",
    "year change": "map-year",
    "level switch": "map-level",
}

TARGETS = {
    "update_bytes_ratio": 1000,
    "p95_ratio": 100,
    "throughput_rps": 1000,
    "first_page_bytes": 800_000,
    "cold_start_s": 3.0,
    "rss_mb_per_worker": 250,
    "p95_growth_10x": 2.0,
    "phone_visible_ms": 3000,
    "phone_interactive_ms": 8000,
}


# ----------------------------------------------------------------------------- servers


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    cold_start_s: float
    #: CPU seconds the master spent until then (the preloaded app's loading): unlike the wall
    #: clock, barely moved by other load on a shared machine.
    cold_start_cpu_s: float
    log: Path

    def memory(self) -> dict[str, Any]:
        """Resident and unique memory of each worker (MB); unique excludes copy-on-write pages."""
        out = []
        for pid in _workers(self.process.pid, WORKERS):  # now: some may have been recycled
            proc = psutil.Process(pid)
            info = proc.memory_full_info()
            out.append({"rss_mb": info.rss / 2**20, "uss_mb": info.uss / 2**20})
        master = psutil.Process(self.process.pid).memory_info().rss / 2**20
        return {
            "workers": out,
            "master_rss_mb": master,
            "max_rss_mb_per_worker": max(w["rss_mb"] for w in out),
            "max_uss_mb_per_worker": max(w["uss_mb"] for w in out),
        }


def _get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, dict]:
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read(), dict(resp.getheaders())
    finally:
        conn.close()


@contextmanager
def serve(name: str, env: dict[str, str], workdir: Path) -> Iterator[Server]:
    """Start one app under gunicorn and stop it (master and workers) on exit, whatever happens."""
    port = PORTS[name]
    log = workdir / f"{name}.log"
    # Both builds exactly as deployed (scripts/serve, Procfile): deploy/gunicorn.conf.py, 2 workers.
    cmd = [
        sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONFIG), APPS[name],
        "--bind", f"{HOST}:{port}", "--workers", str(WORKERS), "--timeout", "300",
        "--log-level", "warning", "--access-logfile", "/dev/null",
    ]  # fmt: skip
    started = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            cmd, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    server = Server(name, port, proc, 0.0, 0.0, log)
    try:
        deadline = started + 600
        while True:
            if proc.poll() is not None:
                tail = log.read_text()[-2000:]
                raise RuntimeError(f"{name} exited at start-up; see {log}:\n{tail}")
            try:
                status, _, _ = _get(port, "/")
                if status == 200:
                    break
            except OSError:
                pass
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{name} did not answer within 600 s")
            time.sleep(0.05)
        server.cold_start_s = time.perf_counter() - started
        cpu = psutil.Process(proc.pid).cpu_times()
        server.cold_start_cpu_s = cpu.user + cpu.system
        yield server
    finally:
        _stop(proc)


def _workers(master: int, count: int, limit_s: float = 30) -> list[int]:
    """The master's worker processes, once all `count` have been forked (the first may answer
    before the others exist)."""
    deadline = time.perf_counter() + limit_s
    while True:
        pids = [c.pid for c in psutil.Process(master).children()]
        if len(pids) >= count or time.perf_counter() > deadline:
            return pids
        time.sleep(0.05)


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM the gunicorn master (it stops its workers), then make sure nothing is left."""
    try:
        children = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for child in children:
        with suppress(psutil.NoSuchProcess):
            child.kill()


# ----------------------------------------------------------------------------- requests


def _parse_outputs(output: str) -> list[dict[str, str]] | dict[str, str]:
    """The `outputs` field the renderer sends, from a callback's output string."""
    if output.startswith(".."):
        parts = output[2:-2].split("...")
        return [dict(zip(("id", "property"), p.rsplit(".", 1), strict=True)) for p in parts]
    component, prop = output.rsplit(".", 1)
    return {"id": component, "property": prop}


def map_callback(port: int) -> dict[str, Any]:
    """The callback that redraws the map, from the app's own callback map."""
    status, body, _ = _get(port, "/_dash-dependencies")
    assert status == 200, status
    for callback in json.loads(body):
        if "map-graph.figure" in callback["output"]:
            return callback
    raise LookupError("no callback outputs map-graph.figure")


def request_body(
    callback: dict[str, Any], values: dict[str, Any], changed: str, shown: Any = None
) -> bytes:
    """The JSON body dash-renderer POSTs to /_dash-update-component for this change.

    `shown` is the map's view state (`map-view.data`) from the previous response, as the
    browser holds it: the app sends less when only the year changed.
    """
    known = {**values, "goal-id": GOAL, "page-lang": LANG, "map-view": shown}

    def fill(deps: list[dict]) -> list[dict]:
        return [{**d, "value": known.get(d["id"])} for d in deps]

    body = {
        "output": callback["output"],
        "outputs": _parse_outputs(callback["output"]),
        "inputs": fill(callback["inputs"]),
        "changedPropIds": [f"{changed}.value"],
    }
    if callback.get("state"):
        body["state"] = fill(callback["state"])
    return json.dumps(body).encode()


def post(port: int, body: bytes) -> tuple[float, int, bytes, dict[str, str]]:
    """One callback request on a fresh connection: (seconds, status, raw body, headers)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    headers = {"Content-Type": "application/json", "Accept-Encoding": ACCEPT}
    started = time.perf_counter()
    try:
        conn.request("POST", CALLBACK_PATH, body=body, headers=headers)
        resp = conn.getresponse()
        raw = resp.read()
        return time.perf_counter() - started, resp.status, raw, dict(resp.getheaders())
    finally:
        conn.close()


def _decode(raw: bytes, headers: dict[str, str]) -> bytes:
    encoding = {k.lower(): v for k, v in headers.items()}.get("content-encoding", "")
    if encoding == "gzip":
        return gzip.decompress(raw)
    if encoding == "br":
        import brotli

        return brotli.decompress(raw)
    return raw


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def _shown_after(port: int, callback: dict[str, Any], state: dict[str, Any], changed: str) -> Any:
    """The map's view state (`map-view.data`) the browser keeps after showing `state`."""
    _, status, raw, headers = post(port, request_body(callback, state, changed))
    if status != 200:
        raise RuntimeError(f"{state}: HTTP {status}: {raw[:300]!r}")
    return json.loads(_decode(raw, headers))["response"].get("map-view", {}).get("data")


def scenario_bodies(port: int, callback: dict[str, Any], scenario: str) -> list[bytes]:
    """The two requests of a scenario, each sent from the map the other one drew."""
    first, second = SCENARIOS[scenario]
    changed = CHANGED[scenario]
    return [
        request_body(callback, first, changed, _shown_after(port, callback, second, changed)),
        request_body(callback, second, changed, _shown_after(port, callback, first, changed)),
    ]


def measure_updates(port: int, count: int) -> dict[str, Any]:
    """Bytes on the wire and sequential latency of each kind of map update."""
    callback = map_callback(port)
    out: dict[str, Any] = {}
    for scenario in SCENARIOS:
        bodies = scenario_bodies(port, callback, scenario)  # also warms both workers up
        times, wire, plain, figure_wire = [], [], [], []
        for i in range(count):
            seconds, status, raw, headers = post(port, bodies[i % 2])
            if status != 200:
                raise RuntimeError(f"{scenario}: HTTP {status}: {raw[:300]!r}")
            times.append(seconds * 1000)
            if i < 2:
                decoded = _decode(raw, headers)
                wire.append(len(raw))
                plain.append(len(decoded))
                figure = json.loads(decoded)["response"]["map-graph"]["figure"]
                figure_wire.append(len(gzip.compress(json.dumps(figure).encode(), 6)))
                encoding = {k.lower(): v for k, v in headers.items()}.get("content-encoding")
        out[scenario] = {
            "bytes_on_wire": max(wire),
            "bytes_uncompressed": max(plain),
            "figure_part_bytes_gzip": max(figure_wire),
            "content_encoding": encoding or "identity",
            "requests": count,
            "p50_ms": statistics.median(times),
            "p95_ms": _percentile(times, 95),
        }
    out["all"] = {
        "bytes_on_wire": max(v["bytes_on_wire"] for v in out.values()),
        "p50_ms": max(v["p50_ms"] for v in out.values()),
        "p95_ms": max(v["p95_ms"] for v in out.values()),
    }
    return out


WRK_SCRIPT = """
local bodies = {%s}
local i = 0
request = function()
  i = i + 1
  if #bodies == 0 then return wrk.format("GET", "%s", {["Accept-Encoding"] = "%s"}) end
  return wrk.format("POST", "%s", {["Content-Type"] = "application/json",
    ["Accept-Encoding"] = "%s"}, bodies[(i %% #bodies) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRKJSON {"requests":%%d,"duration_us":%%d,"status_errors":%%d,' ..
    '"socket_errors":%%d,"p50_us":%%d,"p95_us":%%d,"p99_us":%%d}\\n', summary.requests,
    summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def run_wrk(
    port: int, seconds: int, connections: int, workdir: Path, bodies: list[bytes], path: str
) -> dict[str, Any]:
    """Throughput and latency with wrk: POSTs of `bodies` in turn, or GETs of `path` if none."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return {"skipped": "wrk not installed (scripts/bench installs it from Debian)"}
    script = workdir / f"wrk-{port}.lua"
    lua_bodies = ", ".join("[==[" + b.decode() + "]==]" for b in bodies)
    script.write_text(WRK_SCRIPT % (lua_bodies, path, ACCEPT, CALLBACK_PATH, ACCEPT))
    cmd = [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", str(script),
           f"http://{HOST}:{port}"]  # fmt: skip
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 120)
    line = next(x for x in result.stdout.splitlines() if x.startswith("WRKJSON "))
    data = json.loads(line[len("WRKJSON ") :])
    duration = data["duration_us"] / 1e6
    return {
        "connections": connections,
        "seconds": round(duration, 2),
        "requests": data["requests"],
        "requests_per_s": data["requests"] / duration,
        "errors": data["status_errors"] + data["socket_errors"],
        "p50_ms": data["p50_us"] / 1000,
        "p95_ms": data["p95_us"] / 1000,
        "p99_ms": data["p99_us"] / 1000,
    }


def measure_load(port: int, seconds: int, connections: int, workdir: Path) -> dict[str, Any]:
    """Throughput and latency under concurrency, with wrk mixing every kind of map update."""
    callback = map_callback(port)
    bodies = [body for scenario in SCENARIOS for body in scenario_bodies(port, callback, scenario)]
    return run_wrk(port, seconds, connections, workdir, bodies, CALLBACK_PATH)


def measure_floor(port: int, seconds: int, connections: int, workdir: Path) -> dict[str, Any]:
    """The same load on the app's cheapest route: what Python, Flask and gunicorn cost alone."""
    _wait_until_idle(port)
    return run_wrk(port, seconds, connections, workdir, [], FLOOR_PATH)


def _wait_until_idle(port: int, quick_s: float = 0.02, limit_s: float = 120) -> None:
    """Wait for the callbacks a previous load left queued: until the floor route answers fast."""
    deadline = time.perf_counter() + limit_s
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        _get(port, FLOOR_PATH)
        if time.perf_counter() - started < quick_s:
            return
        time.sleep(0.2)


# ----------------------------------------------------------------------------- browser

DRAWN_PROBE = """
window.__mapDrawnAt = null;
(function poll() {
  if (document.querySelector('.choroplethlocation')) {
    window.__mapDrawnAt = performance.now();
  } else {
    requestAnimationFrame(poll);
  }
})();
"""


#: The phone profile of issue 11: a slow phone on a rural connection, empty cache.
PHONE = {"cpu_slowdown": 4, "down_kbit_s": 1600, "up_kbit_s": 750, "rtt_ms": 150}
PHONE_PROBE = """
window.__visibleAt = null; window.__interactiveAt = null;
(function poll() {
  const shown = (el) => el && el.getBoundingClientRect().height > 0;
  const now = performance.now();
  if (window.__visibleAt === null && (shown(document.querySelector('svg.static-map path'))
      || shown(document.querySelector('.choroplethlocation')))) {
    window.__visibleAt = now;
  }
  if (window.__interactiveAt === null && shown(document.querySelector('.choroplethlocation'))) {
    window.__interactiveAt = now;
  }
  if (window.__interactiveAt === null) requestAnimationFrame(poll);
})();
"""


def _chromium(profile: str, size: str) -> Any:
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        f"--user-data-dir={profile}",
        f"--window-size={size}",
    ):
        options.add_argument(arg)
    if Path("/usr/bin/chromium").exists():
        options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(options=options)


def measure_phone(port: int, path: str, runs: int) -> dict[str, Any]:
    """The goal page on the phone profile (`PHONE`, via the DevTools protocol, 360 px wide, empty
    cache): time until the default map is visible (the static first map of the HTML, or drawn
    shapes) and until the interactive chart has drawn its shapes."""
    from selenium.webdriver.support.ui import WebDriverWait

    visible, interactive = [], []
    for _ in range(runs):
        profile = tempfile.mkdtemp(prefix="bench-phone-")
        driver = _chromium(profile, "360,740")
        try:
            driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": PHONE_PROBE})
            slowdown = {"rate": PHONE["cpu_slowdown"]}
            driver.execute_cdp_cmd("Emulation.setCPUThrottlingRate", slowdown)
            driver.execute_cdp_cmd("Network.enable", {})
            driver.execute_cdp_cmd(
                "Network.emulateNetworkConditions",
                {
                    "offline": False,
                    "latency": PHONE["rtt_ms"],
                    "downloadThroughput": PHONE["down_kbit_s"] * 1000 / 8,
                    "uploadThroughput": PHONE["up_kbit_s"] * 1000 / 8,
                },
            )
            driver.get(f"http://{HOST}:{port}{path}")
            WebDriverWait(driver, 180, poll_frequency=0.1).until(
                lambda d: d.execute_script("return window.__interactiveAt")
            )
            visible.append(driver.execute_script("return window.__visibleAt"))
            interactive.append(driver.execute_script("return window.__interactiveAt"))
        finally:
            driver.quit()
            shutil.rmtree(profile, ignore_errors=True)
    return {
        "visible_ms": statistics.median(visible),
        "interactive_ms": statistics.median(interactive),
        "runs": runs,
        "profile": PHONE,
    }


def measure_page(port: int, path: str, runs: int) -> dict[str, Any]:
    """First-page transfer (cold cache) and time until map shapes are drawn, headless Chromium."""
    from selenium.webdriver.support.ui import WebDriverWait

    times, transfers = [], []
    detail: dict[str, int] = {}
    for _ in range(runs):
        profile = tempfile.mkdtemp(prefix="bench-chromium-")
        driver = _chromium(profile, "1280,900")
        try:
            driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": DRAWN_PROBE})
            driver.get(f"http://{HOST}:{port}{path}")
            WebDriverWait(driver, 120, poll_frequency=0.05).until(
                lambda d: d.execute_script("return window.__mapDrawnAt")
            )
            time.sleep(1.5)  # let late requests (fonts, topojson) finish before summing
            entries = driver.execute_script(
                "return performance.getEntriesByType('navigation')"
                ".concat(performance.getEntriesByType('resource'))"
                ".map(e => [e.name, e.transferSize, e.encodedBodySize, e.decodedBodySize])"
            )
            times.append(driver.execute_script("return window.__mapDrawnAt"))
            transfers.append(sum(e[1] for e in entries))
            if not detail:
                detail = {
                    e[0].replace(f"http://{HOST}:{port}", ""): e[1]
                    for e in sorted(entries, key=lambda e: -e[1])[:8]
                }
        finally:
            driver.quit()
            shutil.rmtree(profile, ignore_errors=True)
    return {
        "first_page_bytes": statistics.median(transfers),
        "time_to_map_ms": statistics.median(times),
        "runs": runs,
        "largest_transfers": detail,
    }


# ----------------------------------------------------------------------------- the run


def _env(data_dir: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("NSPS_GEO_DIR", str((REPO_ROOT.parent / "shared" / "geo").resolve()))
    env["PYTHONPATH"] = str(REPO_ROOT)
    if data_dir is not None:
        env["NSPS_DATA_DIR"] = str(data_dir)
    return env


def run_size(label: str, data_dir: Path | None, args: argparse.Namespace, workdir: Path) -> dict:
    """Every server-side figure for both apps with one data size; the browser only at 1×."""
    out: dict[str, Any] = {}
    for name in ("ours", "naive"):
        print(f"[{label}] starting {name} ...", file=sys.stderr, flush=True)
        with serve(name, _env(data_dir), workdir) as server:
            result: dict[str, Any] = {
                "cold_start_s": server.cold_start_s,
                "cold_start_cpu_s": server.cold_start_cpu_s,
            }
            count = args.count if name == "ours" else args.naive_count
            result["updates"] = measure_updates(server.port, count)
            print(f"[{label}] {name}: updates measured", file=sys.stderr, flush=True)
            if name == "ours":
                result["load"] = measure_load(server.port, args.seconds, args.connections, workdir)
            else:
                result["load"] = measure_load(server.port, args.naive_seconds, 4, workdir)
            # Before the floor load: its thousands of requests make gunicorn recycle workers
            # (max_requests), and fresh workers would show less memory than working ones.
            result["memory"] = server.memory()
            if name == "ours" and label == "1x":
                result["floor"] = measure_floor(
                    server.port, args.seconds, args.connections, workdir
                )
            if label == "1x" and not args.no_browser:
                result["page"] = measure_page(server.port, PAGES[name], args.browser_runs)
                result["phone"] = measure_phone(server.port, PAGES[name], args.phone_runs)
            out[name] = result
    return out


def _ratio(numerator: float, denominator: float) -> float:
    """numerator / denominator; infinite when the denominator is 0 (e.g. no request served)."""
    return numerator / denominator if denominator else float("inf")


def _row(
    metric: str,
    naive: float,
    ours: float,
    *,
    ratio: float | None | str = "naive/ours",
    target: str = "",
    met: bool | None = None,
) -> dict[str, Any]:
    """One table row; the ratio is naive / ours unless given (None: no ratio)."""
    if ratio == "naive/ours":
        ratio = _ratio(naive, ours)
    return {"metric": metric, "naive": naive, "ours": ours, "ratio": ratio, "target": target,
            "met": met}  # fmt: skip


def summarise(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of the side-by-side table, with ratios and whether each target is met."""
    rows = []
    base = results["sizes"]["1x"]
    ours, naive = base["ours"], base["naive"]
    for scenario in SCENARIOS:
        n, o = naive["updates"][scenario], ours["updates"][scenario]
        wire = _row(f"{scenario}: bytes on wire", n["bytes_on_wire"], o["bytes_on_wire"],
                    target=f"ratio ≥ {TARGETS['update_bytes_ratio']}")  # fmt: skip
        wire["met"] = wire["ratio"] >= TARGETS["update_bytes_ratio"]
        rows.append(wire)
        rows.append(_row(f"{scenario}: figure part gzip", n["figure_part_bytes_gzip"],
                         o["figure_part_bytes_gzip"]))  # fmt: skip
    n, o = naive["updates"]["all"], ours["updates"]["all"]
    rows.append(_row("p50 sequential ms", n["p50_ms"], o["p50_ms"]))
    p95 = _row("p95 sequential ms", n["p95_ms"], o["p95_ms"],
               target=f"ratio ≥ {TARGETS['p95_ratio']}")  # fmt: skip
    p95["met"] = p95["ratio"] >= TARGETS["p95_ratio"]
    rows.append(p95)
    if "skipped" not in ours["load"]:
        nl, ol = naive["load"], ours["load"]
        concurrency = f"c={ol['connections']}/{nl['connections']}"
        rows.append(_row(f"p95 concurrent ms ({concurrency})", nl["p95_ms"], ol["p95_ms"]))
        rows.append(_row("throughput req/s", nl["requests_per_s"], ol["requests_per_s"],
                         ratio=_ratio(ol["requests_per_s"], nl["requests_per_s"]),
                         target=f"≥ {TARGETS['throughput_rps']}, 0 errors",
                         met=ol["requests_per_s"] >= TARGETS["throughput_rps"]
                         and ol["errors"] == 0))  # fmt: skip
        rows.append(_row("errors under load", nl["errors"], ol["errors"], ratio=None,
                         target="0", met=ol["errors"] == 0))  # fmt: skip
        if "floor" in ours and "skipped" not in ours["floor"]:
            rows.append(_row(f"floor req/s (GET {FLOOR_PATH}, ours only)", None,
                             ours["floor"]["requests_per_s"], ratio=None))  # fmt: skip
    if "page" in ours:
        n, o = naive["page"], ours["page"]
        rows.append(_row("first page bytes (gzip)", n["first_page_bytes"], o["first_page_bytes"],
                         target=f"≤ {TARGETS['first_page_bytes']:,}",
                         met=o["first_page_bytes"] <= TARGETS["first_page_bytes"]))  # fmt: skip
        rows.append(_row("time to drawn map ms", n["time_to_map_ms"], o["time_to_map_ms"]))
    if "phone" in ours:
        n, o = naive["phone"], ours["phone"]
        rows.append(_row("phone: default map visible ms", n["visible_ms"], o["visible_ms"],
                         target=f"≤ {TARGETS['phone_visible_ms']:,}",
                         met=o["visible_ms"] <= TARGETS["phone_visible_ms"]))  # fmt: skip
        rows.append(_row("phone: interactive map ms", n["interactive_ms"], o["interactive_ms"],
                         target=f"≤ {TARGETS['phone_interactive_ms']:,}",
                         met=o["interactive_ms"] <= TARGETS["phone_interactive_ms"]))  # fmt: skip
    rows.append(_row("cold start s", naive["cold_start_s"], ours["cold_start_s"],
                     target=f"≤ {TARGETS['cold_start_s']}",
                     met=ours["cold_start_s"] <= TARGETS["cold_start_s"]))  # fmt: skip
    rows.append(_row("cold start, master CPU s", naive["cold_start_cpu_s"],
                     ours["cold_start_cpu_s"]))  # fmt: skip
    n, o = naive["memory"], ours["memory"]
    rows.append(_row("RSS MB per worker", n["max_rss_mb_per_worker"], o["max_rss_mb_per_worker"],
                     target=f"≤ {TARGETS['rss_mb_per_worker']}",
                     met=o["max_rss_mb_per_worker"] <= TARGETS["rss_mb_per_worker"]))  # fmt: skip
    rows.append(_row("unique MB per worker (USS)", n["max_uss_mb_per_worker"],
                     o["max_uss_mb_per_worker"]))  # fmt: skip
    for label, size in results["sizes"].items():
        if label != "1x":
            rows += _growth_rows(label, size, base)
    return rows


def _growth_rows(label: str, size: dict[str, Any], base: dict[str, Any]) -> list[dict]:
    """How each build's figures move with `label` times the data."""
    for name in ("naive", "ours"):
        size[name]["p95_growth"] = (
            size[name]["updates"]["all"]["p95_ms"] / base[name]["updates"]["all"]["p95_ms"]
        )
    naive, ours = size["naive"], size["ours"]
    within = ours["p95_growth"] <= TARGETS["p95_growth_10x"]
    rows = [
        _row(f"{label} data: p95 sequential ms", naive["updates"]["all"]["p95_ms"],
             ours["updates"]["all"]["p95_ms"]),
        _row(f"{label} data: p95 growth vs 1×", naive["p95_growth"], ours["p95_growth"],
             ratio=None, target=f"≤ {TARGETS['p95_growth_10x']}×" if label == "10x" else "",
             met=within if label == "10x" else None),
    ]  # fmt: skip
    if "skipped" not in ours["load"]:
        served, naive_served = ours["load"]["requests_per_s"], naive["load"]["requests_per_s"]
        rows.append(_row(f"{label} data: throughput req/s", naive_served, served,
                         ratio=_ratio(served, naive_served)))  # fmt: skip
    rows.append(_row(f"{label} data: cold start s", naive["cold_start_s"], ours["cold_start_s"]))
    rows.append(_row(f"{label} data: RSS MB per worker", naive["memory"]["max_rss_mb_per_worker"],
                     ours["memory"]["max_rss_mb_per_worker"]))  # fmt: skip
    return rows


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        if value == float("inf"):
            return "∞"
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def print_table(rows: list[dict[str, Any]]) -> None:
    header = ("metric", "naive", "ours", "naive/ours", "target", "met")
    lines = [header] + [
        (r["metric"], _fmt(r["naive"]), _fmt(r["ours"]), _fmt(r["ratio"]) + ("×" if r["ratio"]
         is not None else ""), r["target"], _fmt(r["met"]))
        for r in rows
    ]  # fmt: skip
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for n, line in enumerate(lines):
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in
                        enumerate(zip(line, widths, strict=True))))  # fmt: skip
        if n == 0:
            print("  ".join("-" * w for w in widths))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="sequential requests each, ours")
    parser.add_argument("--naive-count", type=int, default=20, help="the same for the naive build")
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration, ours")
    parser.add_argument("--naive-seconds", type=int, default=6, help="wrk duration, naive")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections, ours")
    parser.add_argument("--browser-runs", type=int, default=3)
    parser.add_argument("--phone-runs", type=int, default=2, help="page loads on the phone profile")
    parser.add_argument("--sizes", default="1,10,100", help="data multipliers, comma-separated")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--quick", action="store_true", help="small counts and only 1× data")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.quick:
        args.count, args.naive_count, args.seconds, args.naive_seconds = 40, 6, 4, 3
        args.browser_runs, args.phone_runs, args.sizes = 1, 1, "1"
    release = Path(os.environ.get("NSPS_DATA_DIR") or REPO_ROOT / "data" / "releases")
    from dashboard.loading import latest_release_path

    source = latest_release_path(release, os.environ.get("NSPS_RELEASE") or None)
    started = time.time()
    results: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "load_average_at_start": os.getloadavg(),
        },
        "release": source.name,
        "scenarios": SCENARIOS,
        "targets": TARGETS,
        "settings": {k: v for k, v in vars(args).items() if k != "output"},
        "sizes": {},
    }
    with tempfile.TemporaryDirectory(prefix="nsps-bench-") as tmp:
        workdir = Path(tmp)
        for factor in (int(f) for f in args.sizes.split(",")):
            label = f"{factor}x"
            data_dir = None
            if factor != 1:
                print(f"[{label}] generating data ...", file=sys.stderr, flush=True)
                data_dir = workdir / label
                data_dir.mkdir()
                _, reached = grow_release(source, data_dir, factor)
            results["sizes"][label] = run_size(label, data_dir, args, workdir)
            results["sizes"][label]["factor"] = reached if factor != 1 else 1.0
    results["seconds"] = round(time.time() - started, 1)
    results["machine"]["load_average_at_end"] = os.getloadavg()
    rows = summarise(results)
    results["table"] = rows
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print_table(rows)
    print(f"\nwritten {args.output} in {results['seconds']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
