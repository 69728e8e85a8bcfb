"""The paper receipt: the same words and QR codes as the receipt screen, on A4 or a slip.

Printed through QPrinter to the system's default printer; when none is configured (the
demo, a kiosk waiting for its printer) the receipt becomes a PDF in the data folder's
`printed/` for staff, so the resident can still be handed one.

Qt paints only on the GUI thread (`print_receipt`); a worker only writes the PDF's bytes
(`keep_pdf`). Painting on a worker could deadlock the GUI thread: Qt calls back into Python
(a message handler, say) while it holds its font lock, and the GUI thread waits for that
lock holding Python's — a whole test run once hung so until CI's limit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QObject, QRect, QRectF, Qt
from PySide6.QtGui import (
    QFont,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from kiosk.operations import StoreOp, StoreOwner
from kiosk.qr import qr_image
from sync.paths import replace_whole


@dataclass(frozen=True)
class PaperReceipt:
    """What goes on paper, already in the resident's language."""

    heading: str
    lines_before: list[str]
    applications: list[tuple[str, str]]
    """(service title, reference) for each application of the visit."""
    reference_caption: str
    closing: str
    fonts: list[str]
    page_of: str = ""
    """"Page {page} of {pages}", translated: at the foot of every sheet when there is
    more than one (a second sheet in someone's hand otherwise says nothing of a first)."""


def paint_receipt(
    painter: QPainter,
    page: QRect,
    receipt: PaperReceipt,
    new_page: Callable[[], object] | None = None,
) -> int:
    """Lay the receipt out in `page` (device pixels): the words, then each application's
    QR code with its title and number beside it. An application that does not fit under
    the last goes whole onto a `new_page` (eight services ran off the bottom of one A4
    sheet), and with several sheets each says which it is at its foot. Returns the
    number of pages used."""
    pages = _lay_out(painter, page, receipt, None, 0)  # measured only, to count them
    if pages > 1 and new_page is not None:
        return _lay_out(painter, page, receipt, new_page, pages)
    return _lay_out(painter, page, receipt, None, 1)  # one sheet, or nowhere to turn


def _lay_out(
    painter: QPainter,
    page: QRect,
    receipt: PaperReceipt,
    new_page: Callable[[], object] | None,
    pages: int,
) -> int:
    """One pass over the receipt: counting sheets when `pages` is 0 (nothing drawn),
    else drawing them, `pages` in all (a foot on each when there are several)."""
    unit = page.width() / 100  # everything relative to the paper's width
    font = QFont()
    font.setFamilies(receipt.fonts)
    flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft)
    drawing = pages > 0
    y = float(page.top())
    sheet = 1
    foot = 3.2 * unit * 2 if receipt.page_of else 0.0
    bottom = page.bottom() - foot  # the same room on every sheet, so the count holds

    def measure(value: str, size: float, bold: bool, left: float) -> QRectF:
        font.setPixelSize(max(1, round(size * unit)))
        font.setBold(bold)
        painter.setFont(font)
        box = QRectF(left, y, page.right() - left, max(page.bottom() - y, 1.0))
        return painter.boundingRect(box, flags, value)

    def text(value: str, size: float, bold: bool = False, left: float | None = None) -> None:
        nonlocal y
        used = measure(value, size, bold, page.left() if left is None else left)
        if drawing:
            painter.drawText(QRectF(used.left(), y, page.right() - used.left(), used.height()),
                             flags, value)  # fmt: skip
        y += used.height() + unit

    def foot_of_sheet() -> None:
        nonlocal y
        if drawing and pages > 1 and receipt.page_of:
            y = bottom + unit
            text(receipt.page_of.format(page=sheet, pages=pages), 3.2)

    def room_for(tall: float) -> None:
        """A new page first when `tall` does not fit under what is on this one."""
        nonlocal y, sheet
        if y + tall > bottom and y > page.top() and (new_page is not None or not drawing):
            foot_of_sheet()
            if new_page is not None:
                new_page()
            sheet += 1
            y = float(page.top())

    text(receipt.heading, 5.0, bold=True)
    for line in receipt.lines_before:
        text(line, 3.2)
    side = round(28 * unit)
    beside = page.left() + side + 3 * unit
    for title, reference in receipt.applications:
        # The caption on a line of its own, then the number whole: after the caption it
        # broke at a hyphen, and a number broken in two reads as two.
        lines = ((title, 3.6, True), (receipt.reference_caption, 3.2, False),
                 (reference, 5.0, True))  # fmt: skip
        words = sum(measure(v, size, bold, beside).height() + unit for v, size, bold in lines)
        room_for(max(side, words) + 2 * unit)
        y += unit
        top = y
        if drawing:
            painter.drawImage(QRect(page.left(), round(top), side, side), qr_image(reference, 8))
        for value, size, bold in lines:
            text(value, size, bold, left=beside)
        y = max(y, top + side + unit)
    room_for(measure(receipt.closing, 3.2, False, page.left()).height())
    text(receipt.closing, 3.2)
    foot_of_sheet()
    return sheet


@dataclass(frozen=True)
class Printed:
    """Where a receipt went: the printer's name, or the PDF still to be kept."""

    printer: str = ""
    pdf: bytes = b""


def print_receipt(receipt: PaperReceipt, *, pdf: bool = True) -> Printed:
    """On the GUI thread: print on the default printer, or (`pdf`) paint a PDF when there
    is none. Nothing printed and no PDF when there is no printer and `pdf` is False."""
    default = QPrinterInfo.defaultPrinter()
    if not default.isNull():
        printer = QPrinter(default, QPrinter.PrinterMode.HighResolution)
        _paint_on(printer, receipt)
        return Printed(printer=default.printerName())
    if not pdf:
        return Printed()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    _paint_on(writer, receipt)  # the painter's end() finishes the document
    buffer.close()
    return Printed(pdf=bytes(buffer.data().data()))


def keep_pdf(pdf: bytes, folder: Path, name: str) -> str:
    """On a worker: the PDF in `folder`, whole or not at all; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.pdf"
    replace_whole(path, pdf)
    return str(path)


def print_or_keep(
    owner: StoreOwner,
    parent: QObject,
    receipt: PaperReceipt,
    kept_as: tuple[Path, str],
    done: Callable[[str], None],
    failed: Callable[[BaseException], None],
) -> None:
    """Print `receipt`, or keep it as a PDF (folder, name) for staff when there is no
    printer; `done` gets the printer's name or the PDF's path, on the GUI thread."""
    try:
        printed = print_receipt(receipt)
    except (OSError, RuntimeError) as error:
        failed(error)
        return
    if printed.printer:
        done(printed.printer)
        return
    folder, name = kept_as
    op = StoreOp(parent, lambda _device: keep_pdf(printed.pdf, folder, name), "keeping a receipt")
    op.success(done).failure(failed).run(owner)


def _paint_on(device: QPagedPaintDevice, receipt: PaperReceipt) -> None:
    device.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    painter = QPainter(device)
    try:
        paint_receipt(painter, painter.viewport(), receipt, device.newPage)
    finally:
        painter.end()
