"""Tenant rule sets: the document language, its validation, and the engines that run it."""
