"""The overview, challenges, data and progress pages, the embeds and the error pages speak the
reader's language: Lao headings and no untranslated English on a Lao page (English left there,
such as source titles, sits in an element marked `lang="en"`), English on an English page, links
that keep the language, and a real 404 for an address that is no page.

Pages are rendered as component trees (no browser); embeds and errors through Flask's client.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from dash.development.base_component import Component
from flask.testing import FlaskClient

from dashboard import progress as progress_measure
from dashboard import summaries, views
from dashboard.config import Settings
from dashboard.i18n import translator
from dashboard.store import Store
from layouts import pages, progress

# Text that is not English prose although it has Latin letters: URLs, file names, codes with
# digits or underscores, acronyms in capitals (the rule of the browser's accessibility test).
_NOT_PROSE = re.compile(
    r"https?://\S+|\S+\.(?:csv|zip|json|geojson|png|svg|js|py)\b|\b\w*(?:\d|_)\w*\b"
    r"|\b[A-Z][A-Z.&-]+s?\b"
)
_ENGLISH_WORD = re.compile(r"[A-Za-z]{4,}")


def english_words(text: str) -> list[str]:
    return _ENGLISH_WORD.findall(_NOT_PROSE.sub(" ", text))


def texts(node: Any, lang: str = "") -> Iterator[tuple[str, str]]:
    """(text, language of its nearest element with `lang`) of every string a tree shows."""
    if isinstance(node, (str, int, float)):
        yield str(node), lang
    elif isinstance(node, (list, tuple)):
        for child in node:
            yield from texts(child, lang)
    elif isinstance(node, Component):
        own = getattr(node, "lang", None) or lang
        for prop in ("children", "title", "label"):
            value = getattr(node, prop, None)
            if value is not None and (prop == "children" or isinstance(value, str)):
                yield from texts(value, own)


def components(node: Any) -> Iterator[Component]:
    if isinstance(node, (list, tuple)):
        for child in node:
            yield from components(child)
    elif isinstance(node, Component):
        yield node
        yield from components(getattr(node, "children", None))


def stray_english(tree: Any) -> list[str]:
    return [text for text, lang in texts(tree) if lang != "en" and english_words(text)]


@pytest.fixture(scope="module")
def app():
    from app import create_app

    return create_app(Settings.from_env({}))


@pytest.fixture(scope="module")
def store(app) -> Store:
    return app.server.config["NSPS_STORE"]


@pytest.fixture(scope="module")
def client(app) -> FlaskClient:
    return app.server.test_client()


LAYOUTS: dict[str, Callable[..., Component]] = {
    "overview": pages.overview_layout,
    "challenges": pages.challenges_layout,
    "data": pages.data_layout,
    "progress": progress.layout,
}
#: The first heading of each page (an English msgid).
HEADINGS = {
    "overview": "National Social Protection Strategy — progress dashboard",
    "challenges": "Challenges",
    "data": "Data and sources",
    "progress": "Progress against published targets",
}


def _h1(tree: Component) -> str:
    return next(c.children for c in components(tree) if c.__class__.__name__ == "H1")


@pytest.mark.parametrize("page", list(LAYOUTS))
def test_pages_in_lao_have_lao_headings_and_no_stray_english(store, page):
    tree = LAYOUTS[page](store, lang="lo")
    heading = _h1(tree)
    assert heading == translator("lo")(HEADINGS[page])
    assert re.search("[\u0e80-\u0eff]", heading), heading
    assert stray_english(tree) == []


@pytest.mark.parametrize("page", list(LAYOUTS))
def test_pages_in_english_have_english_headings(store, page):
    tree = LAYOUTS[page](store, lang="en")
    assert _h1(tree) == HEADINGS[page]
    assert not [t for t, _lang in texts(tree) if re.search("[\u0e80-\u0eff]", t)]


@pytest.mark.parametrize("page", list(LAYOUTS))
def test_pages_links_to_other_pages_keep_the_language(store, page):
    tree = LAYOUTS[page](store, lang="lo")
    hrefs = [c.href for c in components(tree) if isinstance(getattr(c, "href", None), str)]
    own_pages = [
        h for h in hrefs if h.startswith("/") and pages.is_page_path(urlsplit(h).path or "/")
    ]
    if page in ("overview", "progress"):
        assert own_pages, "the overview links to goals and challenges, progress to goal pages"
    for href in own_pages:
        assert parse_qs(urlsplit(href).query).get("lang") == ["lo"], href


def test_overview_lists_the_principles_and_challenges_in_lao(store):
    tree = pages.overview_layout(store, lang="lo")
    principles = next(c for c in components(tree) if getattr(c, "id", None) == "principles")
    lao = store.dataset.release.strategy.at["principles", "text_lo"].split(";")
    assert principles.children == translator("lo")(
        "Principles: {principles}.", principles=", ".join(p.strip() for p in lao)
    )
    challenges = next(
        c for c in components(tree) if getattr(c, "id", None) == "overview-challenges"
    )
    first = challenges.children[0].children
    assert first.children == store.dataset.release.challenges.at["C01", "text_lo"]
    assert first.href == "/challenges?lang=lo#challenge-C01"


def test_data_page_counts_use_the_lao_number_format(store):
    tree = pages.data_layout(store, lang="lo")
    counts = next(c for c in components(tree) if getattr(c, "id", None) == "release-counts")
    values = len(store.dataset.tidy)
    assert values >= 1000, "the grouping separator is only visible from 1,000"
    sentence = counts.children[-1]
    assert f"{values:,}".replace(",", ".") in sentence
    assert f"{values:,}" not in sentence


def test_data_page_keeps_source_titles_as_published_marked_english(store):
    tree = pages.data_layout(store, lang="lo")
    table = next(c for c in components(tree) if getattr(c, "id", None) == "sources-table")
    english = {text for text, lang in texts(table) if lang == "en"}
    for title in store.dataset.release.sources["title"]:
        assert title in english


def test_progress_status_labels_and_reasons_are_translated(store):
    tree = progress.layout(store, lang="lo")
    rows = {
        c.id.removeprefix("progress-row-"): c
        for c in components(tree)
        if str(getattr(c, "id", "")).startswith("progress-row-")
    }
    cells = [text for text, _lang in texts(rows["SHP_COVERAGE"])]
    assert translator("lo")("Target achieved") in cells
    assert "Target achieved" not in cells
    national = progress_measure.overview(store.dataset).set_index("indicator_id")
    reason = progress_measure.explain(national.loc["SS_COVERAGE_POP"], "lo")
    assert reason != progress_measure.explain(national.loc["SS_COVERAGE_POP"], "en")
    assert reason in [text for text, _lang in texts(rows["SS_COVERAGE_POP"])]


def test_progress_status_map_is_not_drawn_for_illustrative_series(store):
    tree = progress.layout(store, lang="lo")
    found = {c.id: c for c in components(tree) if isinstance(getattr(c, "id", None), str)}
    assert "status-map-graph" not in found, "illustrative series get no status, so no map"
    note = found["status-map-none"].children
    assert note == translator("lo")(
        "No indicator with a published target has real province values yet, so no province "
        "status map is drawn. Illustrative series get no status."
    )


# --------------------------------------------------------------------------- embeds


class _Text(HTMLParser):
    """The visible text of an HTML page, each piece with the language of its element."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str]] = []
        self.pieces: list[tuple[str, str]] = []
        self.attrs: dict[str, dict[str, str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if "id" in values:
            self.attrs[values["id"]] = values
        if tag in ("meta", "link", "br"):
            return
        inherited = self.stack[-1][1] if self.stack else ""
        self.stack.append((tag, values.get("lang", inherited)))

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if data.strip() and self.stack and self.stack[-1][0] not in ("script", "style", "title"):
            self.pieces.append((data.strip(), self.stack[-1][1]))


def _parse(body: str) -> _Text:
    parser = _Text()
    parser.feed(body)
    return parser


def _element_text(body: str, element_id: str) -> str:
    match = re.search(rf'<(\w+) id="{element_id}"[^>]*>(.*?)</\1>', body, flags=re.S)
    assert match, f"no element #{element_id}"
    return html.unescape(match.group(2))


def _full_view(body: str) -> str:
    match = re.search(r'class="embed-full-view" href="([^"]+)"', body)
    assert match, "the embed links back to the dashboard"
    return html.unescape(match.group(1))


def _embed_summary(store: Store, kind: str, lang: str) -> str:
    ds = store.dataset
    if kind == "map":
        return summaries.map_summary(ds, views.resolve_map_selection(ds, "1"), lang=lang)
    selection = views.resolve_series_selection(ds, "1", None, "")
    return summaries.series_summary(ds, selection, lang=lang)


@pytest.mark.parametrize("kind", ["map", "series"])
def test_embed_in_lao_is_lao_with_its_summary_as_description(client, store, kind):
    response = client.get(f"/embed/{kind}?goal=1&lang=lo")
    assert response.status_code == 200
    body = response.data.decode()
    assert '<html lang="lo">' in body
    page = _parse(body)
    assert page.attrs["embed-chart"]["aria-describedby"] == "embed-summary"
    summary = _element_text(body, "embed-summary")
    assert summary == _embed_summary(store, kind, "lo")
    assert re.search("[\u0e80-\u0eff]", summary)
    stray = [text for text, lang in page.pieces if lang != "en" and english_words(text)]
    assert stray == []
    back = urlsplit(_full_view(body))
    assert back.path == "/goal/1" and parse_qs(back.query)["lang"] == ["lo"]


@pytest.mark.parametrize("kind", ["map", "series"])
def test_embed_in_english_is_english(client, store, kind):
    body = client.get(f"/embed/{kind}?goal=1&lang=en").data.decode()
    assert '<html lang="en">' in body
    assert _element_text(body, "embed-summary") == _embed_summary(store, kind, "en")
    assert "Sources and full view" in body  # the footer's link to the sources
    assert parse_qs(urlsplit(_full_view(body)).query)["lang"] == ["en"]


def test_embed_language_follows_the_browser_without_lang(client):
    response = client.get("/embed/series?goal=1", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in response.data.decode()
    assert "Accept-Language" in response.headers["Vary"]
    lao = client.get("/embed/series?goal=1", headers={"Accept-Language": "fr"})
    assert '<html lang="lo">' in lao.data.decode()


# --------------------------------------------------------------------------- 404 and errors


def test_page_paths_are_exactly_the_pages_with_goals_one_to_three():
    assert pages.page_paths() == {
        "/",
        "/goal/1",
        "/goal/2",
        "/goal/3",
        "/progress",
        "/challenges",
        "/data",
    }
    assert pages.is_page_path("/data/") and not pages.is_page_path("/goal/9")


@pytest.mark.parametrize("path", ["/nope", "/goal/9", "/goal/1/extra", "/goal/", "/data/x"])
def test_unknown_path_is_a_real_404_in_the_readers_language(client, path):
    lao = client.get(path, headers={"Accept-Language": "lo"})
    assert lao.status_code == 404
    page = _parse(lao.data.decode())
    assert '<html lang="lo">' in lao.data.decode()
    _ = translator("lo")
    assert (_("Page not found"), "lo") in page.pieces
    assert (_("NSPS dashboard home"), "lo") in page.pieces
    assert 'href="/?lang=lo"' in lao.data.decode()
    english = client.get(f"{path}?lang=en")
    assert english.status_code == 404
    assert "<h1>Page not found</h1>" in english.data.decode()
    assert 'href="/?lang=en"' in english.data.decode()


@pytest.mark.parametrize("path", ["/", "/goal/1", "/goal/3/", "/progress", "/challenges", "/data"])
def test_page_paths_are_served(client, path):
    assert client.get(path).status_code == 200


def test_refusal_text_is_translated_and_escaped(client):
    response = client.get("/download/map.csv?indicator=<b>x</b>&lang=lo")
    assert response.status_code == 404
    message = _element_text(response.data.decode(), "error-message")
    assert message == translator("lo")("Unknown indicator {indicator}.", indicator="'<b>x</b>'")
    assert "<b>x</b>" not in response.data.decode()


def test_server_error_page_is_in_the_readers_language():
    from app import create_app

    app = create_app(Settings.from_env({}))

    @app.server.get("/boom-for-language-test")
    def boom():
        raise RuntimeError("internal detail")

    response = app.server.test_client().get("/boom-for-language-test?lang=lo")
    assert response.status_code == 500
    body = response.data.decode()
    assert translator("lo")("Server error") in body and "internal detail" not in body


def test_favicon_is_the_dash_icon_not_a_404(client):
    """Pages that name no icon (API answers, CSVs in a tab) make browsers ask /favicon.ico."""
    response = client.get("/favicon.ico")
    assert (response.status_code, response.headers["Location"]) == (301, "/_favicon.ico")
    assert client.get("/_favicon.ico").mimetype == "image/x-icon"
