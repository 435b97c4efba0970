"""What the office prints and sends: the 通报, score sheets, notices, reminders."""
