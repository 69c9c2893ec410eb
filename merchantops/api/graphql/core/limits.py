"""Shape limits of a GraphQL document, checked before anything runs, and the document cache.

- **tokens** (`MAX_QUERY_TOKENS`): the parser stops at that many lexical tokens and at that
  many comments, so an oversized document costs no more than reading it;
  `TOO_MANY_TOKENS`.
- **depth** (`MAX_QUERY_DEPTH`): fields on the longest path, fragments followed:
  `{ me { user { email } } }` is 3. Introspection fields (`__schema`, `__type`) are not
  followed: GraphiQL's own schema query is deep, and introspection is off in production;
  `QUERY_TOO_DEEP`.
- **aliases** (`MAX_QUERY_ALIASES`): aliased fields in the whole document, fragments counted
  where they are spread; `TOO_MANY_ALIASES`.
- **fields** (`MAX_QUERY_FIELDS`): field selections in the whole document, counted the same
  way (introspection subtrees not); `TOO_MANY_FIELDS`. It bounds what validation costs:
  2,000 tokens of repeated fields took graphql-core about 0.5 s to validate.

Depth, aliases and fields are checked before graphql-core's own validation, whose overlapping-fields
rule is quadratic in the number of fields: a document that fails them is not validated further.
Other syntax and validation errors get `GRAPHQL_PARSE_FAILED` and `GRAPHQL_VALIDATION_FAILED`.

The outcome of parsing and validating a query text is kept in a bounded LRU
(`QUERY_CACHE_SIZE` texts), keyed by the text itself (its hash is cached by Python, unlike a
document tree's), so a repeated query skips both steps; its cost plan is cached alongside
(see `cost.py`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
)

from merchantops.settings import Settings

TOO_MANY_TOKENS = "TOO_MANY_TOKENS"
QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
TOO_MANY_FIELDS = "TOO_MANY_FIELDS"
PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"

Fragments = Mapping[str, FragmentDefinitionNode]


def coded(error: GraphQLError, code: str) -> GraphQLError:
    """`error` with `extensions.code`, keeping its message and locations."""
    return GraphQLError(
        error.message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        extensions={**(error.extensions or {}), "code": code},
    )


def fragments_of(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }


def depth(selection_set: SelectionSetNode | None, fragments: Fragments) -> int:
    """Fields on the longest path below `selection_set`; unknown fragments count as empty."""

    def walk(selections: SelectionSetNode | None, seen: frozenset[str]) -> int:
        deepest = 0
        for selection in selections.selections if selections else ():
            if isinstance(selection, FieldNode):
                if selection.name.value.startswith("__"):
                    found = 1
                else:
                    found = 1 + walk(selection.selection_set, seen)
            elif isinstance(selection, InlineFragmentNode):
                found = walk(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                if fragment is None or name in seen:
                    continue
                found = walk(fragment.selection_set, seen | {name})
            else:  # pragma: no cover - no other selection kinds exist
                continue
            deepest = max(deepest, found)
        return deepest

    return walk(selection_set, frozenset())


def aliases(selection_set: SelectionSetNode | None, fragments: Fragments) -> int:
    """Aliased fields below `selection_set`, each fragment counted where it is spread."""
    return _count(selection_set, fragments, lambda field: field.alias is not None)


def fields(selection_set: SelectionSetNode | None, fragments: Fragments) -> int:
    """Field selections below `selection_set`, fragments counted where they are spread;
    introspection fields count once, their sub-selections not at all."""
    return _count(selection_set, fragments, lambda field: True)


def _count(
    selection_set: SelectionSetNode | None,
    fragments: Fragments,
    counts: Callable[[FieldNode], bool],
) -> int:
    def walk(selections: SelectionSetNode | None, seen: frozenset[str]) -> int:
        count = 0
        for selection in selections.selections if selections else ():
            if isinstance(selection, FieldNode):
                count += counts(selection)
                if not selection.name.value.startswith("__"):
                    count += walk(selection.selection_set, seen)
            elif isinstance(selection, InlineFragmentNode):
                count += walk(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                if fragment is not None and name not in seen:
                    count += walk(fragment.selection_set, seen | {name})
        return count

    return walk(selection_set, frozenset())


def shape_errors(document: DocumentNode, settings: Settings) -> list[GraphQLError]:
    """Depth and alias limits of every operation of `document`."""
    fragments = fragments_of(document)
    errors: list[GraphQLError] = []
    alias_count = field_count = 0
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        name = definition.name.value if definition.name else "anonymous"
        found = depth(definition.selection_set, fragments)
        if found > settings.max_query_depth:
            errors.append(
                GraphQLError(
                    f"Operation '{name}' is {found} fields deep; at most "
                    f"{settings.max_query_depth} are allowed. Split it into several queries.",
                    nodes=[definition],
                    extensions={"code": QUERY_TOO_DEEP},
                )
            )
        alias_count += aliases(definition.selection_set, fragments)
        field_count += fields(definition.selection_set, fragments)
    if field_count > settings.max_query_fields:
        errors.append(
            GraphQLError(
                f"The document selects {field_count} fields; at most "
                f"{settings.max_query_fields} are allowed. Split it into several queries.",
                extensions={"code": TOO_MANY_FIELDS},
            )
        )
    if alias_count > settings.max_query_aliases:
        errors.append(
            GraphQLError(
                f"The document uses {alias_count} aliases; at most "
                f"{settings.max_query_aliases} are allowed.",
                extensions={"code": TOO_MANY_ALIASES},
            )
        )
    return errors


@dataclass
class Checked:
    """A parsed query text, its validation errors (once validated) and its cost plans."""

    document: DocumentNode
    errors: list[GraphQLError] | None = None
    plans: dict[str | None, Any] = field(default_factory=dict)


class DocumentCache:
    """Parses and validates query texts within the limits, remembering the last `size` texts.

    One cache belongs to one schema, whose validation rules do not change between requests.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._entries: OrderedDict[str, Checked] = OrderedDict()

    def parse(self, query: str) -> Checked:
        """The checked document of `query`; raises a coded `GraphQLError` if it does not parse."""
        entry = self._entries.get(query)
        if entry is not None:
            self._entries.move_to_end(query)
            return entry
        limit = self.settings.max_query_tokens
        try:
            document = parse(query, max_lexical_tokens=limit, max_comments=limit)
        except GraphQLError as error:
            too_long = "Document contains more than" in error.message
            raise coded(error, TOO_MANY_TOKENS if too_long else PARSE_FAILED) from None
        entry = Checked(document)
        if self.settings.query_cache_size:
            self._entries[query] = entry
            if len(self._entries) > self.settings.query_cache_size:
                self._entries.popitem(last=False)
        return entry

    def validate(
        self,
        entry: Checked,
        validate: Callable[[DocumentNode], Iterable[GraphQLError]],
    ) -> list[GraphQLError]:
        """The limits first, then `validate` (graphql-core's rules) if they hold; coded."""
        if entry.errors is None:
            errors = shape_errors(entry.document, self.settings)
            if not errors:
                errors = [
                    error
                    if (error.extensions or {}).get("code")
                    else coded(error, VALIDATION_FAILED)
                    for error in validate(entry.document)
                ]
            entry.errors = errors
        return list(entry.errors)


__all__ = [
    "PARSE_FAILED",
    "QUERY_TOO_DEEP",
    "TOO_MANY_ALIASES",
    "TOO_MANY_FIELDS",
    "TOO_MANY_TOKENS",
    "VALIDATION_FAILED",
    "Checked",
    "DocumentCache",
    "aliases",
    "coded",
    "depth",
]
