"""Reporting's settings: the shared ones, with REPORTING_ overrides and its own."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from shared.organisations import provider_kvks
from shared.settings import ServiceSettings

API_VERSION = "1.0.0"


def _known_provider_kvks() -> dict[str, list[str]]:
    return {code: list(kvks) for code, kvks in provider_kvks().items()}


class ReportingSettings(ServiceSettings):
    """Configuration of the reporting process."""

    service: ClassVar[str] = "reporting"

    # KvK numbers under which each uitvoerder employs people itself: a trial, LKS or beschut
    # placement with such an employer is a place "at the uitvoerder" (on its guidance budget);
    # with any other employer it is a direct placement (shared/figures.py). By default the
    # organisations list of the spine (shared/organisations.py), which finance uses too; set
    # REPORTING_PROVIDER_KVKS only to override it (an uitvoerder not in that list yet).
    reporting_provider_kvks: dict[str, list[str]] = Field(default_factory=_known_provider_kvks)
    # Browsers may pass `?token=` to /dashboard only outside production-like environments.
    reporting_dashboard_query_token: bool = True
    # Rebuild: messages per pull request, and events folded between two writes to the
    # database. The facts stay in memory either way (a later event of a candidate needs them),
    # so writing once at the end costs no memory and writes each row once.
    reporting_rebuild_fetch: int = 2000
    reporting_rebuild_flush_events: int = 2_000_000

    @property
    def query_token_allowed(self) -> bool:
        """`?token=` on the dashboard: development and test only, whatever the flag says."""
        return self.reporting_dashboard_query_token and self.environment != "production"
