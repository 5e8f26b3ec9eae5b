"""Draw stand-in product photos with Pillow: a group colour, a simple shape and the product's name."""
import io
import textwrap
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

# Below the 1200 px rendition width on purpose: encoding two WebP renditions of each of ~90
# photos is most of the seeding time, and 960 px keeps the whole seed well under 20 s.
SIZE = (960, 720)
K = SIZE[0] / 1200  # the shapes and caption below are laid out for 1200 px
FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/arialbd.ttf",
)

# (top, bottom) of the background gradient, and the colour the shape is drawn in
GROUP_COLOURS = {
    "food": ((252, 222, 170), (233, 150, 80), (150, 70, 30)),
    "beverages": ((200, 230, 250), (90, 150, 210), (250, 250, 245)),
    "herbal": ((215, 240, 200), (110, 170, 90), (40, 95, 45)),
    "handicrafts": ((240, 230, 215), (185, 150, 115), (35, 75, 150)),
    "ornamental": ((230, 245, 225), (150, 200, 140), (200, 60, 120)),
    "tourism": ((255, 240, 200), (120, 180, 200), (160, 60, 40)),
}


@lru_cache(maxsize=4)
def _font(size: int) -> ImageFont.ImageFont:
    """Return a font with Vietnamese glyphs when the system has one, else Pillow's own."""
    for path in FONT_PATHS:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def _background(group: str, variant: int) -> Image.Image:
    """Return a vertical gradient between the group's two colours (reversed for odd variants)."""
    top, bottom, _ = GROUP_COLOURS[group]
    if variant % 2:
        top, bottom = bottom, top
    image = Image.new("RGB", SIZE, top)
    draw = ImageDraw.Draw(image)
    for y in range(SIZE[1]):
        mix = y / (SIZE[1] - 1)
        draw.line((0, y, SIZE[0], y), fill=tuple(round(a + (b - a) * mix) for a, b in zip(top, bottom)))
    return image


def _shade(colour, amount: int):
    return tuple(max(0, min(255, c + amount)) for c in colour)


def _vase(d, cx, cy, s, c):
    d.ellipse((cx - 130 * s, cy - 60 * s, cx + 130 * s, cy + 190 * s), fill=c)
    d.rectangle((cx - 45 * s, cy - 180 * s, cx + 45 * s, cy - 20 * s), fill=c)
    d.ellipse((cx - 75 * s, cy - 205 * s, cx + 75 * s, cy - 160 * s), fill=_shade(c, 40))


def _bowl(d, cx, cy, s, c):
    d.chord((cx - 200 * s, cy - 150 * s, cx + 200 * s, cy + 150 * s), 0, 180, fill=c)
    d.ellipse((cx - 200 * s, cy - 30 * s, cx + 200 * s, cy + 30 * s), fill=_shade(c, 60))
    d.rectangle((cx - 60 * s, cy + 140 * s, cx + 60 * s, cy + 165 * s), fill=c)


def _plate(d, cx, cy, s, c):
    d.ellipse((cx - 230 * s, cy - 130 * s, cx + 230 * s, cy + 130 * s), fill=c)
    d.ellipse((cx - 150 * s, cy - 80 * s, cx + 150 * s, cy + 80 * s), fill=_shade(c, 70))


def _teapot(d, cx, cy, s, c):
    d.ellipse((cx - 150 * s, cy - 100 * s, cx + 150 * s, cy + 140 * s), fill=c)
    d.polygon([(cx + 130 * s, cy), (cx + 250 * s, cy - 90 * s), (cx + 260 * s, cy - 70 * s),
               (cx + 140 * s, cy + 60 * s)], fill=c)
    d.arc((cx - 250 * s, cy - 60 * s, cx - 100 * s, cy + 100 * s), 90, 270, fill=c, width=int(22 * s))
    d.ellipse((cx - 30 * s, cy - 140 * s, cx + 30 * s, cy - 90 * s), fill=_shade(c, 40))


def _cup(d, cx, cy, s, c):
    d.rounded_rectangle((cx - 110 * s, cy - 120 * s, cx + 110 * s, cy + 140 * s), 30 * s, fill=c)
    d.arc((cx + 60 * s, cy - 70 * s, cx + 190 * s, cy + 80 * s), 270, 90, fill=c, width=int(26 * s))


def _bottle(d, cx, cy, s, c):
    d.rounded_rectangle((cx - 90 * s, cy - 60 * s, cx + 90 * s, cy + 200 * s), 40 * s, fill=c)
    d.rectangle((cx - 35 * s, cy - 170 * s, cx + 35 * s, cy - 40 * s), fill=c)
    d.rectangle((cx - 42 * s, cy - 205 * s, cx + 42 * s, cy - 165 * s), fill=_shade(c, -60))
    d.rectangle((cx - 90 * s, cy + 30 * s, cx + 90 * s, cy + 110 * s), fill=_shade(c, 70))


def _jar(d, cx, cy, s, c):
    d.rounded_rectangle((cx - 150 * s, cy - 100 * s, cx + 150 * s, cy + 180 * s), 60 * s, fill=c)
    d.rounded_rectangle((cx - 120 * s, cy - 150 * s, cx + 120 * s, cy - 90 * s), 20 * s, fill=_shade(c, 50))


def _box(d, cx, cy, s, c):
    d.rectangle((cx - 220 * s, cy - 80 * s, cx + 220 * s, cy + 170 * s), fill=c)
    d.rectangle((cx - 235 * s, cy - 130 * s, cx + 235 * s, cy - 70 * s), fill=_shade(c, 40))
    d.rectangle((cx - 20 * s, cy - 130 * s, cx + 20 * s, cy + 170 * s), fill=_shade(c, -50))


def _cloth(d, cx, cy, s, c):
    for i in range(4):
        x = cx - 240 * s + i * 120 * s
        d.polygon([(x, cy - 180 * s), (x + 130 * s, cy - 150 * s), (x + 110 * s, cy + 190 * s),
                   (x - 20 * s, cy + 160 * s)], fill=_shade(c, i * 25))


def _bag(d, cx, cy, s, c):
    d.arc((cx - 100 * s, cy - 220 * s, cx + 100 * s, cy - 20 * s), 180, 360, fill=c, width=int(20 * s))
    d.rounded_rectangle((cx - 180 * s, cy - 110 * s, cx + 180 * s, cy + 180 * s), 40 * s, fill=c)


def _cake(d, cx, cy, s, c):
    for row in range(2):
        for col in range(3):
            x, y = cx - 240 * s + col * 165 * s, cy - 90 * s + row * 150 * s
            d.rounded_rectangle((x, y, x + 145 * s, y + 120 * s), 18 * s, fill=_shade(c, (row + col) * 20))


def _leaf(d, cx, cy, s, c):
    d.ellipse((cx - 120 * s, cy - 200 * s, cx + 120 * s, cy + 200 * s), fill=c)
    d.line((cx, cy - 190 * s, cx, cy + 240 * s), fill=_shade(c, 80), width=int(10 * s))
    for k in (-100, -30, 40, 110):
        d.line((cx, cy + k * s, cx + 90 * s, cy + (k - 60) * s), fill=_shade(c, 80), width=int(6 * s))
        d.line((cx, cy + k * s, cx - 90 * s, cy + (k - 60) * s), fill=_shade(c, 80), width=int(6 * s))


def _flower(d, cx, cy, s, c):
    d.line((cx, cy, cx, cy + 230 * s), fill=(60, 120, 50), width=int(14 * s))
    for dx, dy in ((-90, 0), (90, 0), (0, -90), (0, 90), (-65, -65), (65, 65), (-65, 65), (65, -65)):
        d.ellipse((cx + (dx - 60) * s, cy + (dy - 60) * s, cx + (dx + 60) * s, cy + (dy + 60) * s), fill=c)
    d.ellipse((cx - 50 * s, cy - 50 * s, cx + 50 * s, cy + 50 * s), fill=(250, 210, 60))


def _plant(d, cx, cy, s, c):
    d.polygon([(cx - 130 * s, cy + 60 * s), (cx + 130 * s, cy + 60 * s), (cx + 95 * s, cy + 220 * s),
               (cx - 95 * s, cy + 220 * s)], fill=(150, 80, 50))
    for dx, dy, r in ((-80, -60, 90), (70, -90, 100), (0, -180, 95), (-20, -40, 80)):
        d.ellipse((cx + (dx - r) * s, cy + (dy - r) * s, cx + (dx + r) * s, cy + (dy + r) * s),
                  fill=(50, 130 + dx // 4, 60))
    d.ellipse((cx + 20 * s, cy - 100 * s, cx + 60 * s, cy - 60 * s), fill=c)


def _basket(d, cx, cy, s, c):
    d.polygon([(cx - 220 * s, cy - 80 * s), (cx + 220 * s, cy - 80 * s), (cx + 170 * s, cy + 180 * s),
               (cx - 170 * s, cy + 180 * s)], fill=c)
    for i in range(1, 6):
        y = cy - 80 * s + i * 43 * s
        d.line((cx - 220 * s + i * 9 * s, y, cx + 220 * s - i * 9 * s, y), fill=_shade(c, -50), width=int(8 * s))


def _frame(d, cx, cy, s, c):
    d.rectangle((cx - 260 * s, cy - 190 * s, cx + 260 * s, cy + 190 * s), fill=(60, 30, 20))
    d.rectangle((cx - 230 * s, cy - 160 * s, cx + 230 * s, cy + 160 * s), fill=(25, 20, 20))
    d.polygon([(cx - 230 * s, cy + 160 * s), (cx - 80 * s, cy - 60 * s), (cx + 60 * s, cy + 160 * s)], fill=c)
    d.ellipse((cx + 90 * s, cy - 130 * s, cx + 170 * s, cy - 50 * s), fill=(230, 190, 80))


def _figure(d, cx, cy, s, c):
    d.ellipse((cx - 70 * s, cy - 210 * s, cx + 70 * s, cy - 70 * s), fill=c)
    d.polygon([(cx - 60 * s, cy - 75 * s), (cx + 60 * s, cy - 75 * s), (cx + 150 * s, cy + 200 * s),
               (cx - 150 * s, cy + 200 * s)], fill=_shade(c, -30))


def _house(d, cx, cy, s, c):
    d.polygon([(cx - 260 * s, cy - 20 * s), (cx, cy - 210 * s), (cx + 260 * s, cy - 20 * s)], fill=c)
    d.rectangle((cx - 200 * s, cy - 20 * s, cx + 200 * s, cy + 190 * s), fill=(200, 120, 70))
    d.rectangle((cx - 40 * s, cy + 60 * s, cx + 40 * s, cy + 190 * s), fill=(90, 50, 30))


def _ticket(d, cx, cy, s, c):
    d.rounded_rectangle((cx - 250 * s, cy - 130 * s, cx + 250 * s, cy + 130 * s), 30 * s, fill=c)
    for y in range(int(cy - 110 * s), int(cy + 110 * s), int(30 * s)):
        d.ellipse((cx + 120 * s, y, cx + 135 * s, y + 15 * s), fill=_shade(c, 90))
    d.rectangle((cx - 200 * s, cy - 40 * s, cx + 60 * s, cy - 15 * s), fill=_shade(c, 90))
    d.rectangle((cx - 200 * s, cy + 15 * s, cx + 20 * s, cy + 40 * s), fill=_shade(c, 90))


SHAPES = {
    "vase": _vase, "bowl": _bowl, "plate": _plate, "teapot": _teapot, "cup": _cup, "bottle": _bottle,
    "jar": _jar, "box": _box, "cloth": _cloth, "bag": _bag, "cake": _cake, "leaf": _leaf,
    "flower": _flower, "plant": _plant, "basket": _basket, "frame": _frame, "figure": _figure,
    "house": _house, "ticket": _ticket,
}


def _caption(image: Image.Image, text: str) -> None:
    """Write ``text`` on a dark band across the bottom of ``image``."""
    font, line_height = _font(round(54 * K)), round(66 * K)
    lines = textwrap.wrap(text, width=34)[:2]
    band = Image.new("RGBA", (SIZE[0], round(70 * K) + line_height * len(lines)), (20, 20, 20, 170))
    image.paste(band, (0, SIZE[1] - band.height), band)
    draw = ImageDraw.Draw(image)
    y = SIZE[1] - band.height + round(35 * K)
    for line in lines:
        width = draw.textlength(line, font=font)
        draw.text(((SIZE[0] - width) / 2, y), line, font=font, fill=(255, 255, 255))
        y += line_height


def draw_photo(name: str, group: str, shape: str, variant: int = 0) -> bytes:
    """Return a JPEG of ``shape`` on the group's colours, captioned with ``name``; variants differ."""
    image = _background(group, variant)
    draw = ImageDraw.Draw(image)
    scale = (1.35, 1.0, 1.15)[variant % 3] * K
    cx = SIZE[0] / 2 + (0, -180, 180)[variant % 3] * K
    SHAPES[shape](draw, cx, 340 * K, scale, GROUP_COLOURS[group][2])
    _caption(image, name)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()
