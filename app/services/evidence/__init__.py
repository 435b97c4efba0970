"""Evidence (佐证材料, issue 19): the units' packages out and back, the files kept intact, the
assessors' review per leaf, the lists and exports for the inspection."""
