"""Analyses of a round's results (issue 20): year on year, how robust each rank is, and how
consistent the assessors are. Pure like the engine: plain data in, results out."""
