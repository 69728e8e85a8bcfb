"""The paper receipt: the same words and QR codes as the receipt screen, on A4 or a slip.

Printed through QPrinter to the system's default printer; when none is configured (the
demo, a kiosk waiting for its printer) the receipt becomes a PDF in the data folder's
`printed/` for staff, so the resident can still be handed one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRect, QRectF, Qt
from PySide6.QtGui import QFont, QPagedPaintDevice, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from kiosk.qr import qr_image


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


def paint_receipt(painter: QPainter, page: QRect, receipt: PaperReceipt) -> None:
    """Lay the receipt out in `page` (device pixels): text, then a QR code per reference."""
    unit = page.width() / 100  # everything relative to the paper's width
    font = QFont()
    font.setFamilies(receipt.fonts)
    y = float(page.top())

    def text(value: str, size: float, bold: bool = False) -> None:
        nonlocal y
        font.setPixelSize(max(1, round(size * unit)))
        font.setBold(bold)
        painter.setFont(font)
        box = QRectF(page.left(), y, page.width(), page.bottom() - y)
        flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft)
        used = painter.boundingRect(box, flags, value)
        painter.drawText(box, flags, value)
        y += used.height() + unit

    text(receipt.heading, 5.0, bold=True)
    for line in receipt.lines_before:
        text(line, 3.2)
    for title, reference in receipt.applications:
        y += unit
        text(title, 3.6, bold=True)
        text(f"{receipt.reference_caption} {reference}", 4.2, bold=True)
        image = qr_image(reference, module_px=8)
        side = round(28 * unit)
        painter.drawImage(QRect(page.left(), round(y), side, side), image)
        y += side + unit
    text(receipt.closing, 3.2)


def print_receipt(receipt: PaperReceipt, pdf_folder: Path, name: str) -> str:
    """Print it; returns the printer's name, or the PDF's path when there is no printer."""
    default = QPrinterInfo.defaultPrinter()
    if not default.isNull():
        printer = QPrinter(default, QPrinter.PrinterMode.HighResolution)
        destination = default.printerName()
    else:
        pdf_folder.mkdir(parents=True, exist_ok=True)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        destination = str(pdf_folder / f"{name}.pdf")
        printer.setOutputFileName(destination)
    _paint_on(printer, receipt)
    return destination


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
        paint_receipt(painter, painter.viewport(), receipt)
    finally:
        painter.end()
