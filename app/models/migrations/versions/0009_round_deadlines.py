"""A round's deadline dates: scoring, objections (申辩) and publication (公示).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

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
    # SQLite 3.35+ drops a column in place; rebuilding ``rounds`` would trip the triggers of
    # the tables that name it.
    for column in COLUMNS:
        op.execute(f"ALTER TABLE rounds DROP COLUMN {column}")
