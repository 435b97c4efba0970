"""Qt's own strings (OK/Cancel, Yes/No, the file dialogs, context menus) in Chinese: the UI
speaks Chinese, and Qt ships its translation in PySide6/Qt/translations (qtbase_zh_CN.qm). That
translation misses a few strings of Qt's own file dialog ("Look in:", "Files of type:"); our
supplement (resources/translations/qt_supplement_zh_CN.ts, compiled with pyside6-lrelease to
the .qm beside it) supplies them."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.paths import resources_dir

SUPPLEMENT = "qt_supplement_zh_CN.qm"


def install_qt_chinese(app: QCoreApplication) -> bool:
    """True when Qt's Chinese translation was found and installed."""
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    locale = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    if not translator.load(locale, "qtbase", "_", folder):
        return False
    app.installTranslator(translator)
    supplement = QTranslator(app)
    if supplement.load(str(resources_dir() / "translations" / SUPPLEMENT)):
        app.installTranslator(supplement)  # asked first: the last installed is
    QLocale.setDefault(locale)
    return True
