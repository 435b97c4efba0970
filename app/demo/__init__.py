"""The demo year: a whole year of an office's work, written through the services."""
