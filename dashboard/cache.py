"""A small thread-safe least-recently-used cache for expensive, immutable results.

Release zips, briefing images and compressed static files depend only on their key (a release
is never edited; a static file is keyed by its content), so each is built once per process and
kept while it is among the most recently used. `PerOwnerCache` keeps one such cache per dataset
for what is derived from it (map properties, summaries), and drops it with the dataset when a
new release is served.
"""

from __future__ import annotations

import weakref
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

    def get(self, key: Hashable) -> V | None:
        """The cached value (now the most recently used), else None; never builds."""
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return self._items[key]

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


class PerOwnerCache(Generic[V]):
    """An `LRUCache` of `size` per owner object (e.g. a `Dataset`), forgotten with its owner."""

    def __init__(self, size: int):
        self.size = size
        self._caches: weakref.WeakKeyDictionary[object, LRUCache[V]] = weakref.WeakKeyDictionary()
        self._lock = Lock()

    def get_or_make(self, owner: object, key: Hashable, make: Callable[[], V]) -> V:
        with self._lock:
            cache = self._caches.get(owner)
            if cache is None:
                cache = self._caches[owner] = LRUCache(self.size)
        return cache.get_or_make(key, make)
