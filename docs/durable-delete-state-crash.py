"""Reproduces a SIGSEGV in durable_rules 2.0.28's delete_state (see docs/durable-rules-notes.md).

Run: .venv/bin/python docs/durable-delete-state-crash.py  -> exit code 139 after "asserted".
"""

import contextlib

from durable.engine import Host, MessageNotHandledException


class QuietHost(Host):
    def _run(self):
        return None


h = QuietHost()
rule = {"$and": [{"k0": 1}, {"$neq": {"k0": 1}}]}
h.register_rulesets({"rs": {"a": {"all": [{"m": rule}], "run": lambda c: None}}})
fact = {"k0": 0, "n0": 0, "s0": "", "k1": 0, "n1": 0, "s1": "", "k2": 0, "n2": 0, "s2": "", "r0": 0}
with contextlib.suppress(MessageNotHandledException):
    h.assert_fact("rs", {"sid": "1", **fact})
print("asserted", flush=True)
h.delete_state("rs", "1")
print("deleted", flush=True)
