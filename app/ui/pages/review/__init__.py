"""申辩复核 page (ReviewPage in page.py): objections and their review, the round's exchanges."""
