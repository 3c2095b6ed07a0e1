"""sheltered work indications (beschut werk: UWV advice and the college's decision)

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


def upgrade() -> None:
    op.create_table(
        "sheltered_work_indications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("candidate_id", sa.Uuid(), nullable=False),
        sa.Column("gemeente", sa.String(length=6), nullable=False),
        sa.Column("uwv_advice_date", sa.Date(), nullable=False),
        sa.Column("uwv_outcome", sa.String(length=10), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("deviates_from_uwv_advice", sa.Boolean(), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_sheltered_work_indications_candidate_id_candidates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sheltered_work_indications")),
    )
    op.create_index(
        "ix_sheltered_work_indications_candidate",
        "sheltered_work_indications",
        ["candidate_id", "decided_on"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_sheltered_work_indications_candidate",
                  table_name="sheltered_work_indications")
    op.drop_table("sheltered_work_indications")
