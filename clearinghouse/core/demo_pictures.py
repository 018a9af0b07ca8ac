"""Pictures drawn for the demo at load time (nothing downloaded): an emblem with an organisation's
initials, a landscape for an event. They go through core.pictures.clean_picture like an upload."""

from __future__ import annotations

import hashlib
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from clearinghouse.core.pictures import clean_picture

# Greens, blues and earth tones: the platform's palette and the Convention's subjects.
PALETTE = [(11, 93, 59), (43, 93, 52), (24, 84, 140), (155, 109, 38), (120, 56, 90), (20, 110, 120)]


def _colours(seed: str) -> tuple[tuple[int, int, int], tuple[int, int, int], int]:
    digest = hashlib.sha256(seed.encode()).digest()
    return PALETTE[digest[0] % len(PALETTE)], PALETTE[digest[1] % len(PALETTE)], digest[2]


def emblem(initials: str, seed: str, side: int = 480) -> ContentFile[bytes]:
    """A round emblem with up to three initials, on a transparent ground (PNG)."""
    ground, ring, _turn = _colours(seed)
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, side - 8, side - 8), fill=ground, outline=ring, width=side // 24)
    text = initials[:3].upper() or "?"
    font = ImageFont.load_default(size=side // (2 + len(text) // 2))
    draw.text((side / 2, side / 2), text, fill=(255, 255, 255), font=font, anchor="mm")
    out = BytesIO()
    image.save(out, "PNG")
    return clean_picture(SimpleUploadedFile("emblem.png", out.getvalue(), content_type="image/png"))


def landscape(seed: str, size: tuple[int, int] = (1280, 720)) -> ContentFile[bytes]:
    """A simple landscape (sky, sun, two hills), coloured after ``seed`` (JPEG)."""
    near, far, turn = _colours(seed)
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for row in range(height):
        light = 235 - row * 80 // height
        draw.line([(0, row), (width, row)], fill=(light - 40, light - 10, 250))
    sun_x = width * (20 + turn % 60) // 100
    draw.ellipse((sun_x - 60, 90, sun_x + 60, 210), fill=(250, 210, 90))
    draw.polygon([(0, height), (0, height * 55 // 100), (width * 45 // 100, height * 40 // 100),
                  (width, height * 60 // 100), (width, height)], fill=far)  # fmt: skip
    draw.polygon([(0, height), (0, height * 80 // 100), (width * 60 // 100, height * 62 // 100),
                  (width, height * 85 // 100), (width, height)], fill=near)  # fmt: skip
    out = BytesIO()
    image.save(out, "JPEG", quality=88)
    return clean_picture(SimpleUploadedFile("landscape.jpg", out.getvalue(), content_type="image/jpeg"))
