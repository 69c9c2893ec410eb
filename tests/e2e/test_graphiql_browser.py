"""GraphiQL works in a browser that can reach nothing but this server.

The real server (`merchantops serve`, SQLite) runs in a subprocess; headless Chromium (Debian's
`chromium`, which `scripts/check` installs through `scripts/install-browser`) is cut off from
every other host by a dead proxy and a resolver that resolves nothing. The test drives it over
the DevTools protocol on a pipe (`--remote-debugging-pipe`: NUL-separated JSON on file
descriptors 3 and 4), so no extra client library and no debugging port are involved.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
import pytest

from merchantops.api import graphiql
from tests.conftest import TEST_SECRET, _unreachable

ROOT = Path(__file__).resolve().parents[2]
T = TypeVar("T")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def assets_installed() -> None:
    absent = graphiql.missing(graphiql.strawberry_graphiql_html())
    if absent:
        _unreachable(f"GraphiQL's files are not fetched (run scripts/install): {absent}")


@pytest.fixture(scope="module")
def server(assets_installed: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`merchantops serve` on a fresh SQLite file and a free port."""
    port = _free_port()
    env = {
        **os.environ,
        "ENVIRONMENT": "test",
        "DATABASE_URL": f"sqlite://{tmp_path_factory.mktemp('browser') / 'api.sqlite3'}",
        "SECRET_KEY": TEST_SECRET,
        "REDIS_URL": "",
    }
    command = [sys.executable, "-m", "merchantops.cli", "serve", "--no-demo", "--port", str(port)]
    process = subprocess.Popen(  # noqa: S603 - our own command
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(lambda: httpx.get(f"{base}/readyz", timeout=1).status_code == 200, 90, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait(ready: Callable[[], bool], seconds: float, process: subprocess.Popen[Any]) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if ready():
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            raise RuntimeError(f"the server did not start (exit code {process.poll()})")
        time.sleep(0.2)


class Chromium:
    """Headless Chromium attached to one page, spoken to over the DevTools pipe."""

    def __init__(self, binary: str, profile: Path) -> None:
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()

        def as_fds_3_and_4() -> None:
            os.dup2(to_browser_read, 3)
            os.dup2(from_browser_write, 4)

        self.process = subprocess.Popen(  # noqa: S603 - a fixed command line
            [
                binary,
                "--headless",
                "--no-sandbox",  # tests run as root in CI
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1280,800",
                f"--user-data-dir={profile}",
                "--remote-debugging-pipe",
                # nothing but the server on 127.0.0.1: every other host goes to a dead proxy
                # and resolves to nothing
                "--proxy-server=127.0.0.1:9",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "about:blank",
            ],
            # dup2 only; the descriptors it makes must survive, and Python opens every
            # other one non-inheritable
            preexec_fn=as_fds_3_and_4,
            close_fds=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._next_id = 0
        self._answers: queue.Queue[dict[str, Any]] = queue.Queue()
        self.events: list[dict[str, Any]] = []
        threading.Thread(target=self._read, daemon=True).start()
        page = next(
            target
            for target in self.call("Target.getTargets")["targetInfos"]
            if target["type"] == "page"
        )
        attached = self.call("Target.attachToTarget", targetId=page["targetId"], flatten=True)
        self.session = attached["sessionId"]

    def _read(self) -> None:
        buffer = b""
        while chunk := os.read(self._from_browser, 1 << 16):
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for raw in messages:
                message = json.loads(raw)
                if "id" in message:
                    self._answers.put(message)
                else:
                    self.events.append(message)

    def call(self, method: str, *, page: bool = False, **params: Any) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if page:
            message["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        answer = self._answers.get(timeout=20)
        assert answer["id"] == self._next_id, answer
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        result: dict[str, Any] = answer["result"]
        return result

    def evaluate(self, expression: str) -> Any:
        answer = self.call("Runtime.evaluate", page=True, expression=expression, returnByValue=True)
        return answer["result"].get("value")

    def wait_for(self, expression: str, seconds: float = 20) -> Any:
        deadline = time.monotonic() + seconds
        while not (value := self.evaluate(expression)):
            if time.monotonic() > deadline:
                raise AssertionError(f"never true in the page: {expression}")
            time.sleep(0.1)
        return value

    def click(self, selector: str) -> None:
        box = self.evaluate(
            f"JSON.stringify(document.querySelector({json.dumps(selector)})"
            ".getBoundingClientRect())"
        )
        rect = json.loads(box)
        x, y = rect["x"] + rect["width"] / 2, rect["y"] + rect["height"] / 2
        for kind in ("mousePressed", "mouseReleased"):
            self.call(
                "Input.dispatchMouseEvent",
                page=True,
                type=kind,
                x=x,
                y=y,
                button="left",
                clickCount=1,
            )

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, queue.Empty, OSError):
            self.call("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)


@pytest.fixture
def chromium(tmp_path: Path) -> Iterator[Chromium]:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        _unreachable("chromium is not installed (scripts/install-browser installs it)")
    browser = Chromium(binary, tmp_path / "profile")
    try:
        yield browser
    finally:
        browser.close()


def test_graphiql_without_internet_runs_a_query_and_shows_the_answer(
    server: str, chromium: Chromium, tmp_path: Path
) -> None:
    # given
    chromium.call("Network.enable", page=True)
    chromium.call("Runtime.enable", page=True)
    chromium.call("Log.enable", page=True)

    # when: the IDE opens with a query in its editor and its run button is clicked
    chromium.call("Page.navigate", page=True, url=f"{server}/graphql?q={quote('{ __typename }')}")
    chromium.wait_for("document.querySelector('.graphiql-execute-button') !== null")
    chromium.click(".graphiql-execute-button")
    answer = chromium.wait_for(
        "(document.querySelector('.result-window') || {}).innerText"
        " && document.querySelector('.result-window').innerText.includes('Query')"
        " && document.querySelector('.result-window').innerText"
    )
    shot = chromium.call("Page.captureScreenshot", page=True, format="png")

    # then
    assert '"__typename": "Query"' in answer
    screenshot = tmp_path / "graphiql.png"
    screenshot.write_bytes(base64.b64decode(shot["data"]))
    assert screenshot.read_bytes().startswith(b"\x89PNG")
    assert screenshot.stat().st_size > 10_000
    requested = [
        event["params"]["request"]["url"]
        for event in chromium.events
        if event.get("method") == "Network.requestWillBeSent"
    ]
    assert any(url.startswith(f"{server}/graphql/assets/graphiql@") for url in requested)
    assert [url for url in requested if not url.startswith((server, "data:"))] == []
    problems = [
        event
        for event in chromium.events
        if event.get("method") == "Runtime.exceptionThrown"
        or (
            event.get("method") == "Log.entryAdded" and event["params"]["entry"]["level"] == "error"
        )
        or (
            event.get("method") == "Runtime.consoleAPICalled" and event["params"]["type"] == "error"
        )
    ]
    assert problems == []  # a script error or a Content-Security-Policy violation


def test_graphiql_page_loads_its_files_from_the_server(server: str) -> None:
    assets = graphiql.assets_of(graphiql.strawberry_graphiql_html())
    main = next(asset for asset in assets if asset.file.endswith("graphiql.min.js"))

    page = httpx.get(f"{server}/graphql", headers={"Accept": "text/html"})
    script = httpx.get(f"{server}/graphql/assets/{main.local_path}")
    absent = httpx.get(f"{server}/graphql/assets/{main.package}@{main.version}/nothing.js")

    assert page.status_code == 200
    assert "unpkg.com" not in page.text
    assert 'src="/graphql/assets/react@' in page.text
    assert script.status_code == 200
    assert script.headers["content-type"].startswith(("text/javascript", "application/javascript"))
    assert absent.status_code == 404
    assert absent.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
