"""/dashboard (per gemeente and period), /dashboard/monitor (printable) and its PDF
/dashboard/monitor.pdf, and /dashboard/regio (an uitvoerder's board: all its gemeenten), all
outside /v1 and in Dutch.

Read with the same bearer token and tenancy as the API. A browser cannot send a header, so
POST /dashboard/session takes the token once and stores it in an HttpOnly, SameSite=Strict
cookie (Secure in production) scoped to /dashboard; `?token=` works only outside production.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.reporting.api.access import REGIONAL_ROLES, audience_for, readable_gemeenten
from services.reporting.api.routes import period_or_default, report_body
from services.reporting.dashboard import pages
from services.reporting.dashboard.monitor import MonitorData, PlanActionView
from services.reporting.dashboard.monitor import content as monitor_content
from services.reporting.dashboard.pages import nl_number
from services.reporting.dashboard.pdf import render_pdf
from services.reporting.dashboard.regional_page import regional_content
from services.reporting.domain.fold import DUTCH
from services.reporting.domain.periods import PERIOD_PATTERN, previous_period
from services.reporting.handlers.plan_actions import list_actions
from services.reporting.reference import STATUSES
from services.reporting.regional import RegionalQuery, regional_view
from services.reporting.reports import Context, Report, all_reports
from services.reporting.settings import ReportingSettings
from services.reporting.store import queries
from services.reporting.store.models import IllustrativeRow
from services.reporting.store.projections import active_generation
from shared.auth import OrgKind, Principal, Role, TokenVerifier
from shared.organisations import display_name
from shared.problems import Forbidden, Problem
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
    rule = ('Aantallen van 1–4 personen staan als "&lt;5" (cijfers buiten de eigen gemeente).'
            if suppressed else "Exacte aantallen: de eigen cijfers van de gemeente.")
    return (f"{rule} Projectiegeneratie {generation}; {unknown} gebeurtenis(sen) van onbekend "
            "type overgeslagen. Bron: de gebeurtenissen van intake, diagnose, matching en "
            "finance.")


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
    return (f" Regionale taakstelling van {display_name(principal.org)} voor {year}: "
            f"{nl_number(found[0].places)} plaatsen (SW + PW), al haar gemeenten samen.")


def _problem_page(request: Request, problem: Problem) -> HTMLResponse:
    return _html(request, pages.login_page(problem.detail), problem.status)


async def _monitor_data(request: Request, principal: Principal, gemeente: str,
                        period: str | None, *, monitor: bool) -> MonitorData:
    slugs: tuple[str, ...] = ("overview", "places", "budget", "youth", "placements", "lks")
    if monitor:
        slugs += ("trajectories", "lead-times", "outflow", "registrations", "referrals")
    bodies, label = await _figures(request, principal, gemeente, period, slugs)
    try:
        before: str | None = previous_period(period_or_default(label)).label
    except ValueError:  # 2000's first period has none before it
        before = None
    previous = ({} if before is None else
                (await _figures(request, principal, gemeente, before, ("overview", "lks")))[0])
    actions: tuple[PlanActionView, ...] = ()
    plan_marks: list[IllustrativeRow] = []
    if monitor:
        runtime: Runtime = request.app.state.runtime
        async with runtime.sessions() as session:
            found = await list_actions(session, gemeente=gemeente)
            plan_marks = await queries.illustrative(session, [gemeente], ["lokaal-plan"])
        actions = tuple(PlanActionView(a.action, a.owner, STATUSES.label_of(a.status),
                                       next((n.note for n in notes if n.period == label), None))
                        for a, notes in found)
    return MonitorData(bodies=bodies, previous=previous, label=label,
                       previous_label=before or "vorige periode",
                       regional_note=await _regional_note(request, principal, label),
                       actions=actions, plan_notes=tuple(m.note for m in plan_marks))


async def _monitor_document(request: Request, principal: Principal, gemeente: str | None,
                            period: str | None, *, monitor: bool) -> tuple[str, str, str]:
    """(HTML document, gemeente, period label) of the dashboard or the monitor."""
    members = readable_gemeenten(principal)
    chosen = gemeente or members[0]
    audience_for(principal, chosen)
    data = await _monitor_data(request, principal, chosen, period, monitor=monitor)
    who = pages.named(chosen)
    title = (f"Monitor Participatiewet — {who} — {data.label}" if monitor
             else f"Dashboard Participatiewet — {who} — {data.label}")
    action = "/dashboard/monitor" if monitor else "/dashboard"
    header = pages.picker(action, chosen, members, data.label)
    if data.notes:
        header += pages.ILLUSTRATIVE_HINT
    header += pages.navigation(chosen, data.label, regional=principal.kind is OrgKind.PROVIDER
                               and Role.BOARD in principal.roles)
    footer = await _footer(request, data.bodies["overview"]["suppressed"])
    return (pages.page(title, header, monitor_content(data, monitor=monitor), footer),
            chosen, data.label)


async def _render(request: Request, gemeente: str | None, period: str | None,
                  token: str | None, *, monitor: bool) -> HTMLResponse:
    try:
        principal, fresh_token = _principal(request, token)
    except _SignIn:
        return _html(request, pages.login_page("Log in om de cijfers te zien."), 401)
    except Problem as problem:
        return _problem_page(request, problem)
    try:
        document, _, _ = await _monitor_document(request, principal, gemeente, period,
                                                 monitor=monitor)
    except Problem as problem:
        return _problem_page(request, problem)
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


@router.get("/monitor.pdf", response_model=None)
async def monitor_pdf(request: Request, gemeente: GemeenteParam = None,
                      period: PeriodParam = None, token: TokenParam = None
                      ) -> Response:
    """The monitor as a PDF (A4), rendered on the server: councils pass it round."""
    try:
        principal, _ = _principal(request, token)
    except _SignIn:
        return _html(request, pages.login_page("Log in om de cijfers te zien."), 401)
    except Problem as problem:
        return _problem_page(request, problem)
    try:
        document, chosen, label = await _monitor_document(request, principal, gemeente, period,
                                                          monitor=True)
    except Problem as problem:
        return _problem_page(request, problem)
    pdf = await render_pdf(document)
    name = f"monitor-participatiewet-{chosen}-{label}.pdf"
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})


@router.get("/regio", response_class=HTMLResponse)
async def regional(request: Request, period: PeriodParam = None, token: TokenParam = None
                   ) -> HTMLResponse:
    """The uitvoerder's board: all its gemeenten against the region's target."""
    try:
        principal, fresh_token = _principal(request, token)
    except _SignIn:
        return _html(request, pages.login_page("Log in om de cijfers te zien."), 401)
    except Problem as problem:
        return _problem_page(request, problem)
    try:
        if principal.kind is not OrgKind.PROVIDER or Role.BOARD not in principal.roles:
            raise Forbidden("the regional view is for an uitvoerder's governing board "
                            "(role board)")
        gemeenten = readable_gemeenten(principal)
    except Problem as problem:
        return _problem_page(request, problem)
    runtime: Runtime = request.app.state.runtime
    chosen = period_or_default(period)
    settings = _settings(request)
    context = Context(settings.reporting_provider_kvks, today=datetime.now(DUTCH).date())
    async with runtime.sessions() as session:
        view = await regional_view(session, context=context, query=RegionalQuery(
            organisation=principal.org, gemeenten=gemeenten, period=chosen))
    title = f"Regio {view.organisation_name} — {len(gemeenten)} gemeenten — {chosen.label}"
    header = pages.picker("/dashboard/regio", None, gemeenten, chosen.label)
    if view.notes:
        header += pages.ILLUSTRATIVE_HINT
    document = pages.page(title, header, regional_content(view), await _footer(request, True))
    return _html(request, document, token=fresh_token)


@router.post("/session")
async def start_session(request: Request) -> Response:
    """Check a bearer token (form field `token`) and keep it in an HttpOnly cookie."""
    verifier: TokenVerifier = request.app.state.verifier
    # A url-encoded form read by hand: python-multipart is not a dependency.
    fields = parse_qs((await request.body()).decode("utf-8", "replace"), max_num_fields=5)
    token = (fields.get("token") or [""])[0].strip()
    if not token:
        return _html(request, pages.login_page("Plak een bearer-token."), 400)
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



