"""What must be equal at both ends of a copy: the schema revision, every table's row count,
the exact score sums, the change log's chain (length and head) and the sealed state's digest."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection, column, func, select, table, text
from sqlalchemy.orm import Session

from app.models.base import Base
from app.models.migrate import SUMMED_COLUMNS
from app.services.access.audit import ChainReport, chain_report
from app.services.access.state_verify import state_report


@dataclass(frozen=True)
class Fingerprint:
    revision: str | None
    rows: dict[str, int]
    sums: dict[str, Decimal]
    chain: ChainReport
    state_digest: str
    state_sound: bool  # the data is the state its change log describes

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def sound(self) -> bool:
        return self.chain.first_broken is None and self.state_sound

    def differences(self, other: Fingerprint) -> list[str]:
        """What differs from ``other`` (the copy), in words; empty when the copy is faithful."""
        found = []
        if self.revision != other.revision:
            found.append(f"数据库版本：原 {self.revision}，副本 {other.revision}")
        for name, count in self.rows.items():
            if other.rows.get(name) != count:
                found.append(f"表 {name}：原 {count} 行，副本 {other.rows.get(name)} 行")
        for name, total in self.sums.items():
            if other.sums.get(name) != total:
                found.append(f"{name} 合计：原 {total}，副本 {other.sums.get(name)}")
        if (self.chain.records, self.chain.head) != (other.chain.records, other.chain.head):
            found.append(
                f"变更记录链：原 {self.chain.records} 条、链头 {self.chain.short_code}，"
                f"副本 {other.chain.records} 条、链头 {other.chain.short_code}"
            )
        if self.state_digest != other.state_digest:
            found.append(
                f"状态摘要：原 {self.state_digest[:12].upper()}，"
                f"副本 {other.state_digest[:12].upper()}"
            )
        return found


def revision_of(connection: Connection) -> str | None:
    found = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    return None if found is None else str(found[0])


def row_counts(connection: Connection) -> dict[str, int]:
    return {
        t.name: int(connection.execute(select(func.count()).select_from(t)).scalar_one())
        for t in Base.metadata.sorted_tables
    }


def score_sums(connection: Connection) -> dict[str, Decimal]:
    """Exact sums of the stored decimal text (SQL's SUM would go through floats on SQLite)."""
    sums = {}
    for name, columns in SUMMED_COLUMNS.items():
        for name_of_column in columns:
            stored = column(name_of_column)
            values = connection.execute(
                select(stored).select_from(table(name, stored)).where(stored.is_not(None))
            ).scalars()
            sums[f"{name}.{name_of_column}"] = sum((Decimal(v) for v in values), Decimal(0))
    return sums


def fingerprint(connection: Connection) -> Fingerprint:
    """Read inside the caller's transaction, so both ends are seen as one consistent state."""
    with Session(bind=connection) as session:  # reads only: nothing flushed, nothing sealed
        chain = chain_report(session)
    state = state_report(connection)
    return Fingerprint(
        revision_of(connection),
        row_counts(connection),
        score_sums(connection),
        chain,
        state.digest,
        state.ok,
    )
