"""Logging in and presenting tokens over HTTP, as a merchant front end does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt

from merchantops.tenants.models import User
from tests.conftest import TEST_SECRET, GraphQLClient
from tests.factories import PASSWORD, make_shop, make_user

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
        assert error["extensions"]["code"] == "UNAUTHENTICATED", name
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
    assert reused["errors"][0]["code"] == "UNAUTHENTICATED"
    assert after["session"] is None


async def test_logout_ends_the_session(gql: GraphQLClient) -> None:
    shop = await make_shop("acme")
    refresh = (await gql.login(shop.email, PASSWORD))["refreshToken"]

    logout = await gql.execute(
        "mutation($t: String!) { logout(input: {refreshToken: $t}) { ok } }", {"t": refresh}
    )
    after = (await gql.execute(REFRESH, {"t": refresh}))["data"]["refreshToken"]

    assert logout["data"]["logout"]["ok"] is True
    assert after["session"] is None
