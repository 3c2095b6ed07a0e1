"""grant decisions, candidates' birth dates, beschut-werk indications

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GRANT_COLUMNS = (
    sa.Column("form", sa.String(length=20), nullable=True),
    sa.Column("decision_number", sa.String(length=40), nullable=True),
    sa.Column("reassessment_date", sa.Date(), nullable=True),
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("decided_by", sa.String(length=200), nullable=True),
    sa.Column("refusal_reason", sa.String(length=40), nullable=True),
)


def upgrade() -> None:
    op.create_table(
        "candidates",
        sa.Column("candidate_id", sa.Uuid(), nullable=False),
        sa.Column("gemeente", sa.String(length=6), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("candidate_id", name=op.f("pk_candidates")),
    )
    op.create_table(
        "sheltered_indications",
        sa.Column("indication_id", sa.Uuid(), nullable=False),
        sa.Column("candidate_id", sa.Uuid(), nullable=False),
        sa.Column("gemeente", sa.String(length=6), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("indication_id", name=op.f("pk_sheltered_indications")),
    )
    op.create_index(op.f("ix_sheltered_indications_candidate_id"), "sheltered_indications",
                    ["candidate_id"], unique=False)
    # Nullable additions: plain ADD COLUMN on SQLite and Postgres. Grants made before this
    # revision were granted on arrival (status active): they stay decided, without a number.
    for column in GRANT_COLUMNS:
        op.add_column("grants", column)


def downgrade() -> None:
    with op.batch_alter_table("grants") as batch:
        for column in reversed(GRANT_COLUMNS):
            batch.drop_column(column.name)
    op.drop_index(op.f("ix_sheltered_indications_candidate_id"),
                  table_name="sheltered_indications")
    op.drop_table("sheltered_indications")
    op.drop_table("candidates")
