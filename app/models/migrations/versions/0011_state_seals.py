"""The sealed state (issue 15 §1): a digest per group of result-bearing rows, and the change
log's records carry the digest of the whole state after their transaction.

The seals of an existing database are computed when it is upgraded, together with a 迁移
record carrying the digest (app.services.access.state_seal registers that step with
app.models.migrate, since the definition of the state lives with the services).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN: change_log is not rebuilt, so its append-only triggers stay.
    # Nullable and hashed only when set, so every chain written before still verifies.
    op.add_column("change_log", sa.Column("state_digest", sa.String(length=64), nullable=True))
    # No published-round triggers here: the seals are not round data, and sealing a published
    # round's groups (e.g. after its publication) must never be refused.
    op.create_table(
        "state_seals",
        sa.Column("group_key", sa.String(length=100), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("group_key", name=op.f("pk_state_seals")),
    )


def downgrade() -> None:
    op.drop_table("state_seals")
    op.execute("ALTER TABLE change_log DROP COLUMN state_digest")
