"""Running compiled plans: values read, resolvers called, results completed by graphql-core's
rules (`plans.py` compiles them)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable
from typing import Any

from graphql import (
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    Undefined,
)
from graphql.execution.executor import invalid_return_type_error
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path, is_iterable
from graphql.pyutils.gather_with_cancel import gather_with_cancel
from strawberry import relay
from strawberry.relay import GlobalID
from strawberry.relay.utils import to_base64

from merchantops.api.graphql.core.execution.plans import (
    ATTR,
    DELEGATE,
    LEAF,
    NODE_RESOLVE_ID,
    NODE_RESOLVE_TYPENAME,
    OBJECT,
    PLAIN,
    PLANS_KEPT,
    RELAY_ID,
    RESOLVE,
    TYPENAME,
    VALUE,
    Completion,
    FieldPlan,
    Plan,
    PlanCompiler,
    Uncompilable,
    awaitable,
)


class CompiledExecutor(PlanCompiler):
    _plans: OrderedDict[tuple[int, int], tuple[OperationDefinitionNode, Plan | None]] = (
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

    def _plan(self) -> Plan | None:
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
            plan: Plan | None = self._compile(operation)
        except Uncompilable:
            plan = None
        plans[key] = (operation, plan)
        if len(plans) > PLANS_KEPT:
            plans.popitem(last=False)
        return plan

    # ---- running -------------------------------------------------------------------------

    def _execute_fields(self, plans: tuple[FieldPlan, ...], source: Any, path: Path | None) -> Any:
        results: dict[str, Any] = {}
        awaiting: list[str] | None = None
        try:
            for plan in plans:
                if plan.inline:
                    value = self._inline_leaf(plan, source, path)
                else:
                    value = self._execute_field(plan, source, path)
                results[plan.key] = value
                if type(value) not in PLAIN and awaitable(value):
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

    def _inline_leaf(self, plan: FieldPlan, source: Any, path: Path | None) -> Any:
        """A leaf field without a resolver call: read, check, coerce (graphql-core's rules)."""
        try:
            mode = plan.mode
            if mode is ATTR:
                value = getattr(source, plan.attr)
            elif mode is TYPENAME:
                return plan.parent_name
            elif mode is VALUE:
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
            if kind not in PLAIN and awaitable(value):
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

    def _execute_field(self, plan: FieldPlan, source: Any, parent_path: Path | None) -> Any:
        mode = plan.mode
        if mode is TYPENAME:
            return plan.parent_name
        if mode is DELEGATE:
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
            if completion.kind is LEAF and mode is not RESOLVE
            else Path(parent_path, plan.key, plan.parent_name)
        )
        try:
            if mode is ATTR:
                result = getattr(source, plan.attr)
            elif mode is VALUE:
                if plan.base is None:
                    result = getattr(source, plan.attr)
                else:
                    result = plan.base(source) if plan.takes_self else plan.base()
                context = self.context_value
                for extension in plan.extensions:
                    result = extension.transform(source, result, context)
            elif mode is RELAY_ID:
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

    def _relay_id(self, plan: FieldPlan, source: Any, parent_path: Path | None) -> Any:
        kind = type(source)
        attrs = plan.relay_attrs
        attr = attrs.get(kind, "")
        if attr == "":
            attr = None
            if (
                isinstance(source, relay.Node)
                and getattr(kind.resolve_id, "__func__", None) is NODE_RESOLVE_ID
                and getattr(kind.resolve_typename, "__func__", None) is NODE_RESOLVE_TYPENAME
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

    def _info(self, plan: FieldPlan, path: Path) -> Any:
        return self.build_resolve_info(plan.field_def, plan.nodes, plan.parent_type, path)

    def _complete(
        self, completion: Completion, plan: FieldPlan, result: Any, path: Path | None
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
        if kind is LEAF:
            named = completion.named
            coerced = named.coerce_output_value(result)
            if coerced is None or coerced is Undefined:
                self.complete_leaf_value(named, result)  # raises graphql-core's TypeError
            return coerced
        assert path is not None
        if kind is OBJECT:
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
        self, completion: Completion, plan: FieldPlan, result: Any, path: Path
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

    async def _complete_awaitable(self, plan: FieldPlan, result: Any, path: Path) -> Any:
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
        self, completed: Awaitable[Any], plan: FieldPlan, graphql_type: Any, path: Path
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


__all__ = ["CompiledExecutor", "QuietExecutor"]
