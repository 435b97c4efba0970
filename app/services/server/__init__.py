"""Server mode: moving whole databases between a file and a server."""
