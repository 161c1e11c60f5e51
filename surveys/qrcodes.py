"""QR codes of public links, drawn by segno."""

import io

import segno

# What each format is served as.
CONTENT_TYPES = {"png": "image/png", "svg": "image/svg+xml"}


def qr_code(url, *, kind):
    """Return the QR code of `url` as PNG or SVG bytes (`kind` is "png" or "svg").

    Error correction level Q, so a creased or slightly soiled poster still scans.
    """
    qr = segno.make_qr(url, error="q")
    buffer = io.BytesIO()
    if kind == "png":
        qr.save(buffer, kind="png", scale=12, border=4)  # about 10 cm wide at 120 dpi
    else:
        # A viewBox and no fixed size: the drawing scales to whatever box shows it.
        qr.save(buffer, kind="svg", border=4, omitsize=True, light="#fff")
    return buffer.getvalue()
