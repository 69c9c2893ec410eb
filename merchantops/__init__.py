"""MerchantOps: a multi-tenant GraphQL operations API for e-commerce businesses."""

__version__ = "0.1.0"
