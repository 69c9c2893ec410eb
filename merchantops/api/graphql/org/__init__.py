"""Org structure: departments, roles and their permissions, members and their roles."""
