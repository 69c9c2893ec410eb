"""Rules engine: soak and throughput.

Run: .venv/bin/python -m tests.bench.rules_engine [--evaluations 200000] [--tenants 500]
     .venv/bin/python -m tests.bench.rules_engine --smoke    # tiny, seconds

1. Soak: evaluations spread over many tenants' compiled 20-rule sets while new versions are
   "activated" (compiled under a new key, the old one unloaded) and the engine keeps at most
   `--max-loaded` rulesets (128): with 500 tenants most evaluations load a ruleset first, the
   worst case for the C core's memory. Every result is compared with the reference
   evaluator; resident memory is printed as it goes (it should level off).
2. Throughput of one 20-rule compliance set: `DurableEngine.evaluate` (our wrapper: fact
   preparation, the engine thread hop, assert_fact + delete_state) next to raw durable-rules
   `assert_fact` + `delete_state` on the same compiled ruleset in this thread (the floor).
"""

from __future__ import annotations

import argparse
import contextlib
import random
import resource
import time
from typing import Any

from durable.engine import MessageNotHandledException

from merchantops.rules.document import RuleSetDocument, parse
from merchantops.rules.durable_engine import (
    ALWAYS_FIELD,
    ALWAYS_RULE,
    DurableEngine,
    _ignore,
    _QuietHost,
    compile_document,
)
from merchantops.rules.reference import fired
from tests.bench.smoke import add_smoke_flag, parse_with_smoke

CHANNELS = ["web", "app", "pos", "marketplace"]


def document(rng: random.Random, rules: int = 20) -> RuleSetDocument:
    body = []
    for n in range(rules):
        threshold = rng.choice([100, 1_000, 5_000, 50_000])
        body.append(
            {
                "id": f"rule-{n}",
                "when": {
                    "all": [
                        {"fact": "order.total", "gt": threshold},
                        {
                            "any": [
                                {"fact": "order.channel", "in": rng.sample(CHANNELS, 2)},
                                {"fact": "customer.tier", "eq": rng.choice(["gold", "new"])},
                            ]
                        },
                        {"not": {"fact": "customer.blocked", "exists": True}},
                    ]
                },
                "then": {"outcome": rng.choice(["flag", "deny", "allow"])},
            }
        )
    return parse({"kind": "compliance", "rules": body})


def fact(rng: random.Random) -> dict[str, Any]:
    sample: dict[str, Any] = {
        "order": {"total": rng.randint(0, 80_000), "channel": rng.choice(CHANNELS)},
        "customer": {"tier": rng.choice(["gold", "new", "silver"])},
    }
    if rng.random() < 0.1:
        sample["customer"]["blocked"] = "yes"
    return sample


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def soak(evaluations: int, tenants: int, max_loaded: int, seed: int) -> None:
    rng = random.Random(seed)
    engine = DurableEngine(max_loaded=max_loaded)
    versions = {t: 0 for t in range(tenants)}
    documents = {t: document(rng) for t in range(tenants)}
    compiled = {t: compile_document(documents[t], f"t{t}:v0") for t in range(tenants)}
    mismatches = activations = 0
    started = time.perf_counter()
    print(
        f"soak: {evaluations:,} evaluations over {tenants} tenants, at most {max_loaded} "
        f"rulesets loaded (rss {rss_mb():.1f} MB)"
    )
    for n in range(1, evaluations + 1):
        tenant = rng.randrange(tenants)
        sample = fact(rng)
        if engine.evaluate(compiled[tenant], sample) != fired(documents[tenant], sample):
            mismatches += 1
        if n % 500 == 0:
            target = rng.randrange(tenants)
            versions[target] += 1
            documents[target] = document(rng)
            engine.unload(compiled[target].key)
            compiled[target] = compile_document(documents[target], f"t{target}:v{versions[target]}")
            activations += 1
        if n % (evaluations // 10) == 0:
            rate = n / (time.perf_counter() - started)
            print(
                f"  {n:>9,} evaluations  rss {rss_mb():7.1f} MB  loaded {engine.loaded:3d}"
                f"  {rate:,.0f}/s"
            )
    engine.close()
    print(f"soak done: {activations} activations, {mismatches} mismatches with the reference")


def throughput(evaluations: int, seed: int) -> None:
    rng = random.Random(seed)
    doc = document(rng)
    compiled = compile_document(doc, "bench")
    samples = [fact(rng) for _ in range(1_000)]

    engine = DurableEngine()
    for sample in samples[:100]:
        engine.evaluate(compiled, sample)
    started = time.perf_counter()
    for n in range(evaluations):
        engine.evaluate(compiled, samples[n % len(samples)])
    ours = evaluations / (time.perf_counter() - started)
    engine.close()

    host = _QuietHost()
    definition: dict[str, Any] = {
        name: {"all": [{"m": expression}], "run": _ignore}
        for name, expression in compiled.expressions.items()
    }
    definition[ALWAYS_RULE] = {"all": [{"m": {"$gte": {ALWAYS_FIELD: 1}}}], "run": _ignore}
    host.register_rulesets({"floor": definition})
    prepared = [{ALWAYS_FIELD: 1, **compiled.prepare(sample)} for sample in samples]
    started = time.perf_counter()
    for n in range(evaluations):
        sid = str(n)
        with contextlib.suppress(MessageNotHandledException):
            host.assert_fact("floor", {"sid": sid, **prepared[n % len(prepared)]})
        host.delete_state("floor", sid)
    floor = evaluations / (time.perf_counter() - started)

    print(f"throughput, 20-rule compliance set ({len(compiled.expressions)} compiled rules):")
    print(f"  DurableEngine.evaluate                 {ours:>10,.0f} evaluations/s")
    print(f"  raw assert_fact + delete_state (floor) {floor:>10,.0f} evaluations/s")
    print(f"  ratio floor / ours: {floor / ours:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluations", type=int, default=200_000)
    parser.add_argument("--tenants", type=int, default=500)
    parser.add_argument("--throughput-evaluations", type=int, default=20_000)
    parser.add_argument("--max-loaded", type=int, default=128, help="engine's ruleset cap")
    parser.add_argument("--seed", type=int, default=7)
    add_smoke_flag(parser, evaluations=2000, tenants=20, throughput_evaluations=2000, max_loaded=8)
    args = parse_with_smoke(parser)
    throughput(args.throughput_evaluations, args.seed)
    soak(args.evaluations, args.tenants, args.max_loaded, args.seed)


if __name__ == "__main__":
    main()
