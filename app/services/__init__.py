"""Use cases shared by the command line and the window; each call is one transaction."""
