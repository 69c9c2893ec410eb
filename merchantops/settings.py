"""One settings class, read from the environment and validated at start.

Every limit the service enforces is a setting here with a safe default (the GraphQL limits are
explained in `merchantops/api/graphql/core/limits.py` and `cost.py`). Production refuses to
start with a placeholder secret or with developer conveniences (GraphiQL, introspection) on.
"""

from __future__ import annotations

import json
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Self
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PLACEHOLDER_SECRET = "change-me-insecure-development-secret"  # noqa: S105
MIN_PRODUCTION_SECRET_LENGTH = 32
MIN_METRICS_TOKEN_LENGTH = 24
# Unset CORS_ALLOWED_ORIGINS in development: front-end dev servers on this machine, any port.
LOCAL_ORIGINS = r"https?://(localhost|127\.0\.0\.1|\[::1\])(:[0-9]{1,5})?"


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    environment: Environment = Environment.DEVELOPMENT
    database_url: str = "sqlite://merchantops.sqlite3"
    # PostgreSQL: the owner of the tables, for migrations; unset: DATABASE_URL migrates too
    database_owner_url: str | None = None
    # PostgreSQL: refuse to start when DATABASE_URL's role skips row-level security
    # (a superuser or BYPASSRLS); unset: on in production
    require_row_level_security: bool | None = None
    redis_url: str | None = None
    secret_key: SecretStr = SecretStr(PLACEHOLDER_SECRET)

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)

    access_token_ttl_seconds: int = Field(default=900, ge=30, le=86_400)
    refresh_token_ttl_seconds: int = Field(default=30 * 86_400, ge=300)
    invitation_ttl_seconds: int = Field(default=7 * 86_400, ge=300)
    max_page_size: int = Field(default=100, ge=1, le=1000)

    graphiql: bool | None = None
    introspection: bool | None = None
    # unset: the environment's default (`cors_origin_regex`); empty: no origin
    cors_allowed_origins: Annotated[tuple[str, ...] | None, NoDecode] = None

    job_max_tries: int = Field(default=5, ge=1, le=25)
    job_retry_base_seconds: float = Field(default=2.0, ge=0.0, le=3600)
    job_timeout_seconds: int = Field(default=60, ge=1, le=3600)
    job_lease_seconds: float = Field(default=60.0, gt=0.0, le=86_400)
    outbox_poll_seconds: float = Field(default=1.0, gt=0.0, le=60)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0.0, le=60)
    webhook_allow_private_targets: bool | None = None
    # where `exportTenant` writes tenant archives (relative: under the working directory)
    tenant_archive_dir: Path = Path("tenant-archives")

    max_query_depth: int = Field(default=10, ge=1, le=100)
    max_query_aliases: int = Field(default=20, ge=0, le=1000)
    max_query_fields: int = Field(default=500, ge=1, le=10_000)
    max_query_tokens: int = Field(default=2000, ge=10, le=100_000)
    max_query_cost: int = Field(default=1000, ge=1)
    throttle_capacity: int = Field(default=5000, ge=1)
    throttle_leak_per_second: float = Field(default=100.0, gt=0.0)
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    request_timeout_seconds: float = Field(default=30.0, gt=0.0, le=600)
    liveness_timeout_seconds: float = Field(default=5.0, gt=0.0, le=120)
    liveness_max_timeouts: int = Field(default=3, ge=1, le=1000)
    query_cache_size: int = Field(default=256, ge=0, le=100_000)

    # off: no request metrics, no /metrics (the benchmark's baseline; keep it on)
    metrics_enabled: bool = True
    # /metrics on the API's own port answers only with `Authorization: Bearer <token>`; unset:
    # open outside production, not served there (use METRICS_PORT)
    metrics_token: SecretStr | None = None
    # a second, internal port serving only /metrics (API and worker processes alike)
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    metrics_host: str = "127.0.0.1"
    # tenants (slugs or ids) whose requests get a `tenant` label of their own; others: `other`
    metrics_tenant_labels: Annotated[tuple[str, ...], NoDecode] = ()
    metrics_max_operation_names: int = Field(default=200, ge=1, le=10_000)

    @property
    def is_production(self) -> bool:
        return self.environment is Environment.PRODUCTION

    @property
    def graphiql_enabled(self) -> bool:
        return (not self.is_production) if self.graphiql is None else self.graphiql

    @property
    def introspection_enabled(self) -> bool:
        return (not self.is_production) if self.introspection is None else self.introspection

    @property
    def cors_origins(self) -> tuple[str, ...]:
        """Origins whose pages may call the API (`*`: any), besides `cors_origin_regex`."""
        return self.cors_allowed_origins or ()

    @property
    def cors_origin_regex(self) -> str | None:
        if self.cors_allowed_origins is None and self.environment is Environment.DEVELOPMENT:
            return LOCAL_ORIGINS
        return None

    @property
    def webhooks_may_target_private_addresses(self) -> bool:
        if self.webhook_allow_private_targets is None:
            return self.environment is Environment.DEVELOPMENT
        return self.webhook_allow_private_targets

    @property
    def tortoise_db_url(self) -> str:
        """The database URL in the scheme tortoise expects (`postgres://`, `sqlite://`)."""
        return _tortoise_url(self.database_url)

    @property
    def migration_db_url(self) -> str:
        """Where migrations run: as the owner of the tables when DATABASE_OWNER_URL is set."""
        return _tortoise_url(self.database_owner_url or self.database_url)

    @property
    def row_level_security_required(self) -> bool:
        if self.require_row_level_security is None:
            return self.is_production
        return self.require_row_level_security

    @field_validator("redis_url", "database_owner_url", mode="before")
    @classmethod
    def _blank_redis_url_is_none(cls, value: object) -> object:
        # `REDIS_URL=` (set but empty) means "no Redis", as an unset variable does.
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("metrics_token", "metrics_port", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("metrics_tenant_labels", mode="before")
    @classmethod
    def _labels_from_a_list_or_json(cls, value: object) -> object:
        # `acme,globex` or `["acme", "globex"]`
        if not isinstance(value, str):
            return value
        if value.strip().startswith("["):
            return json.loads(value)
        return [label.strip() for label in value.split(",") if label.strip()]

    @field_validator("cors_allowed_origins", mode="before")
    @classmethod
    def _origins_from_a_list_or_json(cls, value: object) -> object:
        # `https://a.example,https://b.example` or `["https://a.example"]`
        if not isinstance(value, str):
            return value
        if value.strip().startswith("["):
            return json.loads(value)
        return [origin for origin in value.split(",") if origin.strip()]

    @field_validator("cors_allowed_origins")
    @classmethod
    def _origins_are_origins(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if value is None:
            return None
        origins = tuple(origin.strip().lower() for origin in value)
        for origin in origins:
            if origin == "*":
                continue
            parts = urlsplit(origin)
            if (
                parts.scheme not in ("http", "https")
                or not parts.hostname
                or parts.username is not None
                or origin != f"{parts.scheme}://{parts.netloc}"
            ):
                raise ValueError(
                    f"{origin!r} is not an origin: write scheme://host[:port] with nothing "
                    "after it (no path, no trailing slash), e.g. https://console.example.com"
                )
        return origins

    @model_validator(mode="after")
    def _a_query_under_the_cost_limit_fits_the_bucket(self) -> Self:
        if self.throttle_capacity < self.max_query_cost:
            raise ValueError(
                f"THROTTLE_CAPACITY ({self.throttle_capacity}) must be at least MAX_QUERY_COST "
                f"({self.max_query_cost}), or the most expensive allowed query could never run"
            )
        return self

    @model_validator(mode="after")
    def _production_is_safe(self) -> Self:
        if not self.is_production:
            return self
        secret = self.secret_key.get_secret_value()
        if secret == PLACEHOLDER_SECRET or len(secret) < MIN_PRODUCTION_SECRET_LENGTH:
            raise ValueError(
                "SECRET_KEY must be set to a random value of at least "
                f"{MIN_PRODUCTION_SECRET_LENGTH} characters in production, for example the "
                "output of `python -c 'import secrets; print(secrets.token_urlsafe(48))'`"
            )
        if self.graphiql_enabled or self.introspection_enabled:
            raise ValueError("GRAPHIQL and INTROSPECTION must stay off in production")
        token = self.metrics_token
        if token is not None and len(token.get_secret_value()) < MIN_METRICS_TOKEN_LENGTH:
            raise ValueError(
                f"METRICS_TOKEN must be at least {MIN_METRICS_TOKEN_LENGTH} characters in "
                "production (`python -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
            )
        if "*" in self.cors_origins:
            raise ValueError(
                "CORS_ALLOWED_ORIGINS=* is refused in production: list the origins of the "
                "merchant front ends, e.g. https://console.example.com,https://m.example.com"
            )
        return self


def _tortoise_url(url: str) -> str:
    for alias in ("postgresql://", "postgresql+asyncpg://", "asyncpg://"):
        if url.startswith(alias):
            return "postgres://" + url.removeprefix(alias)
    return url


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


__all__ = ["PLACEHOLDER_SECRET", "Environment", "Settings", "get_settings"]
