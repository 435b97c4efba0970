"""Workbooks out: every sheet the program writes, laid out to print and to read back."""
