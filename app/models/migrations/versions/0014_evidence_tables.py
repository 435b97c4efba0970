"""Evidence (佐证材料, issue 19): files stored once by SHA-256, their content on a server in
chunks, the units' packages, attachments per round, unit and leaf, the assessors' reviews,
and the files of objections and of ledger progress reports. New tables only: nothing existing
is rebuilt, so every trigger stays. Portable DDL: it runs on SQLite and PostgreSQL alike.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-20
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _fk(
    table: str, column: str, target: str, ondelete: str | None = None
) -> sa.ForeignKeyConstraint:
    referred = target.split(".")[0]
    return sa.ForeignKeyConstraint(
        [column], [target], ondelete=ondelete, name=op.f(f"fk_{table}_{column}_{referred}")
    )


def _who() -> list[sa.Column]:
    return [
        sa.Column("added_by", sa.String(length=100), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "evidence_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("first_name", sa.Text(), nullable=False),
        sa.Column("stored_by", sa.String(length=100), nullable=False),
        sa.Column("stored_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_files")),
        sa.UniqueConstraint("sha256", name=op.f("uq_evidence_files_sha256")),
    )
    op.create_table(
        "evidence_chunks",
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        _fk("evidence_chunks", "file_id", "evidence_files.id", "CASCADE"),
        sa.PrimaryKeyConstraint("file_id", "seq", name=op.f("pk_evidence_chunks")),
    )
    op.create_table(
        "evidence_packages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("files", sa.Integer(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("imported_by", sa.String(length=100), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        _fk("evidence_packages", "round_id", "rounds.id", "CASCADE"),
        _fk("evidence_packages", "unit_id", "units.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_packages")),
    )
    op.create_index("ix_evidence_packages_round_unit", "evidence_packages", ["round_id", "unit_id"])
    op.create_table(
        "evidence_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("package_id", sa.Integer(), nullable=True),
        *_who(),
        _fk("evidence_attachments", "round_id", "rounds.id", "CASCADE"),
        _fk("evidence_attachments", "unit_id", "units.id"),
        _fk("evidence_attachments", "node_id", "round_nodes.id", "CASCADE"),
        _fk("evidence_attachments", "file_id", "evidence_files.id"),
        _fk("evidence_attachments", "package_id", "evidence_packages.id", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_attachments")),
        sa.UniqueConstraint(
            "round_id",
            "unit_id",
            "node_id",
            "name",
            name=op.f("uq_evidence_attachments_round_id_unit_id_node_id_name"),
        ),
    )
    op.create_index("ix_evidence_attachments_file", "evidence_attachments", ["file_id"])
    op.create_table(
        "evidence_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("missing", sa.Text(), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("reviewed_by", sa.String(length=100), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=False),
        _fk("evidence_reviews", "round_id", "rounds.id", "CASCADE"),
        _fk("evidence_reviews", "unit_id", "units.id"),
        _fk("evidence_reviews", "node_id", "round_nodes.id", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_reviews")),
        sa.UniqueConstraint(
            "round_id",
            "unit_id",
            "node_id",
            name=op.f("uq_evidence_reviews_round_id_unit_id_node_id"),
        ),
    )
    for table, owner, target in (
        ("objection_files", "objection_id", "objections.id"),
        ("problem_event_files", "event_id", "problem_events.id"),
    ):
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column(owner, sa.Integer(), nullable=False),
            sa.Column("file_id", sa.Integer(), nullable=False),
            sa.Column("name", sa.Text(), nullable=False),
            *_who(),
            _fk(table, owner, target, "CASCADE"),
            _fk(table, "file_id", "evidence_files.id"),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
            sa.UniqueConstraint(owner, "name", name=op.f(f"uq_{table}_{owner}_name")),
        )


def downgrade() -> None:
    for table in (
        "problem_event_files",
        "objection_files",
        "evidence_reviews",
        "evidence_attachments",
        "evidence_packages",
        "evidence_chunks",
        "evidence_files",
    ):
        op.drop_table(table)
