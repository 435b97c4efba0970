"""The top-grade quota's scope, rounding and tie rule per round, and the units excused from the
satisfaction survey (满意度免测), frozen with a published round like its scores.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

READ_ONLY = "'考核批次已发布，为只读；如需修改请由管理员说明理由后重新打开'"
QUOTA_COLUMNS = (
    ("quota_scope", "category"),
    ("quota_rounding", "floor"),
    ("quota_ties", "share"),
)


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN: the table is not rebuilt, so its triggers stay in place.
    for column, default in QUOTA_COLUMNS:
        op.add_column(
            "rounds",
            sa.Column(column, sa.String(length=10), nullable=False, server_default=default),
        )
    op.create_table(
        "satisfaction_exemptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            ondelete="CASCADE",
            name=op.f("fk_satisfaction_exemptions_round_id_rounds"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_satisfaction_exemptions_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_satisfaction_exemptions")),
        sa.UniqueConstraint(
            "round_id", "unit_id", name=op.f("uq_satisfaction_exemptions_round_id_unit_id")
        ),
    )
    for event, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")):
        op.execute(
            f"CREATE TRIGGER satisfaction_exemptions_published_no_{event.lower()} "
            f"BEFORE {event} ON satisfaction_exemptions "
            f"WHEN (SELECT status FROM rounds WHERE id = {row}.round_id) = '已发布' "
            f"BEGIN SELECT RAISE(ABORT, {READ_ONLY}); END"
        )


def downgrade() -> None:
    for event in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS satisfaction_exemptions_published_no_{event}")
    op.drop_table("satisfaction_exemptions")
    for column, _ in QUOTA_COLUMNS:
        op.execute(f"ALTER TABLE rounds DROP COLUMN {column}")
