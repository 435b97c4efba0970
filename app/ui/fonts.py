"""Make Chinese text render everywhere: prefer the system's fonts, fall back to the bundled one."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

from app.paths import resources_dir

# Tried in order for the interface; the Windows faces first, the bundled face last.
UI_FAMILIES = ("Microsoft YaHei UI", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC")
BUNDLED_FONTS = ("wqy-microhei.ttc",)


def register_bundled_fonts() -> list[str]:
    """Load the fonts shipped in resources/fonts; returns the families Qt now knows."""
    families: list[str] = []
    for filename in BUNDLED_FONTS:
        path = resources_dir() / "fonts" / filename
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            families.extend(QFontDatabase.applicationFontFamilies(font_id))
    return families


def interface_font(point_size: int = 10) -> QFont:
    """The first installed face of UI_FAMILIES, with the rest as fallbacks for missing glyphs."""
    available = set(QFontDatabase.families())
    chosen = [family for family in UI_FAMILIES if family in available]
    font = QFont()
    if chosen:
        font.setFamilies(chosen)
    font.setPointSize(point_size)
    return font
