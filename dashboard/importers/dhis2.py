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
_YEAR = re.compile(r"\d{4}")
#: ISO periods of DHIS2 that fall inside one calendar year (day, week, month, quarter, six-month).
_SUB_YEAR = re.compile(r"(\d{4})(\d{4}|W\d{1,2}|\d{2}|Q[1-4]|S[12]|BiW\d{1,2})")


class DHIS2Error(RuntimeError):
    """The server could not be read; the message says what to check (never a credential)."""


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
    body: dict,
    url: str,
    retrieved,
    mappings: list[IndicatorMap],
    crosswalk: Crosswalk,
    areas: pd.DataFrame,
    result: ImportResult,
    *,
    org_unit_codes: Mapping[str, str] | None = None,
) -> None:
    """Map one analytics response into `result`: indicators by dx id, units by the crosswalk."""
    by_dx = {m.keys["dhis2_id"]: m for m in mappings}
    items = (body.get("metaData") or {}).get("items") or {}
    period_order = {
        p: i
        for i, p in enumerate(((body.get("metaData") or {}).get("dimensions") or {}).get("pe", []))
    }
    codes = dict(org_unit_codes or {})
    unmatched: dict[str, str] = {}
    best: dict[tuple[str, str, int], tuple[int, dict[str, str]]] = {}
    stamp = retrieved.isoformat().replace("+00:00", "Z")
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
                why += f" (its crosswalk row {crosswalk.unreviewed[record['ou']]} awaits review)"
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
        dx_name = str((items.get(record["dx"]) or {}).get("name", "")) or mapping.keys["dhis2_name"]
        provenance = (
            f"DHIS2 analytics {url}, response row {number} (dx {record['dx']}, pe {record['pe']}, "
            f"ou {record['ou']}), retrieved {stamp}"
        )
        row = observation(mapping, area, year, value, source_id, provenance)
        key = (mapping.indicator_id, area, year)
        order = period_order.get(record["pe"], 0)
        if key in best:
            kept_order, kept = best[key]
            older, newer = (kept, row) if kept_order <= order else (row, kept)
            best[key] = (max(order, kept_order), newer)
            result.reject(
                url,
                int(older["provenance"].split("response row ")[1].split(",")[0]),
                f"a later period of {year} is kept (periods=latest_in_year)",
                older["value"],
            )
        else:
            best[key] = (order, row)
        result.sources[source_id] = source_row(
            source_id,
            publisher="Ministry of Health (DHIS2 health information system)",
            title=f"DHIS2 analytics: {dx_name} ({mapping.keys['dhis2_id']})",
            url=url,
            retrieved=retrieved,
            provenance=f"DHIS2 Web API analytics, {url}, retrieved {stamp}",
        )
        add_catalogue_entry(result, mapping, source_id)
    result.observations += [row for _, row in best.values()]
    for uid, name in sorted(unmatched.items()):
        hint = name_suggestion(name, areas)
        suggestion = (
            f" — name resembles {hint}: add it to the crosswalk after review" if hint else ""
        )
        result.notices.append(f"unmatched organisation unit {uid} {name!r}{suggestion}")


def import_dhis2(
    client: Client,
    areas: pd.DataFrame,
    *,
    levels: Sequence[int | str],
    periods: Sequence[str],
    mapping_file: Path = MAPPING_FILE,
    crosswalk_file: Path = CROSSWALK_FILE,
    progress: Callable[[str], None] = lambda _: None,
) -> ImportResult:
    """Read every mapped dx id for the given levels and periods into an `ImportResult`."""
    mappings = read_mapping(mapping_file, KEY_COLUMNS)
    crosswalk = read_crosswalk(crosswalk_file, "dhis2_uid", "dhis2_code")
    result = ImportResult(CHANNEL)
    codes: dict[str, str] = {}
    if crosswalk.by_code:
        progress("reading organisation units (codes for the crosswalk)")
        codes = {u["id"]: u.get("code", "") for u in client.org_units(levels) if "id" in u}
    dx_ids = list(dict.fromkeys(m.keys["dhis2_id"] for m in mappings))
    progress(f"reading analytics for {len(dx_ids)} data items, levels {list(levels)}")
    url, body = client.analytics(dx_ids, levels, periods)
    convert(
        body,
        url,
        now_utc(),
        mappings,
        crosswalk,
        areas,
        result,
        org_unit_codes=codes,
    )
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
    for path in paths:
        body = load_response(Path(path))
        convert(
            body,
            f"saved response {Path(path).resolve()}",
            now_utc(),
            mappings,
            crosswalk,
            areas,
            result,
        )
    return result
