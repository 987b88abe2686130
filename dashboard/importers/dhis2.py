"""DHIS2: read the analytics API for the mapped data elements/indicators, by province and district.

The Ministry of Health's HMIS (and its data warehouse) is a DHIS2 instance. One analytics query
(`/api/analytics?dimension=dx:…&dimension=ou:LEVEL-n;…&dimension=pe:…`, the syntax of the
DHIS2 Web API documentation) returns the values; organisation units become P-codes only through
the reviewed crosswalk (`data/channels/orgunit_crosswalk.csv`), by UID or DHIS2 code. A name that
resembles an area is printed as a suggestion for a reviewer, never joined.

Credentials come from the environment (`DHIS2_TOKEN`, or `DHIS2_USERNAME` + `DHIS2_PASSWORD`)
and never appear in output, errors, provenance or the draft.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from dashboard.importers.mapping import (
    CHANNELS_DIR,
    Crosswalk,
    ImportResult,
    IndicatorMap,
    add_catalogue_entry,
    now_utc,
    observation,
    plain_number,
    read_crosswalk,
    read_mapping,
    slug,
    source_row,
)

CHANNEL = "dhis2"
MAPPING_FILE = CHANNELS_DIR / "dhis2_mapping.csv"
CROSSWALK_FILE = CHANNELS_DIR / "orgunit_crosswalk.csv"
KEY_COLUMNS = ("dhis2_id", "dhis2_name")
ANALYTICS_PATH = "/api/analytics"
ORG_UNITS_PATH = "/api/organisationUnits"
LEVELS_PATH = "/api/filledOrganisationUnitLevels"
RETRIED_STATUSES = (429, 500, 502, 503, 504)
#: Rows one analytics request may answer: DHIS2's default `analyticsMaxLimit` (the documented
#: "limit on max 50 000 records in response"); a server set lower says so with error E7128.
DEFAULT_ROW_LIMIT = 50_000
ROW_LIMIT_ERROR = "E7128"  # "Query result set exceeded max limit" (dhis2-core ErrorCode)
_YEAR = re.compile(r"\d{4}")
#: ISO periods of DHIS2 that fall inside one calendar year (day, week, month, quarter, six-month).
_SUB_YEAR = re.compile(r"(\d{4})(\d{4}|W\d{1,2}|\d{2}|Q[1-4]|S[12]|BiW\d{1,2})")


class DHIS2Error(RuntimeError):
    """The server could not be read; the message says what to check (never a credential)."""


class RowLimitExceeded(DHIS2Error):
    """The server refused (E7128) or cut short an answer for having too many rows."""


@dataclass(frozen=True)
class Connection:
    base_url: str
    token: str | None = None
    username: str | None = None
    password: str | None = None
    timeout: float = 60.0
    retries: int = 3
    backoff: float = 1.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides) -> Connection:
        env = os.environ if env is None else env
        base = overrides.pop("base_url", None) or env.get("DHIS2_URL", "")
        if not base:
            raise DHIS2Error("no server given: set DHIS2_URL (or pass --url)")
        return cls(
            base_url=base.rstrip("/"),
            token=env.get("DHIS2_TOKEN") or None,
            username=env.get("DHIS2_USERNAME") or None,
            password=env.get("DHIS2_PASSWORD") or None,
            **overrides,
        )

    def __repr__(self) -> str:  # never show a credential, even in a traceback
        return f"Connection(base_url={self.base_url!r}, timeout={self.timeout})"


def analytics_params(
    dx_ids: Sequence[str], levels: Sequence[int | str], periods: Sequence[str]
) -> list[tuple[str, str]]:
    """Query parameters of one analytics request: each dimension once, items separated by ';'.

    `dimension=dx:a;b&dimension=ou:LEVEL-2;LEVEL-3&dimension=pe:2022;2023` is the documented
    syntax (DHIS2 Web API, Analytics, "Dimensions and items"). No `co` dimension, so values are
    data element totals.
    """
    if not dx_ids or not levels or not periods:
        raise ValueError("analytics needs at least one dx id, one level and one period")
    return [
        ("dimension", "dx:" + ";".join(dx_ids)),
        ("dimension", "ou:" + ";".join(f"LEVEL-{level}" for level in levels)),
        ("dimension", "pe:" + ";".join(periods)),
        ("displayProperty", "NAME"),
    ]


def year_periods(first: int, last: int) -> list[str]:
    return [str(year) for year in range(first, last + 1)]


def query_url(base_url: str, path: str, params: Sequence[tuple[str, str]]) -> str:
    """The request as a readable URL (':' and ';' unescaped), for provenance and messages."""
    return f"{base_url}{path}?{urlencode(params, safe=':;,[]')}"


class Client:
    """GET JSON from a DHIS2 server with timeouts, retries on 429/5xx and paging."""

    def __init__(self, connection: Connection):
        self.connection = connection
        retry = Retry(
            total=connection.retries,
            connect=connection.retries,
            read=connection.retries,
            status=connection.retries,
            backoff_factor=connection.backoff,
            status_forcelist=RETRIED_STATUSES,
            allowed_methods=frozenset({"GET"}),
            raise_on_status=False,
        )
        self.session = requests.Session()
        self.session.mount("http://", HTTPAdapter(max_retries=retry))
        self.session.mount("https://", HTTPAdapter(max_retries=retry))
        self.session.headers["Accept"] = "application/json"
        if connection.token:
            self.session.headers["Authorization"] = f"ApiToken {connection.token}"
        elif connection.username:
            self.session.auth = (connection.username, connection.password or "")

    def get(self, path: str, params: Sequence[tuple[str, str]]) -> dict | list:
        url = query_url(self.connection.base_url, path, params)
        try:
            response = self.session.get(
                self.connection.base_url + path, params=params, timeout=self.connection.timeout
            )
        except requests.exceptions.RetryError as exc:
            raise DHIS2Error(f"{url}: server error after {self.connection.retries} retries") from (
                exc
            )
        except (requests.exceptions.Timeout, requests.exceptions.ConnectionError) as exc:
            kind = "no answer" if "timed out" in str(exc).lower() else "cannot connect"
            raise DHIS2Error(
                f"{url}: {kind} within {self.connection.timeout:g} s "
                f"after {self.connection.retries} retries"
            ) from None
        if response.status_code in (401, 403):
            raise DHIS2Error(
                f"{url}: the server refused the credentials (HTTP {response.status_code}); "
                "check DHIS2_TOKEN or DHIS2_USERNAME/DHIS2_PASSWORD and the user's access"
            )
        if response.status_code == 409 and ROW_LIMIT_ERROR in response.text:
            try:
                said = str(response.json().get("message", ""))
            except (ValueError, AttributeError):
                said = ""
            raise RowLimitExceeded(f"{url}: HTTP 409 {ROW_LIMIT_ERROR} {said}".rstrip())
        if response.status_code >= 400:
            retried = response.status_code in RETRIED_STATUSES and self.connection.retries
            after = f" (after {self.connection.retries} retries)" if retried else ""
            raise DHIS2Error(f"{url}: HTTP {response.status_code} from the server{after}")
        try:
            return response.json()
        except ValueError:
            start = response.text[:80].replace("\n", " ")
            raise DHIS2Error(f"{url}: the answer is not JSON (starts {start!r})") from None

    def paged(self, path: str, params: Sequence[tuple[str, str]], key: str) -> list[dict]:
        """All items of a paged collection (`pager.pageCount`), page after page."""
        items: list[dict] = []
        page = 1
        while True:
            body = self.get(path, [*params, ("page", str(page))])
            if not isinstance(body, dict) or not isinstance(body.get(key), list):
                raise DHIS2Error(f"{path}: page {page} has no '{key}' list")
            items += body[key]
            pager = body.get("pager") or {}
            if page >= int(pager.get("pageCount") or 1):
                return items
            page += 1

    def level_numbers(self, levels: Sequence[int | str]) -> list[int]:
        """Levels as numbers: a level given by its UID (`LEVEL-qpXLDdXT3po`, as the Lao HMIS
        names its province level) is looked up in `/api/filledOrganisationUnitLevels`."""
        named = [str(level) for level in levels if not str(level).isdigit()]
        known: dict[str, int] = {}
        if named:
            body = self.get(LEVELS_PATH, [("fields", "id,name,level")])
            rows = body if isinstance(body, list) else []
            known = {str(r.get("id")): int(r["level"]) for r in rows if "level" in r}
        missing = [level for level in named if level not in known]
        if missing:
            raise DHIS2Error(f"{LEVELS_PATH}: no organisation unit level {', '.join(missing)}")
        return [int(level) if str(level).isdigit() else known[str(level)] for level in levels]

    def org_units(self, levels: Sequence[int | str]) -> list[dict]:
        params = [
            ("fields", "id,code,name,level"),
            ("filter", f"level:in:[{','.join(str(n) for n in self.level_numbers(levels))}]"),
            ("pageSize", "1000"),
        ]
        return self.paged(ORG_UNITS_PATH, params, "organisationUnits")

    def org_unit_count(self, levels: Sequence[int | str]) -> int:
        """How many organisation units the levels hold (`pager.total` of a one-item page)."""
        numbers = ",".join(str(n) for n in self.level_numbers(levels))
        params = [("fields", "id"), ("filter", f"level:in:[{numbers}]"), ("pageSize", "1")]
        body = self.get(ORG_UNITS_PATH, params)
        total = (body.get("pager") or {}).get("total") if isinstance(body, dict) else None
        if not isinstance(total, int):
            raise DHIS2Error(f"{ORG_UNITS_PATH}: the answer has no pager.total (unit count)")
        return total

    def analytics(self, dx_ids: Sequence[str], levels, periods) -> tuple[str, dict]:
        params = analytics_params(dx_ids, levels, periods)
        body = self.get(ANALYTICS_PATH, params)
        if not isinstance(body, dict):
            raise DHIS2Error(f"{ANALYTICS_PATH}: the answer is not an analytics response")
        return query_url(self.connection.base_url, ANALYTICS_PATH, params), body


# ---------------------------------------------------------------- response → rows


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z]", "", re.sub(r"^\s*\d+\s*", "", text))


def name_suggestion(name: str, areas: pd.DataFrame) -> str:
    """An area whose English name resembles `name`, for the reviewer: never applied."""
    folded = _fold(name)
    if not folded:
        return ""
    for code, area in areas.iterrows():
        candidate = _fold(str(area["name_en"]))
        if candidate and (candidate == folded or candidate[:5] == folded[:5]):
            return f"{code} {area['name_en']}"
    return ""


def response_rows(body: dict, where: str, result: ImportResult) -> list[dict[str, str]]:
    """The rows of an analytics response as {dx, pe, ou, value, row}; other shapes rejected.

    The header order gives the cell order (it differs between requests and versions).
    """
    headers = body.get("headers")
    rows = body.get("rows")
    if not isinstance(headers, list) or not isinstance(rows, list):
        raise DHIS2Error(f"{where}: not an analytics response (no 'headers' and 'rows')")
    names = [str(h.get("name", "")) for h in headers]
    missing = [n for n in ("dx", "pe", "ou", "value") if n not in names]
    if missing:
        raise DHIS2Error(f"{where}: the response has no column {', '.join(missing)}")
    extra = [n for n in names if n not in ("dx", "pe", "ou", "value")]
    out = []
    for number, cells in enumerate(rows, start=1):
        result.read += 1
        if len(cells) != len(names):
            result.reject(where, number, f"{len(cells)} cells for {len(names)} headers")
            continue
        record = dict(zip(names, (str(c) for c in cells), strict=True))
        if extra:
            broken = ", ".join(f"{n}={record[n]}" for n in extra)
            result.reject(
                where, number, f"broken down by {broken}: request totals", record["value"]
            )
            continue
        out.append({**record, "row": str(number)})
    return out


def _period_year(period: str, rule: str) -> tuple[int | None, str]:
    if _YEAR.fullmatch(period):
        return int(period), ""
    found = _SUB_YEAR.fullmatch(period)
    if found and rule == "latest_in_year":
        return int(found.group(1)), ""
    if found:
        return None, (
            f"period {period} is shorter than a year: request yearly periods, or set "
            "periods=latest_in_year in the mapping for a stock such as a population"
        )
    return None, f"period {period} is not a DHIS2 ISO period"


def convert(
    responses: Sequence[tuple[str, dict]],
    retrieved,
    mappings: list[IndicatorMap],
    crosswalk: Crosswalk,
    areas: pd.DataFrame,
    result: ImportResult,
    *,
    org_unit_codes: Mapping[str, str] | None = None,
) -> None:
    """Map analytics responses — (query URL, body) pairs: one request's, or the parts of a request
    split under the row limit — into `result`: indicators by dx id, units by the crosswalk. The
    parts are merged before a rule that spans periods (periods=latest_in_year) is applied."""
    by_dx = {m.keys["dhis2_id"]: m for m in mappings}
    items: dict[str, dict] = {}
    period_order: dict[str, int] = {}
    for _, body in responses:
        meta = (body.get("metaData") or {}) if isinstance(body, dict) else {}
        items.update(meta.get("items") or {})
        for period in (meta.get("dimensions") or {}).get("pe", []):
            period_order.setdefault(period, len(period_order))
    codes = dict(org_unit_codes or {})
    unmatched: dict[str, str] = {}
    # (indicator, area, year) → (period order, row, query URL, response row)
    best: dict[tuple[str, str, int], tuple[int, dict[str, str], str, int]] = {}
    queries: dict[str, list[str]] = {}  # source id → the requests that returned its values
    stamp = retrieved.isoformat().replace("+00:00", "Z")
    for url, body in responses:
        for record in response_rows(body, url, result):
            number = int(record["row"])
            mapping = by_dx.get(record["dx"])
            if mapping is None:
                result.reject(url, number, "dx id not in the mapping file", record["dx"])
                continue
            area = crosswalk.area_of(record["ou"], codes.get(record["ou"], ""))
            if area is None:
                name = str((items.get(record["ou"]) or {}).get("name", ""))
                unmatched[record["ou"]] = name
                why = "organisation unit not in the reviewed crosswalk"
                if record["ou"] in crosswalk.unreviewed:
                    why += (
                        f" (its crosswalk row {crosswalk.unreviewed[record['ou']]} awaits review)"
                    )
                result.reject(url, number, why, f"{record['ou']} {name}".strip())
                continue
            year, why = _period_year(record["pe"], mapping.periods)
            if year is None:
                result.reject(url, number, why, record["pe"])
                continue
            value = plain_number(record["value"])
            if value is None:
                result.reject(url, number, "value is not a number", record["value"])
                continue
            source_id = f"dhis2_{slug(mapping.keys['dhis2_id'])}"
            provenance = (
                f"DHIS2 analytics {url}, response row {number} (dx {record['dx']}, "
                f"pe {record['pe']}, ou {record['ou']}), retrieved {stamp}"
            )
            row = observation(mapping, area, year, value, source_id, provenance)
            key = (mapping.indicator_id, area, year)
            order = period_order.get(record["pe"], 0)
            candidate = (order, row, url, number)
            if key in best:
                older, newer = sorted((best[key], candidate), key=lambda c: c[0])
                best[key] = newer
                result.reject(
                    older[2],
                    older[3],
                    f"a later period of {year} is kept (periods=latest_in_year)",
                    older[1]["value"],
                )
            else:
                best[key] = candidate
            if url not in queries.setdefault(source_id, []):
                queries[source_id].append(url)
            if source_id not in result.sources:
                dx_name = (
                    str((items.get(record["dx"]) or {}).get("name", ""))
                    or mapping.keys["dhis2_name"]
                )
                result.sources[source_id] = source_row(
                    source_id,
                    publisher="Ministry of Health (DHIS2 health information system)",
                    title=f"DHIS2 analytics: {dx_name} ({mapping.keys['dhis2_id']})",
                    url=url,
                    retrieved=retrieved,
                    provenance="",
                )
            add_catalogue_entry(result, mapping, source_id)
    for source_id, urls in queries.items():
        asked = urls[0] if len(urls) == 1 else f"{len(urls)} requests: {'; '.join(urls)}"
        result.sources[source_id]["provenance"] = (
            f"DHIS2 Web API analytics, {asked}, retrieved {stamp}"
        )
    result.observations += [row for _, row, _, _ in best.values()]
    for uid, name in sorted(unmatched.items()):
        hint = name_suggestion(name, areas)
        suggestion = (
            f" — name resembles {hint}: add it to the crosswalk after review" if hint else ""
        )
        result.notices.append(f"unmatched organisation unit {uid} {name!r}{suggestion}")


def request_plan(
    dx_ids: Sequence[str], periods: Sequence[str], units: int, row_limit: int
) -> list[tuple[list[str], list[str]]]:
    """(dx ids, periods) per request so that each answers at most `row_limit` rows.

    An aggregate analytics answer without `co` has at most one row per dx × ou × pe, so a request
    may ask for `row_limit // units` dx × pe cells; periods are split first, then data items."""
    if row_limit < 1:
        raise ValueError("the row limit must be at least 1")
    cells = row_limit // max(units, 1)
    if cells < 1:
        raise DHIS2Error(
            f"{units} organisation units exceed the row limit of {row_limit} for a single data "
            "item and period: request fewer levels, or raise --row-limit if the server allows"
        )
    pe_size = min(len(periods), cells)
    dx_size = max(1, min(len(dx_ids), cells // pe_size))
    return [
        (list(dx_ids[i : i + dx_size]), list(periods[j : j + pe_size]))
        for i in range(0, len(dx_ids), dx_size)
        for j in range(0, len(periods), pe_size)
    ]


def _halves(items: Sequence[str]) -> tuple[list[str], list[str]]:
    middle = (len(items) + 1) // 2
    return list(items[:middle]), list(items[middle:])


def fetch_analytics(
    client: Client,
    dx_ids: Sequence[str],
    levels: Sequence[int | str],
    periods: Sequence[str],
    *,
    units: int,
    row_limit: int = DEFAULT_ROW_LIMIT,
    progress: Callable[[str], None] = lambda _: None,
) -> tuple[list[tuple[str, dict]], list[str]]:
    """Every (query URL, body) needed for dx × levels × periods, each request within the row
    limit; a part the server refuses for its own, lower limit (E7128) or answers incompletely
    (fewer rows than its `height`) is split in two and asked again. Also returns notices."""
    plan = request_plan(dx_ids, periods, units, row_limit)
    notices = []
    if len(plan) > 1:
        notices.append(
            f"analytics split into {len(plan)} requests: {len(dx_ids)} data items × {units} "
            f"organisation units × {len(periods)} periods exceed the row limit of {row_limit}"
        )
    answers: list[tuple[str, dict]] = []
    queue = list(plan)
    while queue:
        dx, pe = queue.pop(0)
        progress(f"analytics request {len(answers) + 1} of {len(answers) + 1 + len(queue)}")
        try:
            url, body = client.analytics(dx, levels, pe)
            rows, height = body.get("rows"), body.get("height")
            if isinstance(rows, list) and isinstance(height, int) and height > len(rows):
                raise RowLimitExceeded(f"{url}: {len(rows)} rows of {height} (truncated)")
        except RowLimitExceeded as exc:
            if len(pe) > 1:
                parts = [(dx, half) for half in _halves(pe)]
            elif len(dx) > 1:
                parts = [(half, pe) for half in _halves(dx)]
            else:
                raise DHIS2Error(
                    f"{exc}: one data item and one period already exceed the server's row limit; "
                    "request fewer organisation unit levels"
                ) from None
            notices.append(f"the server's row limit is lower ({exc}): that request was split")
            queue[:0] = parts
            continue
        answers.append((url, body))
    return answers, notices


def import_dhis2(
    client: Client,
    areas: pd.DataFrame,
    *,
    levels: Sequence[int | str],
    periods: Sequence[str],
    mapping_file: Path = MAPPING_FILE,
    crosswalk_file: Path = CROSSWALK_FILE,
    row_limit: int = DEFAULT_ROW_LIMIT,
    progress: Callable[[str], None] = lambda _: None,
) -> ImportResult:
    """Read every mapped dx id for the given levels and periods into an `ImportResult`."""
    mappings = read_mapping(mapping_file, KEY_COLUMNS)
    crosswalk = read_crosswalk(crosswalk_file, "dhis2_uid", "dhis2_code")
    result = ImportResult(CHANNEL)
    codes: dict[str, str] = {}
    if crosswalk.by_code:
        progress("reading organisation units (codes for the crosswalk)")
        units = client.org_units(levels)
        codes = {u["id"]: u.get("code", "") for u in units if "id" in u}
        unit_count = len(units)
    else:
        unit_count = client.org_unit_count(levels)
    dx_ids = list(dict.fromkeys(m.keys["dhis2_id"] for m in mappings))
    progress(
        f"reading analytics for {len(dx_ids)} data items, {unit_count} organisation units of "
        f"levels {list(levels)}, {len(periods)} periods"
    )
    responses, notices = fetch_analytics(
        client,
        dx_ids,
        levels,
        periods,
        units=unit_count,
        row_limit=row_limit,
        progress=progress,
    )
    convert(responses, now_utc(), mappings, crosswalk, areas, result, org_unit_codes=codes)
    result.notices += notices
    return result


def load_response(path: Path) -> dict:
    """A saved analytics response (for `scripts/import dhis2 --from-file`)."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DHIS2Error(f"{path}: not a readable JSON file ({exc})") from None
    if not isinstance(body, dict):
        raise DHIS2Error(f"{path}: not an analytics response")
    return body


def import_saved_responses(
    paths: Sequence[Path],
    areas: pd.DataFrame,
    *,
    mapping_file: Path = MAPPING_FILE,
    crosswalk_file: Path = CROSSWALK_FILE,
) -> ImportResult:
    """Analytics responses saved as files (an export handed over, or a recorded answer)."""
    mappings = read_mapping(mapping_file, KEY_COLUMNS)
    crosswalk = read_crosswalk(crosswalk_file, "dhis2_uid", "dhis2_code")
    result = ImportResult(CHANNEL)
    responses = [
        (f"saved response {Path(path).resolve()}", load_response(Path(path))) for path in paths
    ]
    convert(responses, now_utc(), mappings, crosswalk, areas, result)
    return result
