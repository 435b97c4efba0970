"""The office's links for comparing rounds (issue 20): units renamed, merged or split, areas
and leaves renumbered, kept in the database instead of typed on each command line.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-12
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analysis_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("earlier_round_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("earlier_unit_id", sa.Integer(), nullable=True),
        sa.Column("later_unit_id", sa.Integer(), nullable=True),
        sa.Column("earlier_code", sa.String(length=50), nullable=True),
        sa.Column("later_code", sa.String(length=50), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            ondelete="CASCADE",
            name=op.f("fk_analysis_links_round_id_rounds"),
        ),
        sa.ForeignKeyConstraint(
            ["earlier_round_id"],
            ["rounds.id"],
            ondelete="CASCADE",
            name=op.f("fk_analysis_links_earlier_round_id_rounds"),
        ),
        sa.ForeignKeyConstraint(
            ["earlier_unit_id"],
            ["units.id"],
            ondelete="CASCADE",
            name=op.f("fk_analysis_links_earlier_unit_id_units"),
        ),
        sa.ForeignKeyConstraint(
            ["later_unit_id"],
            ["units.id"],
            ondelete="CASCADE",
            name=op.f("fk_analysis_links_later_unit_id_units"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analysis_links")),
    )
    op.create_index("ix_analysis_links_rounds", "analysis_links", ["round_id", "earlier_round_id"])


def downgrade() -> None:
    op.drop_index("ix_analysis_links_rounds", table_name="analysis_links")
    op.drop_table("analysis_links")
