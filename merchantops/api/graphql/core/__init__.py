"""Conventions shared by every area: context, permissions, errors, Relay pagination."""
