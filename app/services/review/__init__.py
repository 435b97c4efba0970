"""From scores to results: totals, explanations, objections, the publication gate."""
