"""illustrative figures

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_illustrative",
        sa.Column("gemeente", sa.String(length=6), nullable=False),
        sa.Column("report", sa.String(length=40), nullable=False),
        sa.Column("figure", sa.String(length=40), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("gemeente", "report", "figure",
                                name=op.f("pk_report_illustrative")),
    )


def downgrade() -> None:
    op.drop_table("report_illustrative")
