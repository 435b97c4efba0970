"""A round's deadline dates: scoring, objections (申辩) and publication (公示).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25
"""

from __future__ import annotations

from importlib import import_module

import sqlalchemy as sa
from alembic import op

published_round_triggers = import_module(
    "app.models.migrations.versions.0002_assessor_unit_and_append_only_log"
).published_round_triggers

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

COLUMNS = ("scoring_due", "objection_due", "publication_due")


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN: the table is not rebuilt, so its triggers stay in place.
    for column in COLUMNS:
        op.add_column("rounds", sa.Column(column, sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("rounds", recreate="always") as batch:
        for column in COLUMNS:
            batch.drop_column(column)
    for statement in published_round_triggers():  # the rebuilt table lost them
        if " ON rounds " in statement:
            op.execute(statement)
