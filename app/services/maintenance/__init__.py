"""The database file kept safe: backups, restore, the start check, the lock."""
