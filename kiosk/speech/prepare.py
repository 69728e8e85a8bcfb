"""Turning shown text into what espeak-ng reads correctly, per language.

espeak-ng 1.51's Japanese voice reads only kana (a kanji is read as "Chinese letter"), and
its Mandarin voice that sounds right, `cmn-latn-pinyin`, reads pinyin with tone numbers.
So Japanese goes through pykakasi (to hiragana: the voice also trips on some katakana)
and Chinese through pypinyin. Both load dictionaries for most of a second, which is why
this runs in the speech worker process, never in the kiosk's GUI process.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, Literal

PREPARATION_VERSION = "2"
"""Part of the cache key: change it when a preparation changes what is synthesised."""

_CJK_PUNCTUATION = str.maketrans(
    {
        "。": ". ",
        "、": ", ",
        "，": ", ",
        "；": "; ",
        "：": ": ",
        "！": "! ",
        "？": "? ",
        "・": " ",
        "「": " ",
        "」": " ",
        "『": " ",
        "』": " ",
        "《": " ",
        "》": " ",
        "“": " ",
        "”": " ",
        "（": " (",
        "）": ") ",
        "…": ". ",
        "～": " ",
    }
)


def clean(text: str, form: Literal["NFC", "NFKC"] = "NFC") -> str:
    """Normalised, without control or format characters, whitespace collapsed."""
    text = unicodedata.normalize(form, text)
    kept = (
        " " if ch in "\n\t\r" else ch
        for ch in text
        if ch in "\n\t\r" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    )
    return " ".join("".join(kept).split())


def is_han(ch: str) -> bool:
    """A CJK ideograph (kanji / hanzi), which espeak-ng would read as "Chinese letter"."""
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2FA1F
        or 0xF900 <= code <= 0xFAFF
    )


class _Lazy:
    """A converter built on first use, once, whichever thread asks first."""

    def __init__(self, build: Callable[[], Any]) -> None:
        self._build = build
        self._value: Any = None
        self._lock = threading.Lock()

    def get(self) -> Any:
        with self._lock:
            if self._value is None:
                self._value = self._build()
            return self._value


def _kakasi() -> Any:
    import pykakasi

    return pykakasi.kakasi()  # type: ignore[no-untyped-call]


def _pinyin() -> Any:
    from pypinyin import Style, lazy_pinyin

    def convert(text: str) -> list[str]:
        return lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True)

    convert("你好")  # loads the phrase dictionaries now, not on the first real prompt
    return convert


_KAKASI = _Lazy(_kakasi)
_PINYIN = _Lazy(_pinyin)


_PARTICLES = {"は": "わ", "へ": "え"}
"""Read as "wa" and "e" when pykakasi splits them off as a word of their own."""
_SET_PHRASES = {"こんにちは": "こんにちわ", "こんばんは": "こんばんわ"}


def japanese(text: str) -> str:
    """Kanji and katakana to hiragana; any ideograph pykakasi does not know is left out."""
    text = clean(text, "NFKC")
    pieces: list[str] = []
    for index, item in enumerate(_KAKASI.get().convert(text)):
        hira = str(item["hira"])
        if index and item["orig"] in _PARTICLES:
            hira = _PARTICLES[item["orig"]]
        pieces.append(_SET_PHRASES.get(hira, hira))
    kana = "".join(pieces)
    kana = "".join(" " if is_han(ch) else ch for ch in kana)
    return clean(kana.translate(_CJK_PUNCTUATION))


def chinese(text: str) -> str:
    """Hanzi to pinyin syllables with tone numbers (5 = neutral), punctuation kept."""
    text = clean(text, "NFKC").translate(_CJK_PUNCTUATION)
    pieces = []
    for piece in _PINYIN.get()(text):
        pieces.append(" " if all(is_han(ch) for ch in piece) and piece else piece)
    spoken = " ".join(p.strip() for p in pieces if p.strip())
    for mark in ",.;:!?)":
        spoken = spoken.replace(f" {mark}", mark)
    return clean(spoken.replace("( ", "("))


_BY_LANGUAGE: dict[str, Callable[[str], str]] = {"ja": japanese, "zh_Hans": chinese}


def prepare(language: str, text: str) -> str:
    """What the voice for `language` should be given for `text` (may be blank)."""
    convert = _BY_LANGUAGE.get(language)
    return convert(text) if convert else clean(text)


_SLOW = {"ja": _KAKASI, "zh_Hans": _PINYIN}
PRELOADABLE = tuple(_SLOW)
"""Languages whose preparation loads dictionaries: ~120 MB (ja) and ~60 MB (zh_Hans) of
memory, and most of a second each."""


def preload(languages: Iterable[str] = PRELOADABLE) -> None:
    """Load the slow dictionaries ahead of the first prompt that needs them."""
    for code in languages:
        if code in _SLOW:
            _SLOW[code].get()
