"""指标体系 page (FrameworksPage in page.py): the tree, its edits, whole frameworks."""
