"""The frame around every page, in the reader's language: navigation with the language switch,
the page itself, and the footer with provenance.

The language is part of the page's URL (`?lang=lo|en`), else the browser's preferred languages,
else Lao (`i18n.negotiate_language`). Every page layout is wrapped by `localized_page`, which
settles the language once and hands it to the page; links keep it. Switching language is a plain
link that reloads the page, so the server also writes `<html lang>` and the title for it.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode

import dash
import dash_bootstrap_components as dbc
from dash import Dash, dcc, html
from dash._pages import _page_meta_tags
from flask import has_request_context, request

from dashboard.cache import PerOwnerCache
from dashboard.i18n import LANGUAGE_NAMES, LANGUAGES, N_, negotiate_language, translator
from dashboard.i18n import with_language as with_lang
from dashboard.store import Store
from layouts.first_paint import goal_first_paint, with_first_paint

#: Navigation: label and path of each entry.
NAV_ITEMS = (
    (N_("Overview"), "/"),
    (N_("Health insurance"), "/goal/1"),
    (N_("Social security"), "/goal/2"),
    (N_("Social welfare"), "/goal/3"),
    (N_("Progress"), "/progress"),
    (N_("Challenges"), "/challenges"),
    (N_("Data & sources"), "/data"),
)


def request_language(query_lang: str | None = None) -> str:
    """The reader's language: `lang=` of the URL, else Accept-Language, else Lao."""
    header = request.headers.get("Accept-Language") if has_request_context() else None
    return negotiate_language(query_lang, header)


def _page_query() -> dict[str, str]:
    """The page's query: the URL's, or while Dash Pages' router callback runs, the one it routes."""
    if not has_request_context():
        return {}
    if request.path.endswith("/_dash-update-component"):
        search = dash.callback_context.inputs.get("_pages_location.search") or ""
        return dict(parse_qsl(search.lstrip("?")))
    return dict(request.args)


def page_title(title: str) -> Callable[..., str]:
    """A Dash Pages title function: the page's title in the language of the URL being opened."""

    def title_in_language(**_path_variables: str) -> str:
        _ = translator(request_language(_page_query().get("lang")))
        return f"{_(title)} — {_('NSPS Lao PDR')}"

    return title_in_language


def language_switch(lang: str, path: str, query: dict[str, str]) -> html.Div:
    """Links to this very view in each other language (a reload: `<html lang>` changes too)."""
    links = []
    for other in LANGUAGES:
        if other == lang:
            continue
        href = f"{path}?{urlencode({**query, 'lang': other})}"
        links.append(
            html.A(
                LANGUAGE_NAMES[other],
                href=href,
                lang=other,
                hrefLang=other,
                id=f"language-switch-{other}",
                className="btn btn-sm btn-outline-light language-switch",
            )
        )
    return html.Div(links, className="ms-lg-3 mt-2 mt-lg-0", id="language-switch")


def navbar(lang: str, path: str, query: dict[str, str]) -> dbc.Navbar:
    _ = translator(lang)
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(_("NSPS Lao PDR"), href=with_lang("/", lang)),
                html.Button(
                    html.Span(className="navbar-toggler-icon"),
                    id="navbar-toggler",
                    n_clicks=0,
                    type="button",
                    className="navbar-toggler",
                    **{"aria-label": _("Menu"), "aria-controls": "navbar-collapse"},
                ),
                dbc.Collapse(
                    [
                        dbc.Nav(
                            [
                                dbc.NavItem(
                                    dbc.NavLink(
                                        _(label),
                                        href=with_lang(href, lang),
                                        active=href == path,
                                    )
                                )
                                for label, href in NAV_ITEMS
                            ],
                            navbar=True,
                            className="me-auto",
                        ),
                        language_switch(lang, path, query),
                    ],
                    id="navbar-collapse",
                    is_open=False,
                    navbar=True,
                ),
            ],
            fluid=True,
        ),
        color="primary",
        dark=True,
        className="mb-3",
    )


def footer(store: Store, lang: str) -> html.Footer:
    _ = translator(lang)
    release = store.dataset.release
    geo_note = (
        _("Maps use a schematic tile grid: boundary files are not installed.")
        if store.geo.schematic
        else _(
            "Boundaries: NGD Lao PDR and OCHA ROAP (HDX COD-AB 2019, CC BY 3.0 IGO), "
            "via geoBoundaries."
        )
    )
    return html.Footer(
        dbc.Container(
            [
                html.P(
                    [
                        _("Data release {release}.", release=release.release_id),
                        " ",
                        store.settings.publisher.footer_line(lang),
                        " ",
                        html.A(_("Data and sources"), href=with_lang("/data", lang)),
                        " · ",
                        html.A(_("Download data"), href=with_lang("/data", lang) + "#downloads"),
                        " · ",
                        html.A(_("Lite version"), href=with_lang("/lite/", lang)),
                    ],
                    className="mb-1",
                ),
                html.P(geo_note, className="mb-0"),
            ],
            fluid=True,
        ),
        className="small text-muted border-top mt-4 py-3",
    )


#: Pages kept per served release (`localized_page`), a few dozen per process.
_PAGES: PerOwnerCache[html.Div] = PerOwnerCache(64)


def localized_page(
    store: Store, layout: Callable[..., object], path_template: str, **query: str
) -> html.Div:
    """One page in the reader's language: skip link, navigation, the page's layout, footer.

    `query` holds the URL's query parameters and the path's variables (e.g. `goal_id`); the
    page's layout receives them with `lang` settled. A page depends on nothing else but the
    release served, so each is built once per release and process and kept (`_PAGES`): a goal
    page takes 100–300 ms of CPU to build, and page loads are most of a busy day's work.
    """
    lang = request_language(query.pop("lang", None))
    key = (layout, path_template, lang, tuple(sorted(query.items())))
    try:
        hash(key)
    except TypeError:  # a path variable that is no text: built, never kept
        return _page(store, layout, path_template, lang, query)
    return _PAGES.get_or_make(
        store.served, key, lambda: _page(store, layout, path_template, lang, query)
    )


def _page(
    store: Store, layout: Callable[..., object], path_template: str, lang: str, query: dict
) -> html.Div:
    _ = translator(lang)
    page_path = path_template
    own_query = {}
    for key, value in query.items():
        if f"<{key}>" in page_path:
            page_path = page_path.replace(f"<{key}>", str(value))
        elif isinstance(value, str):
            own_query[key] = value
    return html.Div(
        [
            dcc.Store(id="page-lang", data=lang),
            html.A(_("Skip to content"), href="#main", className="visually-hidden-focusable"),
            navbar(lang, page_path, own_query),
            dbc.Container(
                html.Main(layout(store, lang=lang, **query), id="main", tabIndex="-1"),
                fluid="lg",
            ),
            footer(store, lang),
        ],
        lang=lang,
    )


def app_shell() -> html.Div:
    """The app's fixed layout: only Dash Pages' container; each page brings its own frame."""
    return html.Div(dash.page_container)


class _CanonicalRequest:
    """What Dash Pages' meta tags (`twitter:url`, image URLs) read of a request, with the
    site's canonical address in place of the request's Host header, which anyone can forge."""

    def __init__(self, site_url: str):
        self.path = request.path
        self.url = site_url + request.full_path.rstrip("?")
        self.root = site_url + "/"


class LocalizedDash(Dash):
    """Dash whose first HTML response names the page's language (`<html lang>`), on goal
    pages already shows the map view the page opens on (`layouts.first_paint`), and whose meta
    tags link to the canonical site address (`site_url`, from NSPS_SITE_URL)."""

    def __init__(self, *args: object, site_url: str, **kwargs: object):
        self.site_url = site_url
        # Dash's own page meta tags copy the request URL (Host included): ours replace them.
        super().__init__(*args, include_pages_meta=False, **kwargs)

    def _generate_meta(self) -> list[dict[str, str]]:
        metas = super()._generate_meta()
        if self.use_pages and has_request_context():
            metas = _page_meta_tags(self, _CanonicalRequest(self.site_url)) + metas
        return metas

    def interpolate_index(self, **kwargs: str) -> str:
        query = _page_query()
        lang = request_language(query.get("lang"))
        index = super().interpolate_index(**kwargs).replace("<html>", f'<html lang="{lang}">', 1)
        store = self.server.config.get("NSPS_STORE")
        if store is None or not has_request_context():
            return index
        return with_first_paint(index, goal_first_paint(store, request.path, query, lang))
