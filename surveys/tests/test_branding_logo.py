"""The logo as pages and e-mails fetch it: a PNG redrawn at upload, never the upload."""

import io

import pytest
from django.urls import reverse
from PIL import Image, PngImagePlugin

from surveys.models import Branding
from surveys.tests.branding_helpers import brand, jpeg_with_exif, png_bytes

pytestmark = pytest.mark.django_db
URL = reverse("branding_logo")


def test_the_served_logo_is_a_png_without_the_uploads_exif(client, hr_user):
    upload = jpeg_with_exif()
    assert Image.open(io.BytesIO(upload)).getexif()  # the upload carries EXIF
    branding = brand(hr_user, logo=upload)

    response = client.get(f"{URL}?v={branding.version}")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content != upload
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.size == (200, 80)
    assert not image.getexif()
    assert "exif" not in image.info and b"Phone of" not in response.content
    image.load()  # every pixel decodes


def test_a_png_loses_its_text_chunks_and_a_large_logo_is_scaled_down(client, hr_user):
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Hélène, hr@example.org")
    brand(hr_user, logo=png_bytes((3000, 600), pnginfo=info))

    image = Image.open(io.BytesIO(client.get(URL).content))

    assert image.size == (1200, 240)  # within 1200 × 400, proportions kept
    assert not image.text


def test_the_logo_of_the_current_version_is_cacheable_for_good(client, hr_user):
    old = brand(hr_user, logo=png_bytes())
    new = brand(hr_user, logo=png_bytes(colour=(255, 0, 0)))

    current = client.get(f"{URL}?v={new.version}")
    stale = client.get(f"{URL}?v={old.version}")

    assert (
        "immutable" in current["Cache-Control"] and "max-age=31536000" in current["Cache-Control"]
    )
    assert "public" in current["Cache-Control"]
    assert "immutable" not in stale["Cache-Control"] and "max-age=300" in stale["Cache-Control"]
    assert Image.open(io.BytesIO(stale.content)).getpixel((0, 0)) == (255, 0, 0)


def test_without_a_logo_there_is_nothing_to_fetch(client, hr_user):
    assert client.get(URL).status_code == 404
    brand(hr_user, organisation_name="Hôtels Lumière")
    assert Branding.objects.get().logo_width == 0
    assert client.get(URL).status_code == 404
