"""Bounded image rendering: one Chromium at a time per worker, and a short line in front of it.

Every briefing image that is not cached starts a Chromium (hundreds of MB, seconds of CPU). Left
unbounded, a crowd asking for distinct images starts one per request and starves the server.
Here a worker renders one image at a time — and with a lock file (the instance's runtime folder
under gunicorn) all workers of an instance share one renderer, so a flood costs one Chromium,
not one per worker; at most `depth` more requests per worker wait their turn, and
any further one is refused at once (`QueueFull`, answered 503 with Retry-After) without starting
anything. Requests for an image already being rendered wait for that render instead of starting
their own. Rendering ahead (after a release switch) runs in the background through the same
single slot, so it never adds a second Chromium.
"""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path

#: Requests that may wait for the renderer in one worker (NSPS_IMAGE_QUEUE).
DEFAULT_DEPTH = 2
#: Seconds a refused client is told to wait: about the time of a few renders.
DEFAULT_RETRY_AFTER_S = 10


class QueueFull(Exception):
    """The renderer is busy and its line is full: try again after `retry_after_s`."""

    def __init__(self, retry_after_s: int):
        super().__init__(f"Images are being rendered; try again in {retry_after_s} s.")
        self.retry_after_s = retry_after_s


class RenderQueue:
    """Runs render jobs one at a time, with at most `depth` readers' jobs waiting."""

    def __init__(
        self,
        depth: int = DEFAULT_DEPTH,
        retry_after_s: int = DEFAULT_RETRY_AFTER_S,
        lock_file: Path | None = None,
    ):
        self.depth = depth
        self.lock_file = lock_file  # shared by the workers of an instance: one renderer in all
        self.retry_after_s = retry_after_s
        self._renderer = threading.Lock()  # the one Chromium of this worker
        self._admitted = threading.BoundedSemaphore(depth + 1)  # rendering + waiting
        self._lock = threading.Lock()
        self._in_flight: dict[Hashable, Future[bytes]] = {}
        self._readers = 0

    @property
    def readers(self) -> int:
        """Readers' requests now rendering or waiting (at most depth + 1)."""
        return self._readers

    @contextmanager
    def _instance_renderer(self) -> Iterator[None]:
        if self.lock_file is None:
            yield
            return
        with open(self.lock_file, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed
            yield

    def run(self, key: Hashable, render: Callable[[], bytes], *, background: bool = False) -> bytes:
        """`render()`'s result, made under the single renderer; raise `QueueFull` at once when
        `depth` requests already wait. A background job is never refused: it waits its turn
        for the renderer without taking a reader's place in the line."""
        if not background:
            if not self._admitted.acquire(blocking=False):
                raise QueueFull(self.retry_after_s)
            with self._lock:
                self._readers += 1
        try:
            with self._lock:
                future = self._in_flight.get(key)
                owner = future is None
                if owner:
                    future = self._in_flight[key] = Future()
            assert future is not None
            if not owner:
                return future.result()
            try:
                with self._renderer, self._instance_renderer():
                    result = render()
            except BaseException as error:
                future.set_exception(error)
                raise
            finally:
                with self._lock:
                    del self._in_flight[key]
            future.set_result(result)
            return result
        finally:
            if not background:
                with self._lock:
                    self._readers -= 1
                self._admitted.release()
