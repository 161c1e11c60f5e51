"""A strict Content-Security-Policy and the usual security headers on every page."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_template_contains_an_inline_script():
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        for tag in re.findall(r"<script\b[^>]*>", template.read_text(encoding="utf-8")):
            if "src=" not in tag and 'type="application/json"' not in tag:
                offenders.append(f"{template.name}: {tag}")
    assert offenders == []


def test_no_template_loads_anything_from_another_site():
    pattern = re.compile(r"""(src|href)=["']https?://""")
    offenders = [
        template.name
        for template in TEMPLATES.rglob("*.html")
        if pattern.search(template.read_text(encoding="utf-8"))
    ]
    assert offenders == []
