"""Error messages quote client input only up to a bound (`core/errors.py`, `bounded`), and the
production executor suggests no names."""

from __future__ import annotations

import graphql
import pytest

from merchantops.api.graphql.core.errors import MAX_MESSAGE_CHARS, MAX_QUOTED_CHARS, bounded
from merchantops.api.graphql.core.execution import CompiledExecutor, QuietExecutor


def test_a_long_quoted_name_is_cut_and_the_rest_of_the_message_kept() -> None:
    message = 'Unknown operation named "' + "B" * 500_000 + '".'

    assert bounded(message) == 'Unknown operation named "' + "B" * MAX_QUOTED_CHARS + '\u2026".'


def test_each_long_quoted_value_is_cut_on_its_own() -> None:
    message = "Variable '$v' got invalid value '" + "x" * 300 + "'; Expected type 'Int'."

    assert bounded(message) == (
        "Variable '$v' got invalid value '"
        + "x" * MAX_QUOTED_CHARS
        + "\u2026'; Expected type 'Int'."
    )


def test_a_long_unquoted_run_is_cut_too() -> None:
    message = "Expected value of type 'F' not to include unknown field, found: {" + "a" * 300 + "}."

    assert bounded(message) == (
        "Expected value of type 'F' not to include unknown field, found: {"
        + "a" * (MAX_QUOTED_CHARS - 1)
        + "\u2026"
    )


@pytest.mark.parametrize(
    "message",
    [
        "Cannot query field 'name' on type 'Query'.",
        "This query would cost 1200, more than the 1000 allowed. Ask for fewer items per page "
        "('first') or fewer nested objects, or split the query.",
        "'" * 400,
        "",
    ],
)
def test_short_messages_and_short_quotes_are_left_as_they_are(message: str) -> None:
    assert bounded(message) == message


@pytest.mark.parametrize(
    "message",
    [
        "unterminated '" + "q" * 10_000,
        "no quotes at all " * 1000,
        "'a' " * 10_000,
        '"' + "'" * 100_000,
    ],
)
def test_no_message_comes_out_longer_than_the_cap(message: str) -> None:
    assert len(bounded(message)) <= MAX_MESSAGE_CHARS + 1


def test_the_production_executor_suggests_no_name_where_the_development_one_does() -> None:
    schema = graphql.build_schema("enum Color { RED GREEN } type Query { paint(c: Color): String }")
    document = graphql.parse("query($c: Color) { paint(c: $c) }")

    def message(executor: type[CompiledExecutor]) -> str:
        result = graphql.execute(
            schema, document, variable_values={"c": "REDD"}, executor_class=executor
        )
        assert isinstance(result, graphql.ExecutionResult)
        assert result.errors
        return result.errors[0].message

    assert "Did you mean the enum value 'RED'?" in message(CompiledExecutor)
    assert "Did you mean" not in message(QuietExecutor)
