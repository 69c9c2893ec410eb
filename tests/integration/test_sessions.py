"""Login and the rotating refresh-token family."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from merchantops.tenants.auth import Authenticator
from merchantops.tenants.errors import InvalidCredentials, InvalidToken
from merchantops.tenants.models import RefreshToken, User
from merchantops.tenants.secrets import token_digest
from merchantops.tenants.tokens import AccessTokenCodec
from tests.conftest import TEST_SECRET
from tests.factories import PASSWORD, make_user


@pytest.fixture
def auth() -> Authenticator:
    return Authenticator(AccessTokenCodec(TEST_SECRET, timedelta(minutes=15)), timedelta(days=1))


async def test_login_failures_are_indistinguishable(db: str, auth: Authenticator) -> None:
    # given
    await make_user("ana@example.com")
    disabled = await make_user("bo@example.com")
    disabled.is_active = False
    await disabled.save()

    # when
    failures = []
    for email, password in [
        ("ana@example.com", "wrong-password!"),
        ("nobody@example.com", PASSWORD),
        ("bo@example.com", PASSWORD),
    ]:
        with pytest.raises(InvalidCredentials) as raised:
            await auth.login(email, password)
        failures.append((raised.value.code, raised.value.message, raised.value.field))

    # then
    assert len(set(failures)) == 1


async def test_login_is_case_insensitive_on_email_and_records_the_time(
    db: str, auth: Authenticator
) -> None:
    await make_user("ana@example.com")

    session = await auth.login("  Ana@Example.COM ", PASSWORD)

    assert session.user.email == "ana@example.com"
    assert (await User.get(email="ana@example.com")).last_login_at is not None
    assert auth.codec.user_id(session.access_token) == session.user.id


async def test_refresh_rotates_and_old_token_cannot_be_used_twice(
    db: str, auth: Authenticator
) -> None:
    await make_user("ana@example.com")
    first = await auth.login("ana@example.com", PASSWORD)

    second = await auth.refresh(first.refresh_token)

    assert second.refresh_token != first.refresh_token
    stored = await RefreshToken.get(token_hash=token_digest(second.refresh_token))
    assert stored.token_hash != second.refresh_token


async def test_refresh_token_reuse_revokes_the_whole_family(db: str, auth: Authenticator) -> None:
    # given: a session refreshed once, and a second independent session
    await make_user("ana@example.com")
    stolen = await auth.login("ana@example.com", PASSWORD)
    current = await auth.refresh(stolen.refresh_token)
    other_device = await auth.login("ana@example.com", PASSWORD)

    # when: the already-used token is presented again
    with pytest.raises(InvalidToken, match="already used"):
        await auth.refresh(stolen.refresh_token)

    # then: the legitimate newest token of that family is dead too, the other family lives
    with pytest.raises(InvalidToken):
        await auth.refresh(current.refresh_token)
    assert await auth.refresh(other_device.refresh_token)
    family = await RefreshToken.filter(family_id=(await _family(stolen.refresh_token)))
    assert family
    assert all(token.revoked_at is not None for token in family)


async def test_expired_refresh_token_is_refused(db: str, auth: Authenticator) -> None:
    await make_user("ana@example.com")
    session = await auth.login("ana@example.com", PASSWORD)
    await RefreshToken.filter(token_hash=token_digest(session.refresh_token)).update(
        expires_at=datetime.now(UTC) - timedelta(seconds=1)
    )

    with pytest.raises(InvalidToken, match="expired"):
        await auth.refresh(session.refresh_token)


async def test_unknown_refresh_token_is_refused(db: str, auth: Authenticator) -> None:
    with pytest.raises(InvalidToken, match="invalid"):
        await auth.refresh("not-a-token")


async def test_logout_revokes_the_family(db: str, auth: Authenticator) -> None:
    await make_user("ana@example.com")
    session = await auth.login("ana@example.com", PASSWORD)

    await auth.logout(session.refresh_token)

    with pytest.raises(InvalidToken):
        await auth.refresh(session.refresh_token)


async def _family(raw: str) -> object:
    return (await RefreshToken.get(token_hash=token_digest(raw))).family_id
