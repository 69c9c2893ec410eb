"""The orders area's mutations, merged in the order the schema lists them."""

from __future__ import annotations

import strawberry

from merchantops.api.graphql.orders.mutations.fulfilment import FulfillmentMutation
from merchantops.api.graphql.orders.mutations.payments import PaymentMutation
from merchantops.api.graphql.orders.mutations.placement import PlacementMutation
from merchantops.api.graphql.orders.mutations.returns import ReturnMutation
from merchantops.api.graphql.orders.mutations.settings import OrderSettingsMutation


@strawberry.type
class OrderMutation(
    PlacementMutation, FulfillmentMutation, PaymentMutation, ReturnMutation, OrderSettingsMutation
):
    pass


__all__ = ["OrderMutation"]
