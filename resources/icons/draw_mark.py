"""Draws the HomeAssess mark (a teal house with an amber tick on a white rounded tile) as PNGs.

Run it from anywhere to redraw ``homeassess-256.png`` (window icon) and ``homeassess-64.png`` (report band)
beside this file. Needs only Pillow.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

TEAL, AMBER, WHITE = (11, 79, 108, 255), (245, 158, 11, 255), (255, 255, 255, 255)
SIZE = 1024   # drawn large, then reduced, for smooth edges


def mark() -> Image.Image:
    img = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((16, 16, SIZE - 16, SIZE - 16), radius=210, fill=WHITE, outline=TEAL, width=36)
    d.polygon([(512, 170), (850, 470), (770, 470), (770, 840), (254, 840), (254, 470), (174, 470)], fill=TEAL)
    d.rounded_rectangle((440, 600, 584, 840), radius=24, fill=WHITE)   # the door
    tick = [(560, 470), (650, 560), (860, 330)]
    d.line(tick, fill=WHITE, width=120, joint="curve")
    d.line(tick, fill=AMBER, width=70, joint="curve")
    for x, y in (tick[0], tick[-1]):
        d.ellipse((x - 35, y - 35, x + 35, y + 35), fill=AMBER)
    return img


if __name__ == "__main__":
    big, here = mark(), Path(__file__).parent
    for size in (256, 64):
        big.resize((size, size), Image.LANCZOS).save(here / f"homeassess-{size}.png", optimize=True)
