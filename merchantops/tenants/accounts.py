"""Account building blocks: input validation and invitations."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from merchantops.errors import InvalidInput
from merchantops.tenants.models import Invitation, User
from merchantops.tenants.secrets import MIN_PASSWORD_LENGTH, new_opaque_token, token_digest

SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalize_email(email: str) -> str:
    return email.strip().lower()


def validate_email(email: str, field: str = "email") -> str:
    normalized = normalize_email(email)
    if len(normalized) > 254 or not EMAIL_PATTERN.match(normalized):
        raise InvalidInput(f"'{email}' is not a valid email address.", field=field)
    return normalized


def validate_password(password: str, field: str = "password") -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"The password must have at least {MIN_PASSWORD_LENGTH} characters.", field=field
        )
    return password


def validate_slug(slug: str) -> str:
    normalized = slug.strip().lower()
    if not SLUG_PATTERN.match(normalized):
        raise InvalidInput(
            "A tenant slug is 1-63 lowercase letters, digits and inner hyphens, e.g. 'acme-shop'.",
            field="slug",
        )
    return normalized


def validate_name(name: str, field: str = "name") -> str:
    stripped = name.strip()
    if not stripped or len(stripped) > 200:
        raise InvalidInput("A name must have 1 to 200 characters.", field=field)
    return stripped


async def invite(user: User, ttl: timedelta) -> str:
    token = new_opaque_token()
    await Invitation.create(
        user=user, token_hash=token_digest(token), expires_at=datetime.now(UTC) + ttl
    )
    return token


__all__ = [
    "invite",
    "normalize_email",
    "validate_email",
    "validate_name",
    "validate_password",
    "validate_slug",
]
