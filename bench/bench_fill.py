"""Fill a fresh database with a Hanoi-sized catalogue, fast: Core inserts of plain dicts in batches.

For 30,000 products (the default): 1,350 villages, 120 outlets, 3,000 verified producers and
30,000 listed products, each with a verified certificate, one photo row (pointing at a few shared
WebP files) and 1–3 outlets; other sizes scale every count in proportion (300,000 products:
13,500 villages, 1,200 outlets, 30,000 producers). Ids are assigned here so rows can refer to
each other without reading anything back.
"""
import random
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace

from sqlalchemy import func, insert, select, text

from storefront.catalog.models import (
    Certificate, Outlet, Photo, Producer, Product, Village, product_outlets,
)
from storefront.catalog.search import search_text_for
from storefront.demo.images import draw_photo
from storefront.extensions import db
from storefront.images import make_renditions
from storefront.storage import LocalStorage
from storefront.text import slugify
from storefront.timeutil import local_today, utcnow

PRODUCTS = 30_000  # the default size; villages, outlets and producers scale with it
PER_30_000 = {"villages": 1_350, "outlets": 120, "producers": 3_000}
PHOTO_FILES = 6
BATCH = 5_000

FIRST = ("Phú", "Vân", "Hòa", "Đông", "Tân", "Bình", "An", "Thượng", "Hạ", "Yên", "Mỹ", "Quang",
         "Thanh", "Kim", "Đại", "Lạc", "Hưng", "Xuân", "Ninh", "Cát", "Bát", "Vạn", "Sơn", "Tản")
SECOND = ("Lâm", "Phúc", "Từ", "Hà", "Mỹ", "Thái", "Vân", "Lĩnh", "Nghĩa", "Trạch", "Khê", "Xá",
          "Sơn", "Thọ", "Bình", "Điền", "Hội", "Long", "Dương", "Đình", "Tràng", "Trì")
DISTRICTS = ("Gia Lâm", "Hà Đông", "Sơn Tây", "Phú Xuyên", "Thường Tín", "Ba Vì", "Chương Mỹ",
             "Thanh Trì", "Hoài Đức", "Đông Anh", "Ứng Hòa", "Mỹ Đức", "Quốc Oai", "Thạch Thất")
CRAFTS = ("gốm sứ", "dệt lụa", "mây tre đan", "sơn mài", "mộc", "khảm trai", "chế biến nông sản")
PLACE_TYPES = ("craft_village", "tourist_area", "supermarket", "market", "transport_hub", "other")
KINDS = ("cooperative", "enterprise", "household")
# (group, Vietnamese base name, English base name, unit)
GOODS = (
    ("handicrafts", "Bình gốm men lam", "Blue-glaze vase", "chiếc"),
    ("handicrafts", "Bộ ấm chén gốm men rạn", "Crackle-glaze tea set", "bộ"),
    ("handicrafts", "Khăn lụa tơ tằm", "Silk scarf", "chiếc"),
    ("handicrafts", "Tranh sơn mài", "Lacquer painting", "bức"),
    ("handicrafts", "Giỏ mây đan tay", "Hand-woven rattan basket", "chiếc"),
    ("food", "Chè lam", "Chè lam sweets", "hộp 500 g"),
    ("food", "Miến dong", "Arrowroot noodles", "gói 500 g"),
    ("food", "Mật ong hoa nhãn", "Longan honey", "chai 500 ml"),
    ("beverages", "Sữa tươi", "Fresh milk", "chai 1 lít"),
    ("beverages", "Rượu nếp", "Sticky-rice wine", "chai 500 ml"),
    ("herbal", "Trà dược liệu", "Herbal tea", "hộp 25 túi"),
    ("herbal", "Thuốc tắm thảo dược", "Herbal bath", "hộp 10 gói"),
    ("ornamental", "Lan hồ điệp", "Moth orchid", "chậu"),
    ("ornamental", "Cây bonsai", "Bonsai", "chậu"),
    ("tourism", "Trải nghiệm làng nghề", "Craft village experience", "vé/người"),
)
BANDS = {3: (50, 69), 4: (70, 89), 5: (90, 100)}


@dataclass
class Filled:
    """What the benchmark needs to know about the data: URLs to ask for."""

    village_slugs: list[str] = field(default_factory=list)
    product_slug: str = ""
    producer_slug: str = ""


def create_schema() -> None:
    db.drop_all()
    db.create_all()


@dataclass(frozen=True)
class Size:
    products: int = PRODUCTS

    def __getattr__(self, name):
        if name not in PER_30_000:
            raise AttributeError(name)
        return max(1, PER_30_000[name] * self.products // PRODUCTS)


def is_filled(products: int = PRODUCTS) -> bool:
    """Tell whether the database already holds the full catalogue (for ``--reuse``)."""
    try:
        return db.session.scalar(select(func.count(Product.id))) == products
    except Exception:  # noqa: BLE001 — no table yet means not filled
        db.session.rollback()
        return False


def bring_derived_in_step() -> bool:
    """Rebuild what the app derives from the filled rows (the listing table), when the app has it.

    The fill writes plain Core inserts, which no ORM hook sees; a database in service gets the
    same rows from ``flask catalog rebuild-listing``. Return whether anything was rebuilt.
    """
    try:
        from storefront.catalog import listing, listing_counts, listing_table
    except ImportError:  # an older tree without a listing table
        return False
    db.create_all()  # an older database filled before the table existed
    expected = db.session.scalar(select(func.count()).select_from(listing.windows().subquery()))
    if db.session.scalar(select(func.count()).select_from(listing_table.ListingRow)) == expected:
        return False
    listing_table.rebuild()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in (listing_table.TABLE, listing_counts.ListingCount.__tablename__):
                conn.execute(text(f"VACUUM ANALYZE {table}"))  # index-only scans need the visibility map
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    return True


def describe() -> Filled:
    """Return the two villages with most products, the newest product's slug and its producer's."""
    per_village = (select(Village.slug, func.count(Product.id).label("n"))
                   .join(Producer, Producer.village_id == Village.id)
                   .join(Product, Product.producer_id == Producer.id)
                   .group_by(Village.slug).order_by(text("n DESC"), Village.slug).limit(2))
    newest = (select(Product.slug, Producer.slug).join(Producer, Producer.id == Product.producer_id)
              .order_by(Product.created_at.desc(), Product.id.desc()).limit(1))
    product_slug, producer_slug = db.session.execute(newest).one()
    return Filled(village_slugs=list(db.session.scalars(per_village)),
                  product_slug=product_slug, producer_slug=producer_slug)


def fill(media_root: str, seed: int = 2026, products: int = PRODUCTS) -> None:
    """Insert the whole catalogue; write the shared photo files under ``media_root``."""
    rng = random.Random(seed)
    now, today = utcnow(), local_today()
    size = Size(products)
    photos = _photo_files(LocalStorage(media_root))
    villages = _villages(rng, size)
    producers = _producers(rng, villages, now, size)
    products = _products(rng, producers, villages, now, size)
    with db.engine.begin() as conn:
        for table, rows in ((Village.__table__, villages),
                            (Outlet.__table__, _outlets(rng, villages, size)),
                            (Producer.__table__, producers), (Product.__table__, products),
                            (Certificate.__table__, _certificates(rng, products, today, now)),
                            (Photo.__table__, _photos(products, photos, now)),
                            (product_outlets, _carried(rng, products, size))):
            for start in range(0, len(rows), BATCH):
                conn.execute(insert(table), rows[start:start + BATCH])
        if conn.dialect.name == "postgresql":
            _advance_sequences(conn)
    with db.engine.connect() as conn:  # fresh statistics, as a database in service would have
        conn.execute(text("ANALYZE"))
        conn.commit()


def _photo_files(storage: LocalStorage) -> list[dict]:
    """Draw a few photos once and store their renditions; every product row shares them."""
    files = []
    for n in range(PHOTO_FILES):
        group, name, _en, _unit = GOODS[n * 2 % len(GOODS)]
        renditions = make_renditions(draw_photo(name, group, ("vase", "cloth", "cake", "bottle", "leaf",
                                                                "flower")[n], n))
        small, large = f"bench/photo-{n}-400.webp", f"bench/photo-{n}-1200.webp"
        storage.save(small, renditions.small, "image/webp")
        storage.save(large, renditions.large, "image/webp")
        files.append({"small_key": small, "large_key": large,
                      "width": renditions.width, "height": renditions.height})
    return files


def _village_sort_columns(row) -> dict:
    """The folded sort and search columns, when the app's Village has them (Core inserts skip its hook)."""
    folded = getattr(Village, "folded_names", None)
    return folded(row["name"], row["name_en"], row["commune"], row["district"]) if folded else {}


def _villages(rng, size) -> list[dict]:
    rows = []
    for i in range(1, size.villages + 1):
        name = f"{rng.choice(FIRST)} {rng.choice(SECOND)}"
        row = {"id": i, "slug": f"{slugify(name)}-{i}", "name": name, "name_en": None,
               "commune": f"xã {name}", "district": rng.choice(DISTRICTS),
               "craft_vi": rng.choice(CRAFTS), "craft_en": None,
               "description_vi": f"Làng nghề {name}.", "description_en": None}
        rows.append(row | _village_sort_columns(row))
    return rows


def _outlets(rng, villages, size) -> list[dict]:
    rows = []
    for i in range(1, size.outlets + 1):
        place = PLACE_TYPES[i % len(PLACE_TYPES)]
        village = rng.choice(villages) if place == "craft_village" else None
        rows.append({"id": i, "slug": f"diem-ban-ocop-{i}", "name": f"Điểm bán OCOP số {i}",
                     "name_en": f"OCOP point no. {i}", "place_type": place,
                     "address": f"Số {i}, Hà Nội", "village_id": village and village["id"],
                     "opening_hours": "Hằng ngày 8:00–18:00", "opening_hours_en": "Daily 8:00–18:00",
                     "phone": f"0243{i:07d}", "latitude": round(rng.uniform(20.6, 21.3), 5),
                     "longitude": round(rng.uniform(105.3, 106.0), 5), "active": True})
    return rows


def _producers(rng, villages, now, size) -> list[dict]:
    rows = []
    for i in range(1, size.producers + 1):
        village = villages[(i - 1) % size.villages] if i <= size.villages else rng.choice(villages)
        kind = KINDS[i % 3]
        prefix = {"cooperative": "HTX", "enterprise": "Công ty", "household": "Hộ sản xuất"}[kind]
        name = f"{prefix} {village['name']} {i}"
        rows.append({"id": i, "slug": slugify(name), "name": name, "kind": kind,
                     "village_id": village["id"], "phone": f"09{i:08d}", "email": None,
                     "description_vi": None, "description_en": None, "status": "verified",
                     "review_note": None, "reviewed_at": now, "created_at": now})
    return rows


def _products(rng, producers, villages, now, size) -> list[dict]:
    rows = []
    for i in range(1, size.products + 1):
        producer = producers[(i - 1) % size.producers]
        village = villages[producer["village_id"] - 1]
        group, base_vi, base_en, unit = rng.choice(GOODS)
        name_vi, name_en = f"{base_vi} {village['name']}", f"{base_en} from {village['name']}"
        shaped = SimpleNamespace(name_vi=name_vi, name_en=name_en, producer=SimpleNamespace(
            name=producer["name"], village=SimpleNamespace(name=village["name"], name_en=None)))
        created = now - timedelta(minutes=rng.randrange(0, 365 * 24 * 60))
        rows.append({"id": i, "slug": f"{slugify(name_vi)}-{i}", "producer_id": producer["id"],
                     "name_vi": name_vi, "name_en": name_en, "description_vi": f"{name_vi}.",
                     "description_en": None, "group": group, "unit_vi": unit, "unit_en": None,
                     "price": rng.randrange(45, 2500) * 1000, "stock": rng.choice((0, 5, 20, 100)),
                     "status": "published", "search_text": search_text_for(shaped),
                     "created_at": created, "updated_at": created})
    return rows


def _certificates(rng, products, today, now) -> list[dict]:
    rows = []
    for product in products:
        stars = rng.choices((3, 4, 5), weights=(50, 40, 10))[0]
        decided = today - timedelta(days=rng.randrange(1, 1000))
        level = "central" if stars == 5 else ("district" if decided.isoformat() < "2025-07-01" else "province")
        rows.append({"id": product["id"], "product_id": product["id"], "stars": stars,
                     "score": rng.randint(*BANDS[stars]), "issuing_level": level, "issuing_body": None,
                     "decision_number": f"{product['id']}/QĐ-UBND", "decision_date": decided,
                     "expires_on": Certificate.expiry_for(decided), "scan_key": None,
                     "status": "verified", "review_note": None, "reviewed_at": now,
                     "reviewed_by_id": None, "created_at": now})
    return rows


def _photos(products, files, now) -> list[dict]:
    return [{"id": p["id"], "product_id": p["id"], "position": 0, "alt_vi": p["name_vi"], "alt_en": None,
             "created_at": now, **files[p["id"] % len(files)]} for p in products]


def _carried(rng, products, size) -> list[dict]:
    rows = []
    for product in products:
        for outlet_id in rng.sample(range(1, size.outlets + 1), rng.randint(1, 3)):
            rows.append({"product_id": product["id"], "outlet_id": outlet_id})
    return rows


def _advance_sequences(conn) -> None:
    """Move PostgreSQL's id sequences past the ids given here, so later inserts still work."""
    for table in ("village", "outlet", "producer", "product", "certificate", "photo"):
        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                          f"(SELECT max(id) FROM {table}))"))

