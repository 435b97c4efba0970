"""A round (考核批次): its rules and frozen tree, its data, stages and deadlines."""
