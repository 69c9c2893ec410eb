"""Signed webhooks: partners subscribe URLs to event types; deliveries are signed and retried."""
