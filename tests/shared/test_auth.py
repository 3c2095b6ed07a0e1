"""Tokens become principals; anything doubtful is a 401, and production refuses dev secrets."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import Field

from shared.auth import OrgKind, Principal, Role, TokenVerifier, principal_from_claims, requires
from shared.devtoken import main as devtoken_main
from shared.devtoken import make_token
from shared.http.app import create_service_app
from shared.http.deps import REQUEST_UNIT_OF_WORK, IdempotencyKey
from shared.http.idempotency import create_once
from shared.http.schemas import ApiModel
from shared.problems import Forbidden, Unauthorized
from shared.runtime import Runtime
from shared.settings import DEV_SECRET, ServiceSettings
from shared.store import MessagingBase
from shared.unit_of_work import UnitOfWork


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


# --- Issue 13 (defect 7): a signed token is still input. Its `org` must be a code of its kind.

@pytest.mark.parametrize("org", ["Boxtel", "gm0757", ["GM0757"], "GM075", "GM07570", "", None])
def test_a_gemeente_token_whose_org_is_no_cbs_code_is_401(org: Any) -> None:
    with pytest.raises(ValueError, match="org"):
        principal_from_claims(claims(org=org))
    token = jwt.encode(claims(org=org), DEV_SECRET, algorithm="HS256")
    with pytest.raises(Unauthorized):
        TokenVerifier(ServiceSettings()).verify(token)


@pytest.mark.parametrize(("kind", "org"), [
    ("provider", "wsd"), ("provider", "GM0757 OR 1=1"), ("wsp", "W"), ("platform", ["NL"]),
    ("provider", "X" * 41),
])
def test_other_kinds_need_an_upper_case_identifier(kind: str, org: Any) -> None:
    with pytest.raises(ValueError, match="org"):
        principal_from_claims(claims(org_kind=kind, org=org))


@pytest.mark.parametrize("listed", ["GM0757", ["GM0757", "Boxtel"], [["GM0757"]], {"GM0757": 1}])
def test_a_gemeenten_claim_must_be_a_list_of_cbs_codes(listed: Any) -> None:
    with pytest.raises(ValueError, match="gemeenten"):
        principal_from_claims(claims(org_kind="provider", org="WSD", gemeenten=listed))


def test_the_platform_operator_acts_for_no_gemeente() -> None:
    principal = principal_from_claims(claims(org_kind="platform", org="NL-PLATFORM",
                                             roles=["admin"], gemeenten=["GM0757"]))
    assert principal.kind is OrgKind.PLATFORM and principal.gemeenten == frozenset()
    assert not principal.acts_for("GM0757") and not principal.is_gemeente("GM0757")


def test_is_gemeente_is_the_gemeente_itself_not_one_acting_for_it() -> None:
    boxtel = principal_from_claims(claims())
    wsd = principal_from_claims(claims(org_kind="provider", org="WSD", gemeenten=["GM0757"]))
    assert boxtel.is_gemeente("GM0757") and not boxtel.is_gemeente("GM0865")
    assert wsd.acts_for("GM0757") and not wsd.is_gemeente("GM0757")


# --- Issue 13 (defect 8): an Idempotency-Key replay must not skip the role check.

def test_idempotency_keys_are_scoped_per_user_not_per_organisation() -> None:
    anna = principal_from_claims(claims(sub="anna"))
    bram = principal_from_claims(claims(sub="bram"))
    assert anna.idempotency_scope != bram.idempotency_scope
    assert anna.idempotency_scope == principal_from_claims(claims(sub="anna")).idempotency_scope
    # The scope is the primary-key column idempotency_keys.organisation: String(64).
    long_sub = principal_from_claims(claims(sub="x" * 500, org_kind="provider", org="W" * 40))
    assert len(long_sub.idempotency_scope) <= 64
    assert anna.idempotency_scope.startswith("GM0757:")


class ThingIn(ApiModel):
    """A body with a required, bounded field: malformed bodies are easy to make."""

    count: int = Field(ge=1, le=10)


class ThingOut(ApiModel):
    id: str
    count: int


CASEWORKER_ONLY = requires(Role.CASEWORKER, kinds=(OrgKind.GEMEENTE,))


def tiny_app(database: str) -> FastAPI:
    """The spine's app factory, one creating route written the way the house rules ask."""
    settings = ServiceSettings(database_url=database, environment="test")
    router = APIRouter()

    @router.post("/things", status_code=201, response_model=ThingOut)
    async def create_thing(body: ThingIn, request: Request,
                           principal: Annotated[Principal, Depends(CASEWORKER_ONLY)],
                           uow: Annotated[UnitOfWork, REQUEST_UNIT_OF_WORK],
                           idempotency_key: IdempotencyKey = None) -> JSONResponse:
        async def create() -> tuple[ThingOut, str]:
            thing = ThingOut(id=uuid.uuid4().hex, count=body.count)
            return thing, f"/v1/things/{thing.id}"

        return await create_once(uow, key=idempotency_key, request=request,
                                 payload=body.model_dump(mode="json"), create=create)

    app = create_service_app(settings, title="tiny", version="1.0.0", description="tiny",
                             routers=[router],
                             make_runtime=lambda s: Runtime(s, unit_of_work=UnitOfWork))
    # No lifespan (no bus needed): the runtime's engine and sessions are all the route uses.
    app.state.runtime = Runtime(settings, unit_of_work=UnitOfWork, publishes=False)
    return app


@pytest.fixture
async def tiny(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = tiny_app(f"sqlite+aiosqlite:///{tmp_path / 'tiny.db'}")
    runtime: Runtime[ServiceSettings, UnitOfWork] = app.state.runtime
    async with runtime.engine.begin() as connection:
        await connection.run_sync(MessagingBase.metadata.create_all)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://tiny") as client:
        yield client
    await runtime.engine.dispose()


def user(sub: str, *roles: Role, org: str = "GM0757",
         kind: OrgKind = OrgKind.GEMEENTE) -> dict[str, str]:
    token = make_token(org=org, kind=kind, roles=list(roles), subject=sub)
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("body", [{"count": 99}, {"count": "many"}, {}, {"count": 1, "x": 2}])
async def test_a_caller_without_the_role_gets_403_whatever_body_it_sends(
        tiny: httpx.AsyncClient, body: dict[str, Any]) -> None:
    board = await tiny.post("/v1/things", json=body, headers=user("b", Role.BOARD))
    assert board.status_code == 403, board.text
    assert board.headers["content-type"] == "application/problem+json"
    provider = await tiny.post("/v1/things", json=body,
                               headers=user("w", Role.CASEWORKER, org="WSD",
                                            kind=OrgKind.PROVIDER))
    assert provider.status_code == 403, provider.text
    # The caseworker with the same body learns it is malformed: 400, never 422.
    caseworker = await tiny.post("/v1/things", json=body, headers=user("c", Role.CASEWORKER))
    assert caseworker.status_code == 400, caseworker.text


async def test_a_replayed_key_still_passes_the_role_check_and_is_per_user(
        tiny: httpx.AsyncClient) -> None:
    key = {"Idempotency-Key": "k-1"}
    anna = user("anna", Role.CASEWORKER)
    first = await tiny.post("/v1/things", json={"count": 3}, headers={**anna, **key})
    assert first.status_code == 201, first.text
    again = await tiny.post("/v1/things", json={"count": 3}, headers={**anna, **key})
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    # A board member of the same gemeente replaying Anna's key and body: 403, nothing returned.
    board = await tiny.post("/v1/things", json={"count": 3},
                            headers={**user("anna-boss", Role.BOARD), **key})
    assert board.status_code == 403 and "id" not in board.json()
    # Another caseworker of the same gemeente with the same key runs a request of their own.
    bram = await tiny.post("/v1/things", json={"count": 3},
                           headers={**user("bram", Role.CASEWORKER), **key})
    assert bram.status_code == 201 and "Idempotent-Replayed" not in bram.headers
    assert bram.json()["id"] != first.json()["id"]


@pytest.mark.parametrize("org", ["Boxtel", "gm0757", ["GM0757"]])
async def test_a_bad_org_claim_is_401_problem_json_through_a_real_app(
        tiny: httpx.AsyncClient, org: Any) -> None:
    token = jwt.encode(claims(org=org), DEV_SECRET, algorithm="HS256")
    response = await tiny.post("/v1/things", json={"count": 1},
                               headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["WWW-Authenticate"] == "Bearer"
