"""Warehouses, stock, the movement ledger, reorder policies and ABC analytics."""
