"""Risk alerts: listing, acknowledging, resolving."""
