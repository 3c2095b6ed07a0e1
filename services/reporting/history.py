"""Building events as their producers publish them: catalogue models in proper envelopes.

Used by the demo seed, the tests and the benchmark. Ids are uuid5 of a name, so a history built
twice has the same event ids (JetStream de-duplication and the inbox make a re-run a no-op).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal

from shared.events.catalogue import EventData
from shared.events.diagnose import DiagnosisClosed, DiagnosisStarted
from shared.events.envelope import Envelope, source_urn
from shared.events.finance import BudgetSet, LksGranted, PaymentRunCompleted
from shared.events.intake import (
    CandidateClosed,
    CandidateReferred,
    CandidateRegistered,
    ClosureReason,
    Programme,
    ProgrammeDecided,
    ReferralQuestion,
    Route,
    RouteDecided,
)
from shared.events.matching import (
    PlacementEnded,
    PlacementEndReason,
    PlacementForm,
    PlacementStarted,
)
from shared.events.vocabulary import DiagnosisOutcome, Instrument
from shared.settings import DEV_OIN

NAMESPACE = uuid.UUID("5b0e7c1e-2f4d-4c6b-9d0a-7e1f3a2b4c5d")


def stable_id(*parts: object) -> uuid.UUID:
    """The same UUID for the same parts, every run."""
    return uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts))


def at_noon(day: date) -> datetime:
    """A business timestamp on a day (noon UTC is that day in the Netherlands too)."""
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def envelope_of(event: EventData, *, gemeente: str, subject: uuid.UUID | str, event_id: str,
                oin: str = DEV_OIN) -> Envelope:
    """The CloudEvent a producer's outbox would write for `event`."""
    return Envelope(type=event.ce_type(), source=source_urn(oin, event.producer()),
                    subject=str(subject), gemeente=gemeente, data=event.to_data(), id=event_id)


@dataclass
class History:
    """An ordered list of envelopes with fixed ids; helpers add one klantreis step each."""

    seed: str
    envelopes: list[Envelope] = field(default_factory=list)

    def add(self, event: EventData, gemeente: str, subject: uuid.UUID, *key: object) -> None:
        """Append an event whose id is derived from the seed, its type and `key`."""
        event_id = str(stable_id(self.seed, event.name, subject, *key))
        self.envelopes.append(envelope_of(event, gemeente=gemeente, subject=subject,
                                          event_id=event_id))

    def register(self, person: str, gemeente: str, *, target_group: str,
                 birth_year: int | None, on: date) -> uuid.UUID:
        """intake.candidate-registered; returns the candidate id."""
        candidate = stable_id(self.seed, "candidate", person)
        self.add(CandidateRegistered(candidate_id=candidate, gemeente=gemeente,
                                     target_group=target_group, birth_year=birth_year,
                                     registered_at=at_noon(on)), gemeente, candidate)
        return candidate

    def decide_route(self, candidate: uuid.UUID, gemeente: str, *, route: Route, on: date,
                     provider: str | None = None) -> None:
        """intake.route-decided."""
        self.add(RouteDecided(candidate_id=candidate, gemeente=gemeente, route=route,
                              provider=provider, decided_at=at_noon(on)), gemeente, candidate)

    def refer(self, candidate: uuid.UUID, gemeente: str, *, provider: str,
              question: ReferralQuestion, on: date, target_group: str = "bijstand",
              birth_year: int = 1985) -> None:
        """intake.candidate-referred."""
        self.add(CandidateReferred(
            candidate_id=candidate, referral_id=stable_id(self.seed, "referral", candidate, on),
            gemeente=gemeente, provider=provider, question=question, target_group=target_group,
            birth_year=birth_year, referred_at=at_noon(on)), gemeente, candidate, on)

    def start_diagnosis(self, candidate: uuid.UUID, gemeente: str, *, provider: str,
                        instrument: Instrument, on: date, planned_end: date) -> uuid.UUID:
        """diagnose.diagnosis-started; returns the case id."""
        case = stable_id(self.seed, "diagnosis", candidate, instrument)
        self.add(DiagnosisStarted(diagnosis_id=case, candidate_id=candidate, gemeente=gemeente,
                                  provider=provider, instrument=instrument, started_on=on,
                                  planned_end=planned_end), gemeente, candidate)
        return case

    def close_diagnosis(self, candidate: uuid.UUID, gemeente: str, *, provider: str,
                        instrument: Instrument, outcome: DiagnosisOutcome, on: date) -> None:
        """diagnose.diagnosis-closed (for a case that may never have started)."""
        case = stable_id(self.seed, "diagnosis", candidate, instrument)
        self.add(DiagnosisClosed(diagnosis_id=case, candidate_id=candidate, gemeente=gemeente,
                                 provider=provider, instrument=instrument, outcome=outcome,
                                 closed_at=at_noon(on)), gemeente, candidate)

    def decide_programme(self, candidate: uuid.UUID, gemeente: str, *, provider: str,
                         programme: Programme, on: date) -> None:
        """intake.programme-decided."""
        self.add(ProgrammeDecided(candidate_id=candidate, gemeente=gemeente,
                                  programme=programme, provider=provider, start_date=on,
                                  decided_at=at_noon(on)), gemeente, candidate)

    def place(self, candidate: uuid.UUID, gemeente: str, *, provider: str,
              form: PlacementForm, on: date, employer_kvk: str = "12345678",
              number: int = 0) -> uuid.UUID:
        """matching.placement-started; returns the placement id."""
        placement = stable_id(self.seed, "placement", candidate, number)
        self.add(PlacementStarted(
            placement_id=placement, candidate_id=candidate, gemeente=gemeente,
            provider=provider, employer_id=stable_id("employer", employer_kvk),
            employer_kvk=employer_kvk, form=form, hours_per_week=Decimal(32),
            hourly_wage=Decimal("14.71"), start_date=on, started_at=at_noon(on)),
            gemeente, candidate, number)
        return placement

    def end_placement(self, candidate: uuid.UUID, gemeente: str, *, provider: str,
                      form: PlacementForm, reason: PlacementEndReason, on: date,
                      number: int = 0) -> None:
        """matching.placement-ended."""
        placement = stable_id(self.seed, "placement", candidate, number)
        self.add(PlacementEnded(placement_id=placement, candidate_id=candidate,
                                gemeente=gemeente, provider=provider, form=form, end_date=on,
                                reason=reason, ended_at=at_noon(on)), gemeente, candidate,
                 number)

    def grant_lks(self, candidate: uuid.UUID, gemeente: str, *, placement: uuid.UUID,
                  amount: Decimal, on: date, wage_value_pct: int = 50) -> None:
        """finance.lks-granted."""
        self.add(LksGranted(
            grant_id=stable_id(self.seed, "grant", placement), placement_id=placement,
            candidate_id=candidate, gemeente=gemeente, employer_kvk="12345678",
            wage_value_pct=wage_value_pct, monthly_amount=amount, valid_from=on,
            granted_at=at_noon(on)), gemeente, candidate, placement)

    def close(self, candidate: uuid.UUID, gemeente: str, *, reason: ClosureReason,
              on: date) -> None:
        """intake.candidate-closed."""
        self.add(CandidateClosed(candidate_id=candidate, gemeente=gemeente, reason=reason,
                                 closed_at=at_noon(on)), gemeente, candidate)

    def set_budget(self, gemeente: str, *, year: int, funded_places: int,
                   place_price: Decimal, lks_budget: Decimal, on: date) -> None:
        """finance.budget-set."""
        subject = stable_id(self.seed, "budget", gemeente, year)
        self.add(BudgetSet(gemeente=gemeente, year=year, funded_places=funded_places,
                           place_price=place_price, guidance_budget=place_price * funded_places,
                           lks_budget=lks_budget, set_at=at_noon(on)), gemeente, subject, on)

    def payment_run(self, gemeente: str, *, month: str, payments: int, total: Decimal,
                    on: date) -> None:
        """finance.payment-run-completed."""
        run = stable_id(self.seed, "run", gemeente, month)
        self.add(PaymentRunCompleted(run_id=run, gemeente=gemeente, month=month,
                                     payment_count=payments, total_amount=total,
                                     completed_at=at_noon(on)), gemeente, run)
