"""Workbooks that go out and come back filled in: the assessors' sheets, the ledger for units,
a unit's preliminary results. Writer and reader of each live together so they cannot drift."""
