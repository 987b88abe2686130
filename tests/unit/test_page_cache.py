"""Pages are built once per address, language and release in each process, then kept."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from dash import html
from flask import Flask

from layouts import shell

RELEASES = Path(__file__).resolve().parents[2] / "data" / "releases"


def _page_builder():
    built: list[tuple[str, dict]] = []

    def layout(_store, *, lang: str, **query: str) -> html.Div:
        built.append((lang, query))
        return html.Div(f"{lang} {sorted(query.items())}")

    return layout, built


class _Served:
    """Stands in for `store.Served` (kept weakly, as a real one is)."""

    def __init__(self, release_id: str):
        self.release_id = release_id


def _store(release_id: str) -> SimpleNamespace:
    """What `localized_page` reads of a store: the served release and the footer's facts."""
    served = _Served(release_id)
    release = SimpleNamespace(release_id=release_id)
    settings = SimpleNamespace(publisher=SimpleNamespace(footer_line=lambda lang: ""))
    return SimpleNamespace(
        served=served,
        dataset=SimpleNamespace(release=release),
        settings=settings,
        geo=SimpleNamespace(schematic=False),
    )


def _page(store, layout, **query) -> str:
    with Flask(__name__).test_request_context("/goal/1"):
        return str(shell.localized_page(store, layout, "/goal/<goal_id>", **query).to_plotly_json())


def test_page_cache_builds_each_page_once_per_release(monkeypatch) -> None:
    monkeypatch.setattr(shell, "footer", lambda store, lang: html.Footer(lang))
    layout, built = _page_builder()
    store = _store("2026-01-01")
    first = _page(store, layout, goal_id="1", lang="en", year="2020")
    assert _page(store, layout, year="2020", lang="en", goal_id="1") == first
    assert len(built) == 1  # the same address in another order: kept
    _page(store, layout, goal_id="1", lang="lo", year="2020")
    _page(store, layout, goal_id="1", lang="en", year="2021")
    assert len(built) == 3  # another language, another query: built
    store.served = _Served("2026-02-01")  # a new release switched in
    _page(store, layout, goal_id="1", lang="en", year="2020")
    assert len(built) == 4
    assert built[0] == ("en", {"goal_id": "1", "year": "2020"})
