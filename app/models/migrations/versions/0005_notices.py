"""Issued notices (督办函/整改通知书) and their numbering.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # the tables are added with the feature


def downgrade() -> None:
    pass
