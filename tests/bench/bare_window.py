"""Baseline for the start-up rows: the least a PySide6 program can do to show a window."""

import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel


class Window(QLabel):
    def paintEvent(self, event):
        super().paintEvent(event)
        if not getattr(self, "reported", False):
            self.reported = True
            print(f"shown_at={time.time():.6f}", flush=True)
            QTimer.singleShot(0, QApplication.quit)


app = QApplication(sys.argv[:1])
window = Window("Ieum")
window.resize(1920, 1080)
window.show()
app.exec()
