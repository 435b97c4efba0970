"""分析: the three analyses of issue 20 in the window."""
