"""The fold check: on a question page, everything needed to answer is in view at once.

The general audit (tools.screen_audit) accepts whatever can be reached by scrolling; an
older resident who has never used a kiosk does not scroll, and does not know that the
error that appeared after Next is below the edge. So on a question page the question's
title, every answer control, the error message (when one is shown) and the primary
action must each lie wholly inside what the screen shows: inside the screen, inside the
scroll area's viewport as it is scrolled now, and not under the on-screen keyboard,
whose own keys must be on the screen too.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget

from tools.screen_audit import Finding, _name, _visible_rect

_TOLERANCE_PX = 1


def needed(page: QWidget) -> list[tuple[str, QWidget]]:
    """What a resident needs in view to answer the page: (role, widget) pairs.

    Found by what the widgets are, not by what the page says about itself: the title
    label, every button and field of the answer input, the error label when it is shown,
    the primary button."""
    wanted: list[tuple[str, QWidget]] = []
    title = page.findChild(QLabel, "title")
    if title is not None and title.isVisibleTo(page):
        wanted.append(("question", title))
    answer = getattr(page, "input", None)
    pages = page.findChild(QWidget, "answer_pages")
    paged = pages is not None and pages.isVisibleTo(page)
    if isinstance(answer, QWidget):
        for control in answer.findChildren(QAbstractButton) + answer.findChildren(QLineEdit):
            # A choice on another page of answers is reached by the arrows (which must
            # be in view themselves), and seen when the tour turns to its page.
            if control.isVisibleTo(page) or not (paged and control.objectName() == "choice"):
                wanted.append(("answer control", control))
    if paged and pages is not None:
        for arrow in pages.findChildren(QAbstractButton):
            wanted.append(("arrow to more answers", arrow))
    error = getattr(page, "error", None)
    if isinstance(error, QLabel) and error.isVisibleTo(page) and error.text():
        wanted.append(("error", error))
    for primary in page.findChildren(QAbstractButton, "primary"):
        if primary.isVisibleTo(page):
            wanted.append(("primary action", primary))
    return wanted


def is_question_page(page: QWidget | None) -> bool:
    """A page that asks one question: it has an answer input and a Next."""
    return page is not None and hasattr(page, "input") and hasattr(page, "next_button")


def out_of_view(window: QWidget, screen: QSize) -> list[Finding]:
    """`below_fold` findings for whatever on the window's question page is needed to
    answer but not wholly in view; `off_screen` for keyboard keys past the screen."""
    findings: list[Finding] = []
    in_view = window.rect().intersected(QRect(0, 0, screen.width(), screen.height()))
    in_view = in_view.adjusted(-_TOLERANCE_PX, -_TOLERANCE_PX, _TOLERANCE_PX, _TOLERANCE_PX)
    keyboard = getattr(window, "keyboard", None)
    if isinstance(keyboard, QWidget) and keyboard.isVisibleTo(window):
        top_left = keyboard.mapTo(window, keyboard.rect().topLeft())
        panel = QRect(top_left, keyboard.size())
        if not in_view.contains(panel):
            detail = f"the keyboard {panel} runs off the screen {screen.width()}x{screen.height()}"
            findings.append(Finding("off_screen", _name(keyboard), detail))
        else:
            view = getattr(keyboard, "view", None)
            keys = getattr(keyboard, "shown_keys", None)
            if isinstance(view, QWidget) and callable(keys):
                origin = view.mapTo(window, view.rect().topLeft())
                for key in keys():
                    rect = key.rect.translated(origin)
                    if not in_view.contains(rect):
                        detail = f"key '{key.label}' at {rect} is off the screen"
                        findings.append(Finding("off_screen", _name(keyboard), detail))
    page = getattr(window, "page", None)
    if not isinstance(page, QWidget) or not is_question_page(page):
        return findings
    overlay = getattr(window, "overlay", None)
    if isinstance(overlay, QWidget) and overlay.isVisibleTo(window):
        return findings  # a message over the page: the page is not what is answered now
    for role, widget in needed(page):
        whole = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
        seen = _visible_rect(widget, window).intersected(in_view)
        if not widget.isVisibleTo(window) or whole.isEmpty():
            findings.append(Finding("below_fold", _name(widget), f"the {role} is not shown"))
        elif seen != whole:
            shown = f"{seen.height()} of {whole.height()}px" if not seen.isEmpty() else "none"
            detail = f"the {role} at {whole} is not wholly in view ({shown} seen)"
            findings.append(Finding("below_fold", _name(widget), detail))
    return findings
