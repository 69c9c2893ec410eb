"""The admin CLI against a real database file, the way an operator would use it."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from merchantops.cli import app


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite://{path}")
    monkeypatch.setenv("ENVIRONMENT", "development")
    return path


def test_migrate_then_create_tenant_suspend_and_activate(env: Path) -> None:
    runner = CliRunner()

    migrated = runner.invoke(app, ["migrate"])
    user = runner.invoke(
        app, ["create-user", "--email", "Ana@Example.com", "--password", "long-enough-pw"]
    )
    tenant = runner.invoke(
        app, ["create-tenant", "--slug", "ana", "--name", "Ana", "--owner-email", "ana@example.com"]
    )
    invited = runner.invoke(
        app, ["create-tenant", "--slug", "bo", "--name", "Bo", "--owner-email", "bo@example.com"]
    )
    suspended = runner.invoke(app, ["suspend-tenant", "ana"])
    activated = runner.invoke(app, ["activate-tenant", "ana"])
    duplicate = runner.invoke(
        app, ["create-tenant", "--slug", "ana", "--name", "A", "--owner-email", "x@example.com"]
    )
    missing = runner.invoke(app, ["suspend-tenant", "nobody"])

    assert migrated.exit_code == 0, migrated.output
    assert "Created user ana@example.com" in user.output
    assert "Created tenant ana owned by ana@example.com" in tenant.output
    assert "invitation token" in invited.output
    assert "Tenant ana is suspended" in suspended.output
    assert "Tenant ana is active" in activated.output
    assert (duplicate.exit_code, "exists already" in duplicate.output) == (1, True)
    assert (missing.exit_code, "No tenant with slug" in missing.output) == (1, True)
