from __future__ import annotations

import io
import json
import logging
import logging.config
import subprocess
import sys
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from merchantops import cli
from merchantops.cli import app
from merchantops.log import uvicorn_log_config
from merchantops.settings import Settings

HEAVY = ("tortoise", "strawberry", "durable", "durable_rules_engine", "arq", "uvicorn", "graphql")
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")

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
    "docs-facts",
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


@pytest.mark.parametrize("argv", [["--help"], ["serve", "--help"], ["audit", "verify", "--help"]])
def test_cli_help_imports_no_heavy_module(argv: list[str]) -> None:
    # A fresh interpreter: this one imported everything already.
    probe = (
        "import sys\n"
        "from merchantops.cli import main\n"
        f"sys.argv = ['merchantops', *{argv!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"heavy = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    done = subprocess.run(  # noqa: S603 (our own interpreter and probe)
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )

    assert "Usage" in done.stdout
    assert done.stdout.rstrip().rsplit("\n", 1)[-1] == "HEAVY="


def test_serve_help_shows_the_host_and_port_defaults() -> None:
    result = CliRunner().invoke(app, ["serve", "--help"], terminal_width=200)

    assert "[default: 127.0.0.1]" in result.output
    assert "[default: 8000]" in result.output
    assert "HOST" in result.output
    assert "PORT" in result.output


def test_cli_host_and_port_defaults_are_the_settings_defaults() -> None:
    fields = Settings.model_fields

    assert (fields["host"].default, fields["port"].default) == (cli.DEFAULT_HOST, cli.DEFAULT_PORT)


@pytest.fixture
def uvicorn_loggers() -> Iterator[None]:
    saved = {
        name: (logger.handlers[:], logger.level, logger.propagate)
        for name in UVICORN_LOGGERS
        for logger in [logging.getLogger(name)]
    }
    yield
    for name, (handlers, level, propagate) in saved.items():
        logger = logging.getLogger(name)
        logger.handlers, logger.level, logger.propagate = handlers, level, propagate


@pytest.mark.usefixtures("uvicorn_loggers")
def test_uvicorn_logs_in_production_are_json_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    # given: uvicorn's loggers configured as `serve` does in production
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    config = uvicorn_log_config(json=True)
    assert config is not None
    logging.config.dictConfig(config)

    # when: uvicorn logs its startup and an access line
    logging.getLogger("uvicorn.error").info("Uvicorn running on %s", "http://0.0.0.0:8000")
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d', "10.0.0.1:5000", "GET", "/healthz", "1.1", 200
    )

    # then
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [(line["logger"], line["level"]) for line in lines] == [
        ("uvicorn.error", "info"),
        ("uvicorn.access", "info"),
    ]
    assert lines[1]["event"] == '10.0.0.1:5000 - "GET /healthz HTTP/1.1" 200'
    assert "timestamp" in lines[0]


def test_uvicorn_keeps_its_readable_logs_outside_production() -> None:
    assert uvicorn_log_config(json=False) is None
