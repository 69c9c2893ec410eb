"""Standard Webhooks signatures (https://www.standardwebhooks.com).

Headers `webhook-id`, `webhook-timestamp` (unix seconds) and `webhook-signature`
(`v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`), keyed by the base64 part of a
`whsec_...` secret. Receivers recompute the HMAC and reject stale timestamps.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"  # noqa: S105 - a format marker, not a secret


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    expected = sign(secret, headers["webhook-id"], int(headers["webhook-timestamp"]), body)
    offered = headers.get("webhook-signature", "").split()
    return any(hmac.compare_digest(expected, signature) for signature in offered)


__all__ = ["new_secret", "sign", "verify"]
