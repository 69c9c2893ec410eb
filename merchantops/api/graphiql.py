"""GraphiQL without a CDN: its scripts and styles are served by the application itself.

strawberry's GraphiQL page loads React, GraphiQL and the explorer plugin from unpkg.com, so
without internet it never gets past "Loading...". `scripts/install` runs this module
(`python -m merchantops.api.graphiql`), which reads the page strawberry ships, downloads each
npm package it names, at the version it names, from the npm registry (the one
`NPM_CONFIG_REGISTRY` or `npm config get registry` gives, else registry.npmjs.org), checks the
tarball against the registry's sha512 `integrity` and every file taken from it against the
sha384 `integrity` attribute of strawberry's page, and keeps those files (not committed) under
`static/vendor/<package>@<version>/`. A second run with every file in place downloads nothing.

The app serves them under `/graphql/assets/` and renders strawberry's page with each CDN URL
replaced by its local one; the `integrity` attributes stay, so the browser checks the files
too, and its Content-Security-Policy lets it load scripts, styles and data from this server
only (the page's own inline script by its hash). Without the files the page says how to fetch
them instead of hanging. A strawberry upgrade
that moves to other versions needs nothing here: the next `scripts/install` fetches them.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from dataclasses import dataclass
from html import escape
from importlib.util import find_spec
from itertools import groupby
from pathlib import Path

ASSETS_DIR = Path(__file__).parent / "static" / "vendor"
ASSETS_PATH = "/graphql/assets"
DEFAULT_REGISTRY = "https://registry.npmjs.org/"
_TAG = re.compile(r"<(?:script|link)\b[^>]*>", re.IGNORECASE)
_CDN_URL = re.compile(
    r'(?:src|href)="(?P<url>https://unpkg\.com/(?P<package>(?:@[\w.-]+/)?[\w.-]+)'
    r'@(?P<version>[\w.+-]+)/(?P<file>[\w./-]+))"'
)
_INTEGRITY = re.compile(r'integrity="(?P<integrity>sha384-[A-Za-z0-9+/=]+)"')
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL)


class AssetFetchError(Exception):
    pass


@dataclass(frozen=True)
class Asset:
    """One file of one npm package that the GraphiQL page loads."""

    url: str
    package: str
    version: str
    file: str
    integrity: str

    @property
    def local_path(self) -> str:
        return f"{self.package}@{self.version}/{self.file}"

    def path(self, root: Path = ASSETS_DIR) -> Path:
        return root / self.local_path

    def is_in_place(self, root: Path = ASSETS_DIR) -> bool:
        path = self.path(root)
        return path.is_file() and _sri(path.read_bytes()) == self.integrity


def strawberry_graphiql_html() -> str:
    spec = find_spec("strawberry")
    if spec is None or spec.origin is None:
        raise AssetFetchError("strawberry-graphql is not installed")
    return (Path(spec.origin).parent / "static" / "graphiql.html").read_text(encoding="utf-8")


def assets_of(html: str) -> list[Asset]:
    """Every CDN file the page loads, with the digest the page pins for it."""
    found = []
    for tag in _TAG.findall(html):
        url = _CDN_URL.search(tag)
        if url is None:
            continue
        integrity = _INTEGRITY.search(tag)
        if integrity is None:
            raise AssetFetchError(f"{url['url']} has no sha384 integrity in strawberry's page")
        found.append(Asset(integrity=integrity["integrity"], **url.groupdict()))
    return found


def missing(html: str, root: Path = ASSETS_DIR) -> list[Asset]:
    return [asset for asset in assets_of(html) if not asset.path(root).is_file()]


def render(html: str, prefix: str, root: Path = ASSETS_DIR) -> str:
    """strawberry's page loading its files from `prefix` (the URL `ASSETS_PATH` is served at);
    the page explaining how to fetch them when some are missing."""
    absent = missing(html, root)
    if absent:
        return _MISSING_PAGE.format(files=escape(", ".join(a.local_path for a in absent)))
    for asset in assets_of(html):
        html = html.replace(asset.url, f"{prefix}/{asset.local_path}")
    return html


def content_security_policy(html: str) -> str:
    """Scripts from this server and the page's own inline ones (by hash), nothing from
    elsewhere; inline styles, which GraphiQL sets on elements, and data: fonts and icons."""
    inline = " ".join(
        f"'{_sri(script.encode(), 'sha256')}'" for script in _INLINE_SCRIPT.findall(html)
    )
    return (
        f"default-src 'self'; script-src 'self' {inline}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


_MISSING_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>GraphiQL is not installed</title></head>
<body style="font-family: sans-serif; max-width: 42em; margin: 3em auto">
<h1>GraphiQL's files are not installed</h1>
<p>This server serves GraphiQL's scripts itself (it never loads them from a CDN), and some
are missing: {files}.</p>
<p>Fetch them from the npm registry with <code>scripts/install</code> (or
<code>.venv/bin/python -m merchantops.api.graphiql</code>), then reload this page.</p>
<p>The API itself works: send <code>POST /graphql</code> with a JSON body.</p>
</body></html>
"""


def fetch(html: str, root: Path = ASSETS_DIR, registry: str | None = None) -> list[Asset]:
    """Download the files of `html` not yet in place under `root`; returns those fetched."""
    wanted = [asset for asset in assets_of(html) if not asset.is_in_place(root)]
    if not wanted:
        return []
    registry = registry or npm_registry()
    for (package, version), files in groupby(
        sorted(wanted, key=lambda a: (a.package, a.version)), key=lambda a: (a.package, a.version)
    ):
        tarball = _download_package(registry, package, version)
        for asset in files:
            _extract(tarball, asset, root)
    return wanted


def npm_registry() -> str:
    configured = os.environ.get("NPM_CONFIG_REGISTRY")
    if configured:
        return configured
    npm = shutil.which("npm")
    if npm is not None:
        try:
            answer = subprocess.run(  # noqa: S603 - a fixed command, no input of ours
                [npm, "config", "get", "registry"],
                capture_output=True,
                text=True,
                timeout=30,
                check=True,
            )
        except (OSError, subprocess.SubprocessError):
            return DEFAULT_REGISTRY
        if answer.stdout.strip().startswith(("https://", "http://")):
            return answer.stdout.strip()
    return DEFAULT_REGISTRY


def _download_package(registry: str, package: str, version: str) -> bytes:
    metadata_url = f"{registry.rstrip('/')}/{package}/{version}"
    metadata = json.loads(_get(metadata_url))
    dist = metadata.get("dist", {})
    integrity, tarball_url = dist.get("integrity", ""), dist.get("tarball", "")
    if not integrity.startswith("sha512-") or not tarball_url.startswith(("https://", "http://")):
        raise AssetFetchError(f"{metadata_url} gives no sha512 integrity and tarball URL")
    tarball = _get(tarball_url)
    if _sri(tarball, "sha512") != integrity:
        raise AssetFetchError(f"{tarball_url} does not match the registry's {integrity}")
    return tarball


def _extract(tarball: bytes, asset: Asset, root: Path) -> None:
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        try:
            member = archive.extractfile(f"package/{asset.file}")
        except KeyError:
            member = None
        if member is None:
            raise AssetFetchError(f"{asset.package}@{asset.version} has no file {asset.file}")
        content = member.read()
    if _sri(content) != asset.integrity:
        raise AssetFetchError(
            f"{asset.local_path} does not match the {asset.integrity} of strawberry's page"
        )
    target = asset.path(root)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as partial:
        partial.write(content)
    Path(partial.name).replace(target)


def _get(url: str) -> bytes:
    if not url.startswith(("https://", "http://")):
        raise AssetFetchError(f"refusing to fetch {url}")
    try:
        with urllib.request.urlopen(url, timeout=60) as answer:  # noqa: S310 - scheme checked
            body: bytes = answer.read()
    except OSError as error:
        raise AssetFetchError(f"{url}: {error}") from error
    return body


def _sri(content: bytes, algorithm: str = "sha384") -> str:
    digest = hashlib.new(algorithm, content).digest()
    return f"{algorithm}-{base64.b64encode(digest).decode()}"


def main() -> int:
    try:
        fetched = fetch(strawberry_graphiql_html())
    except AssetFetchError as error:
        print(
            f"GraphiQL's files could not be fetched ({error}); /graphql will say so.",
            file=sys.stderr,
        )
        return 1
    if fetched:
        print(f"Fetched {len(fetched)} GraphiQL files into {ASSETS_DIR}", file=sys.stderr)
    return 0


__all__ = [
    "ASSETS_DIR",
    "ASSETS_PATH",
    "Asset",
    "AssetFetchError",
    "content_security_policy",
    "fetch",
    "render",
]

if __name__ == "__main__":
    sys.exit(main())
