"""The LRU cache behind release zips and briefing images."""

from __future__ import annotations

from dashboard.cache import LRUCache


def test_lru_cache_builds_once_and_evicts_the_least_recently_used():
    built: list[str] = []
    cache: LRUCache[str] = LRUCache(2)

    def get(key: str) -> str:
        return cache.get_or_make(key, lambda: built.append(key) or key.upper())

    assert [get("a"), get("b"), get("a")] == ["A", "B", "A"]
    assert built == ["a", "b"]
    get("c")  # evicts "b", the least recently used
    get("a")
    get("b")
    assert built == ["a", "b", "c", "b"]


def test_lru_cache_put_replaces_a_value_and_counts_as_a_use():
    cache: LRUCache[str] = LRUCache(2)
    cache.put("a", "first")
    cache.put("b", "B")
    cache.put("a", "second")  # now the most recently used: "b" goes next
    cache.put("c", "C")
    assert cache.get_or_make("a", lambda: "rebuilt") == "second"
    assert cache.get_or_make("b", lambda: "rebuilt") == "rebuilt"


def test_per_owner_cache_builds_once_per_owner_and_key_and_forgets_a_dropped_owner():
    import gc

    from dashboard.cache import PerOwnerCache

    class Owner:
        pass

    cache: PerOwnerCache[str] = PerOwnerCache(4)
    first, second = Owner(), Owner()
    builds = []

    def make(tag: str):
        return lambda: builds.append(tag) or tag

    assert cache.get_or_make(first, "k", make("a")) == "a"
    assert cache.get_or_make(first, "k", make("b")) == "a"  # cached for this owner
    assert cache.get_or_make(second, "k", make("c")) == "c"  # another owner builds its own
    assert builds == ["a", "c"]
    del first
    gc.collect()
    assert len(cache._caches) == 1  # the dropped owner's cache went with it
