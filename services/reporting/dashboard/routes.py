"""/dashboard (per gemeente and period), /dashboard/monitor (printable) and its PDF
/dashboard/monitor.pdf, and /dashboard/regio (an uitvoerder's board: all its gemeenten), all
outside /v1 and in Dutch.

Read with the same bearer token and tenancy as the API. A browser cannot send a header, so
POST /dashboard/session takes the token once and stores it in an HttpOnly, SameSite=Strict
cookie (Secure in production) scoped to /dashboard; `?token=` works only outside production.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Annotated, TypeVar
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.reporting.api.deps import ReportContext
from services.reporting.audience import readable_gemeenten
from services.reporting.commands import ReadMonitor
from services.reporting.dashboard import pages
from services.reporting.dashboard.monitor import content as monitor_content
from services.reporting.dashboard.pages import nl_number
from services.reporting.dashboard.pdf import render_pdf
from services.reporting.dashboard.regional_page import regional_content
from services.reporting.domain.periods import PERIOD_PATTERN
from services.reporting.handlers.dashboard import MonitorFigures, monitor_figures
from services.reporting.handlers.regional import regional_page
from services.reporting.handlers.reports import ProjectionState, projection_state
from services.reporting.reports import Context
from services.reporting.settings import ReportingSettings
from services.reporting.unit_of_work import ReportingUnitOfWork
from shared.auth import Principal, TokenVerifier
from shared.http.deps import RuntimeDep
from shared.http.routes import UnitOfWorkRoute
from shared.organisations import display_name
from shared.problems import Problem
from shared.runtime import Runtime

router = APIRouter(prefix="/dashboard", include_in_schema=False, route_class=UnitOfWorkRoute)
COOKIE = "reporting_token"
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'"
GemeenteParam = Annotated[str | None, Query(pattern=r"^GM\d{4}$")]
PeriodParam = Annotated[str | None, Query(pattern=PERIOD_PATTERN)]
TokenParam = Annotated[str | None, Query(max_length=4000)]
T = TypeVar("T")


def _settings(request: Request) -> ReportingSettings:
    runtime: Runtime[ReportingSettings, ReportingUnitOfWork] = request.app.state.runtime
    return runtime.settings


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


def _problem_page(request: Request, problem: Problem) -> HTMLResponse:
    return _html(request, pages.login_page(problem.detail), problem.status)


@dataclass(frozen=True)
class Visit:
    """One dashboard request: the caller's unit of work, or the page that turns it away."""

    request: Request
    uow: ReportingUnitOfWork | None
    fresh_token: str | None  # a `?token=` to keep in the cookie
    refusal: HTMLResponse | None

    async def shown(self, build: Callable[[ReportingUnitOfWork], Awaitable[T]]
                    ) -> T | HTMLResponse:
        """What `build` makes of the caller's figures, or the sign-in or problem page (a
        browser gets a page it can read, never problem+json)."""
        if self.uow is None:
            assert self.refusal is not None  # a visit has one or the other
            return self.refusal
        try:
            return await build(self.uow)
        except Problem as problem:
            return _problem_page(self.request, problem)

    def html(self, document: str) -> HTMLResponse:
        """The page, keeping a `?token=` in the cookie."""
        return _html(self.request, document, token=self.fresh_token)


async def _visit(request: Request, runtime: RuntimeDep, token: TokenParam = None
                 ) -> AsyncIterator[Visit]:
    """The dashboard's unit of work: like the API's (shared.http.deps.REQUEST_UNIT_OF_WORK), but the
    caller may come from the cookie, and a missing or bad token is a page, not a 401 body."""
    refusal: HTMLResponse | None = None
    try:
        principal, fresh_token = _principal(request, token)
    except _SignIn:
        refusal = _html(request, pages.login_page("Log in om de cijfers te zien."), 401)
    except Problem as problem:
        refusal = _problem_page(request, problem)
    if refusal is not None:
        yield Visit(request, None, None, refusal)
        return
    async with runtime.begin(principal) as uow:
        yield Visit(request, uow, fresh_token, None)


VisitDep = Annotated[Visit, Depends(_visit, scope="function")]


def _footer(suppressed: bool, state: ProjectionState) -> str:
    rule = ('Aantallen van 1–4 personen staan als "&lt;5" (cijfers buiten de eigen gemeente).'
            if suppressed else "Exacte aantallen: de eigen cijfers van de gemeente.")
    return (f"{rule} Projectiegeneratie {state.active_generation}; {state.unknown_events} "
            "gebeurtenis(sen) van onbekend type overgeslagen. Bron: de gebeurtenissen van "
            "intake, diagnose, matching en finance.")


def _regional_note(figures: MonitorFigures) -> str:
    """For an uitvoerder's board or admin: its region's target for the year, if one is set."""
    target = figures.regional_target
    if target is None:
        return ""
    return (f" Regionale taakstelling van {display_name(target.organisation)} voor "
            f"{target.year}: {nl_number(target.places)} plaatsen (SW + PW), al haar gemeenten "
            "samen.")


@dataclass(frozen=True)
class MonitorPage:
    """The HTML document of the dashboard or the monitor, and what it shows."""

    document: str
    gemeente: str
    label: str


async def _monitor_page(uow: ReportingUnitOfWork, query: ReadMonitor, context: Context
                        ) -> MonitorPage:
    figures = await monitor_figures(uow, query, context)
    data = replace(figures.data, regional_note=_regional_note(figures))
    chosen, who = figures.gemeente, pages.named(figures.gemeente)
    title = (f"Monitor Participatiewet — {who} — {data.label}" if query.monitor
             else f"Dashboard Participatiewet — {who} — {data.label}")
    action = "/dashboard/monitor" if query.monitor else "/dashboard"
    header = pages.picker(action, chosen, figures.members, data.label)
    if data.notes:
        header += pages.ILLUSTRATIVE_HINT
    header += pages.navigation(chosen, data.label, regional=figures.board)
    footer = _footer(figures.suppressed, figures.projection)
    return MonitorPage(pages.page(title, header, monitor_content(data, monitor=query.monitor),
                                  footer), chosen, data.label)


async def _render(visit: Visit, query: ReadMonitor, context: Context) -> Response:
    page = await visit.shown(lambda uow: _monitor_page(uow, query, context))
    return page if isinstance(page, HTMLResponse) else visit.html(page.document)


@router.get("", response_class=HTMLResponse)
async def dashboard(visit: VisitDep, context: ReportContext, gemeente: GemeenteParam = None,
                    period: PeriodParam = None) -> Response:
    """Headline numbers and charts of one gemeente and period."""
    return await _render(visit, ReadMonitor(gemeente, period, monitor=False), context)


@router.get("/monitor", response_class=HTMLResponse)
async def monitor(visit: VisitDep, context: ReportContext, gemeente: GemeenteParam = None,
                  period: PeriodParam = None) -> Response:
    """The twice-yearly monitor: everything the council asks for, printable (A4)."""
    return await _render(visit, ReadMonitor(gemeente, period, monitor=True), context)


@router.get("/monitor.pdf", response_model=None)
async def monitor_pdf(visit: VisitDep, context: ReportContext, gemeente: GemeenteParam = None,
                      period: PeriodParam = None) -> Response:
    """The monitor as a PDF (A4), rendered on the server: councils pass it round."""
    query = ReadMonitor(gemeente, period, monitor=True)
    page = await visit.shown(lambda uow: _monitor_page(uow, query, context))
    if isinstance(page, HTMLResponse):
        return page
    pdf = await render_pdf(page.document)
    name = f"monitor-participatiewet-{page.gemeente}-{page.label}.pdf"
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})


async def _regional_document(uow: ReportingUnitOfWork, period: str | None, context: Context
                             ) -> str:
    view = await regional_page(uow, period, context)
    gemeenten = tuple(line.gemeente for line in view.lines)  # one line per member gemeente
    title = f"Regio {view.organisation_name} — {len(gemeenten)} gemeenten — {view.period.label}"
    header = pages.picker("/dashboard/regio", None, gemeenten, view.period.label)
    if view.notes:
        header += pages.ILLUSTRATIVE_HINT
    footer = _footer(True, await projection_state(uow))
    return pages.page(title, header, regional_content(view), footer)


@router.get("/regio", response_class=HTMLResponse)
async def regional(visit: VisitDep, context: ReportContext, period: PeriodParam = None
                   ) -> Response:
    """The uitvoerder's board: all its gemeenten against the region's target."""
    document = await visit.shown(lambda uow: _regional_document(uow, period, context))
    return document if isinstance(document, HTMLResponse) else visit.html(document)


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
        return _problem_page(request, problem)
    response = RedirectResponse("/dashboard", status_code=303)
    _set_cookie(request, response, token)
    return response


@router.post("/logout")
async def end_session() -> Response:
    """Forget the cookie."""
    response = RedirectResponse("/dashboard", status_code=303)
    response.delete_cookie(COOKIE, path="/dashboard")
    return response
