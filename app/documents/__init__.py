"""PDFs and charts: official documents in the GB/T 9704-2012 format, reports, score sheets.
Nothing here imports Qt or a database session: services hand in plain data."""
