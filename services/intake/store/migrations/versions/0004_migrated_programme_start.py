"""migrated programme start: a programme dated before registration is marked as history

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29

Issue 15. A programme starting before the candidate's registration is refused unless the
request marks it as migrated history; that mark is stored on the decision and on the candidate.
Existing rows were not migrated.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("programme_decisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("migrated", sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
    with op.batch_alter_table("candidates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("programme_migrated", sa.Boolean(),
                                      server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("candidates", schema=None) as batch_op:
        batch_op.drop_column("programme_migrated")
    with op.batch_alter_table("programme_decisions", schema=None) as batch_op:
        batch_op.drop_column("migrated")
