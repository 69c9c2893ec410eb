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
  way (introspection subtrees and fragments no operation spreads included); `TOO_MANY_FIELDS`.
  It bounds what validation costs: 2,000 tokens of repeated fields took graphql-core about
  0.5 s to validate.

Depth, aliases and fields are checked before graphql-core's own validation, whose overlapping-fields
rule is quadratic in the number of fields: a document that fails them is not validated further.
They are measured in time linear in the document: each fragment once, its shape reused where it
is spread (`Measure`), so 755 bytes of fragments that each spread the next one twice are refused
in a millisecond, not counted field by field for seconds while the event loop waits.
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


@dataclass(frozen=True)
class Shape:
    """What a selection set adds up to, each fragment counted wherever it is spread."""

    depth: int = 0
    aliases: int = 0
    fields: int = 0


EMPTY = Shape()


class Measure:
    """Shapes of the selection sets of one document, in time linear in the document.

    Each fragment is measured once, after the fragments it spreads, and its shape is reused at
    every spread: a fragment spreading the next one twice, 30 levels deep, costs 30 steps, not
    2**30. Counts stop growing at `CEILING`, so no number outgrows what a message can print. A
    spread that closes a cycle (refused by validation, which runs after these limits) and a
    spread of an unknown fragment count as empty.

    >>> measure = Measure(fragments_of(document))
    >>> measure.selection(operation.selection_set)
    Shape(depth=3, aliases=0, fields=3)
    """

    CEILING = 10**9

    def __init__(self, fragments: Fragments) -> None:
        self.fragments = fragments
        self.shapes: dict[str, Shape] = {}
        spreads = {name: spreads_in(fragment.selection_set) for name, fragment in fragments.items()}
        # Depth-first over the spreads without recursion: a chain of fragments can be longer
        # than the interpreter's stack allows, while the nesting inside one definition cannot
        # (graphql-core's parser stops at 200).
        for root in spreads:
            if root in self.shapes:
                continue
            path = [(root, iter(spreads[root]))]
            on_path = {root}
            while path:
                name, pending = path[-1]
                for spread in pending:
                    if spread in spreads and spread not in self.shapes and spread not in on_path:
                        path.append((spread, iter(spreads[spread])))
                        on_path.add(spread)
                        break
                else:
                    path.pop()
                    on_path.discard(name)
                    self.shapes[name] = self.selection(fragments[name].selection_set)

    def selection(self, selection_set: SelectionSetNode | None) -> Shape:
        """The shape below `selection_set`. Introspection fields (`__schema`, `__type`) add one
        to the depth whatever they select, but everything they select counts as fields."""
        deepest = alias_count = field_count = 0
        for node in selection_set.selections if selection_set else ():
            if isinstance(node, FieldNode):
                inner = self.selection(node.selection_set)
                found = 1 if node.name.value.startswith("__") else 1 + inner.depth
                alias_count += (node.alias is not None) + inner.aliases
                field_count += 1 + inner.fields
            else:
                if isinstance(node, InlineFragmentNode):
                    inner = self.selection(node.selection_set)
                elif isinstance(node, FragmentSpreadNode):
                    inner = self.shapes.get(node.name.value, EMPTY)
                else:  # pragma: no cover - no other selection kinds exist
                    continue
                found = inner.depth
                alias_count += inner.aliases
                field_count += inner.fields
            deepest = max(deepest, found)
        ceiling = self.CEILING
        return Shape(deepest, min(alias_count, ceiling), min(field_count, ceiling))

    def unreached(self, operations: Iterable[OperationDefinitionNode]) -> list[str]:
        """Fragments no operation spreads, directly or through other fragments."""
        pending = [name for operation in operations for name in spreads_in(operation.selection_set)]
        reached: set[str] = set()
        while pending:
            name = pending.pop()
            if name in reached or name not in self.fragments:
                continue
            reached.add(name)
            pending.extend(spreads_in(self.fragments[name].selection_set))
        return [name for name in self.fragments if name not in reached]


def spreads_in(selection_set: SelectionSetNode | None) -> list[str]:
    """Names of the fragments spread anywhere below `selection_set` (not through them)."""
    names: list[str] = []
    pending = [selection_set]
    while pending:
        current = pending.pop()
        for node in current.selections if current else ():
            if isinstance(node, FragmentSpreadNode):
                names.append(node.name.value)
            elif isinstance(node, FieldNode | InlineFragmentNode):
                pending.append(node.selection_set)
    return names


def depth(selection_set: SelectionSetNode | None, fragments: Fragments) -> int:
    """Fields on the longest path below `selection_set`; unknown fragments count as empty."""
    return Measure(fragments).selection(selection_set).depth


def aliases(selection_set: SelectionSetNode | None, fragments: Fragments) -> int:
    """Aliased fields below `selection_set`, each fragment counted where it is spread."""
    return Measure(fragments).selection(selection_set).aliases


def fields(selection_set: SelectionSetNode | None, fragments: Fragments) -> int:
    """Field selections below `selection_set`, each fragment counted where it is spread."""
    return Measure(fragments).selection(selection_set).fields


def amount(count: int) -> str:
    return f"at least {Measure.CEILING}" if count >= Measure.CEILING else str(count)


def shape_errors(document: DocumentNode, settings: Settings) -> list[GraphQLError]:
    """Depth, alias and field limits of `document`, in time linear in its size.

    Fields of fragments that no operation spreads count too (once each, expanded): validation
    reads them as well, and such a document is invalid anyway.
    """
    measure = Measure(fragments_of(document))
    operations = [
        definition
        for definition in document.definitions
        if isinstance(definition, OperationDefinitionNode)
    ]
    errors: list[GraphQLError] = []
    alias_count = field_count = 0
    for operation in operations:
        shape = measure.selection(operation.selection_set)
        if shape.depth > settings.max_query_depth:
            name = operation.name.value if operation.name else "anonymous"
            errors.append(
                GraphQLError(
                    f"Operation '{name}' is {shape.depth} fields deep; at most "
                    f"{settings.max_query_depth} are allowed. Split it into several queries.",
                    nodes=[operation],
                    extensions={"code": QUERY_TOO_DEEP},
                )
            )
        alias_count += shape.aliases
        field_count += shape.fields
    field_count += sum(measure.shapes[name].fields for name in measure.unreached(operations))
    if field_count > settings.max_query_fields:
        errors.append(
            GraphQLError(
                f"The document selects {amount(field_count)} fields; at most "
                f"{settings.max_query_fields} are allowed. Split it into several queries.",
                extensions={"code": TOO_MANY_FIELDS},
            )
        )
    if alias_count > settings.max_query_aliases:
        errors.append(
            GraphQLError(
                f"The document uses {amount(alias_count)} aliases; at most "
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
    "Measure",
    "Shape",
    "aliases",
    "coded",
    "depth",
    "fields",
    "shape_errors",
]
