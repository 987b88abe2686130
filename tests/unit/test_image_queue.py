"""Bounded image rendering, with a fake renderer: one render at a time per worker, a short line,
503 + Retry-After at once beyond it, one cache entry per view whatever its spelling, HEAD never
renders, and the default views rendered ahead after a release switch.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from flask import Flask

from callbacks import images as image_routes
from dashboard import views
from dashboard.config import Settings
from dashboard.images import ImageSize
from dashboard.render_queue import QueueFull, RenderQueue
from dashboard.store import Store

RELEASES = Path(__file__).resolve().parents[2] / "data" / "releases"
MAP = "/image/map.png?goal=1&indicator=ILL_HEALTH_COVERAGE&level=province&year=2020&lang=en"


class FakeRenderer:
    """Counts renders; each waits until the test lets it finish (`release`)."""

    available = True

    def __init__(self, block: bool = False):
        self.calls: list[dict] = []
        self.started = threading.Event()
        self.release = threading.Event()
        if not block:
            self.release.set()
        self._lock = threading.Lock()
        self.running = self.most_running = 0

    def render(self, figure: dict, fmt: str, size: ImageSize) -> bytes:
        with self._lock:
            self.calls.append(figure)
            self.running += 1
            self.most_running = max(self.most_running, self.running)
        self.started.set()
        self.release.wait(30)
        with self._lock:
            self.running -= 1
        return f"{fmt}:{len(self.calls)}".encode()


@pytest.fixture(scope="module")
def store() -> Store:
    return Store(Settings.from_env({"NSPS_DATA_DIR": str(RELEASES)}))


def _server(store: Store, renderer: FakeRenderer, queue: RenderQueue | None = None) -> Flask:
    server = Flask("images-test")
    image_routes.register(server, store, renderer=renderer, queue=queue or RenderQueue(1, 7))
    return server


def test_image_cache_key_ignores_spelling_language_case_and_host(store):
    renderer = FakeRenderer()
    client = _server(store, renderer).test_client()
    first = client.get(MAP)
    assert first.status_code == 200 and first.data == b"png:1"
    same_views = [
        MAP,
        MAP + "&size=screen",
        MAP.replace("lang=en", "lang=en") + "&release=",
        "/image/map.png?indicator=ILL_HEALTH_COVERAGE&year=2020&goal=1&level=province&lang=en",
    ]
    for url in same_views:
        response = client.get(url, headers={"Host": "evil.example"})
        assert response.data == b"png:1", url
    assert len(renderer.calls) == 1


def test_image_cache_key_language_is_validated_to_lo_or_en(store):
    renderer = FakeRenderer()
    client = _server(store, renderer).test_client()
    for lang in ("x1", "x2", "LO", "en-US"):
        response = client.get(MAP.replace("lang=en", f"lang={lang}"))
        assert response.status_code == 400, lang
        assert "Unknown language" in response.get_json()["error"]["message"]
    assert renderer.calls == []
    client.get(MAP.replace("lang=en", "lang=lo"))
    client.get(MAP.replace("&lang=en", ""), headers={"Accept-Language": "lo"})
    assert len(renderer.calls) == 1, "lang=lo and a Lao browser are one image"


def test_image_cache_key_refuses_unknown_parameters_without_rendering(store):
    renderer = FakeRenderer()
    client = _server(store, renderer).test_client()
    assert client.get(MAP + "&cachebuster=1").status_code == 400
    assert renderer.calls == []


def test_image_head_never_renders(store):
    renderer = FakeRenderer()
    client = _server(store, renderer).test_client()
    head = client.head(MAP)
    assert head.status_code == 200 and head.mimetype == "image/png"
    assert renderer.calls == []
    assert client.head(MAP.replace("goal=1", "goal=9")).status_code == 400
    client.get(MAP)
    assert client.head(MAP).headers["Content-Length"] == str(len(b"png:1"))
    assert len(renderer.calls) == 1


def test_image_queue_full_answers_503_with_retry_after_without_rendering(store):
    renderer = FakeRenderer(block=True)
    queue = RenderQueue(depth=1, retry_after_s=7)
    server = _server(store, renderer, queue)
    results: dict[str, int] = {}

    def fetch(name: str, url: str) -> None:
        results[name] = server.test_client().get(url).status_code

    busy = threading.Thread(target=fetch, args=("busy", MAP))
    busy.start()
    assert renderer.started.wait(30)
    waiting = threading.Thread(target=fetch, args=("waiting", MAP.replace("2020", "2017")))
    waiting.start()
    try:
        pause = threading.Event()
        for _ in range(1200):  # until the second request holds the one place in the line
            if queue.readers == 2:
                break
            pause.wait(0.05)
        refused = server.test_client().get(MAP.replace("png", "svg"))
        assert refused.status_code == 503
        assert refused.headers["Retry-After"] == "7"
        assert refused.headers["Cache-Control"] == "no-store"
        assert "try again" in refused.get_json()["error"]["message"]
        assert len(renderer.calls) == 1, "the refused request started no renderer"
    finally:
        renderer.release.set()
        busy.join()
        waiting.join()
    assert results == {"busy": 200, "waiting": 200}
    assert renderer.most_running == 1, "one renderer at a time per worker"


def test_image_queue_identical_requests_share_one_render():
    queue = RenderQueue(depth=3)
    gate = threading.Event()
    calls: list[int] = []

    def render() -> bytes:
        calls.append(1)
        gate.wait(30)
        return b"x"

    got: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: got.append(queue.run("k", render))) for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    while not calls:
        gate.wait(0.01)
    gate.set()
    for thread in threads:
        thread.join()
    assert got == [b"x"] * 3 and calls == [1]


def test_image_queue_background_jobs_never_take_a_readers_place():
    queue = RenderQueue(depth=0)
    gate = threading.Event()
    reader = threading.Thread(target=queue.run, args=("a", lambda: gate.wait(30) and b"a"))
    reader.start()
    while queue.readers == 0:
        gate.wait(0.01)
    with pytest.raises(QueueFull):
        queue.run("b", lambda: b"b")
    gate.set()
    reader.join()
    assert queue.run("c", lambda: b"c", background=True) == b"c"


def test_image_default_views_are_rendered_ahead_when_a_release_is_switched_in():
    store = Store(Settings.from_env({"NSPS_DATA_DIR": str(RELEASES)}))
    renderer = FakeRenderer()
    client = _server(store, renderer).test_client()
    store.switch_to(RELEASES / "2026-11-29")  # the same release, switched in again
    pause = threading.Event()
    # 3 goals × map, series × lo, en; a default map at a level this server has no boundaries
    # for (goal 3's district map without NSPS_GEO_DIR) cannot be drawn, so it is not rendered
    drawable = sum(
        kind == "series"
        or store.geo.has_level(views.resolve_map_selection(store.dataset, goal).level)
        for goal in views.GOAL_IDS
        for kind, _lang in image_routes.AHEAD
    )
    for _ in range(1200):  # the background thread renders them one by one
        if len(renderer.calls) >= drawable:
            break
        pause.wait(0.05)
    assert len(renderer.calls) == drawable
    before = len(renderer.calls)
    assert client.get("/image/map.png?goal=1&lang=lo").status_code == 200
    assert client.get("/image/series.png?goal=3&lang=en").status_code == 200
    assert len(renderer.calls) == before, "served from what was rendered ahead"


def test_image_queue_workers_of_one_instance_share_one_renderer(tmp_path):
    lock = tmp_path / "renderer.lock"
    first, second = RenderQueue(depth=1, lock_file=lock), RenderQueue(depth=1, lock_file=lock)
    gate, order = threading.Event(), []

    def slow() -> bytes:
        order.append("first starts")
        gate.wait(30)
        order.append("first ends")
        return b"1"

    def quick() -> bytes:
        order.append("second starts")
        return b"2"

    one = threading.Thread(target=first.run, args=("a", slow))
    one.start()
    while not order:
        gate.wait(0.01)
    two = threading.Thread(target=second.run, args=("b", quick))
    two.start()
    two.join(0.5)  # not a timing assertion: only gives the second a chance to start wrongly
    gate.set()
    one.join()
    two.join()
    assert order == ["first starts", "first ends", "second starts"]
