"""评分录入 page (ScoringPage in page.py): the grid, its filters and its editing."""
