"""A unit's scores are sealed per assessor (issue 18): on a server an 评分人 reads only their
own score rows, so a group must be what its writer can read. No table changes; the seals are
split after the upgrade by app.services.access.sealing (old seals that still match are
replaced, others kept so an edit made outside stays reported), and the upgrade's change-log
record says how many.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from __future__ import annotations

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
