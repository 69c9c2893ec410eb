from __future__ import annotations

import pytest
from pydantic import ValidationError

from merchantops.settings import Environment, Settings

STRONG = "x" * 48


def test_cors_origins_come_from_a_comma_separated_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", "https://console.example.com, http://localhost:3000")

    settings = Settings()

    assert settings.cors_origins == ("https://console.example.com", "http://localhost:3000")
    assert settings.cors_origin_regex is None


def test_cors_origins_come_from_a_json_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", '["https://Console.Example.com"]')

    assert Settings().cors_origins == ("https://console.example.com",)


def test_cors_unset_allows_local_front_ends_in_development_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CORS_ALLOWED_ORIGINS", raising=False)

    development = Settings(environment=Environment.DEVELOPMENT)
    test = Settings(environment=Environment.TEST)
    production = Settings(environment=Environment.PRODUCTION, secret_key=STRONG)

    assert development.cors_origins == ()
    assert development.cors_origin_regex is not None
    assert (test.cors_origins, test.cors_origin_regex) == ((), None)
    assert (production.cors_origins, production.cors_origin_regex) == ((), None)


def test_cors_set_empty_allows_no_origin_even_in_development(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", "")

    settings = Settings(environment=Environment.DEVELOPMENT)

    assert (settings.cors_origins, settings.cors_origin_regex) == ((), None)


@pytest.mark.parametrize(
    "origin",
    [
        "https://console.example.com/",
        "https://console.example.com/app",
        "console.example.com",
        "ftp://console.example.com",
        "https://user@console.example.com",
        "https://console.example.com?x=1",
    ],
)
def test_cors_origin_with_more_or_less_than_an_origin_is_refused(origin: str) -> None:
    with pytest.raises(ValidationError, match="is not an origin"):
        Settings(cors_allowed_origins=origin)


def test_cors_wildcard_is_refused_in_production_only() -> None:
    anywhere = Settings(environment=Environment.DEVELOPMENT, cors_allowed_origins="*")

    with pytest.raises(ValidationError, match="CORS_ALLOWED_ORIGINS=\\* is refused in production"):
        Settings(environment=Environment.PRODUCTION, secret_key=STRONG, cors_allowed_origins="*")
    assert anywhere.cors_origins == ("*",)
