"""Every write says what it changed, recorded from the rows it actually wrote (issue 16)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from app.demo.build import DEMO_ROUND
from app.models.opening import open_database
from app.services.changes import EVERYTHING, NOTHING, Changes, Topic
from app.services.entry.assignment_admin import unassign
from app.services.review.objections import add_objection
from app.services.rounds.definition import list_rounds
from app.services.setup.units import update_unit


def test_a_unit_edit_touches_units_and_the_log_only(demo_copy: Path) -> None:
    db = open_database(demo_copy)
    changes = update_unit(db, "云州市司法局", "short_name", "司法局").changes
    assert changes.topics == {Topic.UNITS, Topic.CHANGE_LOG}
    assert not changes.touches(Topic.SCORES) and not changes.touches_round(1)


def test_an_objection_names_its_round(demo_copy: Path) -> None:
    db = open_database(demo_copy)
    round_id = next(r.id for r in list_rounds(db) if r.name == DEMO_ROUND)
    leaf = "1.1.1"
    changes = add_objection(db, DEMO_ROUND, "云州市司法局", leaf, "扣分依据不足").changes
    assert changes.touches(Topic.OBJECTIONS, Topic.CHANGE_LOG)
    assert changes.rounds == {round_id}
    assert changes.touches_round(round_id) and not changes.touches_round(round_id + 1000)


def test_a_bulk_statement_counts_every_round(demo_copy: Path) -> None:
    """Removing an assessor's assignments runs one DELETE: which rounds it hit is not known
    from the rows, so every round counts as touched rather than none."""
    db = open_database(demo_copy)
    changes = unassign(db, DEMO_ROUND, "司法局考核组").changes
    assert changes.touches(Topic.ROUNDS)
    assert changes.rounds == frozenset() and changes.touches_round(12345)


def test_nothing_written_nothing_said_and_everything_touches_all() -> None:
    assert not NOTHING and NOTHING.touches(*Topic) is False
    assert EVERYTHING.touches(Topic.ACCOUNTS) and EVERYTHING.touches_round(7)
    both = Changes.of(Topic.UNITS) | Changes.of(Topic.SCORES, rounds=[3])
    assert both.topics == {Topic.UNITS, Topic.SCORES} and both.rounds == {3}


def test_a_grid_write_names_the_cells_it_wrote_and_a_survey_none(demo_copy: Path) -> None:
    """Another client's page reads just these cells instead of the whole round (issue 18)."""
    from app.services.entry.cells import CellValue
    from app.services.entry.grid import NamedChange, apply_changes, load_grid, read_cells
    from app.services.entry.satisfaction_exemptions import exempt_unit
    from tests.cells import by_ids

    db = open_database(demo_copy)
    value = CellValue(deduction=Decimal("1.5"), reason="台账不全")
    named = [NamedChange("云州市民政局", "1.1.1", "司法局考核组", value)]
    changes = apply_changes(db, DEMO_ROUND, by_ids(db, DEMO_ROUND, *named)).changes
    grid = load_grid(db, DEMO_ROUND)
    (key,) = [
        (u.id, leaf.id, a)
        for u in grid.units
        for leaf in grid.leaves
        for a, name in grid.assessor_names.items()
        if (u.name, leaf.code, name) == ("云州市民政局", "1.1.1", "司法局考核组")
    ]
    assert changes.only_cells(grid.round_id) == {key}
    assert changes.only_cells(grid.round_id + 1) == frozenset()
    assert read_cells(db, grid.round_id, [key]) == {key: value}
    cleared = apply_changes(
        db,
        DEMO_ROUND,
        by_ids(db, DEMO_ROUND, NamedChange("云州市民政局", "1.1.1", "司法局考核组", None)),
    ).changes
    assert cleared.only_cells(grid.round_id) == {key}
    assert read_cells(db, grid.round_id, [key]) == {key: None}
    survey = exempt_unit(db, DEMO_ROUND, "云州市司法局", "履职评议").changes
    assert survey.touches(Topic.SCORES) and survey.only_cells(grid.round_id) is None
    assert (changes | survey).only_cells(grid.round_id) is None  # not known which: all
    assert (changes | NOTHING).only_cells(grid.round_id) == {key}
