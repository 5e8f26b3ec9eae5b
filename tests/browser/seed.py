"""What the journeys start from: two craft villages, their sales points, an admin and outlet staff.

Every function here runs inside the live server's app context (``live_server.run(...)``) and
returns plain values, so no database object outlives its session.
"""
import io
import itertools
from dataclasses import dataclass

from PIL import Image, ImageDraw

from storefront.accounts.models import Role, User
from storefront.catalog.models import Outlet, Village
from storefront.extensions import db
from tests.support.factories import ProducerFactory, ProductFactory

PASSWORD = "mật khẩu thử nghiệm dài"
_numbers = itertools.count(1)


@dataclass(frozen=True)
class World:
    bat_trang: str  # village slugs
    van_phuc: str
    bat_trang_outlet: str  # outlet names
    van_phuc_outlet: str
    admin_email: str
    staff_email: dict  # outlet name -> staff e-mail


@dataclass(frozen=True)
class Listed:
    id: int
    slug: str
    name_vi: str
    name_en: str


def _user(email: str, name: str, role: str, **links) -> None:
    user = User(email=email, name=name, role=role, **links)
    user.set_password(PASSWORD)
    db.session.add(user)


def build_world() -> World:
    """Create the villages, sales points and staff accounts every journey needs."""
    bat_trang = Village(slug="bat-trang", name="Bát Tràng", commune="xã Bát Tràng",
                        district="Gia Lâm", craft_vi="gốm sứ", craft_en="ceramics")
    van_phuc = Village(slug="van-phuc", name="Vạn Phúc", commune="phường Vạn Phúc",
                       district="Hà Đông", craft_vi="dệt lụa tơ tằm", craft_en="silk weaving")
    outlets = [
        Outlet(slug="tinh-hoa-lang-nghe", name="Khu tinh hoa làng nghề Việt",
               name_en="Vietnamese Craft Village Showcase", place_type="craft_village",
               address="Thôn 5, xã Bát Tràng, Gia Lâm, Hà Nội", village=bat_trang,
               opening_hours="8:00–17:30 hằng ngày", opening_hours_en="8:00–17:30 daily",
               phone="0243 874 0000", latitude=20.9757, longitude=105.9139),
        Outlet(slug="diem-ocop-van-phuc", name="Điểm OCOP làng lụa Vạn Phúc",
               name_en="Vạn Phúc Silk Village OCOP Point", place_type="craft_village",
               address="Phường Vạn Phúc, Hà Đông, Hà Nội", village=van_phuc,
               opening_hours="8:00–18:00", opening_hours_en="8:00–18:00",
               phone="0243 382 0000", latitude=20.9810, longitude=105.7760),
    ]
    db.session.add_all([bat_trang, van_phuc, *outlets])
    db.session.flush()
    _user("admin@example.com", "Quản trị viên", Role.ADMIN)
    staff = {}
    for number, outlet in enumerate(outlets, start=1):
        staff[outlet.name] = f"staff{number}@example.com"
        _user(staff[outlet.name], f"Nhân viên {number}", Role.OUTLET_STAFF, outlet=outlet)
    db.session.commit()
    return World(bat_trang=bat_trang.slug, van_phuc=van_phuc.slug,
                 bat_trang_outlet=outlets[0].name, van_phuc_outlet=outlets[1].name,
                 admin_email="admin@example.com", staff_email=staff)


def jpeg(width: int = 1200, height: int = 900, colour=(30, 90, 160)) -> bytes:
    """Return a real JPEG photo (a glazed pot on a plain background, more or less)."""
    image = Image.new("RGB", (width, height), (235, 228, 214))
    draw = ImageDraw.Draw(image)
    draw.ellipse((width * 0.3, height * 0.2, width * 0.7, height * 0.9), fill=colour)
    draw.rectangle((width * 0.42, height * 0.08, width * 0.58, height * 0.25), fill=colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def listed_product(name_vi: str, name_en: str, village_slug: str, outlet_names: list[str],
                   stars: int = 4, price: int = 150000, stock: int = 20, group="handicrafts",
                   unit_vi="chiếc", unit_en="piece", photo: bool = True) -> Listed:
    """Create a verified producer in the village and a listed product carried by the outlets."""
    from storefront.producers.photos import add_photo

    number = next(_numbers)
    village = db.session.scalar(db.select(Village).filter_by(slug=village_slug))
    outlets = list(db.session.scalars(db.select(Outlet).where(Outlet.name.in_(outlet_names))))
    producer = ProducerFactory(village=village, name=f"HTX {village.name} {number}",
                               slug=f"htx-{village.slug}-{number}")
    product = ProductFactory(producer=producer, name_vi=f"{name_vi} {number}",
                             name_en=f"{name_en} {number}", slug=f"{village.slug}-sp-{number}",
                             price=price, stock=stock, group=group, unit_vi=unit_vi,
                             unit_en=unit_en, certified=stars, outlets=outlets)
    if photo:
        add_photo(product, jpeg(), f"Ảnh {product.name_vi}", f"Photo of {product.name_en}")
        db.session.commit()
    return Listed(id=product.id, slug=product.slug, name_vi=product.name_vi,
                  name_en=product.name_en)


def producer_account(village_slug: str) -> str:
    """Create a verified producer with a sign-in, and return the e-mail."""
    number = next(_numbers)
    village = db.session.scalar(db.select(Village).filter_by(slug=village_slug))
    producer = ProducerFactory(village=village, name=f"HTX {village.name} {number}",
                               slug=f"htx-{village.slug}-{number}")
    email = f"producer{number}@example.com"
    _user(email, f"Chủ cơ sở {number}", Role.PRODUCER, producer=producer)
    db.session.commit()
    return email


def pickup_status(order_number: str) -> list[str]:
    """Return the status of each pickup of an order, by pickup id."""
    from storefront.orders.models import Order

    order = db.session.scalar(db.select(Order).filter_by(number=order_number))
    return [pickup.status for pickup in sorted(order.pickups, key=lambda p: p.id)]


def label(lazy_text, language: str) -> str:
    """Return a lazy label (e.g. a status name) as the app shows it in ``language``."""
    from flask import current_app
    from flask_babel import force_locale

    with current_app.test_request_context(), force_locale(language):
        return str(lazy_text)
