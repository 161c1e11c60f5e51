"""Files for the branding tests: real logos, and the hostile ones HR might upload."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from surveys.branding import branding_update, logo_reencode


def png_bytes(size=(300, 100), colour=(31, 78, 156), mode="RGB", **save):
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, format="PNG", **save)
    return buffer.getvalue()


def jpeg_with_exif(size=(200, 80)):
    """A JPEG carrying EXIF: a camera model and a GPS tag, as a phone photo would."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x0110] = "Phone of Hélène"  # Model
    exif[0x8825] = {1: "N", 2: (45.0, 45.0, 0.0)}  # GPSInfo
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, quality=90)
    return buffer.getvalue()


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_announcing(width, height):
    """A tiny, valid-looking PNG whose header announces width × height pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _chunk(b"IEND", b"")
    )


SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script><rect width='10' height='10'/></svg>"
)


def gif_bytes():
    buffer = io.BytesIO()
    Image.new("P", (20, 20)).save(buffer, format="GIF")
    return buffer.getvalue()


def upload(data, name="logo.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def brand(user, **texts):
    """Save a branding as HR would, with a logo when `logo` bytes are given."""
    logo = texts.pop("logo", None)
    return branding_update(user=user, logo=logo_reencode(upload(logo)) if logo else None, **texts)
