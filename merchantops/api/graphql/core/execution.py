"""Compiled execution of query operations: the read path without graphql-core's per-field cost.

graphql-core resolves every field of every object through its general machinery: a `Path`, a
`GraphQLResolveInfo`, the argument values, strawberry's resolver wrapper (an `Info`, argument
conversion, the field-extension chain), then `complete_value`'s type dispatch. A page of 50
products with 8 fields is some 500 such resolutions and most of a request's time.

`CompiledExecutor` (the schema's execution context class) compiles a query operation once, the
first time it runs, into a tree of field plans (selection sets collected by graphql-core's own
`collect_fields`, fields looked up, types unwrapped) kept with the operation's AST, and runs the
plan:

- a field strawberry resolves by reading an attribute (a "basic" field) is a `getattr`;
- a relay `id` of a `Node` keeping strawberry's `resolve_id`/`resolve_typename` is built from
  the attribute strawberry would read;
- a sync resolver taking only `self` (no arguments, no `info`) is called directly and its
  `ValueExtension`s (the masking of classified fields) applied to the value;
- every other field goes through its resolver exactly as graphql-core calls it, with a real
  `GraphQLResolveInfo` and argument values;
- values are completed by graphql-core's rules (non-null, lists, leaves by
  `coerce_output_value`, `is_type_of`), awaitables gathered concurrently as graphql-core gathers
  them (so DataLoaders still batch a list's loads), errors located and propagated by the
  executor's own `handle_field_error`, so data and errors are the same as graphql-core's.

Not compiled, run by graphql-core unchanged: mutations and subscriptions, operations using
directives or fragment variables, executions with middleware, hooks or an abort signal, and a
schema with exception handlers (the fast field modes would skip them). Fields of an abstract
type (interfaces, unions) and introspection fields are delegated one by one to graphql-core's
`execute_field`. `tests/unit/test_compiled_execution.py` (a small schema, every error case) and
`tests/integration/test_compiled_execution_api.py` (generated queries over the whole schema) run
operations through both executors and compare the results.

Assumed, as graphql-core's own fast paths do: a value whose type has no `__await__` is not
awaitable (graphql-core also asks the instance), and a leaf scalar's serializer never returns an
awaitable.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from types import CoroutineType, GeneratorType
from typing import Any, Final

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLField,
    GraphQLObjectType,
    GraphQLOutputType,
    OperationDefinitionNode,
    OperationType,
    Undefined,
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
from graphql.execution.executor import invalid_return_type_error
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path, is_iterable
from graphql.pyutils.gather_with_cancel import gather_with_cancel
from strawberry import relay
from strawberry.execution import optimized_is_awaitable
from strawberry.relay import GlobalID
from strawberry.relay.utils import to_base64
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.field import StrawberryField

_DEFINITION = "strawberry-definition"
_PLANS_KEPT: Final = 1000

# How a field's value is obtained.
_ATTR: Final = 0  # getattr(source, attr)
_TYPENAME: Final = 1  # the parent type's name
_VALUE: Final = 2  # a sync self-only resolver, then its value extensions
_RELAY_ID: Final = 3  # a relay Node's global id
_RESOLVE: Final = 4  # the field's resolver with a full GraphQLResolveInfo
_DELEGATE: Final = 5  # graphql-core's execute_field

# How a value is completed (after the non-null check).
_LEAF: Final = 0
_OBJECT: Final = 1
_LIST: Final = 2


# Types whose values are never awaitable (graphql-core asks `hasattr(value, "__await__")` of each
# value; a type without `__await__` answers once, so a page of leaves skips the question).
_PLAIN: set[type] = {
    type(None), bool, int, float, str, bytes, list, tuple, dict, set, frozenset
}  # fmt: skip


def _awaitable(value: Any) -> bool:
    if optimized_is_awaitable(value):
        return True
    kind = type(value)
    if not issubclass(kind, CoroutineType | GeneratorType) and not hasattr(kind, "__await__"):
        _PLAIN.add(kind)
    return False


class ValueExtension:
    """A field extension whose whole effect is a function of the resolved value.

    Strawberry calls `resolve(next_, source, info)`; compiled execution calls
    `transform(source, value, context)` instead, so the two must agree (masking does both)."""

    def transform(self, source: Any, value: Any, context: Any) -> Any:
        raise NotImplementedError


class _Completion:
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
        self.kind = _LEAF
        self.item: _Completion | None = None
        self.fields: tuple[_FieldPlan, ...] = ()
        self.type_check: Callable[[Any, Any], Any] | None = None
        self.uses_info = True
        if is_list_type(named):
            self.kind = _LIST
        elif is_object_type(named):
            self.kind = _OBJECT
            check = named.is_type_of
            self.type_check = check
            # strawberry's generated check (types with interfaces) ignores its info argument
            self.uses_info = check is not None and not (
                check.__module__ == "strawberry.schema.schema_converter"
                and check.__qualname__.endswith("_get_is_type_of.<locals>.is_type_of")
            )


class _FieldPlan:
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
        self.mode = _RESOLVE
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


class _Plan:
    __slots__ = ("fields",)

    def __init__(self, fields: tuple[_FieldPlan, ...]):
        self.fields = fields


class _Uncompilable(Exception):
    pass


def _uses_directives(operation: OperationDefinitionNode, fragments: Iterable[Any]) -> bool:
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


_NODE_ID = relay.Node.__dict__["_id"].__func__
_NODE_RESOLVE_ID = relay.Node.resolve_id.__func__  # type: ignore[attr-defined]
_NODE_RESOLVE_TYPENAME = relay.Node.resolve_typename.__func__  # type: ignore[attr-defined]


class CompiledExecutor(StrawberryGraphQLCoreExecutionContext):
    _plans: OrderedDict[tuple[int, int], tuple[OperationDefinitionNode, _Plan | None]] = (
        OrderedDict()
    )

    # ---- entry ---------------------------------------------------------------------------

    def execute_operation(self, serially: bool | None = None) -> Any:
        plan = self._plan() if serially is None else None
        if plan is None:
            return super().execute_operation(serially)
        try:
            data = self._execute_fields(plan.fields, self.root_value, None)
        except GraphQLError as error:
            self.collected_errors.add(error, None)
            return self.build_response(None)
        if self.is_awaitable(data):

            async def await_data() -> Any:
                try:
                    awaited = await data
                except GraphQLError as error:
                    self.collected_errors.add(error, None)
                    return self.build_response(None)
                return self.build_response(awaited)

            return await_data()
        return self.build_response(data)

    def _plan(self) -> _Plan | None:
        operation = self.operation
        if (
            operation.operation is not OperationType.QUERY
            or self.abort_signal is not None
            or self.hooks is not None
            or (
                self.middleware_manager is not None
                and self.middleware_manager._middleware_resolvers is not None
            )
        ):
            return None
        key = (id(self.schema), id(operation))
        plans = CompiledExecutor._plans
        known = plans.get(key)
        if known is not None and known[0] is operation:
            plans.move_to_end(key)
            return known[1]
        try:
            plan: _Plan | None = self._compile(operation)
        except _Uncompilable:
            plan = None
        plans[key] = (operation, plan)
        if len(plans) > _PLANS_KEPT:
            plans.popitem(last=False)
        return plan

    # ---- compiling ---------------------------------------------------------------------

    def _compile(self, operation: OperationDefinitionNode) -> _Plan:
        strawberry_schema = getattr(self.schema, "_strawberry_schema", None)
        if strawberry_schema is None or strawberry_schema.exception_handlers:
            raise _Uncompilable
        if _uses_directives(operation, self.fragment_definitions.values()):
            raise _Uncompilable
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
        return _Plan(self._compile_fields(root_type, grouped))

    def _compile_fields(
        self, parent_type: GraphQLObjectType, grouped: dict[str, list[FieldDetails]]
    ) -> tuple[_FieldPlan, ...]:
        plans = []
        for key, details in grouped.items():
            plan = _FieldPlan(key, parent_type, details)
            field_def = self.schema.get_field(parent_type, plan.field_name)
            if field_def is None:
                continue  # graphql-core leaves it out of the result too
            plan.field_def = field_def
            plan.return_type = field_def.type
            plan.resolve = field_def.resolve or self.field_resolver
            plan.has_args = bool(field_def.args or plan.node.arguments)
            self._choose_mode(plan, field_def)
            if plan.mode is not _DELEGATE and plan.mode is not _TYPENAME:
                plan.completion = self._compile_completion(field_def.type, details)
                if plan.completion is None:
                    plan.mode = _DELEGATE
                elif plan.completion.kind is _LEAF and plan.mode is not _RESOLVE:
                    plan.inline = True
                    plan.leaf_type = plan.completion.named
                    plan.non_null = plan.completion.non_null
                    if plan.mode is _RELAY_ID:
                        sample = GlobalID(type_name=plan.parent_name, node_id="1")
                        coerce = plan.leaf_type.coerce_output_value
                        plan.relay_string = coerce(sample) == coerce(str(sample)) == str(sample)
            plans.append(plan)
        return tuple(plans)

    def _compile_completion(
        self, graphql_type: GraphQLOutputType, details: list[FieldDetails]
    ) -> _Completion | None:
        completion = _Completion(graphql_type)
        named = completion.named
        if completion.kind is _LIST:
            completion.item = self._compile_completion(named.of_type, details)
            return completion if completion.item is not None else None
        if completion.kind is _OBJECT:
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

    def _choose_mode(self, plan: _FieldPlan, field_def: GraphQLField) -> None:
        name = plan.field_name
        if name == "__typename":
            plan.mode = _TYPENAME
            return
        if name.startswith("__"):
            plan.mode = _DELEGATE
            return
        field = (field_def.extensions or {}).get(_DEFINITION)
        resolve = field_def.resolve
        if not isinstance(field, StrawberryField) or resolve is None:
            return
        if getattr(resolve, "_is_default", False) and not field.extensions:
            # strawberry marks an attribute field's resolver default even when extensions
            # (masking) wrap it: those take the `_VALUE` path below.
            if field.default_resolver is getattr and field.python_name:
                plan.mode, plan.attr = _ATTR, field.python_name
            return
        if field.is_async or plan.has_args:
            return
        resolver = field.base_resolver
        if resolver is not None and resolver._unbound_wrapped_func is _NODE_ID:
            if not field.extensions:
                plan.mode = _RELAY_ID
            return
        extensions = [extension for extension in field.extensions if extension.has_resolver]
        if not all(isinstance(extension, ValueExtension) for extension in extensions):
            return
        if resolver is None:
            if field.default_resolver is getattr and field.python_name:
                plan.mode, plan.attr = _VALUE, field.python_name
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
        plan.mode = _VALUE
        plan.base = resolver.wrapped_func
        plan.takes_self = resolver.self_parameter is not None
        plan.extensions = tuple(e for e in extensions if isinstance(e, ValueExtension))

    # ---- running -------------------------------------------------------------------------

    def _execute_fields(self, plans: tuple[_FieldPlan, ...], source: Any, path: Path | None) -> Any:
        results: dict[str, Any] = {}
        awaiting: list[str] | None = None
        try:
            for plan in plans:
                if plan.inline:
                    value = self._inline_leaf(plan, source, path)
                else:
                    value = self._execute_field(plan, source, path)
                results[plan.key] = value
                if type(value) not in _PLAIN and _awaitable(value):
                    if awaiting is None:
                        awaiting = []
                    awaiting.append(plan.key)
        except Exception:
            if awaiting:
                self.settle_in_background([results[key] for key in awaiting])
            raise
        if awaiting is None:
            return results
        pending = awaiting

        async def get_results() -> dict[str, Any]:
            if len(pending) == 1:
                results[pending[0]] = await results[pending[0]]
            else:
                awaited = await gather_with_cancel(*(results[key] for key in pending))
                results.update(zip(pending, awaited, strict=True))
            return results

        return get_results()

    def _inline_leaf(self, plan: _FieldPlan, source: Any, path: Path | None) -> Any:
        """A leaf field without a resolver call: read, check, coerce (graphql-core's rules)."""
        try:
            mode = plan.mode
            if mode is _ATTR:
                value = getattr(source, plan.attr)
            elif mode is _TYPENAME:
                return plan.parent_name
            elif mode is _VALUE:
                base = plan.base
                if base is None:
                    value = getattr(source, plan.attr)
                else:
                    value = base(source) if plan.takes_self else base()
                context = self.context_value
                for extension in plan.extensions:
                    value = extension.transform(source, value, context)
            else:
                value = self._relay_id(plan, source, path)
            kind = type(value)
            if kind not in _PLAIN and _awaitable(value):
                return self._complete_awaitable(plan, value, Path(path, plan.key, plan.parent_name))
            if value is None or value is Undefined:
                if plan.non_null:
                    raise TypeError(
                        "Cannot return null for non-nullable field"
                        f" {plan.parent_type}.{plan.field_name}."
                    )
                return None
            if isinstance(value, Exception):
                raise value
            coerced = plan.leaf_type.coerce_output_value(value)
            if coerced is None or coerced is Undefined:
                self.complete_leaf_value(plan.leaf_type, value)  # raises graphql-core's TypeError
            return coerced
        except Exception as raw_error:
            self.handle_field_error(
                raw_error, plan.return_type, plan.details, Path(path, plan.key, plan.parent_name)
            )
            return None

    def _execute_field(self, plan: _FieldPlan, source: Any, parent_path: Path | None) -> Any:
        mode = plan.mode
        if mode is _TYPENAME:
            return plan.parent_name
        if mode is _DELEGATE:
            return self.execute_field(
                plan.parent_type,
                source,
                plan.details,
                Path(parent_path, plan.key, plan.parent_name),
                None,
            )
        completion = plan.completion
        path = (
            None
            if completion.kind is _LEAF and mode is not _RESOLVE
            else Path(parent_path, plan.key, plan.parent_name)
        )
        try:
            if mode is _ATTR:
                result = getattr(source, plan.attr)
            elif mode is _VALUE:
                if plan.base is None:
                    result = getattr(source, plan.attr)
                else:
                    result = plan.base(source) if plan.takes_self else plan.base()
                context = self.context_value
                for extension in plan.extensions:
                    result = extension.transform(source, result, context)
            elif mode is _RELAY_ID:
                result = self._relay_id(plan, source, parent_path)
            else:
                if path is None:
                    path = Path(parent_path, plan.key, plan.parent_name)
                info = self.build_resolve_info(plan.field_def, plan.nodes, plan.parent_type, path)
                args = (
                    get_argument_values(
                        plan.field_def,
                        plan.node,
                        self.variable_values,
                        plan.fragment_variables,
                        self.hide_suggestions,
                    )
                    if plan.has_args
                    else {}
                )
                result = plan.resolve(source, info, **args)
            if self.is_awaitable(result):
                if path is None:
                    path = Path(parent_path, plan.key, plan.parent_name)
                return self._complete_awaitable(plan, result, path)
            completed = self._complete(completion, plan, result, path)
            if self.is_awaitable(completed):
                if path is None:  # pragma: no cover - leaves never complete to awaitables
                    path = Path(parent_path, plan.key, plan.parent_name)
                return self._await_completed(completed, plan, completion.graphql_type, path)
            return completed
        except Exception as raw_error:
            if path is None:
                path = Path(parent_path, plan.key, plan.parent_name)
            self.handle_field_error(raw_error, plan.return_type, plan.details, path)
            return None

    def _relay_id(self, plan: _FieldPlan, source: Any, parent_path: Path | None) -> Any:
        kind = type(source)
        attrs = plan.relay_attrs
        attr = attrs.get(kind, "")
        if attr == "":
            attr = None
            if (
                isinstance(source, relay.Node)
                and getattr(kind.resolve_id, "__func__", None) is _NODE_RESOLVE_ID
                and getattr(kind.resolve_typename, "__func__", None) is _NODE_RESOLVE_TYPENAME
            ):
                attr = kind.resolve_id_attr()
            attrs[kind] = attr
        if attr is not None:
            node_id = getattr(source, attr)
            if node_id is not None and not self.is_awaitable(node_id):
                if plan.relay_string:  # what coercing the GlobalID would give
                    return to_base64(plan.parent_name, str(node_id))
                return GlobalID(type_name=plan.parent_name, node_id=str(node_id))
        # anything unusual: strawberry's own resolver, with its checks and errors
        path = Path(parent_path, plan.key, plan.parent_name)
        info = self.build_resolve_info(plan.field_def, plan.nodes, plan.parent_type, path)
        return plan.resolve(source, info)

    def _info(self, plan: _FieldPlan, path: Path) -> Any:
        return self.build_resolve_info(plan.field_def, plan.nodes, plan.parent_type, path)

    def _complete(
        self, completion: _Completion, plan: _FieldPlan, result: Any, path: Path | None
    ) -> Any:
        if isinstance(result, Exception):
            raise result
        if result is None or result is Undefined:
            if completion.non_null:
                raise TypeError(
                    "Cannot return null for non-nullable field"
                    f" {plan.parent_type}.{plan.field_name}."
                )
            return None
        kind = completion.kind
        if kind is _LEAF:
            named = completion.named
            coerced = named.coerce_output_value(result)
            if coerced is None or coerced is Undefined:
                self.complete_leaf_value(named, result)  # raises graphql-core's TypeError
            return coerced
        assert path is not None
        if kind is _OBJECT:
            check = completion.type_check
            if check is not None:
                verdict = check(result, self._info(plan, path) if completion.uses_info else None)
                if self.is_awaitable(verdict):
                    return self.complete_object_value(
                        completion.named, plan.details, self._info(plan, path), path, result, None
                    )
                if not verdict:
                    raise invalid_return_type_error(completion.named, result, plan.details)
            return self._execute_fields(completion.fields, result, path)
        return self._complete_list(completion, plan, result, path)

    def _complete_list(
        self, completion: _Completion, plan: _FieldPlan, result: Any, path: Path
    ) -> Any:
        if self.is_async_iterable(result):
            return self.complete_list_value(
                completion.named,
                plan.details,
                self._info(plan, path),
                path,
                result,
                None,
            )
        if not is_iterable(result):
            raise GraphQLError(
                "Expected Iterable, but did not find one for field"
                f" '{plan.parent_type}.{plan.field_name}'."
            )
        item: Any = completion.item
        item_type = item.graphql_type
        is_awaitable = self.is_awaitable
        completed: list[Any] = []
        awaiting: list[int] | None = None
        index = 0
        try:
            for value in result:
                item_path = Path(path, index, None)
                if is_awaitable(value):
                    completed.append(
                        self.complete_awaitable_list_item_value(
                            value, item_type, plan.details, self._info(plan, path), item_path, None
                        )
                    )
                    awaiting = [*(awaiting or ()), index]
                else:
                    try:
                        done = self._complete(item, plan, value, item_path)
                        if is_awaitable(done):
                            done = self._await_completed(done, plan, item_type, item_path)
                            awaiting = [*(awaiting or ()), index]
                        completed.append(done)
                    except Exception as raw_error:
                        self.handle_field_error(raw_error, item_type, plan.details, item_path)
                        completed.append(None)
                index += 1
        except Exception:
            if awaiting:
                self.settle_in_background([completed[position] for position in awaiting])
            raise
        if awaiting is None:
            return completed
        pending = awaiting

        async def get_completed() -> list[Any]:
            if len(pending) == 1:
                completed[pending[0]] = await completed[pending[0]]
            else:
                awaited = await gather_with_cancel(*(completed[position] for position in pending))
                for position, value in zip(pending, awaited, strict=True):
                    completed[position] = value
            return completed

        return get_completed()

    async def _complete_awaitable(self, plan: _FieldPlan, result: Any, path: Path) -> Any:
        try:
            resolved = await result
            completed = self._complete(plan.completion, plan, resolved, path)
            if self.is_awaitable(completed):
                completed = await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, plan.return_type, plan.details, path)
            return None
        return completed

    async def _await_completed(
        self, completed: Awaitable[Any], plan: _FieldPlan, graphql_type: Any, path: Path
    ) -> Any:
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, graphql_type, plan.details, path)
            return None


class QuietExecutor(CompiledExecutor):
    """`CompiledExecutor` whose errors suggest no names ("Did you mean 'first'?"): production's,
    so that a schema with introspection off is not handed out one suggestion at a time."""

    @classmethod
    def build(cls, *args: Any, **kwargs: Any) -> Any:
        return super().build(*args, **{**kwargs, "hide_suggestions": True})


__all__ = ["CompiledExecutor", "QuietExecutor", "ValueExtension"]
