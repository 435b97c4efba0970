"""Assessors name their own unit (回避); the change log becomes append-only.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

APPEND_ONLY_TRIGGERS = (
    """CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
       BEGIN SELECT RAISE(ABORT, '变更记录只能追加，不能修改'); END""",
    """CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log
       BEGIN SELECT RAISE(ABORT, '变更记录只能追加，不能删除'); END""",
)


def upgrade() -> None:
    # recreate="always": SQLite cannot add a foreign key in place, so the table is rebuilt.
    with op.batch_alter_table("assessors", recreate="always") as batch_op:
        batch_op.add_column(sa.Column("unit_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_assessors_unit_id_units", "units", ["unit_id"], ["id"], ondelete="SET NULL"
        )
    for statement in APPEND_ONLY_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS change_log_no_delete")
    op.execute("DROP TRIGGER IF EXISTS change_log_no_update")
    with op.batch_alter_table("assessors", recreate="always") as batch_op:
        batch_op.drop_constraint("fk_assessors_unit_id_units", type_="foreignkey")
        batch_op.drop_column("unit_id")
