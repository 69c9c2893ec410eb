from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import jwt
import pytest

from merchantops.tenants.errors import InvalidToken, TokenExpired
from merchantops.tenants.tokens import AccessClaims, AccessTokenCodec

SECRET = "unit-test-secret-of-a-reasonable-length"


def codec(secret: str = SECRET, minutes: int = 15) -> AccessTokenCodec:
    return AccessTokenCodec(secret, timedelta(minutes=minutes))


def test_issued_token_names_its_user_and_session() -> None:
    user_id, session_id = uuid4(), uuid4()

    token, expires = codec().issue(user_id, session_id=session_id)

    assert codec().claims(token) == AccessClaims(user_id, session_id)
    assert expires > datetime.now(UTC)


def test_token_without_a_session_is_refused() -> None:
    now = datetime.now(UTC)
    claims = {"sub": str(uuid4()), "iat": now, "exp": now + timedelta(minutes=5),
              "iss": "merchantops", "aud": "merchantops-api", "typ": "access"}  # fmt: skip
    token = jwt.encode(claims, SECRET, algorithm="HS256")

    with pytest.raises(InvalidToken, match="invalid"):
        codec().claims(token)


def test_expired_token_is_refused_with_a_hint_to_refresh() -> None:
    token, _ = codec().issue(
        uuid4(), session_id=uuid4(), now=datetime.now(UTC) - timedelta(hours=1)
    )

    with pytest.raises(TokenExpired, match="expired; refresh it"):
        codec().user_id(token)


def test_token_signed_with_another_secret_is_refused() -> None:
    token, _ = codec("another-secret-of-a-reasonable-length!").issue(uuid4(), session_id=uuid4())

    with pytest.raises(InvalidToken, match="invalid"):
        codec().user_id(token)


def test_tampered_token_is_refused() -> None:
    token, _ = codec().issue(uuid4(), session_id=uuid4())
    header, payload, signature = token.split(".")
    flipped = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1]

    with pytest.raises(InvalidToken):
        codec().user_id(f"{header}.{flipped}.{signature}")
