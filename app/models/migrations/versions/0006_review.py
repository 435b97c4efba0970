"""Self-assessment, objections (申辩) and review (复核), satisfaction votes.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from __future__ import annotations

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # the tables are added with the feature


def downgrade() -> None:
    pass
