"""Qt's own strings (OK/Cancel, Yes/No, the file dialogs, context menus) in Chinese: the UI
speaks Chinese, and Qt ships its translation in PySide6/Qt/translations (qtbase_zh_CN.qm)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator


def install_qt_chinese(app: QCoreApplication) -> bool:
    """True when Qt's Chinese translation was found and installed."""
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    locale = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    if not translator.load(locale, "qtbase", "_", folder):
        return False
    app.installTranslator(translator)
    QLocale.setDefault(locale)
    return True
