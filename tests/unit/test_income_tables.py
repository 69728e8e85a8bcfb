"""Income in won: amounts per household size from a table of shared.json (issue 19)."""

from __future__ import annotations

import json

import pytest

from forms import expressions as ex
from forms.definition import DefinitionError
from forms.eligibility import amount, profile_values
from forms.loader import parse_profile, parse_service
from tests.unit.forms_fixtures import SOURCE, TODAY, catalog, service_document


def test_each_income_choice_shows_its_won_amount_for_the_household_size() -> None:
    profile = catalog().profile
    income = profile.question("income_band")
    assert income is not None
    values = profile_values(profile, {"household_size": 2}, TODAY)
    shown = {
        c.value: amount(profile, c.up_to or c.over, values)  # type: ignore[arg-type]
        for c in income.choices
    }
    assert shown == {
        "under_50": 2_099_646, "50_to_100": 4_199_292, "100_to_150": 6_298_938,
        "over_150": 6_298_938,
    }  # fmt: skip
    unknown = profile_values(profile, {}, TODAY)
    assert amount(profile, income.choices[0].up_to, unknown) is None  # type: ignore[arg-type]
    too_many = profile_values(profile, {"household_size": 7}, TODAY)
    assert amount(profile, income.choices[0].up_to, too_many) is None  # type: ignore[arg-type]


def test_a_rule_can_compare_an_income_in_won_with_the_table() -> None:
    document = service_document()
    document["eligibility"][0]["rule"] = {
        "<=": [{"var": "household_size"}, {"/": [{"table": ["median_income", 2]}, 1_000_000]}]
    }
    service, _ = parse_service(document, catalog().profile, "x.json")
    rule = service.eligibility[0].rule
    values = profile_values(catalog().profile, {"household_size": 4}, TODAY)
    assert ex.evaluate(rule, values, TODAY) is True  # 4 <= 4.199292
    values = profile_values(catalog().profile, {"household_size": 5}, TODAY)
    assert ex.evaluate(rule, values, TODAY) is False
    row = {"table": ["median_income", {"var": "household_size"}]}
    assert ex.evaluate(row, values, TODAY) == 7_556_719
    assert ex.evaluate(row, profile_values(catalog().profile, {}, TODAY), TODAY) is None


def test_unknown_tables_and_rows_that_are_not_numbers_are_errors() -> None:
    document = service_document()
    document["eligibility"][0]["rule"] = {"<=": [1, {"table": ["median_incom", 2]}]}
    with pytest.raises(DefinitionError) as caught:
        parse_service(document, catalog().profile, "x.json")
    assert "no table 'median_incom' in shared.json" in str(caught.value)
    shared = json.loads((SOURCE / "shared.json").read_text(encoding="utf-8"))
    shared["tables"][0]["by"] = "residence"
    shared["questions"][3]["choices"][0]["up_to"]["table"] = "nothing"
    with pytest.raises(DefinitionError) as caught:
        parse_profile(shared)
    text = str(caught.value)
    assert "'residence' is not a number question of shared.json" in text
    assert 'question "income_band" (questions[3]).choices[0].up_to.table' in text
