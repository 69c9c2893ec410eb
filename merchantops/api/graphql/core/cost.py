"""The calculated cost of an operation, known before any resolver runs.

Rules, applied to the validated document with its variables:

| selection | cost |
|---|---|
| a field of a scalar or enum type (`email`, `__typename`) | 0 |
| a field of an object, interface or union type (one object or a plain list) | 1 + its selection |
| a Relay connection (`members(first: 20) { ... }`) | 2 + `first` * its selection |
| its `totalCount` (one `COUNT`), when selected | 1 |
| `nodes(ids: [...])` | 2 + the number of ids * (1 + its selection) |
| each root field of a mutation (also inside a fragment spread at the root) | 10 + its selection |

`first` (or `last`, paging backwards) comes from the literal or the variable (its default when
the variable is not given); without it, or when it is not a usable number, the page cap
(`MAX_PAGE_SIZE`) counts, since that is what the server would return. The selection of a
connection is everything inside it (`edges`, `node`, `pageInfo`), so a nested connection
multiplies: `members { edges { node { user { email } } } }` costs 2 + 100 * 3 = 302. Fragments
and inline fragments count as if their fields were written in place (for an abstract type every
branch counts: an upper bound), and introspection fields count like any other object field.

A `first` or `last` outside 0..`MAX_PAGE_SIZE` is refused with `BAD_PAGINATION` before execution
(`oversized_page`), an operation over `MAX_QUERY_COST` with `QUERY_TOO_EXPENSIVE`; neither
drains anything. Otherwise the cost drains the caller's leaky bucket
(`merchantops/api/throttle.py`). The response reports both in `extensions.cost`.

The plan of an operation (the shape of the sum above, with the variables still open) is built
once per cached document and operation name; evaluating it for a request's variables walks each
plan node once, fragments included, so repeated fragments cannot make the calculation slow.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLCompositeType,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    OperationType,
    SchemaMetaFieldDef,
    SelectionSetNode,
    TypeMetaFieldDef,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_composite_type,
    is_list_type,
)

OBJECT_COST = 1
CONNECTION_COST = 2
MUTATION_COST = 10
QUERY_TOO_EXPENSIVE = "QUERY_TOO_EXPENSIVE"


@dataclass(frozen=True, eq=False)
class Plan:
    """`base + times * sum(children)`; `times` is a count, a variable's name, or the page cap."""

    base: int
    children: tuple[Plan, ...] = ()
    times: int | str | None = 1
    default: int | None = None  # the variable's default value, when `times` names one
    page: str = ""  # a connection's page: `times` is the size its argument (`first`, `last`) asks


@dataclass(frozen=True)
class Cost:
    requested: int
    maximum: int

    @property
    def too_expensive(self) -> bool:
        return self.requested > self.maximum


def plan_operation(
    schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode
) -> Plan:
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    defaults: dict[str, int | None] = {
        definition.variable.name.value: (
            int(definition.default_value.value)
            if isinstance(definition.default_value, IntValueNode)
            else None
        )
        for definition in operation.variable_definitions or ()
    }
    # A fragment is planned once per place kind (mutation root or not) and its plan reused at
    # every spread, so planning is linear in the document however often fragments are spread.
    planned_fragments: dict[tuple[str, bool], Plan] = {}

    def selection(
        selections: SelectionSetNode | None, parent: GraphQLCompositeType, root: bool = False
    ) -> tuple[Plan, ...]:
        plans: list[Plan] = []
        for node in selections.selections if selections else ():
            if isinstance(node, FieldNode):
                planned = field(node, parent, root)
                if planned is not None:
                    plans.append(planned)
            elif isinstance(node, InlineFragmentNode):
                condition = node.type_condition
                named = schema.get_type(condition.name.value) if condition else parent
                if is_composite_type(named):
                    plans.append(Plan(0, selection(node.selection_set, named, root)))
            elif isinstance(node, FragmentSpreadNode):
                spread = fragment(node.name.value, root)
                if spread is not None:
                    plans.append(spread)
        return tuple(plans)

    def fragment(name: str, root: bool) -> Plan | None:
        key = (name, root)
        if key in planned_fragments:
            return planned_fragments[key]
        definition = fragments.get(name)
        if definition is None:
            return None
        named = schema.get_type(definition.type_condition.name.value)
        if not is_composite_type(named):
            return None
        planned_fragments[key] = Plan(0)  # a cycle (invalid anyway) counts as nothing
        planned_fragments[key] = Plan(0, selection(definition.selection_set, named, root))
        return planned_fragments[key]

    def field(node: FieldNode, parent: GraphQLCompositeType, root: bool) -> Plan | None:
        definition = field_definition(schema, parent, node.name.value)
        if definition is None:
            return None
        named = get_named_type(definition.type)
        if not is_composite_type(named):
            return Plan(MUTATION_COST) if root else None
        children = selection(node.selection_set, named)
        if root:
            return Plan(MUTATION_COST, children)
        if "ids" in definition.args and is_list_type(get_nullable_type(definition.type)):
            times, default = list_argument(node)
            return Plan(CONNECTION_COST, (Plan(OBJECT_COST, children),), times, default)
        if is_connection(named, definition):
            argument, times, default = page_argument(node, defaults)
            page = Plan(0, children, times, default, page=argument)
            return Plan(CONNECTION_COST + counted(node.selection_set), (page,))
        return Plan(OBJECT_COST, children)

    root_type = schema.get_root_type(operation.operation)
    assert root_type is not None, "the operation was validated against this schema"
    is_mutation = operation.operation is OperationType.MUTATION
    return Plan(0, selection(operation.selection_set, root_type, root=is_mutation))


def field_definition(
    schema: GraphQLSchema, parent: GraphQLCompositeType, name: str
) -> GraphQLField | None:
    if name == "__schema":
        return SchemaMetaFieldDef
    if name == "__type":
        return TypeMetaFieldDef
    if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
        found: GraphQLField | None = parent.fields.get(name)
        return found
    return None  # unions have only `__typename`, a scalar


def is_connection(named: Any, definition: GraphQLField) -> bool:
    return (
        isinstance(named, GraphQLObjectType)
        and named.name.endswith("Connection")
        and "edges" in named.fields
        and "first" in definition.args
    )


def counted(selections: SelectionSetNode | None) -> int:
    """`totalCount` costs one object, once per connection, not once per item."""
    for node in selections.selections if selections else ():
        if isinstance(node, FieldNode) and node.name.value == "totalCount":
            return OBJECT_COST
        if isinstance(node, InlineFragmentNode) and counted(node.selection_set):
            return OBJECT_COST
    return 0


def list_argument(node: FieldNode) -> tuple[int | str | None, int | None]:
    """`nodes(ids: [...])` costs like a connection of as many items as it names."""
    for argument in node.arguments or ():
        if argument.name.value == "ids":
            value = argument.value
            if isinstance(value, ListValueNode):
                return len(value.values), None
            if isinstance(value, VariableNode):
                return value.name.value, None
    return None, None


def page_argument(
    node: FieldNode, defaults: Mapping[str, int | None]
) -> tuple[str, int | str | None, int | None]:
    """The page argument a connection field is given (`first`, or `last` paging backwards), its
    value or variable name, and the variable's default."""
    for argument in node.arguments or ():
        name = argument.name.value
        if name not in ("first", "last"):
            continue
        value = argument.value
        if isinstance(value, IntValueNode):
            return name, int(value.value), None
        if isinstance(value, VariableNode):
            return name, value.name.value, defaults.get(value.name.value)
    return "first", None, None


def page_size_of(node: Plan, variables: Mapping[str, Any] | None) -> Any:
    """What `first` of a connection node is for `variables`: a number, or None when not given."""
    count: Any = node.times
    if isinstance(count, str):
        given = (variables or {}).get(count, node.default)
        count = node.default if given is None else given
    return count


def oversized_page(
    plan: Plan, variables: Mapping[str, Any] | None, page_size: int
) -> tuple[str, int] | None:
    """The first page argument of `plan` outside 0..`page_size` for `variables` (its name and
    value), or None; each node is looked at once, so it takes no longer than `evaluate`."""
    seen: set[int] = set()
    pending = [plan]
    while pending:
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.page:
            count = page_size_of(node, variables)
            valid = isinstance(count, int) and not isinstance(count, bool)
            if valid and not 0 <= count <= page_size:
                return node.page, int(count)
        pending.extend(node.children)
    return None


def evaluate(plan: Plan, variables: Mapping[str, Any] | None, page_size: int) -> int:
    """The cost of `plan` for a request's `variables`; each node is computed once."""
    known: dict[int, int] = {}

    def times(node: Plan) -> int:
        count = page_size_of(node, variables)
        if isinstance(count, list):  # `nodes(ids: $ids)`: as many as it names
            count = len(count)
        if count is None:
            return page_size
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= page_size:
            return page_size  # refused before execution (`oversized_page`)
        return count

    def cost(node: Plan) -> int:
        key = id(node)
        if key not in known:
            known[key] = node.base + times(node) * sum(cost(child) for child in node.children)
        return known[key]

    return cost(plan)


__all__ = [
    "CONNECTION_COST",
    "MUTATION_COST",
    "OBJECT_COST",
    "QUERY_TOO_EXPENSIVE",
    "Cost",
    "Plan",
    "evaluate",
    "oversized_page",
    "page_size_of",
    "plan_operation",
]
