"""The command line: the parser, sign-in, and one module per topic under commands/."""
