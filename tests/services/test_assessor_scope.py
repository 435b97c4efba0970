"""An 评分人 account scores only its own assignments, only while the round is being scored, and
sees no other assessor's scores."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from app.demo.build import DEMO_ROUND
from app.models import Assessor
from app.models.accounts import ROLE_ADMIN, ROLE_ASSESSOR
from app.models.opening import open_database
from app.services.access import accounts
from app.services.access.actor import acting_as
from app.services.entry.assignments import tasks_of
from app.services.entry.cells import CellValue
from app.services.entry.grid import CellRefused, NamedChange, apply_changes, load_grid
from app.services.review.round_status import change_status
from app.services.rounds.definition import find_round
from tests.cells import by_ids


@pytest.fixture
def setup(demo_db_file: Path, tmp_path: Path):
    shutil.copy(demo_db_file, tmp_path / "demo.db")
    db = open_database(tmp_path / "demo.db")
    with db.reading() as session:
        assessor = session.scalars(select(Assessor).order_by(Assessor.id)).first()
        round_ = find_round(session, DEMO_ROUND)
        mine = {(t.unit, t.leaf.code) for t in tasks_of(session, round_, assessor)}
        name = assessor.name
    accounts.create_account(db, "admin", "admin-pw-1", ROLE_ADMIN)
    accounts.create_account(db, "li", "li-pass-1", ROLE_ASSESSOR, assessor=name)
    yield db, name, sorted(mine), accounts.sign_in(db, "li", "li-pass-1")
    db.dispose()


def test_own_cells_yes_other_cells_or_names_no(setup) -> None:
    db, name, mine, li = setup
    grid = load_grid(db, DEMO_ROUND)
    every = {
        (u.name, leaf.code) for u in grid.units for leaf in grid.leaves if leaf.method == "扣分"
    }
    own = next((u, c) for u, c in mine if (u, c) in every)
    foreign = next(cell for cell in sorted(every) if cell not in set(mine))
    value = CellValue(deduction=Decimal("0.5"), reason="抽查发现问题")
    with acting_as(li):
        apply_changes(db, DEMO_ROUND, by_ids(db, DEMO_ROUND, NamedChange(*own, name, value)))
        with pytest.raises(CellRefused, match="未分配给"):
            apply_changes(
                db, DEMO_ROUND, by_ids(db, DEMO_ROUND, NamedChange(*foreign, name, value))
            )
        other = next(a for a in grid.assessors if a != name)
        with pytest.raises(CellRefused, match="名义"):
            apply_changes(db, DEMO_ROUND, by_ids(db, DEMO_ROUND, NamedChange(*own, other, value)))
        seen = load_grid(db, DEMO_ROUND)
        assert seen.assessors == [name]
        assert {key[2] for key in seen.values} == {name}
    change_status(db, DEMO_ROUND, "审核中")
    with acting_as(li), pytest.raises(CellRefused, match="评分中"):
        apply_changes(db, DEMO_ROUND, by_ids(db, DEMO_ROUND, NamedChange(*own, name, value)))
