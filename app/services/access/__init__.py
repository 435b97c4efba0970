"""Who acts and what they may do; the change log and the sealed state behind it."""
