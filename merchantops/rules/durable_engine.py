"""durable-rules behind our interface: documents compiled to rulesets, evaluated on one thread.

What the installed durable_rules 2.0.28 demands, and how this module meets it:
- an *event* is consumed by the first matching rule, so every evaluation asserts a *fact*
  under a fresh state id (`sid`) and deletes that state afterwards: every matching rule fires;
- a fact no rule matches raises `MessageNotHandledException`, keeps its state (1,024 of them
  and `assert_fact` raises MemoryError), and `delete_state` on it crashes the process: every
  ruleset gets a sentinel rule that matches every fact, so each fact is handled and deleted;
- a ruleset name cannot be registered twice: each compilation gets a fresh name;
- each loaded ruleset holds memory: rulesets are loaded lazily and the least recently used
  are unloaded (`delete_ruleset` of the C module) beyond `max_loaded`;
- `Host()` starts timer threads and the C core has no locks: `_QuietHost` starts none, and all
  engine calls run on one dedicated thread;
- `$mt` is a Lua pattern, not a regex: regex conditions are computed in Python into the fact;
- `$nex` on a missing field crashes the process: facts are flattened so that no field the
  rules name is ever missing (a kind code per path plus typed views), and comparisons check
  the kind, so that one holds only on a present value of the operand's kind, exactly as in
  `rules.reference`.
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

import durable_rules_engine
from durable.engine import Host, MessageNotHandledException

from merchantops.rules.document import AllOf, AnyOf, Compare, Condition, NotOf, RuleSetDocument
from merchantops.rules.reference import MISSING, _regex, is_number, lookup

T = TypeVar("T")
Expression = dict[str, Any]


MISSING_KIND, NUMBER_KIND, STRING_KIND, OTHER_KIND = 0, 1, 2, 3
# Every ruleset gets a rule that matches every fact: `delete_state` after a fact that matched
# no rule crashes the C core (SIGSEGV), and not deleting leaks states until MemoryError.
ALWAYS_RULE, ALWAYS_FIELD = "~always", "t_"


def _ignore(context: Any) -> None:
    return None


@dataclass
class CompiledRuleSet:
    """A document compiled to a durable-rules definition, plus how to prepare facts for it."""

    key: str
    rule_ids: list[str]
    expressions: dict[str, Expression]
    paths: dict[str, int] = field(default_factory=dict)
    regexes: list[tuple[str, str]] = field(default_factory=list)

    def prepare(self, fact: Mapping[str, Any]) -> dict[str, Any]:
        """The flat fact durable-rules sees.

        Every path gets a kind code `k<i>` (missing, number, string, other) and typed views
        `n<i>`/`s<i>` that are always present (placeholders when the kind differs): the C
        engine's `$nex` crashes the process on a missing field, so no field is ever missing.
        """
        flat: dict[str, Any] = {}
        for path, index in self.paths.items():
            value = lookup(fact, path)
            kind = (
                MISSING_KIND
                if value is MISSING
                else NUMBER_KIND
                if is_number(value)
                else STRING_KIND
                if isinstance(value, str)
                else OTHER_KIND
            )
            flat[f"k{index}"] = kind
            flat[f"n{index}"] = value if kind == NUMBER_KIND else 0
            flat[f"s{index}"] = value if kind == STRING_KIND else ""
        for index, (path, pattern) in enumerate(self.regexes):
            value = lookup(fact, path)
            matched = isinstance(value, str) and _regex(pattern).search(value) is not None
            flat[f"r{index}"] = 1 if matched else 0
        return flat


class _Compiler:
    """Documents to durable-rules expressions; `not` is pushed down to comparisons."""

    def __init__(self) -> None:
        self.paths: dict[str, int] = {}
        self.regexes: list[tuple[str, str]] = []

    def condition(self, node: Condition, negate: bool = False) -> Expression:
        if isinstance(node, NotOf):
            return self.condition(node.not_, not negate)
        if isinstance(node, AllOf | AnyOf):
            members = node.all if isinstance(node, AllOf) else node.any
            parts = [self.condition(part, negate) for part in members]
            conjunction = isinstance(node, AllOf) != negate  # De Morgan
            return {"$and" if conjunction else "$or": parts}
        return self.negated(node) if negate else self.compare(node)

    def _index(self, path: str) -> int:
        return self.paths.setdefault(path, len(self.paths))

    def _regex(self, node: Compare) -> str:
        self._index(node.fact)
        self.regexes.append((node.fact, node.operand))
        return f"r{len(self.regexes) - 1}"

    def _kind(self, index: int, operand: Any) -> tuple[str, int, str]:
        number = is_number(operand)
        view = f"n{index}" if number else f"s{index}"
        return f"k{index}", NUMBER_KIND if number else STRING_KIND, view

    def _eq(self, index: int, operand: Any) -> Expression:
        kind, code, view = self._kind(index, operand)
        return {"$and": [{kind: code}, {view: operand}]}

    def _not_eq(self, index: int, operand: Any) -> Expression:
        kind, code, view = self._kind(index, operand)
        return {"$or": [{"$neq": {kind: code}}, {"$neq": {view: operand}}]}

    def compare(self, node: Compare) -> Expression:
        op, operand, index = node.operator, node.operand, self._index(node.fact)
        kind = f"k{index}"
        if op == "exists":
            return {"$neq": {kind: MISSING_KIND}} if operand else {kind: MISSING_KIND}
        if op == "matches":
            return {self._regex(node): 1}
        if op == "eq":
            return self._eq(index, operand)
        if op == "ne":
            kind, code, view = self._kind(index, operand)
            return {"$and": [{kind: code}, {"$neq": {view: operand}}]}
        if op in ("gt", "gte", "lt", "lte"):
            return {"$and": [{kind: NUMBER_KIND}, {f"${op}": {f"n{index}": operand}}]}
        if op == "in":
            return {"$or": [self._eq(index, item) for item in operand]}
        if op == "not_in":
            scalar = {"$or": [{kind: NUMBER_KIND}, {kind: STRING_KIND}]}
            return {"$and": [scalar, *(self._not_eq(index, item) for item in operand)]}
        raise AssertionError(op)

    def negated(self, node: Compare) -> Expression:
        """`not` of a comparison: it also holds where the comparison could not apply."""
        op, operand, index = node.operator, node.operand, self._index(node.fact)
        kind = f"k{index}"
        if op == "exists":
            return {kind: MISSING_KIND} if operand else {"$neq": {kind: MISSING_KIND}}
        if op == "matches":
            return {self._regex(node): 0}
        if op == "eq":
            return self._not_eq(index, operand)
        if op == "ne":
            kind, code, view = self._kind(index, operand)
            return {"$or": [{"$neq": {kind: code}}, {view: operand}]}
        if op in ("gt", "gte", "lt", "lte"):
            opposite = {"gt": "$lte", "gte": "$lt", "lt": "$gte", "lte": "$gt"}[op]
            return {"$or": [{"$neq": {kind: NUMBER_KIND}}, {opposite: {f"n{index}": operand}}]}
        if op == "in":
            return {"$and": [self._not_eq(index, item) for item in operand]}
        if op == "not_in":
            not_scalar = {"$and": [{"$neq": {kind: NUMBER_KIND}}, {"$neq": {kind: STRING_KIND}}]}
            return {"$or": [not_scalar, *(self._eq(index, item) for item in operand)]}
        raise AssertionError(op)


MAX_ALTERNATIVES = 64


class TooComplex(ValueError):
    def __init__(self, rule_id: str, alternatives: int) -> None:
        super().__init__(
            f"rule '{rule_id}' expands to {alternatives} alternatives; at most "
            f"{MAX_ALTERNATIVES} are allowed: split it into several rules"
        )
        self.rule_id = rule_id


def _dnf(expression: Expression, limit: int) -> list[list[Expression]]:
    """The expression as alternatives of conjunctions of plain comparisons.

    Nested `$or` inside `$and` makes the C core fail to create the ruleset (error 113), so
    each alternative becomes a rule of its own holding only an `$and` of comparisons."""
    if "$or" in expression:
        alternatives = [alt for part in expression["$or"] for alt in _dnf(part, limit)]
    elif "$and" in expression:
        alternatives = [[]]
        for part in expression["$and"]:
            alternatives = [left + right for left in alternatives for right in _dnf(part, limit)]
            if len(alternatives) > limit:
                break
    else:
        alternatives = [[expression]]
    if len(alternatives) > limit:
        raise OverflowError(len(alternatives))
    return alternatives


def compile_document(document: RuleSetDocument, key: str) -> CompiledRuleSet:
    """Compile; `TooComplex` when a rule's condition expands beyond `MAX_ALTERNATIVES`."""
    compiler = _Compiler()
    expressions: dict[str, Expression] = {}
    for rule in document.rules:
        try:
            alternatives = _dnf(compiler.condition(rule.when), MAX_ALTERNATIVES)
        except OverflowError as overflow:
            raise TooComplex(rule.id, int(overflow.args[0])) from None
        for number, conjunction in enumerate(alternatives):
            expressions[f"{rule.id}~{number}"] = (
                conjunction[0] if len(conjunction) == 1 else {"$and": conjunction}
            )
    return CompiledRuleSet(
        key=key,
        rule_ids=[rule.id for rule in document.rules],
        expressions=expressions,
        paths=compiler.paths,
        regexes=compiler.regexes,
    )


class _QuietHost(Host):  # type: ignore[misc]
    """A Host without the background timer threads (our rules use no timers)."""

    def _run(self) -> None:
        return None


class DurableEngine:
    """Evaluates compiled rule sets with durable-rules, every call on one thread."""

    def __init__(self, max_loaded: int = 256) -> None:
        self.max_loaded = max_loaded
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="durable-rules")
        self._host: _QuietHost | None = None
        self._loaded: OrderedDict[str, str] = OrderedDict()  # key -> registered name
        self._names = itertools.count()
        self._fired: list[str] = []
        self._thread: threading.Thread | None = None

    def evaluate(self, compiled: CompiledRuleSet, fact: Mapping[str, Any]) -> list[str]:
        return self._call(lambda: self._evaluate(compiled, fact))

    async def evaluate_async(self, compiled: CompiledRuleSet, fact: Mapping[str, Any]) -> list[str]:
        import asyncio

        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._evaluate, compiled, fact)

    async def ready(self) -> bool:
        """Start the engine's host on its thread if it is not yet (readiness checks this)."""
        import asyncio

        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._start)

    def unload(self, key: str) -> None:
        self._call(lambda: self._unload(key))

    @property
    def loaded(self) -> int:
        return len(self._loaded)

    def close(self) -> None:
        self._call(self._unload_all)
        self._executor.shutdown(wait=True)

    def _call(self, work: Callable[[], T]) -> T:
        return self._executor.submit(work).result()

    # --- everything below runs on the engine thread only -------------------------------------

    def _evaluate(self, compiled: CompiledRuleSet, fact: Mapping[str, Any]) -> list[str]:
        self._check_thread()
        name = self._ensure_loaded(compiled)
        sid = f"e{next(self._names)}"
        message = {"sid": sid, ALWAYS_FIELD: 1, **compiled.prepare(fact)}
        self._fired = []
        assert self._host is not None
        try:
            self._host.assert_fact(name, message)
        except MessageNotHandledException:
            pass  # cannot happen with the sentinel rule; kept as a guard
        finally:
            self._host.delete_state(name, sid)
        fired = set(self._fired)
        return [rule_id for rule_id in compiled.rule_ids if rule_id in fired]

    def _start(self) -> bool:
        self._check_thread()
        if self._host is None:
            self._host = _QuietHost()
        return True

    def _ensure_loaded(self, compiled: CompiledRuleSet) -> str:
        name = self._loaded.get(compiled.key)
        if name is not None:
            self._loaded.move_to_end(compiled.key)
            return name
        if self._host is None:
            self._host = _QuietHost()
        name = f"rs{next(self._names)}"
        definition: dict[str, Any] = {}
        for name_in_set, expression in compiled.expressions.items():
            definition[name_in_set] = {
                "all": [{"m": expression}],
                "run": self._action(name_in_set.partition("~")[0]),
            }
        definition[ALWAYS_RULE] = {"all": [{"m": {"$gte": {ALWAYS_FIELD: 1}}}], "run": _ignore}
        self._host.register_rulesets({name: definition})
        self._loaded[compiled.key] = name
        while len(self._loaded) > self.max_loaded:
            oldest = next(iter(self._loaded))
            self._unload(oldest)
        return name

    def _action(self, rule_id: str) -> Callable[[Any], None]:
        def run(context: Any) -> None:
            self._fired.append(rule_id)

        return run

    def _unload(self, key: str) -> None:
        name = self._loaded.pop(key, None)
        if name is None or self._host is None:
            return
        ruleset = self._host._ruleset_directory.pop(name)
        self._host._ruleset_list.remove(ruleset)
        durable_rules_engine.delete_ruleset(ruleset._handle)

    def _unload_all(self) -> None:
        for key in list(self._loaded):
            self._unload(key)

    def _check_thread(self) -> None:
        current = threading.current_thread()
        if self._thread is None:
            self._thread = current
        assert current is self._thread, "durable-rules called from a second thread"


__all__ = ["MAX_ALTERNATIVES", "CompiledRuleSet", "DurableEngine", "TooComplex", "compile_document"]
