"""The envelope is CloudEvents 1.0: the official SDK reads every catalogue event we write."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from cloudevents.core.bindings.http import HTTPMessage, from_http_event
from cloudevents.core.formats.json import JSONFormat

from shared.events import CATALOGUE, Envelope, EnvelopeError, EventData, parse_data, source_urn
from shared.events.diagnose import (
    AdviceIssued,
    Constraint,
    DiagnosisClosed,
    DiagnosisStarted,
    ProfileUpdated,
    WageValueMeasured,
)
from shared.events.finance import (
    BudgetExceeded,
    BudgetLine,
    BudgetSet,
    LegalParameterSet,
    LksAdjusted,
    LksEnded,
    LksGranted,
    LksRefusalReason,
    LksRefused,
    PaymentRunCompleted,
    ReassessmentDue,
)
from shared.events.intake import (
    CandidateClosed,
    CandidateReferred,
    CandidateRegistered,
    ClosureReason,
    IndicationDecision,
    Programme,
    ProgrammeDecided,
    ReferralQuestion,
    Route,
    RouteDecided,
    ShelteredWorkIndicationDecided,
    UwvAdviceOutcome,
)
from shared.events.matching import (
    CandidateProposed,
    PlacementEnded,
    PlacementEndReason,
    PlacementForm,
    PlacementStarted,
    ProposalClosed,
    ProposalOutcome,
    VacancyClosed,
    VacancyPublished,
    WebhookDeliveryFailed,
)
from shared.events.subjects import filter_subject, stream_name, stream_subjects, subject_for
from shared.events.vocabulary import (
    DevelopmentPotential,
    DiagnosisOutcome,
    Instrument,
    Werksoort,
)

NOW = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
CANDIDATE = uuid.uuid4()
OTHER = uuid.uuid4()
CASE = uuid.uuid4()
SAMPLES: list[EventData] = [
    CandidateRegistered(candidate_id=CANDIDATE, gemeente="GM0757", target_group="bijstand",
                        birth_year=1990, registered_at=NOW),
    RouteDecided(candidate_id=CANDIDATE, gemeente="GM0757", route=Route.REFER, provider="WSD",
                 decided_at=NOW),
    CandidateReferred(candidate_id=CANDIDATE, referral_id=uuid.uuid4(), gemeente="GM0757",
                      provider="WSD", question=ReferralQuestion.MWD, target_group="bijstand",
                      birth_year=1990, referred_at=NOW),
    ProgrammeDecided(candidate_id=CANDIDATE, gemeente="GM0757", programme=Programme.ONTWIKKEL,
                     provider="WSD", start_date=date(2026, 2, 1), decided_at=NOW),
    CandidateClosed(candidate_id=CANDIDATE, gemeente="GM0757", reason=ClosureReason.WORK,
                    closed_at=NOW),
    DiagnosisStarted(diagnosis_id=CASE, candidate_id=CANDIDATE, gemeente="GM0757",
                     provider="WSD", instrument=Instrument.MWD, started_on=date(2026, 1, 5),
                     planned_end=date(2026, 4, 5)),
    WageValueMeasured(diagnosis_id=CASE, candidate_id=CANDIDATE, gemeente="GM0757",
                      provider="WSD", measurement_id=uuid.uuid4(), method="dariuz",
                      wage_value_pct=55, measured_at=date(2026, 1, 20),
                      valid_until=date(2027, 1, 20)),
    ProfileUpdated(diagnosis_id=CASE, candidate_id=CANDIDATE, gemeente="GM0757", provider="WSD",
                   constraints=(Constraint(code="lifting-max-kg", value=Decimal("10")),
                                Constraint(code="no-night-shifts")),
                   interests=(Werksoort.GROEN, Werksoort.LOGISTIEK), skills=("heftruck",),
                   certificates=("VCA",), hours_per_week=Decimal("24"),
                   home_gemeente="GM0757", travel_radius_km=15, updated_at=NOW),
    AdviceIssued(diagnosis_id=CASE, candidate_id=CANDIDATE, gemeente="GM0757", provider="WSD",
                 advice_id=uuid.uuid4(), programme=Programme.WERK, lks_indicated=True,
                 sheltered_work_indicated=False, development_potential=DevelopmentPotential.CLEAR,
                 issued_at=NOW),
    DiagnosisClosed(diagnosis_id=CASE, candidate_id=CANDIDATE, gemeente="GM0757",
                    provider="WSD", instrument=Instrument.OAD,
                    outcome=DiagnosisOutcome.BACK_TO_CARE, closed_at=NOW),
    ReassessmentDue(candidate_id=CANDIDATE, gemeente="GM0757", provider="WSD",
                    valid_until=date(2027, 1, 20), due_date=date(2026, 12, 20)),
    VacancyPublished(vacancy_id=OTHER, employer_id=OTHER, gemeente="GM0757",
                     werksoort=Werksoort.LOGISTIEK, hours_per_week=Decimal(24),
                     carved_from=CANDIDATE, published_at=NOW),
    VacancyClosed(vacancy_id=OTHER, gemeente="GM0757", reason="filled", closed_at=NOW),
    CandidateProposed(proposal_id=OTHER, vacancy_id=OTHER, candidate_id=CANDIDATE,
                      gemeente="GM0757", provider="WSD", score=Decimal("0.82"), proposed_at=NOW),
    ProposalClosed(proposal_id=OTHER, vacancy_id=OTHER, candidate_id=CANDIDATE, gemeente="GM0757",
                   outcome=ProposalOutcome.ACCEPTED, closed_at=NOW),
    PlacementStarted(placement_id=OTHER, candidate_id=CANDIDATE, gemeente="GM0757", provider="WSD",
                     employer_id=OTHER, employer_kvk="12345678", form=PlacementForm.LKS,
                     hours_per_week=Decimal(32), hourly_wage=Decimal("14.40"),
                     start_date=date(2026, 12, 1), started_at=NOW),
    PlacementEnded(placement_id=OTHER, candidate_id=CANDIDATE, gemeente="GM0757", provider="WSD",
                   form=PlacementForm.LKS, end_date=date(2027, 6, 1),
                   reason=PlacementEndReason.REGULAR_JOB, ended_at=NOW),
    WebhookDeliveryFailed(subscription_id=OTHER, delivery_id=OTHER, gemeente="GM0757",
                          event_type="matching.placement-started", attempts=12, last_status=503,
                          failed_at=NOW),
    LksGranted(grant_id=OTHER, placement_id=OTHER, candidate_id=CANDIDATE, gemeente="GM0757",
               employer_kvk="12345678", wage_value_pct=60, monthly_amount=Decimal("1234.56"),
               valid_from=date(2026, 12, 1), granted_at=NOW),
    LksAdjusted(grant_id=OTHER, placement_id=OTHER, candidate_id=CANDIDATE, gemeente="GM0757",
                wage_value_pct=70, monthly_amount=Decimal("987.65"),
                effective_from=date(2027, 3, 15), adjusted_at=NOW),
    LksEnded(grant_id=OTHER, placement_id=OTHER, candidate_id=CANDIDATE, gemeente="GM0757",
             end_date=date(2027, 6, 1), ended_at=NOW),
    PaymentRunCompleted(run_id=OTHER, gemeente="GM0757", month="2026-12", payment_count=120,
                        total_amount=Decimal("148147.20"), completed_at=NOW),
    BudgetSet(gemeente="GM0757", year=2026, funded_places=108, place_price=Decimal("17500"),
              guidance_budget=Decimal("1890000"), lks_budget=Decimal("2400000"), set_at=NOW),
    BudgetExceeded(gemeente="GM0757", year=2026, line=BudgetLine.GUIDANCE,
                   budgeted=Decimal("1890000"), realised=Decimal("2100000"), detected_at=NOW),
    ShelteredWorkIndicationDecided(
        indication_id=OTHER, candidate_id=CANDIDATE, gemeente="GM0757",
        uwv_advice_date=date(2026, 2, 2), uwv_outcome=UwvAdviceOutcome.POSITIVE,
        decision=IndicationDecision.GRANTED, decided_on=date(2026, 3, 1), decided_at=NOW),
    LksRefused(grant_id=OTHER, placement_id=OTHER, candidate_id=CANDIDATE, gemeente="GM0757",
               reason=LksRefusalReason.NO_SHELTERED_INDICATION, refused_at=NOW),
    LegalParameterSet(code="wml-hourly", effective_from=date(2026, 1, 1), value=Decimal("14.71"),
                      source="Staatscourant (WML per 1 januari 2026)", author="ops@BEHEER",
                      set_at=NOW),
]


def envelope_of(data: EventData) -> Envelope:
    return Envelope(type=data.ce_type(), source=source_urn("00000001234567890000", "intake"),
                    subject=str(CANDIDATE), gemeente="GM0757", data=data.to_data(),
                    traceparent="00-" + "a" * 32 + "-" + "b" * 16 + "-01",
                    correlationid="a" * 32)


def test_every_catalogue_type_has_a_sample() -> None:
    assert {type(s).ce_type() for s in SAMPLES} == set(CATALOGUE)


@pytest.mark.parametrize("data", SAMPLES, ids=lambda d: type(d).name)
def test_cloudevents_sdk_reads_our_structured_event(data: EventData) -> None:
    envelope = envelope_of(data)
    event = JSONFormat().read(None, envelope.to_json())
    attributes = event.get_attributes()
    assert attributes["specversion"] == "1.0"
    assert attributes["id"] == envelope.id
    assert attributes["type"] == f"nl.participatiewet.{type(data).name}"
    assert attributes["source"] == "urn:nld:oin:00000001234567890000:systeem:intake"
    assert attributes["subject"] == str(CANDIDATE)
    assert attributes["gemeente"] == "GM0757"
    assert attributes["traceparent"] == envelope.traceparent
    assert attributes["time"] == envelope.time
    assert event.get_data() == data.to_data()


@pytest.mark.parametrize("data", SAMPLES, ids=lambda d: type(d).name)
def test_http_binding_structured_mode_reads_it_too(data: EventData) -> None:
    envelope = envelope_of(data)
    message = HTTPMessage(headers={"content-type": "application/cloudevents+json"},
                          body=envelope.to_json())
    assert from_http_event(message).get_attributes()["id"] == envelope.id


@pytest.mark.parametrize("data", SAMPLES, ids=lambda d: type(d).name)
def test_round_trip_back_to_the_typed_model(data: EventData) -> None:
    parsed = Envelope.from_json(envelope_of(data).to_json())
    assert parse_data(parsed) == data
    assert parsed.event_name == type(data).name


def test_sdk_written_event_is_readable_by_us() -> None:
    sdk_event = JSONFormat().read(None, envelope_of(SAMPLES[0]).to_json())
    ours = Envelope.from_json(JSONFormat().write(sdk_event))
    assert ours.data == SAMPLES[0].to_data()


def test_unknown_fields_are_tolerated_on_read() -> None:
    raw = SAMPLES[0].to_data() | {"someFutureField": 42}
    assert CandidateRegistered.model_validate(raw) == SAMPLES[0]


def test_versioned_type_keeps_the_base_subject_name() -> None:
    class CandidateRegisteredV2(CandidateRegistered):
        version = 2

    assert CandidateRegisteredV2.ce_type() == "nl.participatiewet.intake.candidate-registered.v2"
    envelope = Envelope(type=CandidateRegisteredV2.ce_type(), source="s", subject="x",
                        gemeente="GM0757", data={})
    assert envelope.event_name == "intake.candidate-registered"


@pytest.mark.parametrize("raw", [b"not json", b"[]", b'{"specversion": "0.3"}',
                                 b'{"specversion": "1.0", "id": "x"}'])
def test_unreadable_messages_are_rejected(raw: bytes) -> None:
    with pytest.raises(EnvelopeError):
        Envelope.from_json(raw)


def test_subjects_streams_and_filters() -> None:
    assert subject_for("intake.candidate-registered", "GM0757") == \
        "participatiewet.GM0757.intake.candidate-registered"
    assert subject_for("intake.candidate-registered", "GM0757", "t1") == \
        "t1.participatiewet.GM0757.intake.candidate-registered"
    assert stream_name("intake") == "INTAKE"
    assert stream_name("intake", "t1") == "T1_INTAKE"
    assert stream_subjects("intake") == ["participatiewet.*.intake.>"]
    assert filter_subject("intake.candidate-referred") == \
        "participatiewet.*.intake.candidate-referred"
    with pytest.raises(ValueError):
        subject_for("intake.candidate-registered", "Boxtel")
