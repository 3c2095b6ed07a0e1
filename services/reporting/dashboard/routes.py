"""/dashboard (per gemeente and period) and /dashboard/monitor (printable), outside /v1.

Read with the same bearer token and tenancy as the API. A browser cannot send a header, so
POST /dashboard/session takes the token once and stores it in an HttpOnly, SameSite=Strict
cookie (Secure in production) scoped to /dashboard; `?token=` works only outside production.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.reporting.api.access import REGIONAL_ROLES, audience_for, readable_gemeenten
from services.reporting.api.routes import period_or_default, report_body
from services.reporting.dashboard import pages
from services.reporting.domain.periods import PERIOD_PATTERN
from services.reporting.reports import Report, all_reports
from services.reporting.settings import ReportingSettings
from services.reporting.store import queries
from services.reporting.store.projections import active_generation
from shared.auth import OrgKind, Principal, TokenVerifier
from shared.organisations import display_name
from shared.problems import Problem
from shared.runtime import Runtime

router = APIRouter(prefix="/dashboard", include_in_schema=False)
COOKIE = "reporting_token"
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'"
REPORTS: dict[str, Report] = {r.slug: r for r in all_reports()}
GemeenteParam = Annotated[str | None, Query(pattern=r"^GM\d{4}$")]
PeriodParam = Annotated[str | None, Query(pattern=PERIOD_PATTERN)]
TokenParam = Annotated[str | None, Query(max_length=4000)]


def _settings(request: Request) -> ReportingSettings:
    settings = request.app.state.settings
    assert isinstance(settings, ReportingSettings)
    return settings


def _principal(request: Request, token_param: str | None) -> tuple[Principal, str | None]:
    """The caller from the header, the cookie, or (development only) `?token=`."""
    verifier: TokenVerifier = request.app.state.verifier
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return verifier.verify(header[7:].strip()), None
    if token_param and _settings(request).query_token_allowed:
        return verifier.verify(token_param), token_param
    cookie = request.cookies.get(COOKIE)
    if cookie:
        return verifier.verify(cookie), None
    raise _SignIn()


class _SignIn(Exception):
    """No credentials: show the sign-in form."""


def _html(request: Request, content: str, status: int = 200, token: str | None = None
          ) -> HTMLResponse:
    response = HTMLResponse(content, status_code=status, headers={"Content-Security-Policy": CSP})
    if token:
        _set_cookie(request, response, token)
    return response


def _set_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/dashboard",
                        secure=_settings(request).environment == "production", max_age=8 * 3600)


async def _figures(request: Request, principal: Principal, gemeente: str, period_label: str | None,
                   slugs: tuple[str, ...]) -> tuple[dict[str, Any], str]:
    runtime: Runtime = request.app.state.runtime
    period = period_or_default(period_label)
    bodies = {slug: await report_body(runtime, principal, REPORTS[slug], gemeente=gemeente,
                                      period=period) for slug in slugs}
    return bodies, period.label


async def _footer(request: Request, suppressed: bool) -> str:
    runtime: Runtime = request.app.state.runtime
    async with runtime.sessions() as session:
        generation = await active_generation(session)
        skipped = await queries.skipped(session, generation)
    unknown = sum(s.count for s in skipped)
    rule = ('Counts of 1–4 people are shown as "&lt;5" (figures beyond the gemeente itself).'
            if suppressed else "Exact counts: the gemeente's own figures.")
    return (f"{rule} Projection generation {generation}; {unknown} event(s) of unknown types "
            "skipped. Source: the event streams of intake, diagnose, matching and finance.")


async def _regional_note(request: Request, principal: Principal, label: str) -> str:
    """For an uitvoerder's board or admin: its region's target for the year, if one is set."""
    if principal.kind is not OrgKind.PROVIDER or not principal.roles & set(REGIONAL_ROLES):
        return ""
    runtime: Runtime = request.app.state.runtime
    year = period_or_default(label).year
    async with runtime.sessions() as session:
        found = await queries.regional_targets(session, principal.org, year)
    if not found:
        return ""
    return (f" Regional target of {display_name(principal.org)} for {year}: "
            f"{found[0].places:,} places (SW + PW), all its gemeenten together.")


async def _render(request: Request, gemeente: str | None, period: str | None,
                  token: str | None, *, monitor: bool) -> HTMLResponse:
    try:
        principal, fresh_token = _principal(request, token)
    except _SignIn:
        return _html(request, pages.login_page("Sign in to see the figures."), 401)
    except Problem as problem:
        return _html(request, pages.login_page(problem.detail), problem.status)
    try:
        members = readable_gemeenten(principal)
        chosen = gemeente or members[0]
        audience_for(principal, chosen)
        slugs: tuple[str, ...] = ("overview", "places", "budget", "youth", "placements", "lks")
        if monitor:
            slugs += ("trajectories", "lead-times", "outflow", "registrations", "referrals")
        bodies, label = await _figures(request, principal, chosen, period, slugs)
    except Problem as problem:
        return _html(request, pages.login_page(problem.detail), problem.status)
    rows = {slug: body["rows"] for slug, body in bodies.items()}
    suppressed = bodies["overview"]["suppressed"]
    marked = {slug for slug, body in bodies.items() if body["illustrative"]}
    notes = list(dict.fromkeys(m["note"] for body in bodies.values()
                               for m in body["illustrative"]))

    def section(title: str, slug: str, content: str, note: str = "") -> str:
        return pages.section(title, content, note, illustrative=slug in marked)

    action = "/dashboard/monitor" if monitor else "/dashboard"
    who = pages.named(chosen)
    title = (f"Monitor Participatiewet — {who} — {label}" if monitor
             else f"Participatiewet dashboard — {who} — {label}")
    content = pages.headline(rows["overview"][0], marked) + "".join([
        section("In-, door- en uitstroom", "overview", pages.funnel(rows["overview"][0])),
        section("Places realised vs target", "places", pages.places_chart(rows["places"]),
                "Bars: places realised (SW + PW at the uitvoerder) at each month end; dashed "
                "line: the target." + await _regional_note(request, principal, label)),
        section("Budget realisation", "budget", pages.budget_chart(rows["budget"][0])),
        section("Young people (16–27) by age", "youth", pages.youth_chart(rows["youth"])),
        section("Placements by form", "placements", pages.table(
            rows["placements"], ("form", "started", "ended", "activeAtEnd"))),
        section("Loonkostensubsidie", "lks", pages.table(
            rows["lks"], ("granted", "running", "monthlyCommitment", "payments", "paidAmount",
                          "lksBudget")))])
    if monitor:
        content += "".join([
            section("MWD and OAD outcomes", "trajectories", pages.table(
                rows["trajectories"], ("instrument", "measure", "people"))),
            section("Lead times (days)", "lead-times", pages.table(
                rows["lead-times"], ("step", "people", "medianDays", "p90Days"))),
            section("Uitstroom", "outflow", pages.table(rows["outflow"], ("source", "reason",
                                                                           "people"))),
            section("Registrations by target group", "registrations", pages.table(
                rows["registrations"], ("targetGroup", "people"))),
            section("Referrals by uitvoerder", "referrals", pages.table(
                rows["referrals"], ("providerName", "provider", "people")))])
    content += pages.illustrative_notes(notes)
    header = pages.picker(action, chosen, members, label)
    document = pages.page(title, header, content, await _footer(request, suppressed))
    return _html(request, document, token=fresh_token)


@router.get("", response_class=HTMLResponse)
async def dashboard(request: Request, gemeente: GemeenteParam = None, period: PeriodParam = None,
                    token: TokenParam = None) -> HTMLResponse:
    """Headline numbers and charts of one gemeente and period."""
    return await _render(request, gemeente, period, token, monitor=False)


@router.get("/monitor", response_class=HTMLResponse)
async def monitor(request: Request, gemeente: GemeenteParam = None, period: PeriodParam = None,
                  token: TokenParam = None) -> HTMLResponse:
    """The twice-yearly monitor: everything the council asks for, printable (A4)."""
    return await _render(request, gemeente, period, token, monitor=True)


@router.post("/session")
async def start_session(request: Request) -> Response:
    """Check a bearer token (form field `token`) and keep it in an HttpOnly cookie."""
    verifier: TokenVerifier = request.app.state.verifier
    # A url-encoded form read by hand: python-multipart is not a dependency.
    fields = parse_qs((await request.body()).decode("utf-8", "replace"), max_num_fields=5)
    token = (fields.get("token") or [""])[0].strip()
    if not token:
        return _html(request, pages.login_page("Paste a bearer token."), 400)
    try:
        readable_gemeenten(verifier.verify(token))
    except Problem as problem:
        return _html(request, pages.login_page(problem.detail), problem.status)
    response = RedirectResponse("/dashboard", status_code=303)
    _set_cookie(request, response, token)
    return response


@router.post("/logout")
async def end_session() -> Response:
    """Forget the cookie."""
    response = RedirectResponse("/dashboard", status_code=303)
    response.delete_cookie(COOKIE, path="/dashboard")
    return response



