"""The 整改台账: problems, exchange with units, statistics, carry-over."""
