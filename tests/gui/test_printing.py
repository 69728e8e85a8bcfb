"""The paper receipt: QR codes that a phone can read, and a PDF when there is no printer."""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QRect
from PySide6.QtGui import QImage, QPagedPaintDevice, QPainter
from PySide6.QtPrintSupport import QPrinterInfo
from pytestqt.qtbot import QtBot

from forms.languages import language
from kiosk import printing
from kiosk.i18n import Words
from kiosk.operations import StoreOwner
from kiosk.printing import PaperReceipt, paint_receipt
from kiosk.screens.draft_saved import print_resume_code
from kiosk.theme import Theme
from sync.paths import DataFolder

pytestmark = pytest.mark.gui

RECEIPT = PaperReceipt(
    heading="신청이 저장되었습니다",
    lines_before=["2026년 11월 22일"],
    applications=[("디지털 기기 대여", "7K3M-Q9XR-2B"), ("디지털 배움터", "A1B2-C3D4-E5")],
    reference_caption="접수 번호:",
    closing="이 번호를 보관하세요.",
    fonts=list(language("ko").font_families),
)


def test_the_printed_codes_read_back_as_the_references(qtbot: object, tmp_path: Path) -> None:
    image = QImage(1240, 1754, QImage.Format.Format_RGB32)  # A4 at 150 dpi
    image.fill(0xFFFFFF)
    painter = QPainter(image)
    paint_receipt(painter, image.rect().adjusted(80, 80, -80, -80), RECEIPT)
    painter.end()
    path = tmp_path / "receipt.png"
    assert image.save(str(path))
    zbar = shutil.which("zbarimg")
    assert zbar, "zbarimg comes with packaging/bootstrap.sh (zbar-tools)"
    decoded = subprocess.run([zbar, "--quiet", "--raw", str(path)], capture_output=True,
                             text=True, check=True).stdout.split()  # fmt: skip
    assert sorted(decoded) == sorted(ref for _title, ref in RECEIPT.applications)


def test_eight_applications_go_onto_as_many_sheets_as_they_need(
    qtbot: object, tmp_path: Path
) -> None:
    """One visit's eight applications: each code whole on some page and readable, none
    painted past a page's bottom edge (on one A4 sheet they ran off it)."""
    references = [f"TEST-000{n}-A{n}" for n in range(8)]
    receipt = PaperReceipt(
        heading="Your applications have been received",
        lines_before=["22 November 2026"],
        applications=[(f"Test service {n} with a long title", r) for n, r in enumerate(references)],
        reference_caption="Reference number:",
        closing="Keep this number.",
        fonts=list(language("en").font_families),
        page_of="Page {page} of {pages}",
    )
    images: list[QImage] = []

    def sheet() -> QImage:
        image = QImage(1240, 1754, QImage.Format.Format_RGB32)  # A4 at 150 dpi
        image.fill(0xFFFFFF)
        images.append(image)
        return image

    painter = QPainter(sheet())

    def new_page() -> None:
        painter.end()
        painter.begin(sheet())

    pages = paint_receipt(painter, QRect(80, 80, 1080, 1594), receipt, new_page)
    painter.end()
    assert pages == len(images) > 1
    zbar = shutil.which("zbarimg")
    assert zbar, "zbarimg comes with packaging/bootstrap.sh (zbar-tools)"
    decoded: list[str] = []
    for n, image in enumerate(images):
        path = tmp_path / f"sheet-{n}.png"
        assert image.save(str(path))
        found = subprocess.run([zbar, "--quiet", "--raw", str(path)], capture_output=True,
                               text=True).stdout.split()  # fmt: skip
        decoded += found
        # Nothing drawn in the page's bottom margin: every code ended above it.
        assert all(image.pixel(x, y) == 0xFFFFFFFF for y in range(1675, 1754)
                   for x in range(0, 1240, 7)), f"sheet {n} drawn past its bottom"  # fmt: skip
    assert sorted(decoded) == sorted(references)
    # Each sheet says which of how many it is, at its foot (painted again as a PDF, whose
    # words can be read back).
    assert feet(receipt) == [f"Page {n} of {pages}" for n in range(1, pages + 1)]


def feet(receipt: PaperReceipt) -> list[str]:
    """The "Page N of M" lines a receipt's sheets carry, read back from a PDF."""
    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QPdfWriter
    from PySide6.QtPdf import QPdfDocument

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    printing._paint_on(QPdfWriter(buffer), receipt)
    buffer.close()
    path_buffer = QBuffer()
    path_buffer.setData(buffer.data())
    path_buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(path_buffer)
    found = [
        foot
        for n in range(document.pageCount())
        for foot in re.findall(r"Page \d+ of \d+", document.getAllText(n).text())
    ]
    document.close()
    return found


def test_without_a_printer_the_receipt_becomes_a_pdf(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Painted on the GUI thread, only written on the worker: Qt painting on a worker
    thread could deadlock the GUI thread (a CI run once hung for its whole 90 minutes)."""
    if not QPrinterInfo.defaultPrinter().isNull():
        pytest.skip("this machine has a printer: the receipt would really be printed")
    painted_on: list[threading.Thread] = []
    real_paint = printing._paint_on

    def paint(device: QPagedPaintDevice, receipt: PaperReceipt) -> None:
        painted_on.append(threading.current_thread())
        real_paint(device, receipt)

    monkeypatch.setattr(printing, "_paint_on", paint)
    owner = StoreOwner(DataFolder(tmp_path / "device"))
    kept: list[str] = []
    problems: list[BaseException] = []
    parent = QObject()
    try:
        printing.print_or_keep(owner, parent, RECEIPT, (tmp_path / "printed", "receipt-7K3M"),
                               kept.append, problems.append)  # fmt: skip
        qtbot.waitUntil(lambda: bool(kept or problems), timeout=10_000)
    finally:
        owner.close()
    assert painted_on == [threading.main_thread()] and not problems
    [where] = kept
    pdf = Path(where).read_bytes()
    assert where.endswith("receipt-7K3M.pdf") and pdf.startswith(b"%PDF")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert (
        pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type /Page>") >= 1
    )
    assert [p.name for p in (tmp_path / "printed").iterdir()] == ["receipt-7K3M.pdf"]


def test_the_resume_code_never_becomes_a_file(qtbot: QtBot) -> None:
    if not QPrinterInfo.defaultPrinter().isNull():
        pytest.skip("this machine has a printer: the code would really be printed")
    assert printing.print_receipt(RECEIPT, pdf=False) == printing.Printed()
    told = print_resume_code(Words("en"), Theme(language="en"), "ABCD-EFGH", ["A service"], "")
    assert told == "There is no printer here: please write the code down."
