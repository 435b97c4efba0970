"""An official document as plain data: 版头 (issuer mark, number), title, 主送, body blocks,
attachments (tables, charts), signature, date, seal and 版记. The services decide the wording
and build these; the writers only place them on the grid, so neither knows the other."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # the model needs no drawing code; a radar is only carried
    from app.documents.radar import Radar

FILE_LAYOUT, LETTER_LAYOUT = "文件", "信函"
Layout = Literal["文件", "信函"]
BlockKind = Literal["para", "h1", "h2", "h3", "plain", "table"]


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str
    table: AttachmentTable | None = None  # kind "table": a ruled table in the body


@dataclass(frozen=True)
class AttachmentTable:
    title: str
    header: tuple[str, ...]
    widths_mm: tuple[float, ...]  # adding up to 156
    rows: list[tuple[str, ...]]
    # A continuation (e.g. the next unit's score sheet) starts on a new page under its own
    # title but is not another 附件 of its own.
    continues: bool = False
    note: str = ""  # one line under the title (e.g. the unit's total and grade)
    radar: Radar | None = None  # drawn between the note and the table
    after: tuple[Block, ...] = ()  # tables and paragraphs under the table (e.g. a calculation)
    title_parts: tuple[str, ...] = ()  # the title's words: a line breaks only between them


@dataclass(frozen=True)
class ChartAttachment:
    """A matplotlib figure saved as a one-page PDF, placed as vector graphics in the 版心."""

    title: str
    figure_pdf: bytes
    continues: bool = False
    height: float = 0.0  # points the figure takes under the title; 0: the rest of the page


Attachment = AttachmentTable | ChartAttachment


@dataclass(frozen=True)
class Overlay:
    """Where a chart's page goes: page index (0-based) and box in points."""

    page: int
    figure_pdf: bytes
    x: float
    y: float
    width: float
    height: float


@dataclass
class OfficialDocument:
    layout: Layout
    issuer_mark: str  # 发文机关标志, e.g. "云州市全面依法治市委员会办公室文件"
    number: str  # 发文字号, e.g. "云法办〔2026〕3号"
    title: str
    addressee: str  # 主送, without the colon
    blocks: list[Block]
    signature: str  # 发文机关署名
    issued_on: date
    attachments: list[Attachment] = field(default_factory=list)
    cc: str = ""  # 抄送
    printer: str = ""  # 印发机关 (版记); blank: no 版记
    check_code: str = ""  # the change log's chain head, printed small on every page
    seal_png: bytes | None = None  # the office's seal (印章) as a PNG with transparency
    # The title's words in order (joined they give ``title``): a title line breaks only
    # between them, so a word is never split over two lines (GB/T 9704 7.3.1: 词意完整).
    title_parts: tuple[str, ...] = ()
    # 附件 printed and bound apart (另册), e.g. the units' score sheets: named in the 附件说明
    # after the attachments in this file, which they follow in number.
    bound_apart: tuple[str, ...] = ()

    def attachment_names(self) -> list[str]:
        """The 附件说明's names in order: those in this file, then those bound apart."""
        names = [a.title for a in self.attachments if not a.continues]
        return names + [f"{name}（另册）" for name in self.bound_apart]


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
