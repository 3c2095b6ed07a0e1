"""Production refuses callback URLs that point into the deployment's own network (SSRF).

The address rules are pure (`domain/callbacks.py`); the checks that resolve a name run the
real system resolver, which normalises numeric host forms the way an HTTP client would. Where a
test needs a name to resolve somewhere particular, only our own `delivery.resolve` is replaced:
the rule under test is the address check, not DNS.
"""

from __future__ import annotations

import ipaddress
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from services.matching import delivery
from services.matching.delivery import Target, check_callback
from services.matching.domain.callbacks import (
    Address,
    address_refusal,
    parse_allowed_networks,
    url_refusal,
)
from services.matching.settings import CallbackPolicy, MatchingSettings
from shared.auth import OrgKind, Role
from shared.devtoken import make_token
from tests.compose.tls import make_server_tls, serving_tls
from tests.conftest import eventually
from tests.matching.conftest import LIGHT, Starter, vacancy
from tests.support.receiver import new_receiver
from tests.support.services import ServiceUnderTest

PUBLISHED = "nl.participatiewet.matching.vacancy-published"
PRODUCTION_SECRET = "compose-test-secret-" + "x" * 40
NO_POLICY = CallbackPolicy()
REAL_RESOLVE = delivery.resolve

# Issue 13: production accepted each of these; all are 127.0.0.1 or 169.254.169.254.
NUMERIC_FORMS = [
    ("https://127.1/", "127.0.0.1, a loopback address"),
    ("https://2130706433/", "127.0.0.1, a loopback address"),
    ("https://0x7f000001/", "127.0.0.1, a loopback address"),
    ("https://0x7f.1/", "127.0.0.1, a loopback address"),
    ("https://017700000001/", "127.0.0.1, a loopback address"),
    ("https://2852039166/", "169.254.169.254, a link-local address"),
    ("https://0xa9fea9fe/", "169.254.169.254, a link-local address"),
]


@pytest.mark.parametrize(("url", "reason"), NUMERIC_FORMS)
async def test_numeric_host_forms_are_resolved_and_refused(url: str, reason: str) -> None:
    refusal = await check_callback(url, NO_POLICY)
    assert isinstance(refusal, str) and refusal.endswith(f"resolves to {reason}"), refusal


@pytest.mark.parametrize("url", [
    "https://8.8.8.8/hooks",
    "https://[2001:4860:4860::8888]:8443/hooks",
    "https://134744072/hooks",  # 8.8.8.8 in decimal: odd, but public
])
async def test_public_addresses_are_allowed_and_pinned(url: str) -> None:
    target = await check_callback(url, NO_POLICY)
    assert isinstance(target, Target)
    assert target.url.startswith(("https://8.8.8.8/", "https://[2001:4860:4860::8888]:8443/"))


@pytest.mark.parametrize(("url", "reason"), [
    ("http://hooks.example.nl/x", "not an https URL"),
    ("https:///x", "no host"),
    ("https://localhost:8443/x", "a localhost address"),
    ("https://api.localhost./x", "a localhost address"),
])
def test_the_url_itself_is_checked_before_any_lookup(url: str, reason: str) -> None:
    assert url_refusal(url) == reason


@pytest.mark.parametrize(("address", "reason"), [
    ("127.0.0.1", "127.0.0.1 is a loopback address"),
    ("10.1.2.3", "10.1.2.3 is a private address"),
    ("192.168.0.10", "192.168.0.10 is a private address"),
    ("169.254.169.254", "169.254.169.254 is a link-local address"),
    ("0.0.0.0", "0.0.0.0 is an unspecified address"),
    ("224.0.0.1", "224.0.0.1 is a multicast address"),
    ("240.0.0.1", "240.0.0.1 is a reserved address"),
    ("100.64.0.1", "100.64.0.1 is not a public address"),
    ("::1", "::1 is a loopback address"),
    ("::", ":: is an unspecified address"),
    ("fe80::1", "fe80::1 is a link-local address"),
    ("fd12::1", "fd12::1 is a private address"),
    ("::ffff:127.0.0.1", "::ffff:7f00:1 carries 127.0.0.1, a loopback address"),
    ("::ffff:10.0.0.1", "::ffff:a00:1 carries 10.0.0.1, a private address"),
    ("2002:a9fe:a9fe::1", "2002:a9fe:a9fe::1 carries 169.254.169.254, a link-local address"),
    ("64:ff9b::7f00:1", "64:ff9b::7f00:1 carries 127.0.0.1, a loopback address"),
    ("64:ff9b:1::a00:1", "64:ff9b:1::a00:1 is a local NAT64 address"),
    ("::127.0.0.1", "::7f00:1 carries 127.0.0.1, a loopback address"),
])
def test_non_public_addresses_and_ipv6_forms_of_them_are_refused(address: str,
                                                                  reason: str) -> None:
    assert address_refusal(ipaddress.ip_address(address)) == reason


def fake_resolver(table: dict[str, list[str]]) -> Callable[[str, int], Awaitable[list[Address]]]:
    """Our resolver, answering from a table for the names in it (they exist nowhere), and as
    before for everything else (address literals)."""

    async def resolve(host: str, port: int) -> list[Address]:
        if host in table:
            return [ipaddress.ip_address(a) for a in table[host]]
        return await REAL_RESOLVE(host, port)

    return resolve


async def test_names_resolving_to_internal_addresses_are_refused(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(delivery, "resolve", fake_resolver({
        "intranet.gemeente.example": ["10.20.0.5"],
        "split.gemeente.example": ["8.8.8.8", "127.0.0.1"],  # one bad address is enough
        "metadata.example": ["::ffff:169.254.169.254"]}))
    assert await check_callback("https://intranet.gemeente.example/h", NO_POLICY) == (
        "intranet.gemeente.example resolves to 10.20.0.5, a private address")
    assert await check_callback("https://split.gemeente.example/h", NO_POLICY) == (
        "split.gemeente.example resolves to 127.0.0.1, a loopback address")
    assert await check_callback("https://metadata.example/h", NO_POLICY) == (
        "metadata.example resolves to ::ffff:a9fe:a9fe, which carries 169.254.169.254, "
        "a link-local address")


async def test_localhost_through_the_real_resolver_and_an_unknown_name() -> None:
    assert await check_callback("https://localhost/h", NO_POLICY) == "a localhost address"
    refusal = await check_callback("https://no-such-host.invalid/h", NO_POLICY)
    assert isinstance(refusal, str) and refusal.startswith("no-such-host.invalid does not resolve")


async def test_the_allow_list_lets_listed_private_networks_through_and_nothing_more(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(delivery, "resolve", fake_resolver({
        "zaken.gemeente.example": ["10.20.3.4"]}))
    policy = CallbackPolicy(parse_allowed_networks(["10.20.0.0/16", "192.168.5.7"]))
    target = await check_callback("https://zaken.gemeente.example:8443/in?x=1", policy)
    assert target == Target("https://10.20.3.4:8443/in?x=1", "zaken.gemeente.example:8443",
                            "zaken.gemeente.example")
    assert isinstance(await check_callback("https://192.168.5.7/", policy), Target)
    for url, reason in [("https://10.21.0.1/", "10.21.0.1 is a private address"),
                        ("https://192.168.5.8/", "192.168.5.8 is a private address"),
                        ("https://127.0.0.1/", "127.0.0.1 is a loopback address"),
                        ("https://169.254.169.254/", "169.254.169.254 is a link-local address"),
                        ("http://10.20.3.4/", "not an https URL")]:
        assert await check_callback(url, policy) == reason
    # Loopback and link-local pass only when their own range is listed.
    explicit = CallbackPolicy(parse_allowed_networks(["127.0.0.1", "169.254.169.254/32"]))
    assert isinstance(await check_callback("https://127.1/", explicit), Target)
    assert isinstance(await check_callback("https://0xa9fea9fe/", explicit), Target)
    assert await check_callback("https://127.0.0.2/", explicit) == (
        "127.0.0.2 is a loopback address")


@pytest.mark.parametrize("entry", ["0.0.0.0/0", "8.8.8.0/24", "::/0", "10.0.0.0/7",
                                   "not-a-network", "10.0.0.300"])
def test_the_allow_list_takes_only_private_networks(entry: str) -> None:
    with pytest.raises(ValueError, match=entry.replace(".", r"\.")):
        parse_allowed_networks([entry])


def test_the_allow_list_and_webhook_secrets_come_from_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MATCHING_CALLBACK_ALLOWED_NETWORKS", " 10.20.0.0/16, 192.168.5.7 ,")
    monkeypatch.setenv("MATCHING_WSP_WEBHOOK_SECRETS", "")  # compose passes an unset one so
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("AUTH_DEV_SECRET", PRODUCTION_SECRET)
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://u@db/matching")
    settings = MatchingSettings()
    assert settings.matching_wsp_webhook_secrets == {}
    assert settings.callback_policy == CallbackPolicy((
        ipaddress.ip_network("10.20.0.0/16"), ipaddress.ip_network("192.168.5.7/32")))
    monkeypatch.setenv("MATCHING_CALLBACK_ALLOWED_NETWORKS", "10.20.0.0/16,0.0.0.0/0")
    with pytest.raises(ValidationError, match="0.0.0.0/0"):
        MatchingSettings()
    monkeypatch.setenv("MATCHING_CALLBACK_ALLOWED_NETWORKS", "")
    monkeypatch.setenv("ENVIRONMENT", "test")
    assert MatchingSettings().callback_policy is None  # http to local receivers in tests


def production_staff(service: ServiceUnderTest) -> dict[str, str]:
    token = make_token(org="GM0757", kind=OrgKind.GEMEENTE, roles=[Role.ACCOUNT_MANAGER],
                       settings=service.settings)
    return {"Authorization": f"Bearer {token}"}


async def start_production(start_matching: Starter, **overrides: Any) -> ServiceUnderTest:
    return await start_matching(environment="production", auth_dev_secret=PRODUCTION_SECRET,
                                **overrides)


async def test_production_refuses_each_numeric_form_with_a_problem(
        start_matching: Starter) -> None:
    matching = await start_production(start_matching)
    headers = production_staff(matching)
    for url, reason in NUMERIC_FORMS:
        response = await matching.client.post("/v1/webhook-subscriptions", headers=headers,
                                              json={"url": url, "eventTypes": [PUBLISHED]})
        assert response.status_code == 400, (url, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["invalidParams"][0]["name"] == "url"
        assert problem["invalidParams"][0]["reason"].endswith(reason)
        assert reason in problem["detail"]
    listed = await matching.client.get("/v1/webhook-subscriptions", headers=headers)
    assert listed.json()["items"] == []


async def subscribe(matching: ServiceUnderTest, url: str) -> dict[str, Any]:
    response = await matching.client.post(
        "/v1/webhook-subscriptions", headers=production_staff(matching),
        json={"url": url, "eventTypes": [PUBLISHED]})
    assert response.status_code == 201, response.text
    return dict(response.json())


async def attempts(matching: ServiceUnderTest, subscription_id: str) -> list[dict[str, Any]]:
    response = await matching.client.get(
        f"/v1/webhook-subscriptions/{subscription_id}/deliveries",
        headers=production_staff(matching))
    return [a for d in response.json()["items"] for a in d["attempts"]]


async def test_each_delivery_checks_again_and_never_follows_a_rebound_name(
        start_matching: Starter, monkeypatch: pytest.MonkeyPatch) -> None:
    """Public at subscription, loopback at delivery time (DNS rebinding): nothing is sent."""
    answers = {"hooks.wsp.example": ["8.8.8.8"]}
    monkeypatch.setattr(delivery, "resolve", fake_resolver(answers))
    matching = await start_production(start_matching)
    subscription = await subscribe(matching, "https://hooks.wsp.example/events")
    answers["hooks.wsp.example"] = ["127.0.0.1"]
    await vacancy(matching, [LIGHT], headers=production_staff(matching))

    async def tried() -> list[dict[str, Any]]:
        return await attempts(matching, subscription["id"])

    await eventually(tried)
    (first, *_) = await tried()
    assert first["statusCode"] is None
    assert first["error"] == ("callback refused: hooks.wsp.example resolves to 127.0.0.1, "
                              "a loopback address")


async def test_a_delivery_goes_to_the_checked_address_with_the_name_for_host_and_tls(
        start_matching: Starter, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """An allowed internal receiver over https: the request is sent to the address we checked,
    while the Host header, SNI and the certificate check keep the name (which exists only in
    our resolver, so any second lookup would fail)."""
    name = f"zaken-{uuid.uuid4().hex[:8]}.gemeente.example"
    tls = make_server_tls(tmp_path, [name])
    monkeypatch.setenv("SSL_CERT_FILE", str(tls.ca_file))  # matching's client trusts our CA
    monkeypatch.setattr(delivery, "resolve", fake_resolver({name: ["127.0.0.1"]}))
    matching = await start_production(
        start_matching, matching_callback_allowed_networks=("127.0.0.1",))
    async with serving_tls(new_receiver(), tls) as receiver:
        url = f"https://{name}:{receiver.port}/hooks"
        subscription = await subscribe(matching, url)
        await vacancy(matching, [LIGHT], headers=production_staff(matching))
        await eventually(lambda: receiver.received)
        assert receiver.received[0].headers["host"] == f"{name}:{receiver.port}"
        await eventually(lambda: attempts(matching, subscription["id"]))
        (attempt,) = await attempts(matching, subscription["id"])
        assert attempt["statusCode"] == 200
