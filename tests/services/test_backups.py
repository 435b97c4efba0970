"""Backups: made with the backup API, listed with what they hold, rotated, restored safely."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app.errors import UserError
from app.models import Unit
from app.models.database import Database
from app.services.maintenance.backups import (
    BackupInfo,
    backups_to_keep,
    create_backup,
    list_backups,
)
from app.services.maintenance.restore import restore_backup

pytestmark = pytest.mark.sqlite_only  # file backups; a server's backup is issue 18's next step


def add_unit(db: Database, name: str) -> None:
    with db.transaction() as session:
        session.add(Unit(name=name))


def unit_names(db: Database) -> list[str]:
    from sqlalchemy import select

    with db.reading() as session:
        return list(session.scalars(select(Unit.name).order_by(Unit.id)))


def test_restore_brings_back_the_backup_and_keeps_the_current_file(db: Database) -> None:
    add_unit(db, "市司法局")
    backup = create_backup(db, "测试")
    add_unit(db, "误导入的单位")
    safety = restore_backup(db, backup, "测试")
    assert unit_names(db) == ["市司法局"]
    listed = list_backups(backup.parent)
    assert {b.reason for b in listed} == {"测试", "恢复前"}
    # The automatic backup before the restore holds what was there, so the restore can be undone.
    restore_backup(db, safety, "测试")
    assert unit_names(db) == ["市司法局", "误导入的单位"]


def test_a_file_that_is_not_a_database_is_not_restored(db: Database, tmp_path: Path) -> None:
    add_unit(db, "市司法局")
    bogus = tmp_path / "kaoping-20250101-000000-000000-x.db"
    bogus.write_bytes(b"PK\x03\x04 not a database")
    with pytest.raises(UserError, match="不是考评系统的数据库"):
        restore_backup(db, bogus, "测试")
    assert unit_names(db) == ["市司法局"]


def test_rotation_keeps_latest_daily_and_monthly(tmp_path: Path) -> None:
    now = datetime(2026, 11, 23, 12, 0)
    backups = [
        BackupInfo(tmp_path / f"b{i}.db", now - timedelta(hours=6 * i), "x", 1, [])
        for i in range(4 * 400)  # four a day for 400 days
    ]
    keep = backups_to_keep(backups)
    kept = sorted((b for b in backups if b.path in keep), key=lambda b: b.when, reverse=True)
    assert all(b.path in keep for b in backups[:10])
    days = {b.when.date() for b in kept}
    assert len(days) >= 30
    months = {b.when.strftime("%Y-%m") for b in kept}
    assert len(months) == 12
    assert len(kept) < 10 + 30 + 12


def test_cli_backup_round_trip(run_cli, tmp_path: Path) -> None:
    import json

    code, out, err = run_cli("backup", "create")
    assert code == 0, err
    code, out, _ = run_cli("backup", "list", "--json")
    listed = json.loads(out)
    assert listed[0]["reason"] == "手动"
    code, out, err = run_cli("backup", "restore", listed[0]["file"], "--reason", "测试")
    assert code == 0, err
    assert "恢复前" in out
    code, _, err = run_cli("backup", "restore", str(tmp_path / "none.db"), "--reason", "测试")
    assert code == 2 and "none.db" in err


def test_damaged_file_is_refused_and_the_newest_good_backup_named(run_cli, db_path: Path) -> None:
    code, _, err = run_cli("backup", "create")
    assert code == 0, err
    good = list_backups(db_path.parent / "backups")[0].path
    data = bytearray(db_path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # scribble over the first page's schema
    db_path.write_bytes(bytes(data))
    code, _, err = run_cli("units", "list", "--json")
    assert code == 2
    assert "已损坏" in err and good.name in err


@pytest.fixture
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "settings.json"
    monkeypatch.setenv("KAOPING_SETTINGS", str(path))
    return path


def test_daily_backup_once_per_day_while_open(db: Database, own_settings: Path) -> None:
    from app.services.maintenance.backups import backup_folder, backup_if_due

    add_unit(db, "市司法局")
    first = backup_if_due(db)
    assert first is not None and "每日" in first.name
    assert backup_if_due(db) is None  # already one today
    tomorrow = datetime.now() + timedelta(days=1)
    assert backup_if_due(db, now=tomorrow) is not None
    assert len(list_backups(backup_folder(db))) == 2


def test_daily_backup_can_be_switched_off(db: Database, own_settings: Path) -> None:
    from app.services.maintenance.backups import backup_if_due
    from app.settings import load_settings, save_settings

    settings = load_settings()
    settings.daily_backup = False
    save_settings(settings)
    assert backup_if_due(db) is None


def test_backups_go_to_the_chosen_folder_and_the_damage_check_finds_them(
    run_cli, db_path: Path, tmp_path: Path, own_settings: Path
) -> None:
    chosen = tmp_path / "备份盘" / "考评备份"
    code, out, _ = run_cli("backup", "folder", str(chosen))
    assert code == 0 and str(chosen) in out
    code, out, _ = run_cli("backup", "create")
    assert code == 0 and str(chosen) in out
    assert len(list(chosen.glob("kaoping-*.db"))) == 1
    assert not list((db_path.parent / "backups").glob("kaoping-*手动.db"))
    db_path.write_bytes(b"\0" * 4096)  # the database is destroyed
    code, _, err = run_cli("units", "list")
    assert code == 2 and str(chosen) in err  # the good backup in the chosen folder is named


def test_broken_settings_file_falls_back_to_defaults(own_settings: Path) -> None:
    from app.settings import load_settings

    own_settings.write_text("{not json", encoding="utf-8")
    assert load_settings().backup_folder == "" and load_settings().daily_backup is True
    own_settings.write_text('{"backup_folder": 5, "daily_backup": 0}', encoding="utf-8")
    settings = load_settings()
    assert settings.backup_folder == "" and settings.daily_backup is False


def test_restore_tells_what_the_backup_holds(db: Database) -> None:
    from app.services.maintenance.backups import describe_backup

    add_unit(db, "市公安局")
    add_unit(db, "市财政局")
    backup = create_backup(db, "手动")
    inside = describe_backup(backup)
    assert inside.units == 2 and inside.rounds == [] and inside.score_entries == 0


def test_a_backup_from_an_older_version_is_upgraded_when_restored(db: Database) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    from app.models.migrate import alembic_config, current_revision, head_revision
    from app.services.rounds.definition import list_rounds

    add_unit(db, "市司法局")
    backup = create_backup(db, "手动")
    old = create_engine(f"sqlite:///{backup}")
    with old.begin() as connection:
        command.downgrade(alembic_config(connection), "0008")  # as last month's program left it
    old.dispose()
    add_unit(db, "市公安局")
    restore_backup(db, backup, "测试")
    assert current_revision(db.engine) == head_revision()
    assert unit_names(db) == ["市司法局"]
    assert list_rounds(db) == []  # reads the round columns 0009 added


def test_a_backup_from_a_newer_program_is_refused_before_anything_changes(
    db: Database, tmp_path: Path
) -> None:
    import shutil
    import sqlite3

    add_unit(db, "市司法局")
    newer = tmp_path / "newer.db"
    shutil.copy(create_backup(db, "手动"), newer)
    with sqlite3.connect(newer) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    add_unit(db, "市公安局")
    with pytest.raises(UserError, match="更新版本"):
        restore_backup(db, newer, "测试")
    assert unit_names(db) == ["市司法局", "市公安局"]


def test_rotation_never_removes_the_copies_before_a_restore_or_a_migration(db: Database) -> None:
    """Issue 15: ten imports after a restore rotated its 恢复前 copy away."""
    add_unit(db, "市司法局")
    before_restore = create_backup(db, "恢复前")
    before_migration = create_backup(db, "迁移前-0008")
    for i in range(15):
        add_unit(db, f"单位{i}")
        create_backup(db, "导入评分前")
    reasons = [b.reason for b in list_backups(before_restore.parent)]
    assert before_restore.exists() and before_migration.exists()
    assert reasons.count("导入评分前") == 10


def test_a_copy_to_a_chosen_file_is_for_an_administrator_and_logged(
    db: Database, tmp_path: Path
) -> None:
    """Issue 15: a backup is a full copy, password hashes included. Seen: any staff account
    could write one to any path with `backup create --out`, and nothing recorded it."""
    from app.services.access import accounts
    from app.services.access.actor import acting_as
    from app.services.access.audit import list_changes
    from app.services.access.permissions import ROLE_ADMIN, ROLE_STAFF, Forbidden
    from app.services.maintenance.backups import manual_backup

    add_unit(db, "市司法局")
    accounts.create_account(db, "admin", "admin-pw-1", ROLE_ADMIN)
    accounts.create_account(db, "wang", "pass-wang", ROLE_STAFF)
    staff = accounts.sign_in(db, "wang", "pass-wang")
    admin = accounts.sign_in(db, "admin", "admin-pw-1")
    carried = tmp_path / "U盘" / "全部数据.db"
    carried.parent.mkdir()
    with acting_as(staff):
        assert manual_backup(db).exists()  # into the backup folder: staff may
        with pytest.raises(Forbidden, match="另存"):
            manual_backup(db, carried)
    assert not carried.exists()
    with acting_as(admin):
        assert manual_backup(db, carried) == carried.resolve()
    assert carried.exists()
    copies = [c for c in list_changes(db) if c.entity == "备份" and c.action == "另存"]
    assert [(c.user, c.key) for c in copies] == [("admin", str(carried.resolve()))]
