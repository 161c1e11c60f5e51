"""QR codes of public links, as PNG and SVG, drawn by segno."""

import struct
import xml.etree.ElementTree as ET
import zlib

import pytest
import segno
from django.urls import reverse

from surveys import services
from surveys.links import public_link_url
from surveys.tests.campaign_helpers import (
    logged_in,
    make_campaign,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(org):
    campaign = services.campaign_launch(campaign=make_campaign([org["team"]], opens_in=1))
    return campaign.public_links.get()


def qr(client, link, format):
    url = reverse("surveys:public_link_qr", args=[link.campaign.slug, link.team.code, format])
    return client.get(url)


def png_pixels(data):
    """Decode a 1-bit greyscale PNG (what segno writes) into rows of 0 (dark) / 1 (light)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, position = {}, 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length : position + 12 + length])
        assert zlib.crc32(kind + body) == crc
        chunks[kind] = chunks.get(kind, b"") + body
        position += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, colour) == (1, 0)
    raw, stride = zlib.decompress(chunks[b"IDAT"]), (width + 7) // 8
    rows, previous = [], bytes(stride)
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            left, up = line[i - 1] if i else 0, previous[i]
            corner = previous[i - 1] if i else 0
            line[i] = (line[i] + unfilter(kind, left, up, corner)) & 0xFF
        rows.append([(line[x // 8] >> (7 - x % 8)) & 1 for x in range(width)])
        previous = line
    return rows


def unfilter(kind, left, up, corner):
    """What a PNG row filter subtracted from a byte (one byte per pixel group)."""
    if kind == 4:  # Paeth
        estimate = left + up - corner
        distances = [abs(estimate - value) for value in (left, up, corner)]
        return (left, up, corner)[distances.index(min(distances))]
    return {0: 0, 1: left, 2: up, 3: (left + up) // 2}[kind]


def test_the_png_is_a_qr_code_of_the_public_link(client, hr_user, link):
    response = qr(logged_in(client, hr_user), link, "png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    pixels = png_pixels(response.content)
    expected = segno.make_qr(public_link_url(link.token), error="q").matrix
    scale = len(pixels) // (len(expected) + 8)  # a quiet zone of 4 modules on each side
    sampled = [
        [
            1 - pixels[(4 + y) * scale + scale // 2][(4 + x) * scale + scale // 2]
            for x in range(len(row))
        ]
        for y, row in enumerate(expected)
    ]
    assert sampled == [list(row) for row in expected]


def test_the_svg_is_a_scalable_drawing(client, hr_user, link):
    response = qr(logged_in(client, hr_user), link, "svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)  # noqa: S314 (our own output, not foreign input)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    size = len(segno.make_qr(public_link_url(link.token), error="q").matrix) + 8
    assert root.get("viewBox") == f"0 0 {size} {size}"
    assert root.find("{http://www.w3.org/2000/svg}path") is not None


def test_an_unknown_team_or_format_is_not_found(client, hr_user, link):
    hr = logged_in(client, hr_user)
    slug = link.campaign.slug
    assert hr.get(reverse("surveys:public_link_qr", args=[slug, "nope", "png"])).status_code == 404
    assert hr.get(f"/hr/campaigns/{slug}/links/{link.team.code}/qr.gif").status_code == 404
