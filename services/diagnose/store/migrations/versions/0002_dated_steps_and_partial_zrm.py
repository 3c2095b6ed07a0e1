"""dated steps and partial ZRM: the referral's moment, migrated history, partial assessments

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29

Issue 15. A step (instrument, ZRM, loonwaarde) dated before the referral is refused unless it is
marked as migrated history, which is recorded; a ZRM scores all 13 domains or says why not.
Existing cases take their referral moment from when diagnose opened them (referred_at stays
null; the rule falls back to opened_at); existing rows were neither migrated nor partial.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("diagnosis_cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("referred_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("instrument_migrated", sa.Boolean(),
                                      server_default=sa.false(), nullable=False))
    with op.batch_alter_table("zrm_assessments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("partial", sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column("partial_reason", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("migrated", sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
    with op.batch_alter_table("wage_value_measurements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("migrated", sa.Boolean(), server_default=sa.false(),
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("wage_value_measurements", schema=None) as batch_op:
        batch_op.drop_column("migrated")
    with op.batch_alter_table("zrm_assessments", schema=None) as batch_op:
        batch_op.drop_column("migrated")
        batch_op.drop_column("partial_reason")
        batch_op.drop_column("partial")
    with op.batch_alter_table("diagnosis_cases", schema=None) as batch_op:
        batch_op.drop_column("instrument_migrated")
        batch_op.drop_column("referred_at")
