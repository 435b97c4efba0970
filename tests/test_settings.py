"""The settings file is upgraded by version on load, and a file written by a newer program on
the same computer keeps what this version does not know."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app import settings as settings_module
from app.settings import SETTINGS_VERSION, load_settings, save_settings


@pytest.fixture
def settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "settings.json"
    monkeypatch.setenv("KAOPING_SETTINGS", str(path))
    return path


def test_an_unversioned_file_is_read_and_saved_as_this_version(settings_file: Path) -> None:
    settings_file.write_text(json.dumps({"backup_folder": "D:/备份", "daily_backup": False}))
    loaded = load_settings()
    assert (loaded.backup_folder, loaded.daily_backup) == ("D:/备份", False)
    save_settings(loaded)
    assert json.loads(settings_file.read_text("utf-8"))["version"] == SETTINGS_VERSION


def test_each_upgrade_step_runs_once_in_order_from_the_files_version(
    settings_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A later version renames a key: a file of every older version reads with the new name."""

    def rename_folder(raw: dict) -> dict:
        raw["backup_folder"] = raw.pop("backup_dir", raw.get("backup_folder", ""))
        return raw

    monkeypatch.setattr(settings_module, "UPGRADES", [*settings_module.UPGRADES, rename_folder])
    for version in (0, 1):
        settings_file.write_text(json.dumps({"version": version, "backup_dir": "E:/备份"}))
        assert load_settings().backup_folder == "E:/备份"
    settings_file.write_text(json.dumps({"version": 2, "backup_folder": "F:/备份"}))
    assert load_settings().backup_folder == "F:/备份"


def test_a_newer_programs_keys_and_version_survive_a_save(settings_file: Path) -> None:
    newer = SETTINGS_VERSION + 3
    settings_file.write_text(
        json.dumps({"version": newer, "backup_folder": "", "cloud_sync": {"on": True}})
    )
    loaded = load_settings()
    loaded.daily_backup = False
    save_settings(loaded)
    saved = json.loads(settings_file.read_text("utf-8"))
    assert saved["version"] == newer
    assert saved["cloud_sync"] == {"on": True}
    assert saved["daily_backup"] is False
