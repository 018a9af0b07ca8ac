"""Draws the app's PNG icons from core/favicon.svg with Debian's Chromium, once, by hand:
``.venv/bin/python -m clearinghouse.offline.make_icons`` (Pillow cannot render SVG). The PNGs
are committed; nothing runs this at deploy time."""

from __future__ import annotations

import base64
from pathlib import Path

from playwright.sync_api import sync_playwright

APP = Path(__file__).resolve().parent
SOURCE = APP.parent / "core" / "static" / "core" / "favicon.svg"
ICONS = APP / "static" / "offline" / "icons"
BRAND = "#0b5d3b"


def main() -> None:
    source = "data:image/svg+xml;base64," + base64.b64encode(SOURCE.read_bytes()).decode()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for size in (192, 512):
            page = browser.new_page(viewport={"width": size, "height": size})
            # "any": the icon as drawn, with its transparent rounded corners.
            image = f'<img src="{source}" width="{size}" height="{size}">'
            page.set_content(f'<body style="margin:0">{image}</body>')
            page.screenshot(path=str(ICONS / f"icon-{size}.png"), omit_background=True)
            # "maskable": full-bleed brand colour, the leaf inside the central safe zone (80 %).
            inner = int(size * 0.7)
            page.set_content(
                f'<body style="margin:0;background:{BRAND};display:grid;place-items:center;height:{size}px">'
                f'<img src="{source}" width="{inner}" height="{inner}"></body>'
            )
            page.screenshot(path=str(ICONS / f"maskable-{size}.png"))
            page.close()
        browser.close()
    (ICONS / "icon.svg").write_bytes(SOURCE.read_bytes())


if __name__ == "__main__":
    main()
