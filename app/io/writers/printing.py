"""How Kaoping's workbooks print: A4 landscape, as wide as the page and as long as it takes,
the header rows repeated on every page, and the change log's check code in the footer."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only the type: importing this module loads no spreadsheet library
    from openpyxl.worksheet.worksheet import Worksheet


def print_a4_landscape(sheet: Worksheet, title_rows: str) -> None:
    """``title_rows`` ("2:2") print again at the top of every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = title_rows


def check_code_footer(sheet: Worksheet, check_code: str) -> None:
    """The same 12 characters `audit verify` prints, and the page count."""
    sheet.oddFooter.left.text = f"变更记录校验码 {check_code[:12]}"
    sheet.oddFooter.right.text = "第 &P 页，共 &N 页"
