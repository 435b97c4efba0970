"""Official documents as editable Word files (.docx), drawn from the same content model as the
PDFs (official.model): one module per part, as for the PDF writer."""
