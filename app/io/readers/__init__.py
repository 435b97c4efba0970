"""Workbooks in: an office's tables read into records that name the cell of every value."""
