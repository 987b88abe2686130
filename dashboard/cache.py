"""A small thread-safe least-recently-used cache for expensive, immutable results.

Release zips, briefing images and compressed static files depend only on their key (a release
is never edited; a static file is keyed by its content), so each is built once per process and
kept while it is among the most recently used.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Generic, TypeVar

V = TypeVar("V")


class LRUCache(Generic[V]):
    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], V]) -> V:
        """The cached value, else `make()` — built outside the lock, so one slow build never
        blocks readers of other keys."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        self.put(key, value)
        return value

    def put(self, key: Hashable, value: V) -> None:
        """Keep `value` as the most recently used, evicting the least recently used beyond size."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
