"""分析: year on year, how robust each rank is, how consistent the assessors are (issue 20).
Reads a round's data and results, runs app/scoring/analysis, says the figures in words."""
