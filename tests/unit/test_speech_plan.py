"""What may reach the speech engine: personal values never, recordings before synthesis,
no voice of another language, and the pack tool that lists missing recordings."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from forms.answers import check_answer, masked
from forms.definition import Question
from kiosk.speech.keys import is_key, message_key, text_key
from kiosk.speech.packs import Packs, main, missing
from kiosk.speech.plan import Recording, Synthesis, plan
from kiosk.speech.utterance import (
    Entered,
    Personal,
    Say,
    answer_part,
    looks_personal,
    utterance,
)
from kiosk.speech.voices import NO_VOICE, PACK_INCOMPLETE, PERSONAL_REFUSED, Availability

FAKE_PHONE = "010-0000-0000"
FAKE_RESIDENT_NUMBER = "000101-3000000"
PHONE = Question("phone", "phone", {"en": "Phone number"})
RESIDENT = Question("rrn", "resident_number", {"en": "Resident registration number"})
NAME = Question("nickname", "short_text", {"en": "What should we call you?"}, personal=True)
HOUSEHOLD = Question("household", "number", {"en": "How many people live with you?"})


def _silence(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * 800)
    return path


def _engine_texts(steps: list[Recording | Synthesis] | Availability) -> list[str]:
    assert isinstance(steps, list), steps
    return [s.text for s in steps if isinstance(s, Synthesis)]


def test_personal_answers_never_reach_the_engine_only_the_neutral_phrase() -> None:
    phone = check_answer(PHONE, FAKE_PHONE).value
    number = check_answer(RESIDENT, FAKE_RESIDENT_NUMBER).value
    said = utterance(
        Say("Please check your answers."),
        Say("Phone number:"),
        answer_part(PHONE, str(phone), neutral="entered, not read aloud"),
        Say("Resident registration number:"),
        answer_part(RESIDENT, masked(RESIDENT, number)),  # even masked, and no neutral
        Say("What should we call you?"),
        answer_part(NAME, "Testy McTestface", neutral="entered, not read aloud"),
        Say("How many people live with you?"),
        answer_part(HOUSEHOLD, "3"),
    )
    texts = _engine_texts(plan(said, "en", True, Packs(())))
    joined = " ".join(texts)
    for secret in ("0000", "000101", "3000000", "Testy", "*", "•"):
        assert secret not in joined
    assert "entered, not read aloud" in joined
    assert texts[-1] == "3"  # the non-personal answer, in its own session-only segment


def test_personal_value_does_not_leak_through_string_formatting() -> None:
    part = Personal(FAKE_PHONE, neutral="hidden")
    assert FAKE_PHONE not in f"{part}" + str(part) + repr(part) + f"{part}"


@pytest.mark.parametrize(
    "text",
    [
        FAKE_PHONE,
        "01000000000",
        "02-000-0000",
        FAKE_RESIDENT_NUMBER,
        "0001013000000",
        masked(PHONE, "01000000000"),
        masked(RESIDENT, "0001013000000"),
        masked(NAME, "Testy"),
        f"Your phone number is {FAKE_PHONE}.",
    ],
)
def test_personal_looking_text_is_refused_whatever_part_it_comes_in(text: str) -> None:
    assert looks_personal(text)
    for part in (Say(text), Entered(text), Personal("x", neutral=text)):
        steps = plan(utterance(Say("Review"), part), "ko", True, Packs(()))
        assert steps == Availability(False, PERSONAL_REFUSED)


@pytest.mark.parametrize(
    "text", ["Call 120 for help.", "Step 3 of 12", "2026-11-22", "Reference AB12CD34EF", "3"]
)
def test_ordinary_numbers_are_not_mistaken_for_personal_ones(text: str) -> None:
    assert not looks_personal(text)


def test_recordings_take_precedence_and_fixed_wording_merges(tmp_path: Path) -> None:
    key = message_key("Welcome")
    recorded = _silence(tmp_path / "ko" / f"{key}.wav")
    said = utterance(Say("어서 오세요", key), Say("서비스를 고르세요."), Say("하나"), Entered("셋"))
    steps = plan(said, "ko", True, Packs((tmp_path,)))
    assert steps == [
        Recording(recorded),
        Synthesis("서비스를 고르세요. 하나", session=False),
        Synthesis("셋", session=True),
    ]


def test_language_without_voice_or_pack_is_refused_not_read_with_another_voice() -> None:
    said = utterance(Say("สวัสดี", message_key("Hello")))
    steps = plan(said, "th", False, Packs(()))
    assert isinstance(steps, Availability) and steps.reason == NO_VOICE


def test_pack_language_needs_a_recording_for_every_part(tmp_path: Path) -> None:
    hello, help_ = message_key("Hello"), message_key("Help")
    _silence(tmp_path / "mn" / f"{hello}.ogg")
    packs = Packs((tmp_path,))
    whole = plan(utterance(Say("Сайн байна уу", hello)), "mn", False, packs)
    assert whole == [Recording(tmp_path / "mn" / f"{hello}.ogg")]
    partial = plan(
        utterance(Say("Сайн байна уу", hello), Say("Тусламж", help_)), "mn", False, packs
    )
    assert partial == Availability(False, PACK_INCOMPLETE, missing=(help_,))


def test_message_keys_are_stable_file_names() -> None:
    assert message_key("Yes") == message_key("Yes") != message_key("Yes", context="button")
    assert is_key(message_key("Yes"))
    assert text_key({"ko": "네", "en": "Yes"}) == message_key("Yes")
    assert text_key({"ko": "네"}) == message_key("네")


def test_pack_tool_lists_what_a_pack_lacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    (catalog / "service.json").write_text(
        '{"title": {"en": "Test service", "th": "บริการทดสอบ"},'
        ' "questions": [{"label": {"en": "Test question?", "th": "คำถามทดสอบ?"}}]}',
        encoding="utf-8",
    )
    packs = tmp_path / "packs"
    lacking = missing("th", Packs((packs,)), catalog)
    keys = {key for key, _, _ in lacking}
    assert message_key("Test service") in keys and message_key("Test question?") in keys
    assert all("{" not in source for _, source, _ in lacking)
    _silence(packs / "th" / f"{message_key('Test service')}.wav")
    assert main(["missing", "th", "--packs", str(packs), "--catalog", str(catalog)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == len(lacking) - 1
    assert f"{message_key('Test question?')}\tTest question?\tคำถามทดสอบ?" in printed
