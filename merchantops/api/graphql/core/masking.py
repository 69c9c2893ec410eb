"""Applying the tenant's masking table to classified GraphQL fields.

A node's field backed by a classified model field is declared once, from the model's
`CLASSIFIED` catalogue, under the model field's own name; the node holds the raw value and the
field masks it on the way out:

    @strawberry.type(name="SupplierContact")
    class SupplierContactNode(relay.Node):
        email: str | None = masked(SupplierContact)

`tests/unit/test_masking_declared.py` walks the schema and fails on a field backed by a
classified model field that is exposed without masking.

The strategy depends on the caller's roles (all inherited ones) or API-key scopes; a caller's
own record is never masked for them (`rules.masking.own_record`, the rule every way out
shares). Free-form JSON (audit diffs) is a trail others read: masked by the table alone.
Outside a tenant there is no table: nothing is shown of other people there anyway.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from strawberry.extensions import FieldExtension
from strawberry.types import Info as StrawberryInfo
from strawberry.types.field import StrawberryField
from tortoise.models import Model

from merchantops.api.graphql.core.execution import ValueExtension
from merchantops.rules.masking import (
    CLASSIFIED_KEYS,
    Classification,
    MaskingTable,
    Strategy,
    classification_of,
    entity_of,
    mask,
    mask_json,
    own_record,
)


class Classified(FieldExtension, ValueExtension):
    def __init__(self, classification: Classification, entity: str = "") -> None:
        self.classification = classification
        self.entity = entity

    def resolve(
        self, next_: Callable[..., Any], source: Any, info: StrawberryInfo[Any, Any], **kwargs: Any
    ) -> Any:
        return self.transform(source, next_(source, info, **kwargs), info.context)

    def transform(self, source: Any, value: Any, context: Any) -> Any:
        # The hot path: a plain attribute and the request's preloaded table, no awaiting.
        return mask(strategy_now(context, self.classification, source, self.entity), value)

    async def resolve_async(
        self,
        next_: Callable[..., Awaitable[Any]],
        source: Any,
        info: StrawberryInfo[Any, Any],
        **kwargs: Any,
    ) -> Any:
        value = await next_(source, info, **kwargs)
        return mask(await strategy_for(info, self.classification, source, self.entity), value)


async def json_masked(info: StrawberryInfo[Any, Any], value: Any) -> Any:
    """Free-form JSON (audit diffs, alert facts) with classified keys masked for the caller."""
    decisions: dict[Classification, Strategy] = {}
    for classification in set(CLASSIFIED_KEYS.values()):
        decisions[classification] = await strategy_for(info, classification, None)
    return mask_json(value, decisions.__getitem__)


async def strategy_for(
    info: StrawberryInfo[Any, Any], classification: Classification, source: Any, entity: str = ""
) -> Strategy:
    context = info.context
    if context.principal.tenant_id is not None and context.policy is not None:
        await context.masking_table()  # make sure this process has the table
    return strategy_now(context, classification, source, entity)


# Without the tenant's table at hand, the defaults hold: personal data redacted (fail closed).
_DEFAULTS = MaskingTable.compile(None)


def strategy_now(
    context: Any, classification: Classification, source: Any, entity: str = ""
) -> Strategy:
    """The strategy for this request's caller, from its preloaded table; never awaits."""
    principal = context.principal
    if principal.tenant_id is None or context.policy is None:
        return Strategy.NONE
    if principal.user is not None and own_record(getattr(source, "id", None), principal.user.id):
        return Strategy.NONE
    decided: dict[tuple[Classification, str], Strategy] = context.strategies
    strategy = decided.get((classification, entity))
    if strategy is None:
        table: MaskingTable = context.masking_table_now() or _DEFAULTS
        strategy = table.strategy(
            classification,
            roles=context.caller_roles(),
            scopes=context.caller_scopes(),
            entity=entity,
        )
        decided[classification, entity] = strategy
    return strategy


class ClassifiedAs(Classified):
    """`Classified` whose classification the model's catalogue gives for the field's name."""

    def __init__(self, model: type[Model]) -> None:
        super().__init__(Classification.INTERNAL, entity_of(model))
        self.model = model

    def apply(self, field: StrawberryField) -> None:
        # A KeyError here, when the schema is built, names a field the model does not classify.
        self.classification = classification_of(self.model, field.python_name)


def masked(model: type[Model], *, description: str | None = None) -> Any:
    """A node field holding `model`'s field of the same name, masked as the model classifies
    it. The node stores the raw value; the caller sees what their masking strategy leaves."""
    return strawberry.field(extensions=[ClassifiedAs(model)], description=description)


def classified(classification: Classification) -> Classified:
    return Classified(classification)


__all__ = [
    "Classified",
    "ClassifiedAs",
    "classified",
    "json_masked",
    "masked",
    "strategy_for",
]
