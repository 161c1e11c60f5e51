"""The branding screen: HR sets the organisation, logo, sender and e-mail texts; every
bad file or address is refused with a clear message and changes nothing."""

import io

import pytest
from django.urls import reverse
from PIL import Image, ImageFile

from audit.models import Action, AuditEntry
from surveys.branding import LOGO_MAX_BYTES
from surveys.models import Branding
from surveys.tests.branding_helpers import (
    SVG,
    brand,
    gif_bytes,
    jpeg_with_exif,
    png_announcing,
    png_bytes,
    upload,
)
from surveys.tests.campaign_helpers import logged_in

pytestmark = pytest.mark.django_db
URL = reverse("surveys:branding")
TEXTS = {
    "organisation_name": "Hôtels Lumière",
    "sender_name": "Hôtels Lumière RH",
    "sender_email": "rh@hotels-lumiere.example",
    "invitation_intro_fr": "Bonjour à toutes et à tous.",
    "invitation_intro_en": "Dear all.",
    "reminder_intro_fr": "",
    "reminder_intro_en": "",
}


def post(client, *, logo=None, button="save", **changes):
    data = TEXTS | changes | {button: "1"}
    if logo is not None:
        data["logo"] = logo
    return client.post(URL, data)


def test_hr_saves_the_branding_and_the_change_is_audited(client, hr_user):
    response = post(logged_in(client, hr_user), logo=upload(jpeg_with_exif(), "logo.jpg"))

    assert response.status_code == 302
    branding = Branding.objects.get()
    assert branding.organisation_name == "Hôtels Lumière"
    assert branding.sender_email == "rh@hotels-lumiere.example"
    assert (branding.logo_width, branding.logo_height) == (200, 80)
    assert Image.open(io.BytesIO(bytes(branding.logo))).format == "PNG"
    entry = AuditEntry.objects.get(action=Action.BRANDING_EDIT)
    assert entry.username == "helene@example.org"
    assert "organisation_name" in entry.detail and "logo" in entry.detail
    page = client.get(URL).text
    assert "The branding and texts are saved." in page
    assert 'data-testid="current-logo"' in page


def test_the_screen_previews_the_emails_of_both_languages_as_they_would_read(client, hr_user):
    brand(hr_user, **TEXTS)

    page = logged_in(client, hr_user).get(URL).text

    assert "From: Hôtels Lumière RH &lt;rh@hotels-lumiere.example&gt;" in page
    assert "Bonjour à toutes et à tous." in page and "Dear all." in page
    assert 'data-testid="preview-fr-reminder"' in page
    assert 'data-testid="preview-en-invitation"' in page


def test_preview_shows_posted_texts_escaped_and_saves_nothing(client, hr_user):
    response = post(
        logged_in(client, hr_user),
        button="preview",
        invitation_intro_en="<b>Hi</b> & <script>alert(1)</script>",
    )

    assert response.status_code == 200
    assert "&lt;b&gt;Hi&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<script>alert(1)" not in response.text
    assert not Branding.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.BRANDING_EDIT).exists()


def test_a_new_save_keeps_the_logo_and_removing_it_works(client, hr_user):
    brand(hr_user, logo=png_bytes(), **TEXTS)
    client = logged_in(client, hr_user)

    post(client, organisation_name="Lumière")
    assert Branding.objects.get().logo_width == 300
    post(client, organisation_name="Lumière", remove_logo="on")
    branding = Branding.objects.get()
    assert (branding.logo, branding.logo_width, branding.organisation_name) == (None, 0, "Lumière")


@pytest.mark.parametrize(
    ("logo", "message"),
    [
        (upload(SVG, "logo.svg", "image/svg+xml"), "SVG logos are refused"),
        (upload(SVG, "logo.png"), "SVG logos are refused"),
        (upload(gif_bytes(), "logo.gif", "image/gif"), "GIF logos are refused"),
        (upload(b"name;email\nLea;lea@example.org\n", "logo.png"), "is not a PNG or JPEG image"),
        (upload(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200), "cannot be read as an image"),
        (upload(png_bytes()[:-40]), "cannot be read as an image"),
        (upload(b"\x89PNG\r\n\x1a\n" + b"\x00" * LOGO_MAX_BYTES), "at most 2.0"),
        (upload(png_announcing(5000, 300)), "5000 × 300 pixels; at most 4000"),
    ],
    ids=[
        "svg",
        "svg-renamed-png",
        "gif",
        "csv-renamed-png",
        "png-garbage",
        "truncated",
        "bytes",
        "pixels",
    ],
)
@pytest.mark.parametrize("lenient", [False, True], ids=["pillow", "pillow-after-weasyprint"])
def test_a_bad_logo_is_refused_with_a_clear_message_and_nothing_is_written(
    client, hr_user, logo, message, lenient, monkeypatch
):
    # WeasyPrint, once imported, sets Pillow to fill truncated images in silently.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", lenient)
    logo.seek(0)  # one upload object per case, sent by each run
    brand(hr_user, organisation_name="Avant")
    before = Branding.objects.get()

    response = post(logged_in(client, hr_user), logo=logo)

    assert response.status_code == 200
    assert message in response.text
    after = Branding.objects.get()
    assert (after.version, after.organisation_name, after.logo) == (before.version, "Avant", None)
    assert AuditEntry.objects.filter(action=Action.BRANDING_EDIT).count() == 1


def test_a_decompression_bomb_is_refused_before_its_pixels_are_decoded(client, hr_user):
    # 40,000 × 40,000 pixels announced in 100 bytes: Pillow's DecompressionBombError.
    bomb = png_announcing(40_000, 40_000)
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(bomb))

    response = post(logged_in(client, hr_user), logo=upload(bomb))

    assert response.status_code == 200
    assert "too many pixels to be opened safely" in response.text
    assert not Branding.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sender_email": "not-an-address"}, "Enter a valid email address."),
        ({"sender_email": "RH <rh@example.org>"}, "Enter a valid email address."),
        ({"sender_email": "rh@example.org\r\nBcc: all@example.org"}, "valid email address"),
        ({"sender_name": "RH <rh@example.org>"}, "A name only"),
        ({"sender_name": "RH\r\nBcc: all@example.org"}, "A name only"),
        ({"invitation_intro_fr": "x" * 2001}, "at most 2000 characters"),
    ],
    ids=["no-at", "with-name", "header-injection", "name-address", "name-newline", "long-text"],
)
def test_a_bad_sender_or_text_is_refused_and_nothing_is_written(client, hr_user, changes, message):
    response = post(logged_in(client, hr_user), **changes)

    assert response.status_code == 200
    assert message in response.text
    assert not Branding.objects.exists()


def test_login_is_required(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_stranger_gets_404_and_a_manager_403_and_nothing_changes(client, stranger, manager):
    assert logged_in(client, stranger).get(URL).status_code == 404
    assert post(client).status_code == 404
    assert logged_in(client, manager).get(URL).status_code == 403
    assert post(client).status_code == 403
    assert not Branding.objects.exists()
