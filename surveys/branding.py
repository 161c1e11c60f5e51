"""The organisation's branding: its name and logo, the sender of its e-mails, and the
invitation and reminder texts HR writes, set on one HR screen.

One row (pk 1), read where respondents see it: e-mails, questionnaires, thank-you
pages, posters. Until HR saves anything, everything behaves as without branding: the
sender is DEFAULT_FROM_EMAIL and no text is added.

The logo is never kept as uploaded: only a PNG or JPEG passes, its header is checked
(bytes, pixel dimensions) before its pixels are decoded, and what is stored is a new
PNG drawn from those pixels alone (no EXIF, no text chunk, no colour profile).
"""

import contextlib
import io
from email.headerregistry import Address
from email.utils import parseaddr

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from audit.models import Action
from audit.services import entry_create
from surveys.models import Branding, Language

SINGLETON = 1
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_SIDE = 4000
# The stored logo fits in this box: sharp at three times the height pages show it at.
LOGO_BOX = (1200, 400)
INTRO_FIELDS = (
    "invitation_intro_fr",
    "invitation_intro_en",
    "reminder_intro_fr",
    "reminder_intro_en",
)
TEXT_FIELDS = ("organisation_name", "sender_name", "sender_email", *INTRO_FIELDS)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"


class LogoRefused(ValueError):
    """An uploaded logo that is not accepted; the message says why, for HR."""


def branding_get():
    """The branding, or an unsaved blank one (every default) when HR never set it.

    The logo's bytes are left unread: `logo_width` tells whether there is one.
    """
    return Branding.objects.defer("logo").filter(pk=SINGLETON).first() or Branding(pk=SINGLETON)


def sender(branding):
    """The From header of every e-mail: the branding's name and address, each falling
    back to DEFAULT_FROM_EMAIL's."""
    default_name, default_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    name = branding.sender_name or default_name
    address = branding.sender_email or default_address
    # Quoted where the name needs it, left unencoded: Django encodes headers itself.
    return str(Address(display_name=name, addr_spec=address)) if name else address


def signature(branding):
    """Who signs the e-mails: the sender's name, else the organisation's, else Symétrie."""
    return branding.sender_name or branding.organisation_name or "Symétrie"


def intro(branding, *, reminder, language):
    """HR's opening text of the invitation (or reminder) in `language`, or ""."""
    kind = "reminder" if reminder else "invitation"
    suffix = "en" if language == Language.EN else "fr"
    return getattr(branding, f"{kind}_intro_{suffix}").strip()


def logo_path(branding):
    """The logo's address on this site (its version in it, so a new logo is fetched at
    once and the old one may be cached for good), or "" when there is none."""
    if not branding.logo_width:
        return ""
    return f"{reverse('branding_logo')}?v={branding.version}"


def logo_url(branding):
    """The logo's absolute address, for e-mails; "" when there is none."""
    path = logo_path(branding)
    return f"{settings.SITE_URL.rstrip('/')}{path}" if path else ""


def logo_png():
    """(PNG bytes, version) of the stored logo, or None when there is none."""
    row = (
        Branding.objects.filter(pk=SINGLETON, logo_width__gt=0)
        .values_list("logo", "version")
        .first()
    )
    return None if row is None else (bytes(row[0]), row[1])


def logo_reencode(upload):
    """Return (PNG bytes, width, height) of an uploaded PNG or JPEG logo, redrawn.

    Raises LogoRefused, saying why, for a file over LOGO_MAX_BYTES, anything that does
    not start as a PNG or a JPEG (SVG, which can carry script; GIF; a renamed file), a
    header announcing more than LOGO_MAX_SIDE pixels a side (a decompression bomb is
    refused there, before its pixels are decoded) and a file that does not decode.
    """
    if upload.size > LOGO_MAX_BYTES:
        raise LogoRefused(_too_big(upload.size))
    data = upload.read(LOGO_MAX_BYTES + 1)
    if len(data) > LOGO_MAX_BYTES:
        raise LogoRefused(_too_big(len(data)))
    if not data.startswith((PNG_SIGNATURE, JPEG_SIGNATURE)):
        raise LogoRefused(_not_png_or_jpeg(data))
    try:
        image = Image.open(io.BytesIO(data), formats=("PNG", "JPEG"))
        width, height = image.size
        if width > LOGO_MAX_SIDE or height > LOGO_MAX_SIDE:
            raise LogoRefused(_too_large(width, height))
        with _whole_images_only():
            image.load()
        png, size = _redrawn(image)
    except LogoRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise LogoRefused(
            _("This image announces too many pixels to be opened safely; it is refused.")
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise LogoRefused(
            _("This file cannot be read as an image: it may be damaged. Export it again as PNG.")
        ) from None
    return png, *size


@contextlib.contextmanager
def _whole_images_only():
    """Pillow decodes a truncated image as an error, as it does by default: WeasyPrint,
    once imported in the process, lets it fill the missing pixels in silently."""
    lenient = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient


def _redrawn(image):
    image = ImageOps.exif_transpose(image)  # a photo's orientation, before EXIF goes
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail(LOGO_BOX)
    # A new image holding the pixels only: no metadata of the upload can follow.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    buffer = io.BytesIO()
    clean.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue(), clean.size


def _too_big(size):
    return _("The logo weighs %(size)s; at most %(limit)s are accepted.") % {
        "size": filesizeformat(size),
        "limit": filesizeformat(LOGO_MAX_BYTES),
    }


def _too_large(width, height):
    return _(
        "The logo is %(width)s × %(height)s pixels; at most %(limit)s pixels a side are accepted."
    ) % {"width": width, "height": height, "limit": LOGO_MAX_SIDE}


def _not_png_or_jpeg(data):
    head = data[:1024].lstrip().lower()
    if b"<svg" in head or head.startswith(b"<?xml"):
        return _(
            "SVG logos are refused: an SVG file can carry script. Export the logo as PNG or JPEG."
        )
    if head.startswith(b"gif8"):
        return _("GIF logos are refused: only PNG and JPEG are accepted.")
    return _("This file is not a PNG or JPEG image: only PNG and JPEG logos are accepted.")


def branding_update(*, user, logo=None, remove_logo=False, **texts):
    """Save the branding's texts (the names of TEXT_FIELDS), and a logo from
    `logo_reencode` or its removal; audited. Returns the branding.

    The version goes up by one at every save, so cached respondent pages and the logo's
    address change with it. Text fields not given keep their value.
    """
    unknown = set(texts) - set(TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown branding fields: {sorted(unknown)}")
    with transaction.atomic():
        Branding.objects.get_or_create(pk=SINGLETON)
        branding = Branding.objects.select_for_update().get(pk=SINGLETON)
        changed = [name for name, value in texts.items() if getattr(branding, name) != value]
        for name, value in texts.items():
            setattr(branding, name, value)
        if logo is not None:
            branding.logo, branding.logo_width, branding.logo_height = logo
            changed.append("logo")
        elif remove_logo and branding.logo_width:
            branding.logo, branding.logo_width, branding.logo_height = None, 0, 0
            changed.append("logo removed")
        branding.version = F("version") + 1
        branding.save()
        entry_create(
            action=Action.BRANDING_EDIT,
            username=user.get_username(),
            user=user,
            detail=", ".join(changed) or "nothing changed",
        )
    branding.refresh_from_db()
    return branding
