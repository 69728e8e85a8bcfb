"""Eligibility of every sample service at its boundaries, and the reasons residents read."""

from __future__ import annotations

from typing import Any

import pytest

from forms.eligibility import (
    CLOSE,
    ELIGIBLE,
    MAYBE,
    NOT_ELIGIBLE,
    check_eligibility,
    profile_values,
    reason,
)
from tests.unit.forms_fixtures import TODAY, catalog

BASE: dict[str, Any] = {
    "residence": "seoul",
    "household_size": 1,
    "income_band": "50_to_100",
    "employment": "unemployed",
    "receives_livelihood_support": False,
}


def status(service_id: str, age: int, **changes: Any) -> str:
    answers = dict(BASE, birth_year=TODAY.year - age, **changes)
    findings = check_eligibility(catalog().services.values(), catalog().profile, answers, TODAY)
    return next(f.status for f in findings if f.service.id == service_id)


@pytest.mark.parametrize(
    ("service_id", "low", "high"),
    [
        ("seoul-youth-allowance", 19, 34),
        ("youth-transport", 19, 34),
        ("youth-monthly-rent", 19, 39),
    ],
)
def test_youth_services_at_their_age_boundaries(service_id: str, low: int, high: int) -> None:
    assert status(service_id, low - 1) in (CLOSE, NOT_ELIGIBLE)
    assert status(service_id, low) == ELIGIBLE
    assert status(service_id, high) == ELIGIBLE
    assert status(service_id, high + 1) in (CLOSE, NOT_ELIGIBLE)


def test_youth_allowance_other_conditions() -> None:
    assert status("seoul-youth-allowance", 27, employment="employed") == CLOSE
    assert status("seoul-youth-allowance", 27, residence="outside_seoul") == CLOSE
    assert status("seoul-youth-allowance", 27, income_band="100_to_150") == ELIGIBLE
    assert status("seoul-youth-allowance", 27, income_band="over_150") == CLOSE
    assert status("seoul-youth-allowance", 27, income_band=None) == MAYBE
    assert status("seoul-youth-allowance", 40, employment="employed") == NOT_ELIGIBLE


def test_monthly_rent_income_boundary() -> None:
    assert status("youth-monthly-rent", 30, income_band="50_to_100") == ELIGIBLE
    assert status("youth-monthly-rent", 30, income_band="100_to_150") == CLOSE


def test_senior_transport_at_65() -> None:
    assert status("senior-transport-welfare", 64) == CLOSE
    assert status("senior-transport-welfare", 65) == ELIGIBLE
    assert status("senior-transport-welfare", 90, residence="outside_seoul") == CLOSE
    assert status("senior-transport-welfare", 64, residence="outside_seoul") == NOT_ELIGIBLE


def test_device_access_for_support_or_age() -> None:
    assert status("digital-device-access", 64) in (CLOSE, NOT_ELIGIBLE)
    assert status("digital-device-access", 65) == ELIGIBLE
    assert status("digital-device-access", 30, receives_livelihood_support=True) == ELIGIBLE
    assert status("digital-device-access", 30, receives_livelihood_support=None) == MAYBE


def test_emergency_welfare_income_and_residence() -> None:
    assert status("emergency-welfare", 50, income_band="under_50") == ELIGIBLE
    assert status("emergency-welfare", 50, income_band="over_150") == CLOSE
    assert (
        status("emergency-welfare", 50, residence="outside_seoul", income_band="over_150")
        == NOT_ELIGIBLE
    )


@pytest.mark.parametrize("service_id", ["resident-registration-certificate", "digital-tutor-class"])
def test_services_without_rules_are_open_to_everyone(service_id: str) -> None:
    assert status(service_id, 18, residence="outside_seoul") == ELIGIBLE


@pytest.mark.parametrize("lang", ["ko", "en", "th", "mn"])
def test_reasons_name_the_residents_values_in_their_language(lang: str) -> None:
    answers = dict(BASE, birth_year=TODAY.year - 35)
    profile = catalog().profile
    values = profile_values(profile, answers, TODAY)
    finding = next(
        f
        for f in check_eligibility(catalog().services.values(), profile, answers, TODAY)
        if f.service.id == "seoul-youth-allowance"
    )
    [unmet] = finding.unmet
    text = reason(unmet.rule.unmet, lang, profile, values)
    assert "35" in text and "{" not in text and "?" not in text.replace("？", "")


def test_a_76_year_old_never_sees_youth_services_as_close() -> None:
    """Issue 19: "Close, but one condition is not met (ages 19 to 39; you are 76)"."""
    for service_id in ("seoul-youth-allowance", "youth-transport", "youth-monthly-rent"):
        assert status(service_id, 76) == NOT_ELIGIBLE
    assert status("senior-transport-welfare", 64) == CLOSE  # 65 is coming: not firm


def test_maybe_has_its_own_words_and_names_what_is_missing() -> None:
    from forms.eligibility import missing, rule_text

    answers = dict(BASE, birth_year=TODAY.year - 30, income_band=None)
    findings = check_eligibility(catalog().services.values(), catalog().profile, answers, TODAY)
    rent = next(f for f in findings if f.service.id == "youth-monthly-rent")
    assert rent.status == MAYBE
    [unknown] = [r for r in rent.results if r.met is None]
    text = rule_text(unknown)
    assert text["en"] == "It depends on your household's income. Staff can check it with you."
    assert "?" not in reason(text, "en", catalog().profile, profile_values(
        catalog().profile, answers, TODAY))  # fmt: skip
    values = profile_values(catalog().profile, dict(BASE, income_band=None), TODAY)
    assert missing(unknown, catalog().profile, values) == ["income_band"]
    age = next(r for r in rent.results if r.rule.id == "age")
    assert missing(age, catalog().profile, values) == ["birth_year"]  # through `age`
