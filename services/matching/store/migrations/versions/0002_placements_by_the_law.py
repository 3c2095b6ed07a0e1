"""placements by the law: positions, proposal link, wage floor and sheltered-work indications

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29

Issue 12. Columns are added with server defaults (existing vacancies seek one person, existing
placements were not through UWV); the legal parameters arrive as events, never seeded here.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("vacancies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("positions", sa.Integer(), server_default="1",
                                      nullable=False))
    with op.batch_alter_table("candidate_profiles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("birth_date", sa.Date(), nullable=True))
    with op.batch_alter_table("placements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("proposal_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("through_uwv", sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.create_index("ix_placements_proposal_id", ["proposal_id"], unique=True)
    op.create_table(
        "legal_parameters",
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("value", sa.Numeric(precision=12, scale=4), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code", "effective_from", name=op.f("pk_legal_parameters")),
    )
    op.create_table(
        "sheltered_work_indications",
        sa.Column("indication_id", sa.Uuid(), nullable=False),
        sa.Column("candidate_id", sa.Uuid(), nullable=False),
        sa.Column("gemeente", sa.String(length=6), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("uwv_outcome", sa.String(length=10), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("indication_id", name=op.f("pk_sheltered_work_indications")),
    )
    with op.batch_alter_table("sheltered_work_indications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sheltered_work_indications_candidate_id"),
                              ["candidate_id"], unique=False)


def downgrade() -> None:
    op.drop_table("sheltered_work_indications")
    op.drop_table("legal_parameters")
    with op.batch_alter_table("placements", schema=None) as batch_op:
        batch_op.drop_index("ix_placements_proposal_id")
        batch_op.drop_column("through_uwv")
        batch_op.drop_column("proposal_id")
    with op.batch_alter_table("candidate_profiles", schema=None) as batch_op:
        batch_op.drop_column("birth_date")
    with op.batch_alter_table("vacancies", schema=None) as batch_op:
        batch_op.drop_column("positions")
