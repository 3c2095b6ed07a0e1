"""legal parameters: author and the published marker (finance.legal-parameter-set once per row)

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
    # Nullable columns: a plain ADD COLUMN on SQLite and Postgres alike. Existing (seeded) rows
    # stay unpublished, so the service publishes each of them once at its next start.
    op.add_column("parameters", sa.Column("author", sa.String(length=200), nullable=True))
    op.add_column("parameters",
                  sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("parameters") as batch:
        batch.drop_column("published_at")
        batch.drop_column("author")
