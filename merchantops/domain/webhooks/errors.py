"""Failures of the webhooks area.

Refusals of a subscription (a bad URL, unknown event types, too many subscriptions) are the
shared `InvalidInput` and `NotFound`. `DeliveryFailed` is no refusal: the delivery job raises
it so the worker tries the delivery again later.
"""

from __future__ import annotations


class DeliveryFailed(Exception):
    """A delivery attempt that is worth retrying (5xx, timeout, connection error)."""


__all__ = ["DeliveryFailed"]
