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

from merchantops.api.graphql.core.execution.executor import CompiledExecutor, QuietExecutor
from merchantops.api.graphql.core.execution.plans import ValueExtension

__all__ = ["CompiledExecutor", "QuietExecutor", "ValueExtension"]
