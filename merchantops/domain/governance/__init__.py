"""Governance (standard 1.2-1.4): risk alerts raised by the tenant's risk rules."""
