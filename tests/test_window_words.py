"""Messages the window shows never name command-line flags (issue 17: rejecting an objection
without a reason said "--reason" in the window). What to type at the command line goes in a
UserError's ``command``, which only the CLI prints."""

from __future__ import annotations

import ast
import re
from pathlib import Path

FLAG = re.compile(r"(?<![\w-])--[a-z]")
SHOWN_BY_THE_WINDOW = ("services", "io", "documents", "scoring", "models", "demo")


def _message_texts(call: ast.Call) -> list[str]:
    """The literal text of an exception's message (positional arguments, f-string parts)."""
    texts = []
    for argument in call.args:
        for node in ast.walk(argument):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                texts.append(node.value)
    return texts


def test_no_error_message_outside_the_cli_names_a_flag() -> None:
    app = Path(__file__).resolve().parents[1] / "app"
    found = []
    for folder in SHOWN_BY_THE_WINDOW:
        for path in sorted((app / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                    for text in _message_texts(node.exc):
                        if FLAG.search(text):
                            found.append(f"{path.relative_to(app)}:{node.lineno}: {text}")
    assert found == []


def test_the_command_line_still_says_what_to_type(run_cli, demo_copy: Path) -> None:
    round_ = "2025年度法治政府建设考核"
    code, out, _err = run_cli(
        "objection", "add", "--round", round_, "--unit", "云州市司法局", "--leaf", "1.1.1",
        "--reason", "扣分依据不足",
    )  # fmt: skip
    assert code == 0
    number = re.search(r"\d+", out)
    assert number is not None
    code, _out, err = run_cli("objection", "review", number.group(), "--round", round_, "--reject")
    assert code == 2 and "不予采纳须说明理由" in err and "命令行用法：--reason" in err
