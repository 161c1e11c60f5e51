"""Serve third-party assets straight from their installed Python packages.

Bootstrap comes from `xstatic-bootstrap`, plotly.js from `plotly`. Only the few
files the pages use are exposed, under `vendor/`, so `collectstatic` copies
megabytes less and nothing third-party is ever committed to the repository.
"""

from pathlib import Path

import plotly
import xstatic.pkg.bootstrap
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

_BOOTSTRAP = Path(xstatic.pkg.bootstrap.BASE_DIR)
_PLOTLY = Path(plotly.__file__).parent / "package_data"

ASSETS = {
    "vendor/bootstrap/bootstrap.min.css": _BOOTSTRAP / "css" / "bootstrap.min.css",
    "vendor/bootstrap/bootstrap.min.css.map": _BOOTSTRAP / "css" / "bootstrap.min.css.map",
    "vendor/bootstrap/bootstrap.bundle.min.js": _BOOTSTRAP / "js" / "bootstrap.bundle.min.js",
    "vendor/bootstrap/bootstrap.bundle.min.js.map": _BOOTSTRAP
    / "js"
    / "bootstrap.bundle.min.js.map",
    "vendor/plotly/plotly.min.js": _PLOTLY / "plotly.min.js",
}


class _OneFileStorage(FileSystemStorage):
    """Storage rooted at a package folder; `collectstatic` reads files through it."""


class PackageAssetsFinder(BaseFinder):
    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        source = ASSETS.get(path)
        if source is None or not source.exists():
            return [] if find_all else None
        return [str(source)] if find_all else str(source)

    def list(self, ignore_patterns):
        for path, source in ASSETS.items():
            # collectstatic asks for (relative path, storage that opens it).
            storage = _OneFileStorage(location=str(source.parent))
            storage.prefix = str(Path(path).parent)
            yield source.name, storage
