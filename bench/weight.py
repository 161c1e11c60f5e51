"""Page weight: a page and every stylesheet, script and image it references, as served.

Standard library only. Each file is fetched once with `Accept-Encoding: gzip`, as a
phone's browser would. A file the server sends uncompressed is counted at the size
gzip -6 gives it (what a compressing proxy or WhiteNoise's precompressed files would
serve, roughly), and marked so: the figure is never flattered by silently counting
raw bytes as if they were compressed.

A repeat visit (`repeat_visit`) is what the same browser downloads again later, its
cache holding the first visit: the page itself, and every file whose Cache-Control
lifetime has run out by then, asked again with its validators (ETag, Last-Modified):
an unchanged file answers 304 and costs no body. Files served with a far-future
lifetime (WhiteNoise's hashed names) are not asked for at all.
"""

import gzip
import http.client
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

# max-age in Cache-Control: how long a browser reuses a file without asking.
MAX_AGE = re.compile(r"max-age=(\d+)")
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
    max_age: int = 0  # seconds a browser may reuse it without asking (0: always asks)
    validators: tuple = ()  # (header, value) pairs that ask "has it changed?"


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


def _max_age(headers):
    """Seconds the response may be reused without asking; 0 when not said (a browser's
    heuristic lifetime is not counted on)."""
    cache = (headers.get("Cache-Control") or "").lower()
    found = MAX_AGE.search(cache)
    if found is None or "no-cache" in cache or "no-store" in cache:
        return 0
    return int(found.group(1))


def _asset(path, status, headers, body):
    served_gzip = (headers.get("Content-Encoding") or "").lower() == "gzip"
    raw = gzip.decompress(body) if served_gzip else body
    counted = len(body) if served_gzip else len(gzip.compress(raw, compresslevel=6))
    validators = tuple(
        (asked, headers[given])
        for given, asked in (("ETag", "If-None-Match"), ("Last-Modified", "If-Modified-Since"))
        if headers.get(given)
    )
    asset = Asset(
        path, status, len(raw), len(body), served_gzip, counted, _max_age(headers), validators
    )
    return asset, raw


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


def repeat_visit(host, port, assets, *, after, headers=None):
    """What a browser downloads when it comes back `after` seconds after the first visit
    that gave `assets` (page first): the page again, and each file whose lifetime has run
    out, asked with its validators (a 304 counts no body). Returns the Assets fetched."""
    page = assets[0]
    status, response_headers, body = _fetch(host, port, page.path, headers)
    fetched = [_asset(page.path, status, response_headers, body)[0]]
    for asset in assets[1:]:
        if asset.status == 200 and asset.max_age >= after:
            continue  # still fresh in the cache: not asked for
        status, response_headers, body = _fetch(host, port, asset.path, dict(asset.validators))
        again = _asset(asset.path, status, response_headers, body)[0]
        if status == 304:
            again.gzip_bytes = 0
        fetched.append(again)
    return fetched


def describe(assets):
    """A figure's note on a page's files (page first), and whether every one was served.

    The page is named "HTML": its path may hold a respondent's token, never printed."""
    names = ["HTML", *(asset.path.rsplit("/", 1)[-1] for asset in assets[1:])]
    largest = max(assets, key=lambda asset: asset.gzip_bytes)
    note = (
        f"{len(assets)} files, {sum(a.raw_bytes for a in assets) / 1024:.0f} KB uncompressed, "
        f"the largest {names[assets.index(largest)]} ({largest.gzip_bytes / 1024:.0f} KB)"
    )
    computed = [name for name, asset in zip(names, assets, strict=True) if not asset.served_gzip]
    if computed:
        note += f"; served uncompressed, so gzip -6 computed by the bench: {', '.join(computed)}"
    broken = [
        f"{name} {asset.status}"
        for name, asset in zip(names, assets, strict=True)
        if asset.status != 200
    ]
    if broken:
        note += f"; NOT SERVED: {', '.join(broken)}"
    return note, not broken
