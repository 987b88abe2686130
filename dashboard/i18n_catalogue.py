"""Keeps the interface catalogues in step with the code: extract, update, check.

The code marks every interface string with `_("…")` (a translator from `i18n.translator`) or
`N_("…")` (a constant translated where shown). `python -m dashboard.i18n_catalogue` extracts them
with Babel into `locales/messages.pot` and merges that template into each language's `.po`:
new strings arrive with an empty translation and the `fuzzy` (needs review) flag, existing
translations are kept, and strings no longer used are kept as obsolete (`#~`) entries, so a
translation comes back if the code uses its string again. `--check` changes nothing and exits 1
when the template is stale, which is what the unit test runs. Writes hold a lock, so two
people (or helpers) updating at once cannot lose each other's entries.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import fcntl
import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract, extract_from_dir
from babel.messages.pofile import read_po, write_po

from dashboard.i18n import BABEL_LOCALES, LANGUAGES, LOCALES_DIR, catalogue_path

REPO_ROOT = LOCALES_DIR.parent
#: Where interface strings live (data text comes from the release tables' `_lo` columns):
#: Python code and the Jinja2 templates under `layouts/templates/`.
SOURCE_DIRS = ("dashboard", "layouts", "callbacks", "geo")
SOURCE_FILES = ("app.py",)
KEYWORDS = {"_": None, "N_": None}
TEMPLATE = LOCALES_DIR / "messages.pot"
#: The list handed to the ministry's reviewers, rewritten with every update.
REVIEW_LIST = LOCALES_DIR / "REVIEW.md"
RELEASE_TRANSLATIONS = REPO_ROOT / "data" / "steps" / "translations_lo.csv"
GLOSSARY = REPO_ROOT / "data" / "glossary.csv"
HEADER = """\
Interface strings of the NSPS Transparency Dashboard (msgid = the English text).
Every entry flagged `fuzzy` is a draft not yet reviewed by a native Lao speaker;
the dashboard uses it anyway and the README lists it for the ministry's review.
Remove the flag once a reviewer has approved the entry.
"""
#: Headers carry no clock time, so an update that adds nothing changes no byte.
_FIXED_DATE = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)
PO_OPTIONS = {"width": 100, "sort_output": True, "include_lineno": False}


def _messages(root: Path) -> Iterator[tuple[str, str, str | None]]:
    """(msgid, file, comment) of every marked string under `root`'s source folders, in Python
    code and in the Jinja2 templates of the pages served outside Dash (`_("…")` there too)."""
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    for folder in SOURCE_DIRS:
        for filename, _lineno, message, comments, _context in extract_from_dir(
            root / folder, method_map=method_map, keywords=KEYWORDS, strip_comment_tags=True
        ):
            yield message, f"{folder}/{filename}", " ".join(comments) or None
    for name in SOURCE_FILES:
        with (root / name).open("rb") as handle:
            for _lineno, message, comments, _context in extract(
                "python", handle, keywords=KEYWORDS
            ):
                yield message, name, " ".join(comments) or None


def extract_template(root: Path = REPO_ROOT) -> Catalog:
    """The catalogue template: every msgid the code marks, with the files that use it."""
    template = Catalog(
        project="nsps-dashboard", header_comment=_header_comment(), fuzzy=False, charset="utf-8"
    )
    for message, filename, comment in _messages(root):
        if not isinstance(message, str) or not message:
            continue  # plural tuples are not used; empty ids are gettext's header
        existing = template.get(message)
        if existing is None:
            template.add(
                message,
                locations=[(filename, None)],
                auto_comments=[comment] if comment else [],
                flags=("python-brace-format",) if "{" in message else (),
            )
        elif (filename, None) not in existing.locations:
            existing.locations.append((filename, None))
    return template


def _header_comment() -> str:
    return "\n".join(f"# {line}".rstrip() for line in HEADER.splitlines())


def _render(catalog: Catalog, ignore_obsolete: bool = True) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, omit_header=False, ignore_obsolete=ignore_obsolete, **PO_OPTIONS)
    return buffer.getvalue()


def template_is_current(root: Path = REPO_ROOT) -> list[str]:
    """msgids that differ between the code and `messages.pot` (empty when in step)."""
    with TEMPLATE.open("rb") as handle:
        written = {m.id for m in read_po(handle) if m.id}
    extracted = {m.id for m in extract_template(root) if m.id}
    return sorted(str(i) for i in written ^ extracted)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def review_list(lang: str = "lo") -> str:
    """Markdown listing every draft awaiting a native speaker: interface strings (fuzzy in the
    .po), domain terms (glossary) and release text (translations_lo.csv), with where each lives."""
    with catalogue_path(lang).open("rb") as handle:
        drafts = [m for m in read_po(handle) if m.id and m.fuzzy]
    with GLOSSARY.open(encoding="utf-8", newline="") as handle:
        terms = [row for row in csv.DictReader(handle) if row["status"] != "reviewed"]
    with RELEASE_TRANSLATIONS.open(encoding="utf-8", newline="") as handle:
        release_rows = [row for row in csv.DictReader(handle) if row["status"] != "reviewed"]
    tables = sorted({row["table"] for row in release_rows})
    lines = [
        "# Lao translations awaiting review by a native speaker",
        "",
        "Generated by `bash scripts/i18n` — do not edit; edit the sources named below, then",
        "re-run it. A reviewer approves an entry by correcting it if needed and then removing",
        "`#, fuzzy` (interface strings) or setting `status` to `reviewed` (the two CSV files).",
        "",
        "| group | entries awaiting review | where to edit |",
        "|---|---|---|",
        f"| interface strings | {len(drafts)} | `{catalogue_path(lang).relative_to(REPO_ROOT)}` |",
        f"| domain glossary | {len(terms)} | `{GLOSSARY.relative_to(REPO_ROOT)}` |",
        f"| release text ({', '.join(tables)}) | {len(release_rows)} "
        f"| `{RELEASE_TRANSLATIONS.relative_to(REPO_ROOT)}` (then re-run the data steps) |",
        "",
        "## Interface strings",
        "",
        "| English | Lao draft | used in |",
        "|---|---|---|",
    ]
    lines += [
        f"| {_cell(str(m.id))} | {_cell(str(m.string))} "
        f"| {', '.join(sorted({f for f, _ in m.locations}))} |"
        for m in sorted(drafts, key=lambda m: str(m.id).lower())
    ]
    lines += ["", "## Glossary", "", "| English | Lao | note |", "|---|---|---|"]
    lines += [
        f"| {_cell(t['term_en'])} | {_cell(t['term_lo'])} | {_cell(t['note'])} |" for t in terms
    ]
    lines += [
        "",
        "## Release text",
        "",
        f"{len(release_rows)} cells of indicator names, units, definitions, goals, activities,",
        "challenges, institutions and budget lines: one row each in",
        f"`{RELEASE_TRANSLATIONS.relative_to(REPO_ROOT)}`, which opens as a spreadsheet",
        "(columns table, key, column, english, lao, status).",
        "",
    ]
    return "\n".join(lines)


@contextmanager
def _locked() -> Iterator[None]:
    with (LOCALES_DIR / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def update(root: Path = REPO_ROOT) -> dict[str, list[str]]:
    """Rewrite the template, merge it into every language; return each language's new msgids."""
    added: dict[str, list[str]] = {}
    with _locked():
        template = extract_template(root)
        template.creation_date = _FIXED_DATE
        TEMPLATE.write_bytes(_render(template))
        for lang in LANGUAGES:
            if lang == "en":
                continue
            path = catalogue_path(lang)
            with path.open("rb") as handle:
                catalogue = read_po(handle, locale=BABEL_LOCALES[lang])
            for msgid, message in list(catalogue.obsolete.items()):  # used again: revive,
                if msgid in template and msgid not in catalogue:  # to be reviewed in context
                    catalogue[msgid] = message
                    message.flags.add("fuzzy")
                    del catalogue.obsolete[msgid]
            before = {m.id for m in catalogue if m.id}
            catalogue.update(template, no_fuzzy_matching=True, update_header_comment=True)
            for message in catalogue:
                if message.id and message.id not in before:
                    message.flags.add("fuzzy")
            catalogue.header_comment = _header_comment()
            catalogue.creation_date = template.creation_date = _FIXED_DATE
            path.write_bytes(_render(catalogue, ignore_obsolete=False))
            added[lang] = sorted(str(m.id) for m in catalogue if m.id and m.id not in before)
        REVIEW_LIST.write_text(review_list(), encoding="utf-8")
    return added


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report staleness, change nothing")
    args = parser.parse_args(argv)
    if args.check:
        stale = template_is_current()
        for msgid in stale:
            print(f"messages.pot is stale: {msgid!r}", file=sys.stderr)
        review_stale = REVIEW_LIST.read_text(encoding="utf-8") != review_list()
        if review_stale:
            print(f"{REVIEW_LIST.name} is stale", file=sys.stderr)
        return 1 if stale or review_stale else 0
    for lang, msgids in update().items():
        for msgid in msgids:
            print(f"{lang}: new, needs a translation: {msgid!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
