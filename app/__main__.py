"""Entry point: a command runs in the terminal; no command opens the window."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from app.cli import build_parser, run_command

    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "handler", None) is not None:
        return run_command(args)
    from app.ui.launch import launch_gui

    return launch_gui(db=args.db, screenshot=args.screenshot, page=args.page)


if __name__ == "__main__":
    sys.exit(main())
