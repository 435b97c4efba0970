"""Text passed to tr() is a literal, so Qt's extraction tool (pyside6-lupdate) can collect it
(issue 16). lupdate reads only literals: self.tr(label) or self.tr(f"…{n}…") is never collected.
A value inside a text is a placeholder that .format() fills after tr(). A constant text kept in
a table is marked where it is defined with QT_TRANSLATE_NOOP("Context", "text") and translated
at use with QCoreApplication.translate("Context", text): a variable text is accepted there only
for a context whose texts are so marked somewhere in app/ui."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "app" / "ui"
APPLICATIONS = {"QCoreApplication", "QGuiApplication", "QApplication"}


def _literal(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _argument(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    if len(call.args) > position:
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def _kind(call: ast.Call) -> str | None:
    """The kind of call lupdate reads ("tr", "translate", "noop"), "bare tr" for a tr() that is
    no method (an alias of translate(context, text), which lupdate reads as tr(text,
    disambiguation)), else None."""
    func = call.func
    if isinstance(func, ast.Name):
        name = func.id
        if name == "tr":
            return "bare tr"
    elif isinstance(func, ast.Attribute):
        name = func.attr
        if name == "translate" and not (
            isinstance(func.value, ast.Name) and func.value.id in APPLICATIONS
        ):
            return None  # str.translate, QTransform.translate, QPainter.translate …
    else:
        return None
    if name in ("QT_TRANSLATE_NOOP", "QT_TRANSLATE_NOOP3", "QT_TRANSLATE_NOOP_UTF8"):
        return "noop"
    return name if name in ("tr", "translate") else None


def marked_contexts(trees: list[ast.Module]) -> set[str]:
    """The contexts whose texts are marked with QT_TRANSLATE_NOOP where they are defined."""
    return {
        call.args[0].value
        for tree in trees
        for call in ast.walk(tree)
        if isinstance(call, ast.Call)
        and _kind(call) == "noop"
        and call.args
        and isinstance(call.args[0], ast.Constant)
    }


def problems(tree: ast.Module, marked: set[str]) -> list[tuple[int, str]]:
    """(line, call) for each call whose text lupdate cannot collect."""
    found = []
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call):
            continue
        kind = _kind(call)
        if kind == "bare tr":
            fine = False
        elif kind == "tr":
            fine = _literal(_argument(call, 0, "sourceText"))
        elif kind == "noop":
            fine = _literal(_argument(call, 0, "context")) and _literal(
                _argument(call, 1, "sourceText")
            )
        elif kind == "translate":
            context = _argument(call, 0, "context")
            text = _argument(call, 1, "sourceText")
            fine = _literal(context) and (
                _literal(text) or (isinstance(context, ast.Constant) and context.value in marked)
            )
        else:
            continue
        if not fine:
            found.append((call.lineno, ast.unparse(call)))
    return sorted(found)


def test_every_text_given_to_tr_is_a_literal() -> None:
    modules = {p: ast.parse(p.read_text("utf-8"), str(p)) for p in sorted(UI.rglob("*.py"))}
    marked = marked_contexts(list(modules.values()))
    found = [
        f"{path.relative_to(ROOT).as_posix()}:{line}: {call}"
        for path, tree in modules.items()
        for line, call in problems(tree, marked)
    ]
    assert found == [], "text lupdate cannot collect:\n" + "\n".join(found)


def test_the_check_itself() -> None:
    source = """
self.tr(label)
self.tr(f"共{n}项")
window.tr("导入" + kind)
QCoreApplication.translate(context, "编码")
QCoreApplication.translate("Other", text)
QT_TRANSLATE_NOOP("Columns", name)
self.tr("共{n}项").format(n=n)
QCoreApplication.translate("Columns", COLUMNS[section])
QT_TRANSLATE_NOOP("Columns", "编码")
"abc".translate(table)
tr("Columns", "编码")
"""
    lines = [line for line, _ in problems(ast.parse(source), {"Columns"})]
    assert lines == [2, 3, 4, 5, 6, 7, 12]
