"""Every error outside GraphQL has the body of a GraphQL error, never plain text or a trace."""

from __future__ import annotations

import httpx
import pytest
from structlog.testing import capture_logs

from merchantops.tenants.auth import Authenticator
from merchantops.tenants.principal import Principal


def error_of(response: httpx.Response) -> dict[str, object]:
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["data"] is None
    assert len(body["errors"]) == 1
    error: dict[str, object] = body["errors"][0]
    return error


async def test_an_unknown_path_is_a_json_not_found(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql/nothing-here")

    assert response.status_code == 404
    error = error_of(response)
    assert error["extensions"] == {"code": "NOT_FOUND"}
    assert "/graphql/nothing-here" in str(error["message"])


async def test_a_method_a_route_does_not_take_is_a_json_405_naming_the_allowed_ones(
    client: httpx.AsyncClient,
) -> None:
    delete = await client.delete("/graphql")
    post_health = await client.post("/healthz")

    assert (delete.status_code, post_health.status_code) == (405, 405)
    assert error_of(delete)["extensions"] == {"code": "METHOD_NOT_ALLOWED"}
    assert error_of(post_health)["extensions"] == {"code": "METHOD_NOT_ALLOWED"}
    assert set(delete.headers["allow"].split(", ")) == {"GET", "HEAD", "POST"}
    assert set(post_health.headers["allow"].split(", ")) == {"GET", "HEAD"}


async def test_a_plain_options_request_is_a_json_405(client: httpx.AsyncClient) -> None:
    response = await client.options("/graphql")

    assert response.status_code == 405
    assert error_of(response)["extensions"] == {"code": "METHOD_NOT_ALLOWED"}


async def test_a_bug_outside_graphql_is_a_masked_500_with_the_request_id(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: authentication itself fails unexpectedly
    async def broken(
        self: Authenticator, authorization: str | None, tenant: str | None
    ) -> Principal:
        raise RuntimeError("secret-connection-string in the exception")

    monkeypatch.setattr(Authenticator, "principal", broken)

    # when
    with capture_logs() as logs:
        response = await client.post("/graphql", json={"query": "{ __typename }"})

    # then
    assert response.status_code == 500
    error = error_of(response)
    request_id = response.headers["x-request-id"]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
    assert request_id in str(error["message"])
    assert "secret-connection-string" not in response.text
    assert "Traceback" not in response.text
    failed = [line for line in logs if line["event"] == "request.failed"]
    assert len(failed) == 1
    assert failed[0]["log_level"] == "error"
    assert failed[0]["exc_info"]
