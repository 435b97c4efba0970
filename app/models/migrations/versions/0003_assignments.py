"""Assignments: which assessor scores which leaf of a round, for which units.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None
READ_ONLY = "'考核批次已发布，为只读；如需修改请由管理员说明理由后重新打开'"


def upgrade() -> None:
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("assessor_id", sa.Integer(), nullable=False),
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessor_id"], ["assessors.id"], name=op.f("fk_assignments_assessor_id_assessors")
        ),
        sa.ForeignKeyConstraint(
            ["node_id"],
            ["round_nodes.id"],
            ondelete="CASCADE",
            name=op.f("fk_assignments_node_id_round_nodes"),
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            ondelete="CASCADE",
            name=op.f("fk_assignments_round_id_rounds"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_assignments_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
        sa.UniqueConstraint(
            "round_id",
            "assessor_id",
            "node_id",
            "unit_id",
            name=op.f("uq_assignments_round_id_assessor_id_node_id_unit_id"),
        ),
    )
    # Assignments of a published round are as frozen as its scores.
    for event, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")):
        op.execute(
            f"CREATE TRIGGER assignments_published_no_{event.lower()} BEFORE {event} ON "
            f"assignments WHEN (SELECT status FROM rounds WHERE id = {row}.round_id) = '已发布' "
            f"BEGIN SELECT RAISE(ABORT, {READ_ONLY}); END"
        )


def downgrade() -> None:
    for event in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS assignments_published_no_{event}")
    op.drop_table("assignments")
