"""Tokens become principals; anything doubtful is a 401, and production refuses dev secrets."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from shared.auth import OrgKind, Role, TokenVerifier
from shared.devtoken import main as devtoken_main
from shared.devtoken import make_token
from shared.problems import Forbidden, Unauthorized
from shared.settings import DEV_SECRET, ServiceSettings


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {"sub": "u1", "org": "GM0757", "org_kind": "gemeente", "roles": ["caseworker"],
            "iss": "participatiewet-dev", "aud": "participatiewet", "iat": now, "exp": now + 60}
    base.update(overrides)
    return base


def test_dev_token_round_trip() -> None:
    verifier = TokenVerifier(ServiceSettings())
    token = make_token(org="WSD", kind=OrgKind.PROVIDER, roles=[Role.CONSULTANT],
                       gemeenten=["GM0757", "GM0865"])
    principal = verifier.verify(token)
    assert principal.org == "WSD" and principal.kind is OrgKind.PROVIDER
    assert principal.gemeenten == {"GM0757", "GM0865"}
    assert principal.acts_for("GM0865") and not principal.acts_for("GM1948")


def test_a_gemeente_acts_only_for_itself_whatever_the_token_claims() -> None:
    token = jwt.encode(claims(gemeenten=["GM0757", "GM0865"]), DEV_SECRET, algorithm="HS256")
    assert TokenVerifier(ServiceSettings()).verify(token).gemeenten == {"GM0757"}


def test_unknown_roles_are_ignored() -> None:
    token = jwt.encode(claims(roles=["caseworker", "superuser"]), DEV_SECRET, algorithm="HS256")
    assert TokenVerifier(ServiceSettings()).verify(token).roles == {Role.CASEWORKER}


@pytest.mark.parametrize("bad", [
    {"exp": int(time.time()) - 5}, {"aud": "someone-else"}, {"iss": "evil"},
    {"org_kind": "bank"}, {"sub": None},
])
def test_doubtful_tokens_are_401(bad: dict[str, Any]) -> None:
    payload = {k: v for k, v in claims(**bad).items() if v is not None}
    token = jwt.encode(payload, DEV_SECRET, algorithm="HS256")
    with pytest.raises(Unauthorized):
        TokenVerifier(ServiceSettings()).verify(token)


def test_wrong_secret_and_alg_none_are_401() -> None:
    verifier = TokenVerifier(ServiceSettings())
    with pytest.raises(Unauthorized):
        verifier.verify(jwt.encode(claims(), "another-secret-of-sufficient-length!!", "HS256"))
    with pytest.raises(Unauthorized):
        verifier.verify(jwt.encode(claims(), None, algorithm="none"))


def test_rs256_with_a_configured_public_key() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    verifier = TokenVerifier(ServiceSettings(auth_public_key=public_pem))
    assert verifier.verify(jwt.encode(claims(), key, algorithm="RS256")).org == "GM0757"
    with pytest.raises(Unauthorized):  # a dev HS256 token is no longer accepted
        verifier.verify(jwt.encode(claims(), DEV_SECRET, algorithm="HS256"))


def test_require_checks_roles_and_kinds() -> None:
    principal = TokenVerifier(ServiceSettings()).verify(
        jwt.encode(claims(roles=["controller"]), DEV_SECRET, algorithm="HS256"))
    principal.require(Role.CONTROLLER)
    with pytest.raises(Forbidden):
        principal.require(Role.CASEWORKER)
    with pytest.raises(Forbidden):
        principal.require(Role.CONTROLLER, kinds=(OrgKind.PROVIDER,))


def test_production_refuses_the_dev_secret() -> None:
    with pytest.raises(ValueError, match="production"):
        ServiceSettings(environment="production", database_url="postgresql+asyncpg://x/y")
    ServiceSettings(environment="production", database_url="postgresql+asyncpg://x/y",
                    auth_jwks_url="https://idp.example.nl/jwks")


def test_devtoken_cli_prints_the_token_last(capsys: pytest.CaptureFixture[str]) -> None:
    assert devtoken_main(["--org", "GM0757", "--kind", "gemeente", "--role", "caseworker"]) == 0
    token = capsys.readouterr().out.split()[-1]
    assert TokenVerifier(ServiceSettings()).verify(token).org == "GM0757"


def test_a_cached_token_still_expires() -> None:
    verifier = TokenVerifier(ServiceSettings())
    token = jwt.encode(claims(exp=int(time.time()) + 1), DEV_SECRET, algorithm="HS256")
    assert verifier.verify(token).org == "GM0757"
    assert verifier.verify(token).org == "GM0757"  # served from the cache
    time.sleep(1.1)
    with pytest.raises(Unauthorized):
        verifier.verify(token)
