"""Kaoping on a PostgreSQL server: connecting, setting it up, its roles."""
