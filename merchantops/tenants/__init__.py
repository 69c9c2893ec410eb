"""The governance core: tenants, users, memberships, tenant context, authentication.

This package imports nothing else of ours; every other layer builds on it.
"""
