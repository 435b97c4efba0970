"""Use cases shared by the command line and the window; each call is one transaction."""

from app.services import changes as _changes
from app.services import live_changes as _live_changes
from app.services.access import sealing as _sealing

# Every session of the process seals what it writes and chains its change-log records at
# commit; installed here so that no service can write without it.
_sealing.install()
_changes.install()  # and records what it changed, for the window to refresh
_live_changes.install()  # and, on a server, tells the other clients at commit
