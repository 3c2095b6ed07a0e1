"""Events published by intake. No burgerservicenummer, no name, no address: ids and codes only."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from shared.events.catalogue import EventData, register


class Route(StrEnum):
    """The klantmanager's route decision."""

    EXEMPT = "exempt"
    CARE = "care"
    REGULAR_WORK = "regular-work"
    REFER = "refer"


class Programme(StrEnum):
    """The programmes an uitvoerder runs (WSD portfolio)."""

    UITSTROOM = "uitstroom"
    ONTWIKKEL = "ontwikkel"
    WERK = "werk"


# Dutch label and description of each programme, for the reference lists of the services that
# accept a programme code (intake's decision, diagnose's advice): one wording for both.
PROGRAMME_LABELS: dict[Programme, tuple[str, str]] = {
    Programme.UITSTROOM: ("Uitstroomprogramma", "Gericht op regulier werk: werken met LKS, "
                          "Werkacademie, jobhunting, sollicitatiebegeleiding."),
    Programme.ONTWIKKEL: ("Ontwikkelprogramma", "Ontwikkelen naar werk: werkervaringsplaats, "
                          "OAD, participatie vergunninghouders, training en opleiding, "
                          "jobcoaching."),
    Programme.WERK: ("Werkprogramma", "Werken met loonkostensubsidie of beschut werken."),
}


class ReferralQuestion(StrEnum):
    """What the gemeente asks the uitvoerder to do: a coded question, never free text."""

    WERKDIAGNOSE = "werkdiagnose"
    QUICKSCAN = "quickscan"
    MWD = "mijn-werk-dichtbij"
    OAD = "oad"
    GIDS = "gids"
    LOONWAARDEMETING = "loonwaardemeting"


class ClosureReason(StrEnum):
    """Why a candidate leaves the klantreis."""

    WORK = "work"
    MOVED = "moved"
    CARE = "care"
    NO_BENEFIT = "no-benefit"
    DECEASED = "deceased"
    OTHER = "other"


@register
class CandidateRegistered(EventData):
    """A klantmanager registered a candidate."""

    name = "intake.candidate-registered"
    candidate_id: UUID
    gemeente: str
    target_group: str
    # Optional (additive change, issue 12): a record imported without a legible birth date —
    # WSD's youth counts of Sint-Michielsgestel — is counted as "age unknown", never given an
    # invented age. Intake itself always sends it.
    birth_year: int | None = None
    # The one personal fact that travels beyond intake, because the law needs it downstream: the
    # youth minimum wage (finance's LKS, matching's wage floor) follows the age on each day.
    # Optional so events from before it was carried still parse.
    birth_date: date | None = None
    registered_at: datetime


@register
class RouteDecided(EventData):
    """The gemeente decided the candidate's route."""

    name = "intake.route-decided"
    candidate_id: UUID
    gemeente: str
    route: Route
    provider: str | None = None
    decided_at: datetime


@register
class CandidateReferred(EventData):
    """The gemeente referred the candidate to an uitvoerder (one event per referral)."""

    name = "intake.candidate-referred"
    candidate_id: UUID
    referral_id: UUID
    gemeente: str
    provider: str
    question: ReferralQuestion
    target_group: str
    birth_year: int
    referred_at: datetime


@register
class ProgrammeDecided(EventData):
    """The gemeente decided the programme, with the provider that runs it."""

    name = "intake.programme-decided"
    candidate_id: UUID
    gemeente: str
    programme: Programme
    provider: str
    start_date: date
    decided_at: datetime


@register
class CandidateClosed(EventData):
    """The candidate left the klantreis."""

    name = "intake.candidate-closed"
    candidate_id: UUID
    gemeente: str
    reason: ClosureReason
    closed_at: datetime


class UwvAdviceOutcome(StrEnum):
    """What UWV advised on a beschut-werk indication (Participatiewet art. 10b)."""

    POSITIVE = "positive"  # the person can only work in a sheltered setting
    NEGATIVE = "negative"


class IndicationDecision(StrEnum):
    """The college's decision after UWV's advice."""

    GRANTED = "granted"
    REFUSED = "refused"


@register
class ShelteredWorkIndicationDecided(EventData):
    """The gemeente decided a beschut-werk indication after UWV's advice (art. 10b).

    Matching refuses a `sheltered` placement without a granted indication in force; finance pays
    LKS on a sheltered placement only with one. Dates and codes only: no advice text.
    """

    name = "intake.sheltered-work-indication-decided"
    indication_id: UUID
    candidate_id: UUID
    gemeente: str
    uwv_advice_date: date
    uwv_outcome: UwvAdviceOutcome
    decision: IndicationDecision
    decided_on: date
    valid_until: date | None = None
    decided_at: datetime
