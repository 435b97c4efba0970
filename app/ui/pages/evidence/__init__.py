"""佐证材料: the units' packages out and back, the lists, and the panel beside the grid."""
