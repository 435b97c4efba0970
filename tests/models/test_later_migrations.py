"""The migrations after 0013 (0014 evidence, issue 19; 0015 analysis links, issue 20) run on
both engines: a database at 0013 upgraded to head has exactly the models' schema, on SQLite
and on PostgreSQL. A table a later migration adds goes in LATER_TABLES."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from app.models import Base
from app.models.database import Database
from app.models.migrate import alembic_config, head_revision, upgrade_database
from tests.later_tables import LATER_TABLES


def test_later_migrations_upgrade_a_0013_database_on_either_engine(any_db: Database) -> None:
    engine = any_db.engine
    with engine.begin() as connection:  # back to 0013: the later tables dropped
        for table in reversed(Base.metadata.sorted_tables):
            if table.name in LATER_TABLES:
                table.drop(connection)
        command.stamp(alembic_config(connection), "0013")
    upgrade_database(engine, None)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert context.get_current_revision() == head_revision()
        assert compare_metadata(context, Base.metadata) == []
