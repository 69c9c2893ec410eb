"""Masking strategies and the compiled decision table."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from merchantops.rules.document import InvalidRuleSet
from merchantops.rules.masking import (
    REDACTED,
    TEMPLATE,
    Classification,
    MaskingTable,
    Reader,
    Strategy,
    mask,
    mask_json,
    parse_masking,
)


@pytest.mark.parametrize(
    ("strategy", "value", "shown"),
    [
        (Strategy.NONE, "ana@example.com", "ana@example.com"),
        (Strategy.REDACT, "ana@example.com", REDACTED),
        (Strategy.NULL, "ana@example.com", None),
        (Strategy.PARTIAL, "Anastasia", "A*******a"),
        (Strategy.PARTIAL, "Al", "**"),
        (Strategy.EMAIL, "ana@example.com", "a***@example.com"),
        (Strategy.EMAIL, "not an email", REDACTED),
        (Strategy.PHONE, "+86 138-0013-8000", "*********8000"),
        (Strategy.YEAR_ONLY, date(1990, 5, 17), "1990"),
        (Strategy.YEAR_ONLY, "1990-05-17", "1990"),
        (Strategy.REDACT, None, None),
    ],
)
def test_strategies_show_only_what_they_promise(strategy: Strategy, value: Any, shown: Any) -> None:
    assert mask(strategy, value) == shown


def test_hash_is_stable_and_does_not_show_the_value() -> None:
    first, second = (
        mask(Strategy.HASH, "110101199003070000"),
        mask(Strategy.HASH, "110101199003070000"),
    )

    assert first == second
    assert "1101" not in first


def test_personal_data_is_masked_unless_a_rule_allows_it() -> None:
    table = MaskingTable.compile(None)

    assert table.strategy(Classification.PUBLIC) is Strategy.NONE
    assert table.strategy(Classification.INTERNAL, roles={"warehouse-staff"}) is Strategy.NONE
    assert table.strategy(Classification.CONFIDENTIAL_PERSONAL) is Strategy.REDACT
    assert table.strategy(Classification.SENSITIVE_PERSONAL, roles={"owner"}) is Strategy.REDACT


def test_template_shows_personal_data_to_service_and_compliance_only() -> None:
    table = MaskingTable.compile(parse_masking(TEMPLATE))
    sensitive = Classification.SENSITIVE_PERSONAL
    contact = Classification.CONFIDENTIAL_PERSONAL

    assert table.strategy(contact, roles={"customer-service-staff"}) is Strategy.NONE
    assert table.strategy(sensitive, roles={"compliance-officer"}) is Strategy.NONE
    assert table.strategy(contact, roles={"warehouse-staff"}) is Strategy.PARTIAL
    assert table.strategy(sensitive, roles={"warehouse-staff"}) is Strategy.REDACT
    assert table.strategy(contact, scopes={"order:read"}) is Strategy.PARTIAL


def test_api_key_scopes_can_be_granted_clear_data() -> None:
    table = MaskingTable.compile(
        parse_masking(
            {
                "kind": "masking",
                "rules": [
                    {
                        "id": "erp",
                        "classifications": ["confidential_personal"],
                        "scopes": ["customer:read"],
                        "strategy": "email",
                    }
                ],
            }
        )
    )

    assert table.strategy(Classification.CONFIDENTIAL_PERSONAL, scopes={"customer:read"}) is (
        Strategy.EMAIL
    )
    assert table.strategy(Classification.CONFIDENTIAL_PERSONAL) is Strategy.REDACT


def test_bad_masking_documents_name_the_path() -> None:
    with pytest.raises(InvalidRuleSet) as refused:
        parse_masking(
            {
                "kind": "masking",
                "rules": [{"id": "x", "classifications": ["secret"], "strategy": "blur"}],
            }
        )

    paths = {path for path, _ in refused.value.problems}
    assert paths == {"rules[0].classifications[0]", "rules[0].strategy"}


def test_classified_keys_are_masked_anywhere_in_json() -> None:
    document = {
        "after": {"email": "ana@example.com", "roles": ["a"], "nested": [{"phone": "13800138000"}]},
        "before": None,
    }

    masked = mask_json(document, lambda classification: Strategy.REDACT)

    assert masked == {
        "after": {"email": REDACTED, "roles": ["a"], "nested": [{"phone": REDACTED}]},
        "before": None,
    }


def test_own_personal_data_is_shown_only_to_a_single_person_reading_it() -> None:
    # given: the template, and data about the user 42
    table = MaskingTable.compile(parse_masking(TEMPLATE))
    clerk = frozenset({"warehouse-staff"})
    personal = Classification.CONFIDENTIAL_PERSONAL

    # when
    to_themself = table.decide(personal, Reader(clerk, person="42"), subject=42)
    to_a_colleague = table.decide(personal, Reader(clerk, person="7"), subject=42)
    to_partners = table.decide(personal, Reader(frozenset({"webhook"})), subject=42)
    about_nobody = table.decide(personal, Reader(clerk, person="42"))

    # then
    assert to_themself is Strategy.NONE
    assert to_a_colleague is to_partners is about_nobody is Strategy.PARTIAL
