"""The one place that knows the eight languages Ieum speaks.

Everything else (fonts, catalogs, CLDR formatting, speech voices, text fallbacks)
asks this table, so adding or changing a language is a change in one file.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    """A language a resident can choose, with what each layer needs to serve it."""

    code: str
    """Our code: the gettext catalog folder and the key in form definitions."""
    native_name: str
    """How the language names itself: a resident finds their language by this."""
    english_name: str
    """For administrators' messages and logs."""
    cldr_locale: str
    """Babel/CLDR locale for dates, numbers and currency."""
    font_families: tuple[str, ...]
    """Preferred fonts, first match wins: Chinese must name its own CJK face,
    or Qt falls back to the Japanese letterforms."""
    espeak_voice: str | None
    """espeak-ng voice for speech, or None when no acceptable voice exists."""


_LATIN = ("Noto Sans",)
_LAST = ("Noto Sans CJK KR",)
"""Last resort in every language: the bar always shows the Korean name 이음."""

LANGUAGES: tuple[Language, ...] = (
    Language("ko", "한국어", "Korean", "ko_KR", ("Noto Sans CJK KR", *_LATIN), "ko"),
    Language("en", "English", "English", "en_US", (*_LATIN, *_LAST), "en"),
    Language(
        "zh_Hans",
        "简体中文",
        "Chinese (Simplified)",
        "zh_Hans_CN",
        ("Noto Sans CJK SC", *_LATIN, *_LAST),
        "cmn-latn-pinyin",
    ),
    Language("ja", "日本語", "Japanese", "ja_JP", ("Noto Sans CJK JP", *_LATIN, *_LAST), "ja"),
    Language("vi", "Tiếng Việt", "Vietnamese", "vi_VN", (*_LATIN, *_LAST), "vi"),
    Language("th", "ไทย", "Thai", "th_TH", ("Noto Sans Thai", *_LATIN, *_LAST), None),
    Language("mn", "Монгол", "Mongolian", "mn_MN", (*_LATIN, *_LAST), None),
    Language("ru", "Русский", "Russian", "ru_RU", (*_LATIN, *_LAST), "ru"),
)

LANGUAGE_CODES: tuple[str, ...] = tuple(lang.code for lang in LANGUAGES)
DEFAULT_LANGUAGE = "ko"
FALLBACK_ORDER: tuple[str, ...] = ("en", "ko")
"""Where text missing in the chosen language is taken from, in order."""

_BY_CODE = {lang.code: lang for lang in LANGUAGES}


def language(code: str) -> Language:
    """The language with this code; KeyError names the unknown code."""
    try:
        return _BY_CODE[code]
    except KeyError:
        raise KeyError(
            f"unknown language code {code!r}; known: {', '.join(LANGUAGE_CODES)}"
        ) from None


def is_language(code: str) -> bool:
    return code in _BY_CODE
