"""Who publishes this dashboard, and under what terms: operator settings, never assumed.

A transparency dashboard must not claim an owner or an endorsement that no document gives it.
Unless its operator configures a publisher (`NSPS_PUBLISHER_NAME`, `NSPS_PUBLISHER_STATEMENT_EN`,
`NSPS_PUBLISHER_STATEMENT_LO`), it says it is an independent dashboard built on published
figures, not an official statistical publication.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from dashboard.i18n import N_, translator

INDEPENDENT_STATEMENT = N_(
    "An independent transparency dashboard built on published figures. It is not an official "
    "statistical publication and no government body has endorsed it."
)
#: Who the zip's citation names when no publisher is configured.
INDEPENDENT_AUTHOR = "NSPS Transparency Dashboard contributors"


@dataclass(frozen=True)
class Publisher:
    """The operator's name and one-line statement; empty means the independent default."""

    name: str = ""
    statement_en: str = ""
    statement_lo: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Publisher:
        return cls(
            name=(env.get("NSPS_PUBLISHER_NAME") or "").strip(),
            statement_en=(env.get("NSPS_PUBLISHER_STATEMENT_EN") or "").strip(),
            statement_lo=(env.get("NSPS_PUBLISHER_STATEMENT_LO") or "").strip(),
        )

    def statement(self, lang: str) -> str:
        """The footer line: the configured statement in the reader's language, else the default.

        A configured English statement is shown on Lao pages too rather than the independent
        default, which would contradict it.
        """
        configured = self.statement_lo if lang == "lo" else self.statement_en
        configured = configured or self.statement_en or self.statement_lo
        if configured:
            return configured
        return translator(lang)(INDEPENDENT_STATEMENT)

    def credit(self, lang: str) -> str:
        """'Published by …' when a publisher is configured; nothing otherwise."""
        if not self.name:
            return ""
        _ = translator(lang)
        return _("Published by {publisher}.", publisher=self.name)

    def footer_line(self, lang: str) -> str:
        """Who publishes the site and on what footing, for page footers."""
        return " ".join(text for text in (self.credit(lang), self.statement(lang)) if text)

    @property
    def author(self) -> str:
        """The author a citation names (English; zip README, CITATION, BibTeX)."""
        return self.name or INDEPENDENT_AUTHOR


INDEPENDENT = Publisher()
