"""Draw stand-in product photos with Pillow: the product's shape lit on a table, as a studio shot.

No text is drawn into a photo (the page says the name; a caption would be cut off by the crop).
Each product gets several views: a centred hero shot, a closer look from the side, and a pair.
"""
import io
import random
from functools import lru_cache

from PIL import Image, ImageChops, ImageDraw, ImageFilter

# Below the 1200 px rendition width on purpose: encoding two WebP renditions of each of ~90
# photos is most of the seeding time, and 960 px keeps the whole seed well under 20 s.
SIZE = (960, 720)
K = SIZE[0] / 1200  # the shapes below are laid out for 1200 px
SUPERSAMPLE = 2  # shapes are drawn twice as large, then scaled down: smooth edges

# (top, bottom) of the background gradient, and the colour the product is drawn in
GROUP_COLOURS = {
    "food": ((252, 222, 170), (233, 150, 80), (150, 70, 30)),
    "beverages": ((200, 230, 250), (90, 150, 210), (70, 120, 60)),
    "herbal": ((215, 240, 200), (110, 170, 90), (40, 95, 45)),
    "handicrafts": ((240, 230, 215), (185, 150, 115), (35, 75, 150)),
    "ornamental": ((230, 245, 225), (150, 200, 140), (200, 60, 120)),
    "tourism": ((255, 240, 200), (120, 180, 200), (160, 60, 40)),
}
# studio sets: (wall top, wall bottom, table, table grain)
SETS = (
    ((246, 240, 230), (226, 214, 196), (182, 134, 88), (160, 112, 70)),   # cream wall, oak table
    ((232, 237, 242), (205, 214, 224), (244, 242, 236), (226, 222, 214)),  # grey-blue wall, linen
    ((222, 232, 218), (190, 206, 186), (98, 66, 46), (82, 54, 38)),      # sage wall, walnut table
)


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


def _gradient(size, top, bottom) -> Image.Image:
    """Return a vertical gradient from ``top`` to ``bottom``."""
    column = Image.new("RGB", (1, 256))
    column.putdata([tuple(round(a + (b - a) * y / 255) for a, b in zip(top, bottom)) for y in range(256)])
    return column.resize(size, Image.BILINEAR)


def _studio(variant: int, horizon: int, seed: int) -> Image.Image:
    """Return the wall and the table top, with a little grain so it reads as a photo."""
    wall_top, wall_bottom, table, grain = SETS[variant % len(SETS)]
    image = _gradient((SIZE[0], horizon), wall_top, wall_bottom)
    scene = Image.new("RGB", SIZE)
    scene.paste(image, (0, 0))
    scene.paste(_gradient((SIZE[0], SIZE[1] - horizon), _shade(table, 18), _shade(table, -22)), (0, horizon))
    draw = ImageDraw.Draw(scene)
    rng = random.Random(seed)
    for _ in range(70):  # wood grain or linen weave
        y = rng.randrange(horizon + 4, SIZE[1])
        draw.line((0, y, SIZE[0], y + rng.randint(-6, 6)), fill=grain, width=rng.choice((1, 1, 2)))
    draw.line((0, horizon, SIZE[0], horizon), fill=_shade(table, 35), width=3)
    return scene


def _product_layer(shape: str, colour, cx: float, cy: float, scale: float) -> Image.Image:
    """Draw the shape large on a transparent layer, light it from the upper left, scale it down."""
    big = (SIZE[0] * SUPERSAMPLE, SIZE[1] * SUPERSAMPLE)
    layer = Image.new("RGBA", big, (0, 0, 0, 0))
    SHAPES[shape](ImageDraw.Draw(layer), cx * SUPERSAMPLE, cy * SUPERSAMPLE, scale * SUPERSAMPLE, colour)
    box = layer.getchannel("A").getbbox()
    if not box:
        return layer.resize(SIZE)
    part = layer.crop(box)  # light only the product, not the empty canvas
    width, height = part.size
    alpha = part.getchannel("A")
    light = Image.linear_gradient("L").rotate(90).resize(part.size).point(lambda v: 150 + v * 105 // 255)
    rgb = ImageChops.multiply(part.convert("RGB"), Image.merge("RGB", (light,) * 3))
    shine = Image.new("L", part.size, 0)
    ImageDraw.Draw(shine).ellipse((width * .18, height * .12, width * .30, height * .55), fill=120)
    shine = ImageChops.multiply(shine.filter(ImageFilter.GaussianBlur(width * .04)), alpha)
    rgb = Image.composite(Image.new("RGB", part.size, (255, 255, 255)), rgb, shine)
    small_box = tuple(round(v / SUPERSAMPLE) for v in box)
    out = Image.new("RGBA", SIZE, (0, 0, 0, 0))
    lit = Image.merge("RGBA", (*rgb.split(), alpha)).resize(
        (max(1, small_box[2] - small_box[0]), max(1, small_box[3] - small_box[1])), Image.LANCZOS)
    out.paste(lit, small_box[:2])
    return out


def _place(scene: Image.Image, layer: Image.Image) -> None:
    """Set the product on the table with a soft contact shadow under it."""
    box = layer.getchannel("A").getbbox()
    if not box:
        return
    left, top, right, bottom = box
    small = (SIZE[0] // 4, SIZE[1] // 4)
    shadow = Image.new("L", small, 0)
    spread = (right - left) * .08
    ImageDraw.Draw(shadow).ellipse(tuple(v / 4 for v in (left - spread, bottom - (right - left) * .07,
                                                         right + spread, bottom + (right - left) * .05)), fill=150)
    shadow = shadow.filter(ImageFilter.GaussianBlur(max(1, (right - left) * .0125))).resize(SIZE, Image.BILINEAR)
    scene.paste(Image.new("RGB", SIZE, (40, 30, 25)), (0, 0), shadow)
    scene.paste(layer, (0, 0), layer)


def _vignette(scene: Image.Image) -> Image.Image:
    small = (SIZE[0] // 8, SIZE[1] // 8)  # blur small, then enlarge: the same soft edge, far cheaper
    mask = Image.new("L", small, 0)
    ImageDraw.Draw(mask).ellipse((-small[0] * .25, -small[1] * .3, small[0] * 1.25, small[1] * 1.3), fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(11)).resize(SIZE, Image.BILINEAR)
    return Image.composite(scene, ImageChops.multiply(scene, Image.new("RGB", SIZE, (200, 200, 200))), mask)


# per view: (scale, x offset) of each item, in 1200 px units; the first item is the product
VIEWS = (
    ((1.25, 0),),                    # hero shot, centred
    ((1.55, -90),),                  # closer, from the side
    ((0.8, 200), (1.15, -120)),      # a pair: one further back, one in front
)


def draw_photo(name: str, group: str, shape: str, variant: int = 0) -> bytes:
    """Return a JPEG studio shot of ``shape`` in the group's colour; each variant is another view.

    ``name`` only seeds the grain, so two products never look exactly alike; it is not written.
    """
    colour = GROUP_COLOURS[group][2]
    seed = sum(map(ord, name)) + variant
    cy = 350 * K
    horizon = round(cy + 40 * K)
    scene = _studio(variant, horizon, seed)
    for scale, dx in VIEWS[variant % len(VIEWS)]:
        tint = colour if scale >= 1 or len(VIEWS[variant % len(VIEWS)]) == 1 else _shade(colour, 25)
        rise = 0 if scale >= 1 else -60 * K  # the far item stands further back on the table
        _place(scene, _product_layer(shape, tint, SIZE[0] / 2 + dx * K, cy + rise, scale * K))
    scene = _vignette(scene)
    out = io.BytesIO()
    scene.save(out, "JPEG", quality=82)
    return out.getvalue()
