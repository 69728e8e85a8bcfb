"""Accessible names for the on-screen keyboard's keys, in the resident's language.

Qt's keyboard gives its keys no accessibility role or name, so a screen reader sees no
keys at all. Each key shown becomes a button named by the character it types ("ก", "A")
or, for a function key, by what it does ("Delete", "Space"), through the `Accessible`
attached properties of Qt Quick, set here from outside Qt's own QML files. Keys are
made again whenever the layout changes (language, symbols, shift), and the words offered
for Chinese and Japanese with each letter typed, so this runs again then (see
`KeyboardPanel`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtQml import QQmlEngine, QQmlProperty
from PySide6.QtQuick import QQuickItem

from kiosk.i18n import Words


def N_(message: str) -> str:
    """Marks words for the catalogs (pybabel) that are translated later, when shown."""
    return message


KEY_TYPES = (
    "base", "backspace", "language", "enter", "filler", "handwriting", "hide",
    "input_mode", "key", "mode", "number", "shift", "space", "symbols", "flick",
)  # fmt: skip
"""QtVirtualKeyboard.KeyType, in the enum's order."""

ACTIONS: dict[str, str] = {
    "backspace": N_("Delete"),
    "language": N_("Next keyboard language"),
    "enter": N_("Enter"),
    "handwriting": N_("Handwriting"),
    "hide": N_("Hide keyboard"),
    "input_mode": N_("Change input mode"),
    "shift": N_("Shift"),
    "space": N_("Space"),
    "symbols": N_("Symbols"),
}
"""Function keys: named by what they do. The symbols key says "Letters" on the symbols."""

LETTERS = N_("Letters")

MOVES: dict[int, str] = {
    int(Qt.Key.Key_Left): N_("Cursor left"),
    int(Qt.Key.Key_Right): N_("Cursor right"),
    int(Qt.Key.Key_Up): N_("Cursor up"),
    int(Qt.Key.Key_Down): N_("Cursor down"),
}
"""Keys that move the cursor (Japanese has two): drawn as arrows, named by what they do."""


def key_name(item: QQuickItem, kind: str, symbol_mode: bool, words: Words) -> str:
    """What a screen reader says for one key."""
    _ = words._
    if kind == "symbols" and symbol_mode:
        return _(LETTERS)
    if kind in ACTIONS:
        return _(ACTIONS[kind])
    move = MOVES.get(int(item.property("key") or 0))
    if move is not None:
        return _(move)
    shown = str(item.property("displayText") or item.property("text") or "").strip()
    if shown and item.property("uppercased"):
        shown = shown.upper()
    return shown


def _set(item: QQuickItem, attached: str, value: str | int | bool) -> None:
    prop = QQmlProperty(item, attached, QQmlEngine.contextForObject(item))
    if not prop.isValid():
        raise RuntimeError(f"cannot set {attached} on the keyboard's keys")
    now = prop.read()
    if isinstance(value, int) and not isinstance(value, bool):
        now = int(now.value if hasattr(now, "value") else now)  # a Role enum
    if now != value:
        prop.write(value)


def _button(item: QQuickItem, name: str) -> None:
    _set(item, "Accessible.role", QAccessible.Role.Button.value)
    _set(item, "Accessible.name", name)


def _is_candidate(item: QQuickItem) -> bool:
    return item.metaObject().className().startswith("SelectionListItem")


def _candidate_word(item: QQuickItem) -> str:
    return next((str(c.property("text")) for c in item.childItems() if c.property("text")), "")


def name_candidates(strip: QQuickItem) -> int:
    """Each word offered for what was typed (Chinese, Japanese), named by the word: a
    light pass over the candidate strip alone, for every letter typed."""
    named = 0
    for holder in strip.childItems():  # the list's content item
        for item in holder.childItems():
            if _is_candidate(item) and item.isVisible():
                _button(item, _candidate_word(item))
                named += 1
    return named


def name_keys(panel: QQuickItem, symbol_mode: bool, words: Words) -> int:
    """Give every key shown under `panel`, and every word offered in the candidate
    strip, the role of a button and its name; returns how many.

    Qt's hidden mirror of the text field (used only in its full-screen mode, never here)
    is left out of the tree, so that a screen reader finds only the kiosk's own field.
    """
    shadow = panel.findChild(QQuickItem, "shadowInput")
    if shadow is not None:
        _set(shadow, "Accessible.ignored", True)
    named = 0
    stack: list[QQuickItem] = [panel]
    while stack:
        item = stack.pop()
        if not item.isVisible():
            continue  # a hidden layout: named when it is shown (its keys are made anew)
        meta = item.metaObject()
        if meta.className().startswith("SelectionListItem"):
            _button(item, _candidate_word(item))
            named += 1
        elif meta.indexOfProperty("keyType") >= 0:
            kind = KEY_TYPES[int(item.property("keyType"))]
            if kind != "filler":
                _button(item, key_name(item, kind, symbol_mode, words))
                named += 1
        else:
            stack.extend(item.childItems())
    return named
