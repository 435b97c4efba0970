"""The daily backup while the window stays open (offices leave it open for weeks)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer

from app.models.database import Database
from app.services.maintenance.backups import backup_if_due

CHECK_EVERY_MS = 60 * 60 * 1000
log = logging.getLogger(__name__)


class DailyBackup(QObject):
    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> None:
        try:
            made = backup_if_due(self._db)
        except Exception:  # a failed backup must never take the window down; it is logged
            log.exception("每日自动备份失败")
            return
        if made is not None:
            log.info("每日自动备份：%s", made)
