"""Speech text preparation, read back through espeak-ng's own phoneme output (`-x`).

espeak-ng says "Chinese letter" / "Japanese letter" for a character it cannot read,
which in its phoneme output is a switch to English and `l'et@`; reading tone numbers
in English ("ni three") shows up as a switch to English too. Each check below first
shows that the unprepared text does trip the detector, so a pass means something.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from forms.languages import language
from kiosk.speech.prepare import chinese, clean, is_han, japanese, prepare

LETTER_FALLBACK = re.compile(r"l'et@|l'Et3")
"""espeak-ng's word "letter", as in its fallback "Chinese letter"."""
LANGUAGE_SWITCH = re.compile(r"\((en|en-us)\)")
"""espeak-ng switching to English inside another language's text."""

JA = "こんにちは。サービスを選んでください。分からないときは、職員を呼んでください。"
ZH = "您好！请选择您要申请的服务。需要帮助时，请点击“帮助”，工作人员会来。"


def phonemes(voice: str, text: str) -> str:
    result = subprocess.run(
        ["espeak-ng", "-q", "-x", "-v", voice, text],
        capture_output=True,
        text=True,
        timeout=20,
        check=True,
    )
    return result.stdout


def test_japanese_raw_text_falls_back_to_letter_names() -> None:
    raw = phonemes("ja", JA)
    assert LETTER_FALLBACK.search(raw) and LANGUAGE_SWITCH.search(raw)


def test_japanese_prepared_text_is_kana_and_read_without_fallback() -> None:
    kana = japanese(JA)
    assert not any(is_han(ch) for ch in kana)
    assert not any("\u30a1" <= ch <= "\u30fa" for ch in kana), "katakana left"
    out = phonemes("ja", kana)
    assert not LETTER_FALLBACK.search(out), out
    assert not LANGUAGE_SWITCH.search(out), out
    assert len(out) > 60  # really read: ~4 phoneme characters a kana


def test_japanese_particles_are_read_as_particles() -> None:
    assert japanese("こんにちは。番号は窓口へ") == "こんにちわ. ばんごうわまどぐちえ"
    assert japanese("はい") == "はい"


def test_chinese_plain_voice_reads_pinyin_tones_in_english() -> None:
    # Why the pinyin voice: plain `cmn` says "ni three hao three".
    assert LANGUAGE_SWITCH.search(phonemes("cmn", "ni3 hao3"))


def test_chinese_prepared_text_is_pinyin_and_read_without_fallback() -> None:
    voice = language("zh_Hans").espeak_voice
    assert voice == "cmn-latn-pinyin"
    pinyin = chinese(ZH)
    assert not any(is_han(ch) for ch in pinyin)
    assert re.fullmatch(r"[a-z]+[1-5]", pinyin.split()[0].strip(",.!?")), pinyin
    out = phonemes(voice, pinyin)
    assert not LETTER_FALLBACK.search(out), out
    assert not LANGUAGE_SWITCH.search(out), out


def test_chinese_polyphones_follow_the_phrase_not_the_character() -> None:
    # espeak-ng's own dictionary reads 银行 as "yin xing" and 重庆 as "zhong qing".
    assert chinese("银行，重庆，音乐") == "yin2 hang2, chong2 qing4, yin1 yue4"


def test_other_languages_pass_through_cleaned() -> None:
    assert (
        prepare("ko", "안녕하세요.\n\t서비스를   골라\u200b 주세요.")
        == "안녕하세요. 서비스를 골라 주세요."
    )
    assert prepare("ru", "Выберите\x00 услугу") == "Выберите услугу"
    assert clean("a\u00a0\u3000b") == "a b"


@pytest.mark.parametrize("text", ["", "   ", "\u200b\u200b", "\x00"])
def test_blank_text_stays_blank_in_every_language(text: str) -> None:
    # The worker refuses blank text instead of handing it to espeak (which can crash).
    for code in ("ko", "en", "zh_Hans", "ja", "vi", "ru"):
        assert prepare(code, text).strip() == ""
