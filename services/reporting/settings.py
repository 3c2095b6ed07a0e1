"""Reporting's settings: the shared ones, with REPORTING_ overrides and its own."""

from __future__ import annotations

from typing import ClassVar

from shared.settings import ServiceSettings

API_VERSION = "1.0.0"

# The demo's uitvoerder employs people itself under this (fictitious) KvK number.
DEMO_PROVIDER_KVKS: dict[str, list[str]] = {"WSD": ["90000001"]}


class ReportingSettings(ServiceSettings):
    """Configuration of the reporting process."""

    service: ClassVar[str] = "reporting"

    # KvK numbers under which each uitvoerder employs people itself: an LKS job or a trial
    # placement with such an employer is a place "at the uitvoerder" (on its guidance budget);
    # with any other employer it is a direct placement. Secondment and Wsw always count.
    reporting_provider_kvks: dict[str, list[str]] = DEMO_PROVIDER_KVKS
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
