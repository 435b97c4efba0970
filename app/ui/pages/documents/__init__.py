"""文书报告 page (DocumentsPage in page.py), one module per tab, plus the PDF preview."""
