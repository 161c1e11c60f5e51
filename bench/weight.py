"""Page weight: a page and every stylesheet, script and image it references, as served.

Standard library only. Each file is fetched once with `Accept-Encoding: gzip`, as a
phone's browser would. A file the server sends uncompressed is counted at the size
gzip -6 gives it (what a compressing proxy or WhiteNoise's precompressed files would
serve, roughly), and marked so: the figure is never flattered by silently counting
raw bytes as if they were compressed.
"""

import gzip
import http.client
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

# url(...) in a stylesheet: fonts, images, imported sheets.
CSS_URL = re.compile(rb"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
CSS_IMPORT = re.compile(rb"""@import\s+['"]([^'"]+)['"]""")


@dataclass
class Asset:
    path: str
    status: int
    raw_bytes: int  # decompressed size
    served_bytes: int  # bytes on the wire as the server sent them
    served_gzip: bool  # True when the server itself compressed it
    gzip_bytes: int  # what counts: served size if compressed, else gzip -6 of it


class _References(HTMLParser):
    """Collects the URLs an HTML page makes a browser load (not links to other pages)."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = (attrs.get("rel") or "").lower().split()
        if tag == "link" and {"stylesheet", "icon", "preload", "modulepreload"} & set(rel):
            self.found.append(attrs.get("href"))
        elif tag in {"script", "img", "source", "video", "audio"}:
            self.found.append(attrs.get("src"))


def _fetch(host, port, path, headers=None):
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": "gzip", **(headers or {})})
        response = connection.getresponse()
        body = response.read()
        return response.status, response.headers, body
    finally:
        connection.close()


def _asset(path, status, headers, body):
    served_gzip = (headers.get("Content-Encoding") or "").lower() == "gzip"
    raw = gzip.decompress(body) if served_gzip else body
    counted = len(body) if served_gzip else len(gzip.compress(raw, compresslevel=6))
    return Asset(path, status, len(raw), len(body), served_gzip, counted), raw


def _local(base, reference):
    """The path of a same-site reference, or None for data: URIs and other hosts."""
    if not reference or reference.startswith(("data:", "#")):
        return None
    absolute = urlsplit(urljoin(base, reference))
    if absolute.netloc != urlsplit(base).netloc:
        return None
    return absolute.path + (f"?{absolute.query}" if absolute.query else "")


def page_weight(host, port, path, headers=None):
    """Fetch `path` and what it references; return the list of Assets, the page first.

    Stylesheets are followed one level for url() and @import (fonts, images). Every
    file counts once, even when referenced twice.
    """
    base = f"http://{host}:{port}{path}"
    status, response_headers, body = _fetch(host, port, path, headers)
    page, html = _asset(path, status, response_headers, body)
    assets, seen = [page], {path}
    parser = _References()
    parser.feed(html.decode("utf-8", "replace"))
    pending = [_local(base, reference) for reference in parser.found]
    while pending:
        asset_path = pending.pop(0)
        if asset_path is None or asset_path in seen:
            continue
        seen.add(asset_path)
        asset, raw = _asset(asset_path, *_fetch(host, port, asset_path))
        assets.append(asset)
        if asset_path.split("?")[0].endswith(".css"):
            asset_base = urljoin(base, asset_path)
            for found in CSS_URL.findall(raw) + CSS_IMPORT.findall(raw):
                pending.append(_local(asset_base, found.decode("utf-8", "replace")))
    return assets
