"""A valid body for every operation that takes one, naming existing resources by their ids.

The authority table sends them (an allowed role must get past authorisation, not trip over
validation), and the fuzz suite puts its hostile values into them (a hostile date in an
otherwise invalid body only tests validation).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from tests.contract.parents import (
    BOXTEL,
    MONTH,
    MONTH_START,
    PROFILE,
    TASK,
    TODAY,
    WSD,
    YEAR,
    registration,
)

# Boxtel's 108 funded places and its target of 483 (DOMAIN.md); WSD's €6.7 mln reserve. The
# place price, LKS budget and tariff are illustrative.
BUDGET = {"fundedPlaces": 108, "placePrice": "10000.00", "lksBudget": "500000.00"}
RESERVE = {"amount": "6700000.00"}
TARIFF = {"effectiveFrom": f"{YEAR}-01-01", "tariff": "2500.00", "riskSurchargePct": "7.5"}
TARGET = {"places": 483}
# A lokaal-plan action in the words of the sources; owner and status are illustrative.
PLAN_ACTION = {"action": "Meer inwoners naar werk via MijnWerkDichtbij",
               "owner": "Team Werk", "status": "in-progress"}


def vacancy_body(employer: str) -> dict[str, Any]:
    """A warehouse job in Boxtel with one light task."""
    return {"employerId": employer, "title": "Orderpicker", "werksoort": "logistiek",
            "gemeente": BOXTEL, "hoursPerWeek": 24, "hourlyWage": "14.71",
            "contractForms": ["lks"], "tasks": [TASK]}


def placement_body(candidate: str, employer: str, vacancy: str) -> dict[str, Any]:
    """An LKS placement from the first of this month (WML January 2026, DOMAIN.md)."""
    return {"candidateId": candidate, "employerId": employer, "vacancyId": vacancy,
            "form": "lks", "hoursPerWeek": 24, "hourlyWage": "14.71",
            "startDate": MONTH_START.isoformat()}


def valid_body(operation: str, ids: Mapping[str, Any]) -> Any:
    """The body for `METHOD /v1/path` (None when it takes none or is not listed); `ids` names
    the candidate, employer and vacancy that matching's bodies refer to."""
    start = MONTH_START.isoformat()
    bodies: dict[str, Any] = {
        "POST /v1/candidates": registration("999996708"),
        "POST /v1/candidates/{candidateId}/route-decisions":
            {"route": "refer", "provider": WSD, "question": "werkdiagnose"},
        "POST /v1/candidates/{candidateId}/programme-decisions":
            {"programme": "werk", "provider": WSD, "startDate": start, "migrated": True},
        "POST /v1/candidates/{candidateId}/closures": {"reason": "moved"},
        "POST /v1/candidates/{candidateId}/sheltered-work-indications": {
            "uwvAdviceDate": start, "uwvOutcome": "positive", "decision": "granted",
            "decidedOn": TODAY},
        "POST /v1/diagnoses/{diagnosisId}/instrument-plans":
            {"instrument": "werkdiagnose", "startedOn": start, "migrated": True},
        "POST /v1/diagnoses/{diagnosisId}/zrm-assessments":
            {"assessedOn": TODAY, "scores": {"werk-en-opleiding": 3, "financien": 3},
             "partial": True, "partialReason": "Eerste gesprek: twee domeinen besproken"},
        "PUT /v1/diagnoses/{diagnosisId}/profile": PROFILE,
        "POST /v1/diagnoses/{diagnosisId}/wage-value-measurements": {
            "method": "dariuz", "wageValuePct": 50, "measuredAt": start, "migrated": True,
            "workplace": "Logistiek Boxtel BV", "jobTitle": "orderpicker"},
        "PUT /v1/diagnoses/{diagnosisId}/plan": {"goals": ["Werken in de logistiek"]},
        "POST /v1/diagnoses/{diagnosisId}/advices": {
            "programme": "werk", "lksIndicated": True, "shelteredWorkIndicated": False,
            "developmentPotential": "limited", "summary": "Kan met LKS aan het werk."},
        "POST /v1/diagnoses/{diagnosisId}/closures": {"outcome": "advice-given"},
        "POST /v1/employers": {"kvkNumber": "87654321", "name": "Bakkerij Van Boxtel",
                               "sector": "productie", "gemeente": BOXTEL},
        "POST /v1/vacancies/{vacancyId}/carvings": {"tasks": ["orders picken"]},
        # The keeper's changes (issue 15): a field set to what it already is.
        "PATCH /v1/employers/{employerId}": {"name": "Groothandel De Kempen BV"},
        "PATCH /v1/vacancies/{vacancyId}": {"title": "Orderpicker"},
        "POST /v1/proposals/{proposalId}/status-changes": {"status": "interview"},
        "POST /v1/placements/{placementId}/endings": {"endDate": start, "reason": "completed"},
        "POST /v1/vacancies/{vacancyId}/closures": {"reason": "withdrawn"},
        "POST /v1/webhook-subscriptions": {"url": "http://127.0.0.1:9/hook", "eventTypes": [
            "nl.participatiewet.matching.placement-started"]},
        # WML per hour from 2026-01-01 (DOMAIN.md), as the platform operator would record it.
        "POST /v1/parameters": {"code": "wml-hourly", "effectiveFrom": "2026-01-01",
                                "value": "14.71", "unit": "EUR/hour",
                                "source": "Staatscourant, minimumloonbedragen 1 januari 2026"},
        "POST /v1/lks-calculations": {"month": "2026-01", "hoursPerWeek": 36,
                                      "hourlyWage": "14.71", "wageValuePct": 50},
        "POST /v1/payment-runs": {"gemeente": BOXTEL, "month": MONTH},
        # Terms finance did not compute: an allowed role meets a 400 naming finance's figure.
        "POST /v1/grants/{grantId}/decisions": {
            "decisionNumber": "LKS-2026-0001", "start": start, "monthlyAmount": "1.00",
            "wageValuePct": 50, "reassessmentDate": f"{YEAR + 1}-01-01"},
        "POST /v1/grants/{grantId}/refusals": {"reason": "other"},
        "PUT /v1/budgets/{gemeente}/{year}": BUDGET,
        "PUT /v1/reserves/{provider}": RESERVE,
        "PUT /v1/tariffs/{product}": TARIFF,
        "POST /v1/business-cases/candidate": {
            "month": "2026-01", "hoursPerWeek": 36, "hourlyWage": "14.71",
            "wageValuePct": 50, "guidanceCostPerYear": "5000"},
        "POST /v1/business-cases/scenarios": {
            "startYear": 2021, "wswPlaces": 350, "pwPlaces": 120, "targetPlaces": 483,
            "years": 3, "wswOutflowPct": 5, "pwInflowPerYear": 20, "realisationPct": 100},
        "PUT /v1/reports/targets/{gemeente}/{year}": TARGET,
        "POST /v1/reports/lokaal-plan/{gemeente}/actions": PLAN_ACTION,
        "PUT /v1/reports/lokaal-plan/{gemeente}/actions/{actionId}": PLAN_ACTION,
        "PUT /v1/reports/lokaal-plan/{gemeente}/actions/{actionId}/notes/{period}":
            {"note": "Twee wijken gestart."},
    }
    if {"candidateId", "employerId", "vacancyId"} <= ids.keys():
        bodies["POST /v1/vacancies"] = vacancy_body(ids["employerId"])
        bodies["POST /v1/vacancies/{vacancyId}/proposals"] = {"candidateId": ids["candidateId"]}
        bodies["POST /v1/placements"] = placement_body(ids["candidateId"], ids["employerId"],
                                                       ids["vacancyId"])
    return copy.deepcopy(bodies.get(operation))
