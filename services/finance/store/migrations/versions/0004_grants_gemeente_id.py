"""grants: an index on (gemeente, id) for the payment run's batches

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29

A payment run reads its month's grants in id ranges of one gemeente (`gemeente = … AND id >
lower AND id <= upper`). ix_grants_gemeente_run (gemeente, valid_from, end_date, id) cannot
seek to an id range: each batch walked every grant of the gemeente that had started, so
reading a month cost the database a scan per batch. This index seeks to the range. Additive
only: no row or constraint changes.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_grants_gemeente_id", "grants", ["gemeente", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_grants_gemeente_id", table_name="grants")
