"""What every response of the public server carries: security headers, plain error pages and
the `/healthz` probe.

The site is read-only and faces the open internet, so each response says what the browser may
do with it (Content-Security-Policy, framing, sniffing, referrer), errors never show a stack
trace or echo markup, and a load balancer can ask which release an instance serves. An address
that names no page is a real 404 (not Dash's page shell with a client-side "not found"), so
search engines, link checkers and readers' browsers all learn that it does not exist. Error
pages speak the reader's language (`lang=`, else the browser's, else Lao).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from dash import Dash
from dash.exceptions import DependencyException
from flask import Response, abort, jsonify, request
from werkzeug.exceptions import BadRequest, HTTPException, NotFound

from callbacks.api import error_response
from dashboard.i18n import LANGUAGE_NAMES, LANGUAGES, N_, translator, with_language
from dashboard.store import ReleaseUnavailable, Store
from layouts.embed import FAVICON_URL, FONT_CSS_URL
from layouts.pages import is_page_path
from layouts.shell import request_language
from layouts.templating import render

EMBED_PREFIX = "/embed/"
CALLBACK_PATH = "/_dash-update-component"
# A callback request carries a few control values; a megabyte is far beyond any of them.
MAX_CALLBACK_BYTES = 1 << 20
# Dash Pages' router (dash._pages) assumes what the browser's location always is: a path
# starting with "/" and a query string (or none).
_LOCATION_CHECKS = {
    "_pages_location.pathname": lambda v: isinstance(v, str) and v.startswith("/"),
    "_pages_location.search": lambda v: v is None or isinstance(v, str),
}
# Dash's renderer and plotly.js run without eval; React components and plotly.js insert <style>
# elements and inline styles, so styles need 'unsafe-inline' (scripts never do: Dash's inline
# bootstrap scripts are allowed by hash). Maps and fonts may use data: URIs.
_CSP_DIRECTIVES = (
    ("default-src", "'self'"),
    ("style-src", "'self' 'unsafe-inline'"),
    ("img-src", "'self' data: blob:"),
    ("font-src", "'self' data:"),
    ("connect-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)
STATIC_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "geolocation=(), camera=(), microphone=(), payment=()",
}


#: Headers of the answers gunicorn writes itself, for requests it cannot parse (400, 414, 431):
#: they never reach Flask, so `set_security_headers` cannot add these.
SERVER_ERROR_HEADERS = {
    **STATIC_HEADERS,
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


def write_server_error(sock: Any, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's `util.write_error`, with the site's security headers and without echoing
    the refused request (deploy/gunicorn.conf.py installs it)."""
    from gunicorn import util

    del mesg  # gunicorn's message quotes the malformed request line or header
    title = f"{status_int} {reason}"
    body = f"<!doctype html>\n<title>{title}</title>\n<h1>{title}</h1>\n"
    headers = {
        "Connection": "close",
        "Content-Type": "text/html; charset=utf-8",
        "Content-Length": str(len(body.encode())),
        **SERVER_ERROR_HEADERS,
    }
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    util.write_nonblock(sock, f"HTTP/1.1 {status_int} {reason}\r\n{head}\r\n{body}".encode())


def content_security_policy(script_hashes: Sequence[str], path: str) -> str:
    """The policy for one response: `/embed/…` may be framed by any site, the rest by none."""
    frame_ancestors = "*" if path.startswith(EMBED_PREFIX) else "'none'"
    directives = [
        *_CSP_DIRECTIVES,
        ("script-src", " ".join(["'self'", *script_hashes])),
        ("frame-ancestors", frame_ancestors),
    ]
    return "; ".join(f"{name} {value}" for name, value in directives)


#: Title and explanation of each error a reader may meet; other statuses use `_OTHER_ERROR`.
ERROR_TEXTS = {
    400: (N_("Bad request"), N_("The address or the request is not valid.")),
    404: (N_("Page not found"), N_("There is no page at this address.")),
    405: (N_("Method not allowed"), N_("This address only answers requests to read it.")),
    413: (N_("Request too large"), N_("The request is larger than this site accepts.")),
    500: (N_("Server error"), N_("Something went wrong on our side.")),
    503: (N_("Service unavailable"), N_("This cannot be served right now; try again later.")),
}
DEFAULT_CACHE_CONTROL = "no-cache"
IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable"
#: Paths whose errors are JSON (`{"error": …}`) rather than a page.
JSON_ERROR_PREFIXES = ("/api/", "/image/", "/download/")
#: Seconds a client should wait before asking again after a 503.
RETRY_AFTER_S = 30
_OTHER_ERROR = (N_("Request refused"), N_("The server cannot answer this request."))


def error_page(status: int, title: str, message: str, lang: str) -> Response:
    """A plain page in the reader's language (`layouts/templates/error.html`, autoescaped):
    status, title, the message, a link home and one to the same address in the other
    language; never a trace."""
    _ = translator(lang)
    body = render(
        "error.html",
        lang=lang,
        status=status,
        title=title,
        site=_("NSPS Lao PDR"),
        message=message,
        home=_("NSPS dashboard home"),
        home_url=with_language("/", lang),
        favicon_url=FAVICON_URL,
        font_css_url=FONT_CSS_URL,
        others=[
            {
                "href": with_language(request.full_path, other),
                "lang": other,
                "name": LANGUAGE_NAMES[other],
            }
            for other in LANGUAGES
            if other != lang
        ],
    )
    response = Response(body, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def http_error_page(error: HTTPException) -> Response:
    """The page of an HTTP error. A description given with `abort(…, description=…)` is
    already in the reader's language; werkzeug's default English one is replaced."""
    lang = request_language(request.args.get("lang"))
    _ = translator(lang)
    status = error.code or 500
    title, message = ERROR_TEXTS.get(status, _OTHER_ERROR)
    described = status < 500 and error.description not in (None, "", type(error).description)
    return error_page(status, _(title), error.description if described else _(message), lang)


def _is_prop(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("property"), str)
        and (isinstance(item.get("id"), (str, dict)))
    )


def _is_prop_list(items: Any) -> bool:
    """Dash sends each input as one {id, property, value}, or a list of them (wildcard ids)."""
    return isinstance(items, list) and all(
        _is_prop(i) or (isinstance(i, list) and all(_is_prop(j) for j in i)) for i in items
    )


def _outputs_match(outputs: Any, declared: Any) -> bool:
    """The request names the outputs the callback declares: one each, in order (Dash would
    fail with a 500 on a list of another length or a list for a single output)."""
    if isinstance(declared, (list, tuple)):
        items = outputs if isinstance(outputs, list) else None
        if items is None or len(items) != len(declared):
            return False
        pairs = zip(items, declared, strict=True)
    else:
        pairs = [(outputs, declared)]
    for item, output in pairs:
        if isinstance(output.component_id, dict):
            continue  # a pattern-matching output: Dash matches its ids itself
        # an output that another callback also sets (`allow_duplicate`) is sent as `prop@hash`
        if not _is_prop(item) or (item["id"], str(item["property"]).split("@")[0]) != (
            output.component_id,
            output.component_property,
        ):
            return False
    return True


def callback_request_problem(body: Any, callback_map: Mapping[str, Any]) -> str | None:
    """What makes a callback request malformed for this app, or None when Dash can run it.

    Dash's dispatcher trusts the shape of the request that its own renderer sends; anything
    else would crash inside Dash with a 500, so it is refused here with a 400.
    """
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    output = body.get("output")
    if not isinstance(output, str) or "callback" not in callback_map.get(output, {}):
        return "unknown output"  # or one that runs in the browser (clientside)
    outputs = body.get("outputs")
    if not (_is_prop(outputs) or _is_prop_list(outputs)):
        return "malformed outputs"
    spec = callback_map[output]
    if not _outputs_match(outputs, spec.get("output")):
        return "outputs do not match the callback"
    for key in ("inputs", "state"):
        items = body.get(key, [])
        if not _is_prop_list(items) or len(items) != len(spec.get(key, [])):
            return f"malformed {key}"
        for item in items:
            if not isinstance(item, dict) or not isinstance(item["id"], str):
                continue
            check = _LOCATION_CHECKS.get(f"{item['id']}.{item['property']}")
            if check is not None and not check(item.get("value")):
                return "not a location"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "malformed changedPropIds"
    return None


def _canonical_location(response: Response, site_url: str) -> None:
    """Redirects that werkzeug makes absolute (e.g. `/lite` → `/lite/`) name the request's
    Host in the Location header and body; point them at the canonical site address instead,
    so no forged Host is reflected."""
    location = response.headers.get("Location")
    if not location:
        return
    parts = urlsplit(location)
    if parts.scheme or parts.netloc:
        path = urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
        target = site_url + path
        response.headers["Location"] = target
        link = html.escape(target)
        response.set_data(f'<!doctype html>\n<a href="{link}">{link}</a>\n')


def register(app: Dash, store: Store) -> None:
    """Install headers, error handlers, the callback request check and `/healthz`."""
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = MAX_CALLBACK_BYTES  # no route takes uploads
    hashes: list[tuple[str, ...]] = []

    page_shell = f"{app.config.routes_pathname_prefix}<path:path>"

    @server.before_request
    def refuse_unknown_pages() -> None:
        """Dash answers every unrouted path with its page shell (HTTP 200); only page paths may."""
        if request.endpoint == page_shell and not is_page_path(request.path):
            abort(404)

    @server.before_request
    def refuse_malformed_callback_requests() -> None:
        if request.path != CALLBACK_PATH or request.method != "POST":
            return
        _ = translator(request_language(request.args.get("lang")))
        try:
            body = request.get_json(cache=True)  # Dash reads the cached result
        except (BadRequest, RecursionError):
            abort(400, description=_("The request is not valid JSON."))
        problem = callback_request_problem(body, app.callback_map)
        if problem:  # the problem is a technical phrase for developers, kept in English
            abort(400, description=_("Malformed callback request: {problem}.", problem=problem))

    @server.after_request
    def set_security_headers(response: Response) -> Response:
        if not hashes:
            # Hashes of Dash's inline scripts, taken once every callback is registered.
            hashes.append(tuple(app.csp_hashes()))
        response.headers["Content-Security-Policy"] = content_security_policy(
            hashes[0], request.path
        )
        if request.path.startswith(EMBED_PREFIX):
            response.headers.pop("X-Frame-Options", None)
        else:
            response.headers["X-Frame-Options"] = "DENY"
        for name, value in STATIC_HEADERS.items():
            response.headers[name] = value
        response.headers.pop("Server", None)
        _canonical_location(response, store.settings.site_url)
        # Every response says how long it may be kept. Routes that know set their own (assets
        # and bundles for a year, pinned data for a day); the rest — page shells, layouts,
        # callbacks — depend on the release being served, so caches must ask again each time.
        response.headers.setdefault("Cache-Control", DEFAULT_CACHE_CONTROL)
        if request.path.startswith("/_dash-component-suites/") and response.status_code == 200:
            response.headers["Cache-Control"] = IMMUTABLE_CACHE_CONTROL  # versioned URLs
        return response

    @server.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        """Also the 500 page of an unhandled exception (Flask logs its traceback first)."""
        return http_error_page(error)

    @server.errorhandler(DependencyException)
    def unknown_component_file(_error: DependencyException) -> Response:
        """`/_dash-component-suites/<package>/<file>` naming no file Dash serves: a 404 page,
        not a 500 with a traceback in the log."""
        return http_error_page(NotFound())

    @server.errorhandler(ReleaseUnavailable)
    def release_unavailable(error: ReleaseUnavailable) -> Response:
        """A link pinned to a release whose files are broken here: 503, never a 500."""
        lang = request_language(request.args.get("lang"))
        _ = translator(lang)
        message = _(
            "Data release {release} cannot be served: its files failed their checks on this "
            "server.",
            release=error.release_id,
        )
        if request.path.startswith(JSON_ERROR_PREFIXES):
            response = error_response(503, message)
        else:
            response = error_page(503, _(ERROR_TEXTS[503][0]), message, lang)
        response.headers["Retry-After"] = str(RETRY_AFTER_S)
        return response

    @server.get("/healthz")
    def healthz() -> Response:
        """Liveness and identity for a load balancer and a monitor: which release, which map
        geometry, and `degraded` with the reasons when the instance serves less than it should
        (schematic maps, a fallback or outdated release). Still 200: the instance answers."""
        reasons = store.health_problems()
        response = jsonify(
            status="degraded" if reasons else "ok",
            reasons=reasons,
            release=store.dataset.release.release_id,
            boundaries="schematic" if store.geo.schematic else "official",
        )
        response.headers["Cache-Control"] = "no-store"
        return response
