"""The suppliers' mutations, merged in the order the schema lists them."""

from __future__ import annotations

import strawberry

from merchantops.api.graphql.suppliers.mutations.contacts import ContactMutation
from merchantops.api.graphql.suppliers.mutations.scoring import ScoringMutation
from merchantops.api.graphql.suppliers.mutations.suppliers import CreateSupplierMutation


@strawberry.type
class SupplierMutation(CreateSupplierMutation, ContactMutation, ScoringMutation):
    pass


__all__ = ["SupplierMutation"]
