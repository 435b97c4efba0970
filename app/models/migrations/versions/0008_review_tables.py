"""Review of a round: self-assessments (自评), objections (申辩) and their review (复核), the
scores kept at each stage, and the round's review settings. All of them are frozen with a
published round, like its scores.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.models.types import DecimalText, JsonText

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

READ_ONLY = "'考核批次已发布，为只读；如需修改请由管理员说明理由后重新打开'"
REVIEW_TABLES = ("review_settings", "self_assessments", "objections", "stage_scores")


def _round_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["round_id"], ["rounds.id"], ondelete="CASCADE", name=op.f(f"fk_{table}_round_id_rounds")
    )


def _unit_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["unit_id"], ["units.id"], name=op.f(f"fk_{table}_unit_id_units")
    )


def _node_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["node_id"],
        ["round_nodes.id"],
        ondelete="CASCADE",
        name=op.f(f"fk_{table}_node_id_round_nodes"),
    )


def upgrade() -> None:
    op.create_table(
        "review_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("disagreement_fraction", DecimalText(), nullable=False),
        _round_fk("review_settings"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_settings")),
        sa.UniqueConstraint("round_id", name=op.f("uq_review_settings_round_id")),
    )
    op.create_table(
        "self_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.Column("score", DecimalText(), nullable=True),
        sa.Column("not_applicable", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        _round_fk("self_assessments"),
        _unit_fk("self_assessments"),
        _node_fk("self_assessments"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_assessments")),
        sa.UniqueConstraint(
            "round_id",
            "unit_id",
            "node_id",
            name=op.f("uq_self_assessments_round_id_unit_id_node_id"),
        ),
    )
    op.create_table(
        "objections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested", DecimalText(), nullable=True),
        sa.Column("score_before", DecimalText(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("filed_by", sa.String(length=100), nullable=False),
        sa.Column("filed_at", sa.DateTime(), nullable=False),
        sa.Column("new_score", DecimalText(), nullable=True),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("reviewed_by", sa.String(length=100), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        _round_fk("objections"),
        _unit_fk("objections"),
        _node_fk("objections"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objections")),
    )
    op.create_table(
        "stage_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=10), nullable=False),
        sa.Column("final", DecimalText(), nullable=False),
        sa.Column("leaves", JsonText(), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        _round_fk("stage_scores"),
        _unit_fk("stage_scores"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stage_scores")),
        sa.UniqueConstraint(
            "round_id", "unit_id", "stage", name=op.f("uq_stage_scores_round_id_unit_id_stage")
        ),
    )
    for table in REVIEW_TABLES:  # frozen with a published round, like its scores
        for event, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")):
            op.execute(
                f"CREATE TRIGGER {table}_published_no_{event.lower()} BEFORE {event} ON {table} "
                f"WHEN (SELECT status FROM rounds WHERE id = {row}.round_id) = '已发布' "
                f"BEGIN SELECT RAISE(ABORT, {READ_ONLY}); END"
            )


def downgrade() -> None:
    for table in REVIEW_TABLES:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_published_no_{event}")
    for table in reversed(REVIEW_TABLES):
        op.drop_table(table)
