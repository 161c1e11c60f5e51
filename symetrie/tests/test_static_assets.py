"""Bootstrap and plotly.js come from their installed Python packages, not a CDN."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("path", "marker"),
    [
        ("vendor/bootstrap/bootstrap.min.css", "Bootstrap"),
        ("vendor/bootstrap/bootstrap.bundle.min.js", "Bootstrap"),
        ("vendor/plotly/plotly.min.js", "plotly.js"),
    ],
)
def test_vendor_assets_are_found_in_installed_packages(path, marker):
    found = finders.find(path)
    assert found is not None
    assert ".venv" in found or "site-packages" in found
    with open(found, encoding="utf-8") as handle:
        assert marker in handle.read(2000)


def test_collectstatic_builds_the_hashed_production_files(tmp_path):
    env = {**os.environ, "DEBUG": "false", "STATIC_MANIFEST": "true", "STATIC_ROOT": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    built = {path.name for path in (tmp_path / "vendor" / "plotly").iterdir()}
    assert any(name.startswith("plotly.min.") and name.endswith(".js.gz") for name in built)
    assert (tmp_path / "staticfiles.json").exists()
