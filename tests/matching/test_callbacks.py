"""Production refuses callback URLs that point into the deployment's own network."""

from __future__ import annotations

import pytest

from services.matching.domain.callbacks import callback_refusal


@pytest.mark.parametrize("url", [
    "https://hooks.wsp-brabant.example/participatiewet",
    "https://203.0.113.7.nip.io/hooks",  # a name: DNS is out of scope here
    "https://8.8.8.8/hooks",
])
def test_public_https_callbacks_are_allowed(url: str) -> None:
    assert callback_refusal(url) is None


@pytest.mark.parametrize(("url", "reason"), [
    ("http://hooks.example.nl/x", "not an https URL"),
    ("https://localhost:8443/x", "a localhost address"),
    ("https://api.localhost/x", "a localhost address"),
    ("https://127.0.0.1/x", "127.0.0.1 is not a public address"),
    ("https://10.1.2.3/x", "10.1.2.3 is not a public address"),
    ("https://169.254.169.254/latest/meta-data", "169.254.169.254 is not a public address"),
    ("https://[::1]/x", "::1 is not a public address"),
    ("https://192.168.0.10:9200/x", "192.168.0.10 is not a public address"),
])
def test_internal_or_plain_http_callbacks_are_refused(url: str, reason: str) -> None:
    assert callback_refusal(url) == reason
