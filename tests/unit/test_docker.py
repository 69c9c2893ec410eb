"""The image and the compose stack, checked without a Docker engine (none runs in CI)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

DOCKER = Path(__file__).parents[2] / "docker"


def _stages() -> dict[str, str]:
    """The Dockerfile's stages by name, each with its instructions (continuations joined)."""
    text = (DOCKER / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if not line.lstrip().startswith("#")]
    stages: dict[str, str] = {}
    name = ""
    for line in lines:
        found = re.match(r"FROM\s+\S+\s+AS\s+(\S+)", line, re.IGNORECASE)
        if found:
            name = found.group(1)
            stages[name] = ""
        elif name:
            stages[name] += line + "\n"
    return stages


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((DOCKER / "compose.yaml").read_text())
    return loaded


def test_dockerfile_builder_stage_compiles_wheels_with_the_constraints() -> None:
    builder = _stages()["builder"]

    assert "build-essential" in builder
    assert re.search(r"pip wheel .*-c constraints\.txt", builder)


def test_dockerfile_runtime_installs_only_built_wheels_as_a_non_root_user() -> None:
    stages = _stages()
    runtime = stages[list(stages)[-1]]

    assert "build-essential" not in runtime
    assert "COPY --from=builder /wheels" in runtime
    assert re.search(r"pip install --no-index --find-links /wheels", runtime)
    [user] = re.findall(r"^USER\s+(\S+)", runtime, re.MULTILINE)
    assert user not in ("root", "0")


def test_dockerfile_healthcheck_probes_the_port_setting() -> None:
    runtime = list(_stages().values())[-1]

    [check] = [line for line in runtime.splitlines() if line.startswith("HEALTHCHECK")]
    assert "${PORT}" in check or "$PORT" in check
    assert ":8000" not in check
    assert "/healthz" in check
    assert "CMD [" not in check  # shell form: the container's PORT is expanded at check time


def test_compose_migrates_once_before_api_and_worker_start(compose: dict[str, Any]) -> None:
    services = compose["services"]

    assert "merchantops migrate" in " ".join(services["migrate"]["command"])
    assert services["migrate"].get("restart") == "no"
    for name in ("api", "worker"):
        condition = services[name]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully", name
    assert "--no-migrate" in services["api"]["command"]


def test_compose_migrates_as_the_owner_and_serves_as_a_role_held_to_row_level_security(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    environment = services["api"]["environment"]
    app_user = urlsplit(environment["DATABASE_URL"]).username
    owner_user = urlsplit(environment["DATABASE_OWNER_URL"]).username
    init = (DOCKER / "postgres-init" / "01-application-role.sql").read_text()

    assert app_user != owner_user == services["postgres"]["environment"]["POSTGRES_USER"]
    assert f"CREATE ROLE {app_user} LOGIN" in init
    assert "NOSUPERUSER NOBYPASSRLS" in init
    assert f"db-grant {app_user}" in " ".join(services["migrate"]["command"])
    assert "./postgres-init:/docker-entrypoint-initdb.d:ro" in services["postgres"]["volumes"]


def test_compose_app_services_run_the_image_in_production(compose: dict[str, Any]) -> None:
    services = compose["services"]

    for name in ("migrate", "api", "worker"):
        assert services[name]["build"]["dockerfile"] == "docker/Dockerfile", name
        assert services[name]["environment"].get("ENVIRONMENT", "production") == "production"
        assert "SECRET_KEY" in services[name]["environment"], name


def test_compose_disables_the_http_healthcheck_where_nothing_serves_http(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]

    assert services["worker"]["healthcheck"] == {"disable": True}
    assert services["migrate"]["healthcheck"] == {"disable": True}
    assert "healthcheck" not in services["api"]  # the image's own probe
