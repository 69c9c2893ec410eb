"""The customers' mutations, merged in the order the schema lists them."""

from __future__ import annotations

import strawberry

from merchantops.api.graphql.customers.mutations.addresses import AddressMutation
from merchantops.api.graphql.customers.mutations.customers import CustomerRecordMutation
from merchantops.api.graphql.customers.mutations.privacy import PrivacyMutation


@strawberry.type
class CustomerMutation(CustomerRecordMutation, AddressMutation, PrivacyMutation):
    pass


__all__ = ["CustomerMutation"]
