"""GraphiQL's files come from the npm registry once, checked twice, and the page loads only them.

A fake registry (a local HTTP server) serves a package's metadata and tarball the way
registry.npmjs.org does.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import tarfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from merchantops.api import graphiql

SCRIPT = b"window.Widget = function () { return 42; };\n"


def sri(content: bytes, algorithm: str = "sha384") -> str:
    return f"{algorithm}-{base64.b64encode(hashlib.new(algorithm, content).digest()).decode()}"


def tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in files.items():
            member = tarfile.TarInfo(f"package/{name}")
            member.size = len(content)
            archive.addfile(member, io.BytesIO(content))
    return buffer.getvalue()


def page(integrity: str = sri(SCRIPT)) -> str:
    return (
        "<html><head>\n<script\n  crossorigin\n"
        '  src="https://unpkg.com/@demo/widget@1.2.3/dist/widget.min.js"\n'
        f'  integrity="{integrity}"\n></script>\n</head></html>'
    )


@dataclass
class FakeRegistry:
    url: str
    tarball: bytes
    integrity: str
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def registry() -> Iterator[FakeRegistry]:
    packed = tarball({"dist/widget.min.js": SCRIPT, "README.md": b"# widget\n"})
    state = FakeRegistry(url="", tarball=packed, integrity=sri(packed, "sha512"))

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append(self.path)
            if self.path == "/@demo/widget/1.2.3":
                tarball_url = f"{state.url}@demo/widget/-/widget-1.2.3.tgz"
                dist = {"integrity": state.integrity, "tarball": tarball_url}
                body = json.dumps({"name": "@demo/widget", "dist": dist}).encode()
            elif self.path == "/@demo/widget/-/widget-1.2.3.tgz":
                body = state.tarball
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def test_fetch_places_the_pinned_file_then_downloads_nothing_again(
    registry: FakeRegistry, tmp_path: Path
) -> None:
    # when
    first = graphiql.fetch(page(), tmp_path, registry.url)
    asked = len(registry.requests)
    second = graphiql.fetch(page(), tmp_path, registry.url)

    # then
    assert [asset.local_path for asset in first] == ["@demo/widget@1.2.3/dist/widget.min.js"]
    assert (tmp_path / "@demo/widget@1.2.3/dist/widget.min.js").read_bytes() == SCRIPT
    assert not (tmp_path / "@demo/widget@1.2.3/README.md").exists()
    assert second == []
    assert len(registry.requests) == asked == 2


def test_fetch_replaces_a_file_that_no_longer_matches(
    registry: FakeRegistry, tmp_path: Path
) -> None:
    graphiql.fetch(page(), tmp_path, registry.url)
    placed = tmp_path / "@demo/widget@1.2.3/dist/widget.min.js"
    placed.write_bytes(b"alert('changed')")

    again = graphiql.fetch(page(), tmp_path, registry.url)

    assert len(again) == 1
    assert placed.read_bytes() == SCRIPT


def test_fetch_refuses_a_tarball_the_registry_integrity_does_not_match(
    registry: FakeRegistry, tmp_path: Path
) -> None:
    registry.tarball = tarball({"dist/widget.min.js": b"window.steal()"})

    with pytest.raises(graphiql.AssetFetchError, match="does not match the registry's sha512"):
        graphiql.fetch(page(), tmp_path, registry.url)
    assert list(tmp_path.iterdir()) == []


def test_fetch_refuses_a_file_the_page_integrity_does_not_match(
    registry: FakeRegistry, tmp_path: Path
) -> None:
    pinned_elsewhere = page(integrity=sri(b"another build"))

    with pytest.raises(graphiql.AssetFetchError, match="does not match the sha384"):
        graphiql.fetch(pinned_elsewhere, tmp_path, registry.url)
    assert list(tmp_path.rglob("*.js")) == []


def test_render_with_the_files_in_place_loads_them_from_the_app(
    registry: FakeRegistry, tmp_path: Path
) -> None:
    graphiql.fetch(page(), tmp_path, registry.url)

    html = graphiql.render(page(), "/graphql/assets", tmp_path)

    assert 'src="/graphql/assets/@demo/widget@1.2.3/dist/widget.min.js"' in html
    assert f'integrity="{sri(SCRIPT)}"' in html
    assert "unpkg.com" not in html


def test_render_without_the_files_says_how_to_fetch_them(tmp_path: Path) -> None:
    html = graphiql.render(page(), "/graphql/assets", tmp_path)

    assert "scripts/install" in html
    assert "@demo/widget@1.2.3/dist/widget.min.js" in html
    assert "<script" not in html


def test_strawberry_graphiql_page_loads_nothing_but_files_the_app_serves() -> None:
    html = graphiql.strawberry_graphiql_html()
    assets = graphiql.assets_of(html)

    for asset in assets:
        html = html.replace(asset.url, f"/graphql/assets/{asset.local_path}")

    assert {asset.package for asset in assets} >= {"react", "react-dom", "graphiql"}
    external = re.findall(r'(?:src|href)="(https?://[^"]*)"', html)
    assert external == [], "strawberry's GraphiQL page loads files graphiql.py does not fetch"
    assert "unpkg.com" not in html
