"""Short-lived JWT access tokens (HS256).

An access token names its user (`sub`) and the login session it was issued from (`sid`, the
refresh-token family): ending that session ends every access token issued from it
(`tenants.auth`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import jwt

from merchantops.tenants.errors import InvalidToken, TokenExpired

ALGORITHM = "HS256"
ISSUER = "merchantops"
AUDIENCE = "merchantops-api"


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: UUID
    session_id: UUID


@dataclass(frozen=True, slots=True)
class AccessTokenCodec:
    secret: str
    ttl: timedelta

    def issue(
        self, user_id: UUID, *, session_id: UUID, now: datetime | None = None
    ) -> tuple[str, datetime]:
        issued = now or datetime.now(UTC)
        expires = issued + self.ttl
        claims = {
            "sub": str(user_id),
            "sid": str(session_id),
            "iat": issued,
            "exp": expires,
            "iss": ISSUER,
            "aud": AUDIENCE,
            "jti": uuid4().hex,
            "typ": "access",
        }
        return jwt.encode(claims, self.secret, algorithm=ALGORITHM), expires

    def claims(self, token: str) -> AccessClaims:
        try:
            claims = jwt.decode(
                token,
                self.secret,
                algorithms=[ALGORITHM],
                audience=AUDIENCE,
                issuer=ISSUER,
                options={"require": ["sub", "sid", "exp", "iat", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise TokenExpired("The access token has expired; refresh it.") from exc
        except jwt.PyJWTError as exc:
            raise InvalidToken("The access token is invalid.") from exc
        if claims.get("typ") != "access":
            raise InvalidToken("The access token is invalid.")
        try:
            return AccessClaims(UUID(claims["sub"]), UUID(claims["sid"]))
        except (ValueError, TypeError, AttributeError) as exc:
            raise InvalidToken("The access token is invalid.") from exc

    def user_id(self, token: str) -> UUID:
        return self.claims(token).user_id


__all__ = ["AccessClaims", "AccessTokenCodec"]
