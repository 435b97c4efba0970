"""整改台账 page (LedgerPage in page.py): the problems, their follow-up, the exchanges."""
