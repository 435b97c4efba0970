"""The register of 文号 in use (issue 17): one number, one document, whatever issued it. Filled
from the notices already issued.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.models.document_numbers import number_key

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None
KEPT = "'文号一经使用即登记，不能删除'"


def upgrade() -> None:
    op.create_table(
        "document_numbers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=100), nullable=False),
        sa.Column("number_key", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notices.id"], name=op.f("fk_document_numbers_notice_id_notices")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            ondelete="SET NULL",
            name=op.f("fk_document_numbers_round_id_rounds"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_numbers")),
        sa.UniqueConstraint("number_key", name=op.f("uq_document_numbers_number_key")),
    )
    op.execute(
        f"CREATE TRIGGER document_numbers_kept BEFORE DELETE ON document_numbers "
        f"BEGIN SELECT RAISE(ABORT, {KEPT}); END"
    )
    connection = op.get_bind()
    taken: set[str] = set()
    rows = connection.execute(
        sa.text(
            "SELECT id, number, kind, year, title, issued_on, round_id, issued_at FROM notices "
            "ORDER BY id"
        )
    ).all()
    for row in rows:
        key = number_key(row.number)
        if key in taken:  # two numbers the old program let differ only in spelling: keep one
            continue
        taken.add(key)
        connection.execute(
            sa.text(
                "INSERT INTO document_numbers (number, number_key, kind, year, title, issued_on,"
                " round_id, notice_id, created_at) VALUES (:number, :key, :kind, :year, :title,"
                " :issued_on, :round_id, :id, :issued_at)"
            ),
            {**row._asdict(), "key": key},
        )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS document_numbers_kept")
    op.drop_table("document_numbers")
