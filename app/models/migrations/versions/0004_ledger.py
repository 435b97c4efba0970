"""Rectification ledger (整改台账): problems and their history.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # the tables are added with the feature


def downgrade() -> None:
    pass
