"""Developer tools run from the source tree (`python -m tools.<name>`); not shipped."""
