"""Tables every service's database holds: outbox, inbox, dead letters, idempotency keys.

They live on one shared `MetaData` that each service's Alembic environment includes next to its
own, so the outbox row is written by the same connection, in the same transaction, as the
business change it announces.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import BigIntPK, UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class MessagingBase(DeclarativeBase):
    """Declarative base of the spine's own tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class OutboxMessage(MessagingBase):
    """An event written in the business transaction, waiting for the relay to publish it."""

    __tablename__ = "outbox"

    seq: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    # Subject without the bus namespace: the relay adds it, so rows survive a namespace change.
    subject: Mapped[str] = mapped_column(String(255))
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    last_error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index(
            "ix_outbox_pending",
            "seq",
            postgresql_where=text("published_at IS NULL"),
            sqlite_where=text("published_at IS NULL"),
        ),
    )


class InboxMessage(MessagingBase):
    """An event this service's consumer has applied: the key of exactly-once processing."""

    __tablename__ = "inbox"

    consumer: Mapped[str] = mapped_column(String(100), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(200))
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DeadLetter(MessagingBase):
    """An event parked after repeated failures; ops inspect and replay it."""

    __tablename__ = "dead_letters"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    consumer: Mapped[str] = mapped_column(String(100))
    event_id: Mapped[str | None] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(String(255))
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    error: Mapped[str] = mapped_column(Text)
    deliveries: Mapped[int] = mapped_column(Integer)
    parked_at: Mapped[datetime] = mapped_column(UTCDateTime)


class IdempotencyRecord(MessagingBase):
    """The stored answer to a creating POST, replayed when the same key comes again."""

    __tablename__ = "idempotency_keys"

    organisation: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response_body: Mapped[str] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
