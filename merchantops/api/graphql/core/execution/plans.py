"""Compiling a query operation into field plans: how each field gets its value and how the
value is completed (`executor.py` runs them). The package's docstring says what is compiled."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import CoroutineType, GeneratorType
from typing import Any, Final

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLField,
    GraphQLObjectType,
    GraphQLOutputType,
    OperationDefinitionNode,
    Visitor,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
    visit,
)
from graphql.execution.collect_fields import (
    FieldDetails,
    collect_fields,
    collect_subfields,
)
from strawberry import relay
from strawberry.execution import optimized_is_awaitable
from strawberry.relay import GlobalID
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.field import StrawberryField

DEFINITION = "strawberry-definition"
PLANS_KEPT: Final = 1000

# How a field's value is obtained.
ATTR: Final = 0  # getattr(source, attr)
TYPENAME: Final = 1  # the parent type's name
VALUE: Final = 2  # a sync self-only resolver, then its value extensions
RELAY_ID: Final = 3  # a relay Node's global id
RESOLVE: Final = 4  # the field's resolver with a full GraphQLResolveInfo
DELEGATE: Final = 5  # graphql-core's execute_field

# How a value is completed (after the non-null check).
LEAF: Final = 0
OBJECT: Final = 1
LIST: Final = 2


# Types whose values are never awaitable (graphql-core asks `hasattr(value, "__await__")` of each
# value; a type without `__await__` answers once, so a page of leaves skips the question).
PLAIN: set[type] = {
    type(None), bool, int, float, str, bytes, list, tuple, dict, set, frozenset
}  # fmt: skip


def awaitable(value: Any) -> bool:
    if optimized_is_awaitable(value):
        return True
    kind = type(value)
    if not issubclass(kind, CoroutineType | GeneratorType) and not hasattr(kind, "__await__"):
        PLAIN.add(kind)
    return False


class ValueExtension:
    """A field extension whose whole effect is a function of the resolved value.

    Strawberry calls `resolve(next_, source, info)`; compiled execution calls
    `transform(source, value, context)` instead, so the two must agree (masking does both)."""

    def transform(self, source: Any, value: Any, context: Any) -> Any:
        raise NotImplementedError


class Completion:
    __slots__ = (
        "fields",
        "graphql_type",
        "item",
        "kind",
        "named",
        "non_null",
        "type_check",
        "uses_info",
    )

    def __init__(self, graphql_type: GraphQLOutputType) -> None:
        self.graphql_type = graphql_type  # with its NonNull wrapper, if any
        self.non_null = is_non_null_type(graphql_type)
        named: Any = graphql_type.of_type if self.non_null else graphql_type  # type: ignore[union-attr]
        self.named = named
        self.kind = LEAF
        self.item: Completion | None = None
        self.fields: tuple[FieldPlan, ...] = ()
        self.type_check: Callable[[Any, Any], Any] | None = None
        self.uses_info = True
        if is_list_type(named):
            self.kind = LIST
        elif is_object_type(named):
            self.kind = OBJECT
            check = named.is_type_of
            self.type_check = check
            # strawberry's generated check (types with interfaces) ignores its info argument
            self.uses_info = check is not None and not (
                check.__module__ == "strawberry.schema.schema_converter"
                and check.__qualname__.endswith("_get_is_type_of.<locals>.is_type_of")
            )


class FieldPlan:
    __slots__ = (
        "attr",
        "base",
        "completion",
        "details",
        "extensions",
        "field_def",
        "field_name",
        "fragment_variables",
        "has_args",
        "inline",
        "key",
        "leaf_type",
        "mode",
        "node",
        "nodes",
        "non_null",
        "parent_name",
        "parent_type",
        "relay_attrs",
        "relay_string",
        "resolve",
        "return_type",
        "takes_self",
    )

    def __init__(self, key: str, parent_type: GraphQLObjectType, details: list[FieldDetails]):
        self.key = key
        self.parent_type = parent_type
        self.parent_name = parent_type.name
        self.details = details
        self.node: FieldNode = details[0].node
        self.nodes = [detail.node for detail in details]
        self.fragment_variables = details[0].fragment_variable_values
        self.field_name = self.node.name.value
        self.mode = RESOLVE
        self.attr = ""
        self.base: Callable[..., Any] | None = None
        self.takes_self = False
        self.extensions: tuple[ValueExtension, ...] = ()
        self.relay_attrs: dict[type, str | None] = {}
        self.relay_string = False  # the id's scalar writes a GlobalID as its base64 string
        # Typed loosely: set once compiled, read on the hot path without checks or casts.
        self.completion: Any = None
        self.has_args = False
        self.resolve: Any = None
        self.field_def: Any = None
        self.return_type: Any = None
        # a leaf read without an info object: completed inline by _execute_fields
        self.inline = False
        self.leaf_type: Any = None
        self.non_null = False


class Plan:
    __slots__ = ("fields",)

    def __init__(self, fields: tuple[FieldPlan, ...]):
        self.fields = fields


class Uncompilable(Exception):
    pass


def uses_directives(operation: OperationDefinitionNode, fragments: Iterable[Any]) -> bool:
    found = False

    class Finder(Visitor):
        def enter_directive(self, *_: Any) -> Any:
            nonlocal found
            found = True
            return Visitor.BREAK

    visit(operation, Finder())
    for fragment in fragments:
        if isinstance(fragment, FragmentDefinitionNode):
            if fragment.variable_definitions:
                return True
            visit(fragment, Finder())
    return found


NODE_ID = relay.Node.__dict__["_id"].__func__
NODE_RESOLVE_ID = relay.Node.resolve_id.__func__  # type: ignore[attr-defined]
NODE_RESOLVE_TYPENAME = relay.Node.resolve_typename.__func__  # type: ignore[attr-defined]


class PlanCompiler(StrawberryGraphQLCoreExecutionContext):
    """The compiling half of `CompiledExecutor`."""

    def _compile(self, operation: OperationDefinitionNode) -> Plan:
        strawberry_schema = getattr(self.schema, "_strawberry_schema", None)
        if strawberry_schema is None or strawberry_schema.exception_handlers:
            raise Uncompilable
        if uses_directives(operation, self.fragment_definitions.values()):
            raise Uncompilable
        root_type = self.schema.query_type
        assert root_type is not None
        grouped, _, _ = collect_fields(
            self.schema,
            self.fragments,
            self.variable_values,
            root_type,
            operation,
            self.hide_suggestions,
        )
        return Plan(self._compile_fields(root_type, grouped))

    def _compile_fields(
        self, parent_type: GraphQLObjectType, grouped: dict[str, list[FieldDetails]]
    ) -> tuple[FieldPlan, ...]:
        plans = []
        for key, details in grouped.items():
            plan = FieldPlan(key, parent_type, details)
            field_def = self.schema.get_field(parent_type, plan.field_name)
            if field_def is None:
                continue  # graphql-core leaves it out of the result too
            plan.field_def = field_def
            plan.return_type = field_def.type
            plan.resolve = field_def.resolve or self.field_resolver
            plan.has_args = bool(field_def.args or plan.node.arguments)
            self._choose_mode(plan, field_def)
            if plan.mode is not DELEGATE and plan.mode is not TYPENAME:
                plan.completion = self._compile_completion(field_def.type, details)
                if plan.completion is None:
                    plan.mode = DELEGATE
                elif plan.completion.kind is LEAF and plan.mode is not RESOLVE:
                    plan.inline = True
                    plan.leaf_type = plan.completion.named
                    plan.non_null = plan.completion.non_null
                    if plan.mode is RELAY_ID:
                        sample = GlobalID(type_name=plan.parent_name, node_id="1")
                        coerce = plan.leaf_type.coerce_output_value
                        plan.relay_string = coerce(sample) == coerce(str(sample)) == str(sample)
            plans.append(plan)
        return tuple(plans)

    def _compile_completion(
        self, graphql_type: GraphQLOutputType, details: list[FieldDetails]
    ) -> Completion | None:
        completion = Completion(graphql_type)
        named = completion.named
        if completion.kind is LIST:
            completion.item = self._compile_completion(named.of_type, details)
            return completion if completion.item is not None else None
        if completion.kind is OBJECT:
            grouped, _, _ = collect_subfields(
                self.schema,
                self.fragments,
                self.variable_values,
                self.operation,
                named,
                details,
                self.hide_suggestions,
            )
            completion.fields = self._compile_fields(named, grouped)
            return completion
        if is_leaf_type(named):
            return completion
        return None  # an interface or union: graphql-core works out the runtime type

    def _choose_mode(self, plan: FieldPlan, field_def: GraphQLField) -> None:
        name = plan.field_name
        if name == "__typename":
            plan.mode = TYPENAME
            return
        if name.startswith("__"):
            plan.mode = DELEGATE
            return
        field = (field_def.extensions or {}).get(DEFINITION)
        resolve = field_def.resolve
        if not isinstance(field, StrawberryField) or resolve is None:
            return
        if getattr(resolve, "_is_default", False) and not field.extensions:
            # strawberry marks an attribute field's resolver default even when extensions
            # (masking) wrap it: those take the `VALUE` path below.
            if field.default_resolver is getattr and field.python_name:
                plan.mode, plan.attr = ATTR, field.python_name
            return
        if field.is_async or plan.has_args:
            return
        resolver = field.base_resolver
        if resolver is not None and resolver._unbound_wrapped_func is NODE_ID:
            if not field.extensions:
                plan.mode = RELAY_ID
            return
        extensions = [extension for extension in field.extensions if extension.has_resolver]
        if not all(isinstance(extension, ValueExtension) for extension in extensions):
            return
        if resolver is None:
            if field.default_resolver is getattr and field.python_name:
                plan.mode, plan.attr = VALUE, field.python_name
                plan.extensions = tuple(e for e in extensions if isinstance(e, ValueExtension))
            return
        if (
            resolver.info_parameter is not None
            or resolver.root_parameter is not None
            or resolver.parent_parameter is not None
            or resolver.arguments
            or not callable(resolver.wrapped_func)
        ):
            return
        plan.mode = VALUE
        plan.base = resolver.wrapped_func
        plan.takes_self = resolver.self_parameter is not None
        plan.extensions = tuple(e for e in extensions if isinstance(e, ValueExtension))


__all__ = ["FieldPlan", "Plan", "PlanCompiler", "ValueExtension"]
