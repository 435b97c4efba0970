"""Server mode (issue 18): setting up a PostgreSQL database for an office, its roles enforced
by the server itself, and whole databases moved between a file and a server."""
