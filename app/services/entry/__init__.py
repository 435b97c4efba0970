"""Scores coming in: the grid, value checks, imports, satisfaction, assignments."""
