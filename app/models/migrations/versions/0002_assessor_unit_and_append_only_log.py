"""Assessors name their own unit (回避); the change log is append-only; published rounds are
read-only in the database itself.

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


PUBLISHED = "'已发布'"
READ_ONLY_MESSAGE = "'考核批次已发布，为只读；如需修改请由管理员说明理由后重新打开'"
# Tables whose rows belong to a round and must not change once it is published.
ROUND_TABLES = ("score_entries", "satisfaction_results", "round_nodes", "round_units")


def published_round_triggers() -> list[str]:
    statements = []
    for table in ROUND_TABLES:
        for event, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")):
            statements.append(
                f"CREATE TRIGGER {table}_published_no_{event.lower()} BEFORE {event} ON {table} "
                f"WHEN (SELECT status FROM rounds WHERE id = {row}.round_id) = {PUBLISHED} "
                f"BEGIN SELECT RAISE(ABORT, {READ_ONLY_MESSAGE}); END"
            )
    # Rules and names of a published round stay as published; only reopening changes status.
    statements.append(
        "CREATE TRIGGER rounds_published_no_update BEFORE UPDATE ON rounds "
        f"WHEN OLD.status = {PUBLISHED} AND NEW.status = {PUBLISHED} "
        f"BEGIN SELECT RAISE(ABORT, {READ_ONLY_MESSAGE}); END"
    )
    statements.append(
        "CREATE TRIGGER rounds_published_no_delete BEFORE DELETE ON rounds "
        f"WHEN OLD.status = {PUBLISHED} BEGIN SELECT RAISE(ABORT, {READ_ONLY_MESSAGE}); END"
    )
    return statements


def upgrade() -> None:
    # recreate="always": SQLite cannot add a foreign key in place, so the table is rebuilt.
    with op.batch_alter_table("assessors", recreate="always") as batch_op:
        batch_op.add_column(sa.Column("unit_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_assessors_unit_id_units", "units", ["unit_id"], ["id"], ondelete="SET NULL"
        )
    for statement in (*APPEND_ONLY_TRIGGERS, *published_round_triggers()):
        op.execute(statement)


def downgrade() -> None:
    for statement in published_round_triggers():
        op.execute("DROP TRIGGER IF EXISTS " + statement.split()[2])
    op.execute("DROP TRIGGER IF EXISTS change_log_no_delete")
    op.execute("DROP TRIGGER IF EXISTS change_log_no_update")
    with op.batch_alter_table("assessors", recreate="always") as batch_op:
        batch_op.drop_constraint("fk_assessors_unit_id_units", type_="foreignkey")
        batch_op.drop_column("unit_id")
