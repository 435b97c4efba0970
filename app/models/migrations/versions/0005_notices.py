"""Issued notices (督办函/整改通知书) and their numbering; the office's document settings.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.models.types import JsonText

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None
FROZEN = "'已印发的文书不能修改，只能撤回并说明理由'"


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=100), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("plan_due", sa.Date(), nullable=True),
        sa.Column("result_due", sa.Date(), nullable=True),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("pdf_name", sa.Text(), nullable=False),
        sa.Column("content", JsonText(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("withdraw_reason", sa.Text(), nullable=False),
        sa.Column("issued_by", sa.String(length=100), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            ondelete="SET NULL",
            name=op.f("fk_notices_round_id_rounds"),
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_notices_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
        sa.UniqueConstraint("kind", "year", "serial", name=op.f("uq_notices_kind_year_serial")),
        sa.UniqueConstraint("number", name=op.f("uq_notices_number")),
    )
    op.create_table(
        "office_settings",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", JsonText(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_office_settings")),
    )
    # Issued is issued: only the withdrawal (status and its reason) may change, once.
    op.execute(
        "CREATE TRIGGER notices_content_frozen BEFORE UPDATE OF kind, year, serial, number, "
        "round_id, unit_id, title, issued_on, plan_due, result_due, pdf_sha256, pdf_name, content, "
        f"issued_by, issued_at ON notices BEGIN SELECT RAISE(ABORT, {FROZEN}); END"
    )
    op.execute(
        "CREATE TRIGGER notices_withdrawn_final BEFORE UPDATE ON notices "
        f"WHEN OLD.status = '已撤回' BEGIN SELECT RAISE(ABORT, {FROZEN}); END"
    )
    op.execute(
        f"CREATE TRIGGER notices_never_deleted BEFORE DELETE ON notices "
        f"BEGIN SELECT RAISE(ABORT, {FROZEN}); END"
    )


def downgrade() -> None:
    for trigger in ("notices_content_frozen", "notices_withdrawn_final", "notices_never_deleted"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.drop_table("office_settings")
    op.drop_table("notices")
