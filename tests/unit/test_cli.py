from __future__ import annotations

import pytest
from typer.testing import CliRunner

from merchantops.cli import app

COMMANDS = [
    "serve",
    "worker",
    "migrate",
    "makemigrations",
    "create-user",
    "create-tenant",
    "suspend-tenant",
    "activate-tenant",
    "export-schema",
    "audit",
]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_explains_itself(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"])

    assert result.exit_code == 0
    assert "Usage" in result.output


def test_top_level_help_lists_every_command() -> None:
    result = CliRunner().invoke(app, ["--help"])

    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.output
