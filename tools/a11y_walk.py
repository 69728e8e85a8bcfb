"""What a screen reader is told: a walk over the accessibility tree of a window.

Qt builds the same tree for AT-SPI (Linux screen readers) from `QAccessible` interfaces,
so walking them in process sees what Orca would, without a desktop session. Every
interactive control (button, check box, radio button, field, scroll bar, slider, key of
the on-screen keyboard, ...) must have a name, and the name must be words: a drawn symbol
(☐ ☑ ✓ ← ⌫ ...) read out first is noise, or silence, for a blind resident.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QWidget

Role = QAccessible.Role

INTERACTIVE: frozenset[QAccessible.Role] = frozenset(
    {
        Role.Button,
        Role.CheckBox,
        Role.RadioButton,
        Role.ComboBox,
        Role.EditableText,
        Role.ScrollBar,
        Role.Slider,
        Role.SpinBox,
        Role.Dial,
        Role.Link,
        Role.PageTab,
        Role.MenuItem,
        Role.ButtonMenu,
        Role.ButtonDropDown,
        Role.ButtonDropGrid,
    }
)
"""Roles a resident (or navigator) can act on: each needs a name."""

MAX_DEPTH = 60
"""Deeper than any real screen: a guard against a tree that points back at itself."""


@dataclass(frozen=True)
class Control:
    """One interactive control as an assistive technology sees it."""

    role: str
    name: str
    where: str
    """The path of object names (or class names) down to it, to find it in the code."""
    visible: bool

    def __str__(self) -> str:
        return f"{self.role} {self.name!r} at {self.where}"


SYMBOLS = frozenset({"So", "Sm", "Sk", "Co"})
"""Unicode categories of drawn signs: other, mathematical and modifier symbols, private use."""


def _is_arrow(char: str) -> bool:
    code = ord(char)
    return 0x2190 <= code <= 0x21FF or 0x27F0 <= code <= 0x27FF or 0x2900 <= code <= 0x297F


def starts_with_symbol(name: str) -> bool:
    """Whether the first thing read out is a drawn sign rather than a word or a number.

    A key of the keyboard that types a sign is named by that one sign ("+", "="): that
    is what it types, and screen readers say it. Pictographs (☐ ✓ ⌫) and arrows never
    are names, alone or before words."""
    stripped = name.strip()
    if not stripped:
        return False
    first = stripped[0]
    category = unicodedata.category(first)
    if category not in SYMBOLS:
        return False
    typed_sign = len(stripped) == 1 and category in {"Sm", "Sk"} and not _is_arrow(first)
    return not typed_sign


def _label(interface: QAccessibleInterface) -> str:
    target = interface.object()
    if target is None:
        return interface.role().name
    name = target.objectName()
    return name or type(target).__name__


def controls(window: QWidget, texts: bool = False) -> list[Control]:
    """Every interactive control in `window`'s accessibility tree, shown or not; with
    `texts`, the static texts (labels) too."""
    root = QAccessible.queryAccessibleInterface(window)
    if root is None:
        raise RuntimeError("no accessibility interface for the window")
    found: list[Control] = []
    # (interface, path, depth, whether everything above it is shown): Qt Quick items
    # say they are visible inside a hidden QQuickWidget; a screen reader skips them.
    stack: list[tuple[QAccessibleInterface, str, int, bool]] = [(root, _label(root), 0, True)]
    while stack:
        interface, where, depth, shown = stack.pop()
        if not interface.isValid() or depth > MAX_DEPTH:
            continue
        state = interface.state()
        shown = shown and not (state.invisible or state.offscreen)
        role = interface.role()
        if role in INTERACTIVE or (texts and role == Role.StaticText):
            name = interface.text(QAccessible.Text.Name)
            found.append(Control(role.name, name, where, shown))
        for index in range(interface.childCount() - 1, -1, -1):
            child = interface.child(index)
            if child is not None:
                stack.append((child, f"{where}/{_label(child)}", depth + 1, shown))
    return found


@dataclass(frozen=True)
class Problems:
    """The controls of one screen that a screen reader cannot present well."""

    nameless: list[Control]
    symbol_first: list[Control]

    def __bool__(self) -> bool:
        return bool(self.nameless or self.symbol_first)


def problems(found: list[Control]) -> Problems:
    """Nameless controls and names that start with a drawn symbol."""
    return Problems(
        nameless=[c for c in found if not c.name.strip()],
        symbol_first=[c for c in found if starts_with_symbol(c.name)],
    )
