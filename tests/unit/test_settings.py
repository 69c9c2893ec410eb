from __future__ import annotations

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from merchantops.cli import app
from merchantops.settings import PLACEHOLDER_SECRET, Environment, Settings

STRONG = "x" * 48


def test_defaults_start_a_laptop_service_on_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ["ENVIRONMENT", "DATABASE_URL", "REDIS_URL", "SECRET_KEY"]:
        monkeypatch.delenv(name, raising=False)

    settings = Settings()

    assert settings.environment is Environment.DEVELOPMENT
    assert settings.database_url.startswith("sqlite://")
    assert settings.redis_url is None
    assert settings.graphiql_enabled
    assert settings.introspection_enabled
    assert settings.max_page_size == 100


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db:5432/shop")
    monkeypatch.setenv("REDIS_URL", "redis://cache:6379/0")
    monkeypatch.setenv("ENVIRONMENT", "test")

    settings = Settings()

    assert settings.tortoise_db_url == "postgres://u@db:5432/shop"
    assert settings.redis_url == "redis://cache:6379/0"
    assert settings.environment is Environment.TEST


@pytest.mark.parametrize("secret", [PLACEHOLDER_SECRET, "short"])
def test_production_refuses_a_placeholder_or_short_secret(secret: str) -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY must be set"):
        Settings(environment=Environment.PRODUCTION, secret_key=secret)


def test_production_refuses_graphiql_or_introspection() -> None:
    with pytest.raises(ValidationError, match="GRAPHIQL and INTROSPECTION"):
        Settings(environment=Environment.PRODUCTION, secret_key=STRONG, introspection=True)


def test_production_with_a_real_secret_turns_developer_tools_off() -> None:
    settings = Settings(environment=Environment.PRODUCTION, secret_key=STRONG)

    assert not settings.graphiql_enabled
    assert not settings.introspection_enabled


def test_serve_in_production_with_the_placeholder_secret_refuses_to_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)

    result = CliRunner().invoke(app, ["serve"])

    assert result.exit_code == 2
    assert "refusing to start" in result.output
    assert "SECRET_KEY" in result.output


def test_unknown_environment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "prod")

    with pytest.raises(ValidationError, match="environment"):
        Settings()


def test_limits_have_safe_defaults_and_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    defaults = Settings()
    monkeypatch.setenv("MAX_QUERY_COST", "50")
    monkeypatch.setenv("THROTTLE_CAPACITY", "60")
    monkeypatch.setenv("REQUEST_TIMEOUT_SECONDS", "2.5")

    configured = Settings()

    assert (defaults.max_query_depth, defaults.max_query_aliases) == (10, 20)
    assert defaults.max_query_fields == 500
    assert (defaults.max_query_tokens, defaults.max_query_cost) == (2000, 1000)
    assert (defaults.throttle_capacity, defaults.throttle_leak_per_second) == (5000, 100.0)
    assert (defaults.max_body_bytes, defaults.request_timeout_seconds) == (1_048_576, 30.0)
    assert (configured.max_query_cost, configured.throttle_capacity) == (50, 60)
    assert configured.request_timeout_seconds == 2.5


def test_a_bucket_smaller_than_the_largest_allowed_query_is_refused() -> None:
    with pytest.raises(ValidationError, match="THROTTLE_CAPACITY"):
        Settings(max_query_cost=1000, throttle_capacity=999)


def test_an_empty_redis_url_means_no_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "")

    assert Settings().redis_url is None
