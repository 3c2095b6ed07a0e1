"""Which callback URLs a production deployment refuses (server-side request forgery).

A subscriber chooses the URL matching will POST to; without a check, anyone with a token could
point deliveries at the deployment's own network (a database port, a metadata endpoint). An
address given as a literal must be a public one, and `localhost` names are refused. Names that
resolve to internal addresses are not caught here (that needs an egress proxy or network policy;
see the README).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def callback_refusal(url: str) -> str | None:
    """Why this URL may not receive deliveries, or None when it may."""
    parts = urlsplit(url)
    if parts.scheme != "https":
        return "not an https URL"
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        return "no host"
    if host == "localhost" or host.endswith(".localhost"):
        return "a localhost address"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None  # a name: public DNS is the caller's business
    if not address.is_global:
        return f"{address} is not a public address"
    return None
