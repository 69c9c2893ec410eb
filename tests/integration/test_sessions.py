"""Login, the rotating refresh-token family, and sessions that end for every token at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from merchantops.tenants.auth import Authenticator
from merchantops.tenants.errors import InvalidCredentials, InvalidToken, SessionRevoked
from merchantops.tenants.models import LoginSession, RefreshToken, SessionEnd, User
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
    with pytest.raises(SessionRevoked, match="already used, so the session has been revoked"):
        await auth.refresh(stolen.refresh_token)

    # then: the legitimate newest token of that family is dead too, and says why
    with pytest.raises(SessionRevoked, match="older refresh tokens was presented again"):
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


def bearer(access_token: str) -> str:
    return f"Bearer {access_token}"


async def test_access_token_after_logout_is_refused_at_once(db: str, auth: Authenticator) -> None:
    # given: a session whose access token works
    await make_user("ana@example.com")
    session = await auth.login("ana@example.com", PASSWORD)
    assert (await auth.principal(bearer(session.access_token), None)).user is not None

    # when
    await auth.logout(session.refresh_token)

    # then
    with pytest.raises(SessionRevoked, match=r"This session has ended \(logged out\)"):
        await auth.principal(bearer(session.access_token), None)


async def test_refresh_token_reuse_ends_the_access_tokens_of_its_session_only(
    db: str, auth: Authenticator
) -> None:
    # given: a session refreshed once (two access tokens) and a second session of the user
    await make_user("ana@example.com")
    stolen = await auth.login("ana@example.com", PASSWORD)
    current = await auth.refresh(stolen.refresh_token)
    other_device = await auth.login("ana@example.com", PASSWORD)

    # when: the already-used refresh token is presented again
    with pytest.raises(InvalidToken):
        await auth.refresh(stolen.refresh_token)

    # then: both access tokens of that session are refused, the other session's still works
    for access_token in (stolen.access_token, current.access_token):
        with pytest.raises(SessionRevoked, match="revoked because one of its older"):
            await auth.principal(bearer(access_token), None)
    principal = await auth.principal(bearer(other_device.access_token), None)
    assert principal.user is not None
    assert principal.user.email == "ana@example.com"


async def test_logout_records_when_and_why_the_session_ended_keeping_the_first_reason(
    db: str, auth: Authenticator
) -> None:
    # given
    await make_user("ana@example.com")
    reused = await auth.login("ana@example.com", PASSWORD)
    await auth.refresh(reused.refresh_token)
    with pytest.raises(InvalidToken):
        await auth.refresh(reused.refresh_token)
    logged_out = await auth.login("ana@example.com", PASSWORD)

    # when: both sessions are logged out (the first a second time)
    await auth.logout(reused.refresh_token)
    await auth.logout(logged_out.refresh_token)

    # then
    ends = {row.id: (row.end_reason, row.ended_at is not None) for row in await LoginSession.all()}
    assert ends == {
        await _family(reused.refresh_token): (SessionEnd.REUSE_DETECTED, True),
        await _family(logged_out.refresh_token): (SessionEnd.LOGOUT, True),
    }


async def test_logout_with_an_unknown_refresh_token_is_refused_and_ends_nothing(
    db: str, auth: Authenticator
) -> None:
    # given
    await make_user("ana@example.com")
    session = await auth.login("ana@example.com", PASSWORD)

    # when
    with pytest.raises(InvalidToken, match="nothing was logged out") as raised:
        await auth.logout("not-a-token")

    # then
    assert raised.value.field == "refreshToken"
    assert await auth.principal(bearer(session.access_token), None)
    assert await auth.refresh(session.refresh_token)


async def test_logout_with_a_used_refresh_token_of_a_live_session_ends_it(
    db: str, auth: Authenticator
) -> None:
    await make_user("ana@example.com")
    first = await auth.login("ana@example.com", PASSWORD)
    second = await auth.refresh(first.refresh_token)

    await auth.logout(first.refresh_token)

    with pytest.raises(SessionRevoked, match="session has ended"):
        await auth.principal(bearer(second.access_token), None)
    with pytest.raises(InvalidToken):
        await auth.refresh(second.refresh_token)


async def test_access_token_naming_another_users_session_is_refused(
    db: str, auth: Authenticator
) -> None:
    # given: a token correctly signed, for Bo, but naming Ana's live session
    await make_user("ana@example.com")
    bo = await make_user("bo@example.com")
    ana = await auth.login("ana@example.com", PASSWORD)
    forged, _ = auth.codec.issue(bo.id, session_id=await _family(ana.refresh_token))

    # when / then
    with pytest.raises(InvalidToken, match="invalid"):
        await auth.principal(bearer(forged), None)


async def _family(raw: str) -> UUID:
    return (await RefreshToken.get(token_hash=token_digest(raw))).family_id


async def test_sessions_and_tokens_over_for_a_month_are_purged_and_live_ones_kept(
    db: str,
) -> None:
    from uuid import uuid4

    from merchantops.tenants.session_purge import KEEP, purge_sessions

    user = await make_user("long@example.com")
    now = datetime.now(UTC)
    old, recent = now - KEEP - timedelta(days=5), now - timedelta(days=5)

    async def session(created: datetime, ended: datetime | None = None) -> UUID:
        made = await LoginSession.create(id=uuid4(), user=user, ended_at=ended)
        await LoginSession.filter(id=made.id).update(created_at=created)
        return made.id

    async def token(family: UUID, expires: datetime) -> UUID:
        made = await RefreshToken.create(
            id=uuid4(), user=user, family_id=family, token_hash=uuid4().hex, expires_at=expires
        )
        return made.id

    ended_long_ago = await session(old, ended=old)
    ended_lately = await session(old, ended=recent)
    abandoned = await session(old)
    stale_token = await token(abandoned, expires=old)
    still_in_use = await session(old)
    live_token = await token(still_in_use, expires=now + timedelta(days=20))
    lately_expired = await token(still_in_use, expires=recent)

    deleted = await purge_sessions(now)

    assert deleted == 3  # the stale token, then the long-ended and the abandoned sessions
    assert set(await LoginSession.all().values_list("id", flat=True)) == {
        ended_lately,
        still_in_use,
    }
    assert set(await RefreshToken.all().values_list("id", flat=True)) == {
        live_token,
        lately_expired,
    }
    assert stale_token not in await RefreshToken.all().values_list("id", flat=True)
    assert ended_long_ago not in await LoginSession.all().values_list("id", flat=True)
    assert await purge_sessions(now) == 0  # nothing left to do
