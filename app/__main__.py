"""Entry point: a command runs in the terminal; no command opens the window."""

from __future__ import annotations

import sys
from pathlib import Path


def _speak_chinese(stream: object) -> None:
    """Output redirected to a file or pipe on Windows gets the ANSI code page, which cannot
    encode Chinese on an English system: write UTF-8 there rather than fail mid-report."""
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        "考评".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        stream.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[attr-defined]


def _reader_went_away() -> int:
    """Output piped into a program that stopped reading (``| head``): stop quietly. Python
    would otherwise report the pipe twice, once more when it flushes stdout at exit."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real stdout to redirect (tests, embedded use)
        pass
    return 141  # 128 + SIGPIPE, as a shell reports a command the pipe stopped


def main(argv: list[str] | None = None) -> int:
    from app.cli.main import build_parser, run_command

    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            _speak_chinese(stream)

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test is not None:
        from app.selftest import run_self_test

        server = args.db if args.db and args.db.startswith("postgres") else None
        return run_self_test(Path(args.self_test) if args.self_test else None, server=server)
    if getattr(args, "handler", None) is not None:
        try:
            code = run_command(args)
            sys.stdout.flush()  # here, not at exit, so a closed pipe is caught below
            return code
        except BrokenPipeError:
            return _reader_went_away()
        except KeyboardInterrupt:  # before the database was open: nothing was done
            print("\n已取消", file=sys.stderr)
            return 130
    from app.ui.launch import launch_gui

    return launch_gui(db=args.db, screenshot=args.screenshot, page=args.page)


if __name__ == "__main__":
    sys.exit(main())
