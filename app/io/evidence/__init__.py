"""Evidence packages (自评包) out and back: the files' types, the archive, the workbook."""
