"""Logging in and presenting tokens over HTTP, as a merchant front end does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest

from merchantops.tenants.models import User
from tests.conftest import TEST_SECRET, GraphQLClient
from tests.factories import PASSWORD, make_shop, make_user
from tests.support.sql_count import counting_statements

ME = "{ me { user { email } memberships { roles tenant { slug } } } }"


async def test_login_then_me_returns_the_user_and_their_tenants(gql: GraphQLClient) -> None:
    # given
    shop = await make_shop("acme")

    # when
    session = await gql.login(shop.email, PASSWORD)
    body = await gql.execute(ME, token=session["accessToken"])

    # then
    assert body["data"]["me"] == {
        "user": {"email": shop.email},
        "memberships": [{"roles": ["owner"], "tenant": {"slug": "acme"}}],
    }


async def test_wrong_password_unknown_email_and_disabled_user_get_one_answer(
    gql: GraphQLClient,
) -> None:
    # given
    await make_user("ana@example.com")
    disabled = await make_user("bo@example.com")
    await User.filter(id=disabled.id).update(is_active=False)

    # when
    answers = []
    for email, password in [
        ("ana@example.com", "not-the-password"),
        ("who@example.com", PASSWORD),
        ("bo@example.com", PASSWORD),
    ]:
        body = await gql.execute(
            "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) "
            "{ session { accessToken } errors { field code message } } }",
            {"e": email, "p": password},
        )
        answers.append(body["data"]["login"])

    # then
    assert answers[0] == answers[1] == answers[2]
    assert answers[0]["session"] is None
    assert answers[0]["errors"][0]["code"] == "INVALID_CREDENTIALS"


def _token(secret: str = TEST_SECRET, **overrides: object) -> str:
    now = datetime.now(UTC)
    claims: dict[str, object] = {
        "sub": "00000000-0000-0000-0000-000000000000",
        "sid": "00000000-0000-0000-0000-000000000000",
        "iat": now,
        "exp": now + timedelta(minutes=5),
        "iss": "merchantops",
        "aud": "merchantops-api",
        "typ": "access",
    }
    claims.update(overrides)
    return jwt.encode(claims, secret, algorithm="HS256")


async def test_expired_tampered_and_foreign_tokens_are_rejected(gql: GraphQLClient) -> None:
    # given
    shop = await make_shop("acme")
    good = (await gql.login(shop.email, PASSWORD))["accessToken"]
    sub = str(shop.owner.id)
    header, payload, signature = good.split(".")
    tampered_payload = jwt.utils.base64url_encode(
        jwt.utils.base64url_decode(payload).replace(b'"typ"', b'"tYp"')
    ).decode()
    bad_tokens = {
        "expired": _token(sub=sub, exp=datetime.now(UTC) - timedelta(seconds=1)),
        "tampered": f"{header}.{tampered_payload}.{signature}",
        "wrong secret": _token("another-secret-of-sufficient-length-0000", sub=sub),
        "unsigned": jwt.encode({"sub": sub}, key=None, algorithm="none"),
        "garbage": "not.a.jwt",
    }

    for name, token in bad_tokens.items():
        # when
        response = await gql.post(ME, token=token)

        # then
        assert response.status_code == 401, name
        error = response.json()["errors"][0]
        expected = "TOKEN_EXPIRED" if name == "expired" else "UNAUTHENTICATED"
        assert error["extensions"]["code"] == expected, name
        assert response.json()["data"] is None, name


async def test_malformed_authorization_header_is_rejected(gql: GraphQLClient) -> None:
    response = await gql.post(ME, headers={"Authorization": "Basic dXNlcjpwYXNz"})

    assert response.status_code == 401
    assert "Bearer" in response.json()["errors"][0]["message"]


async def test_token_of_a_disabled_user_is_rejected(gql: GraphQLClient) -> None:
    shop = await make_shop("acme")
    token = (await gql.login(shop.email, PASSWORD))["accessToken"]
    await User.filter(id=shop.owner.id).update(is_active=False)

    response = await gql.post(ME, token=token)

    assert response.status_code == 401


async def test_anonymous_me_is_refused_with_a_code(gql: GraphQLClient) -> None:
    body = await gql.execute(ME)

    assert body["data"] == {"me": None}
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


REFRESH = """
mutation($t: String!) {
  refreshToken(input: {refreshToken: $t}) { session { refreshToken } errors { code message } }
}
"""


async def test_reused_refresh_token_logs_out_the_whole_family(gql: GraphQLClient) -> None:
    # given
    shop = await make_shop("acme")
    first = (await gql.login(shop.email, PASSWORD))["refreshToken"]
    second = (await gql.execute(REFRESH, {"t": first}))["data"]["refreshToken"]["session"][
        "refreshToken"
    ]

    # when
    reused = (await gql.execute(REFRESH, {"t": first}))["data"]["refreshToken"]
    after = (await gql.execute(REFRESH, {"t": second}))["data"]["refreshToken"]

    # then
    assert reused["session"] is None
    assert reused["errors"][0]["code"] == "SESSION_REVOKED"
    assert after["session"] is None
    assert after["errors"][0]["code"] == "SESSION_REVOKED"
    assert "older refresh tokens was presented again" in after["errors"][0]["message"]


async def test_logout_ends_the_session(gql: GraphQLClient) -> None:
    shop = await make_shop("acme")
    refresh = (await gql.login(shop.email, PASSWORD))["refreshToken"]

    logout = await gql.execute(
        "mutation($t: String!) { logout(input: {refreshToken: $t}) { ok } }", {"t": refresh}
    )
    after = (await gql.execute(REFRESH, {"t": refresh}))["data"]["refreshToken"]

    assert logout["data"]["logout"]["ok"] is True
    assert after["session"] is None


LOGOUT = """
mutation($t: String!) { logout(input: {refreshToken: $t}) { ok errors { field code message } } }
"""


async def test_access_token_is_refused_on_the_next_request_after_logout(
    gql: GraphQLClient,
) -> None:
    # given: a logged-in user reading their tenant
    shop = await make_shop("acme")
    session = await gql.login(shop.email, PASSWORD)
    assert (await gql.post(ME, token=session["accessToken"], tenant="acme")).status_code == 200

    # when
    logout = await gql.execute(LOGOUT, {"t": session["refreshToken"]})
    response = await gql.post(ME, token=session["accessToken"], tenant="acme")

    # then: long before the access token expires, it is refused with a clear message
    assert logout["data"]["logout"] == {"ok": True, "errors": []}
    assert response.status_code == 401
    assert response.json() == {
        "data": None,
        "errors": [
            {
                "message": "This session has ended (logged out); log in again.",
                "extensions": {"code": "SESSION_REVOKED"},
            }
        ],
    }


async def test_logout_leaves_the_other_sessions_of_the_user_working(gql: GraphQLClient) -> None:
    # given: the same user logged in on a laptop and a phone
    shop = await make_shop("acme")
    laptop = await gql.login(shop.email, PASSWORD)
    phone = await gql.login(shop.email, PASSWORD)

    # when
    await gql.execute(LOGOUT, {"t": laptop["refreshToken"]})

    # then
    assert (await gql.post(ME, token=laptop["accessToken"])).status_code == 401
    body = await gql.execute(ME, token=phone["accessToken"], tenant="acme")
    assert body["data"]["me"]["user"] == {"email": shop.email}
    refreshed = (await gql.execute(REFRESH, {"t": phone["refreshToken"]}))["data"]
    assert refreshed["refreshToken"]["errors"] == []


async def test_reused_refresh_token_ends_the_access_tokens_of_its_session(
    gql: GraphQLClient,
) -> None:
    # given: a session refreshed once by its owner
    shop = await make_shop("acme")
    first = await gql.login(shop.email, PASSWORD)
    await gql.execute(REFRESH, {"t": first["refreshToken"]})

    # when: a thief replays the first refresh token
    await gql.execute(REFRESH, {"t": first["refreshToken"]})
    response = await gql.post(ME, token=first["accessToken"])

    # then
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "SESSION_REVOKED"
    assert "older refresh tokens was presented again" in response.json()["errors"][0]["message"]


async def test_logout_with_a_garbage_token_answers_a_typed_error_not_ok(
    gql: GraphQLClient,
) -> None:
    body = await gql.execute(LOGOUT, {"t": "garbage"})

    assert body["data"]["logout"] == {
        "ok": False,
        "errors": [
            {
                "field": "refreshToken",
                "code": "UNAUTHENTICATED",
                "message": "The refresh token is invalid; nothing was logged out.",
            }
        ],
    }


async def test_logout_of_a_session_already_ended_answers_ok_again(gql: GraphQLClient) -> None:
    shop = await make_shop("acme")
    refresh = (await gql.login(shop.email, PASSWORD))["refreshToken"]

    first = await gql.execute(LOGOUT, {"t": refresh})
    again = await gql.execute(LOGOUT, {"t": refresh})

    assert first["data"]["logout"] == again["data"]["logout"] == {"ok": True, "errors": []}


async def test_authenticated_request_reads_its_session_and_user_in_one_statement(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a logged-in user whose tenant's policy and masking table this process has loaded
    shop = await make_shop("acme")
    token = (await gql.login(shop.email, PASSWORD))["accessToken"]
    await gql.execute(ME, token=token, tenant="acme")

    # when
    with counting_statements(monkeypatch) as outside:
        await gql.execute("{ __typename }", token=token)
    with counting_statements(monkeypatch) as inside:
        await gql.execute("{ __typename }", token=token, tenant="acme")

    # then: one statement reads the session with its user (the revocation check costs none);
    # in a tenant, the tenant and the membership follow
    [statement] = outside.sql
    assert "login_session" in statement
    assert "user_account" in statement
    assert len(inside) == 3, inside.sql
    assert inside.sql[0] == statement
