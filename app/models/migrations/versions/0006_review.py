"""Satisfaction results keep the vote counts they were computed from (self-assessment,
objections (申辩) and review (复核) will follow in this slot's successors).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from __future__ import annotations

from importlib import import_module

import sqlalchemy as sa
from alembic import op

from app.models.types import JsonText

published_round_triggers = import_module(
    "app.models.migrations.versions.0002_assessor_unit_and_append_only_log"
).published_round_triggers

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ALTER TABLE ADD COLUMN: the table is not rebuilt, so its published-round
    # triggers stay in place.
    op.add_column("satisfaction_results", sa.Column("votes", JsonText(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("satisfaction_results", recreate="always") as batch:
        batch.drop_column("votes")
    for statement in published_round_triggers():  # the rebuilt table lost them
        if " ON satisfaction_results " in statement:
            op.execute(statement)
