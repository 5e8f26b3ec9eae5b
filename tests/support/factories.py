"""factory_boy factories for every model; a listed product by default."""
import datetime as dt

import factory

from storefront.extensions import db
from storefront.models import (
    Certificate, Outlet, Photo, Producer, Product, Role, User, Village,
)
from storefront.text import fold
from storefront.timeutil import local_today

PASSWORD = "correct horse battery staple"


class Base(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class VillageFactory(Base):
    class Meta:
        model = Village

    name = factory.Sequence(lambda n: f"Làng Thử {n}")
    slug = factory.Sequence(lambda n: f"lang-thu-{n}")
    district = "Gia Lâm"
    craft_vi = "gốm sứ"


class ProducerFactory(Base):
    class Meta:
        model = Producer

    name = factory.Sequence(lambda n: f"HTX Thử {n}")
    slug = factory.Sequence(lambda n: f"htx-thu-{n}")
    kind = "cooperative"
    village = factory.SubFactory(VillageFactory)
    status = "verified"
    phone = "0912345678"
    tax_code = "0100109106"  # a valid mã số thuế (python-stdnum vn.mst)
    business_registration = "0100109106 — Sở KH&ĐT Hà Nội"
    legal_address = "Thôn 1, xã Thử, Hà Nội"


class OutletFactory(Base):
    class Meta:
        model = Outlet

    name = factory.Sequence(lambda n: f"Điểm bán {n}")
    slug = factory.Sequence(lambda n: f"diem-ban-{n}")
    place_type = "craft_village"
    address = "Hà Nội"
    active = True
    latitude = 21.0
    longitude = 105.9


class ProductFactory(Base):
    class Meta:
        model = Product

    producer = factory.SubFactory(ProducerFactory)
    name_vi = factory.Sequence(lambda n: f"Sản phẩm {n}")
    name_en = None
    slug = factory.Sequence(lambda n: f"san-pham-{n}")
    description_vi = "Mô tả"
    group = "handicrafts"
    unit_vi = "chiếc"
    price = 150000
    stock = 10
    status = "published"
    label_origin = "Việt Nam"  # handicrafts need origin and maker (storefront/catalog/labels.py)
    label_maker_name = factory.LazyAttribute(lambda p: p.producer.name)
    label_maker_address = "Thôn 1, xã Thử, Hà Nội"
    search_text = factory.LazyAttribute(
        lambda p: fold(" ".join([p.name_vi, p.name_en or "", p.producer.name, p.producer.village.name]))
    )

    @factory.post_generation
    def certified(product, create, extracted, **kwargs):
        """Give the product a verified certificate; ``certified=False`` for none, or an int for stars."""
        if extracted is False:
            return
        stars = extracted if isinstance(extracted, int) and extracted is not True else 4
        CertificateFactory(product=product, stars=stars, score={3: 60, 4: 80, 5: 95}[stars])

    @factory.post_generation
    def outlets(product, create, extracted, **kwargs):
        if extracted:
            product.outlets.extend(extracted)
            db.session.commit()


class CertificateFactory(Base):
    class Meta:
        model = Certificate

    product = factory.SubFactory(ProductFactory, certified=False)
    stars = 4
    score = 80
    issuing_level = "province"
    decision_number = factory.Sequence(lambda n: f"{n}/QĐ-UBND")
    decision_date = factory.LazyFunction(lambda: local_today() - dt.timedelta(days=100))
    expires_on = factory.LazyAttribute(lambda c: Certificate.expiry_for(c.decision_date))
    status = "verified"


class PhotoFactory(Base):
    class Meta:
        model = Photo

    product = factory.SubFactory(ProductFactory)
    position = factory.Sequence(int)
    alt_vi = "Ảnh sản phẩm"
    small_key = factory.Sequence(lambda n: f"photos/{n}-400.webp")
    large_key = factory.Sequence(lambda n: f"photos/{n}-1200.webp")
    width = 1200
    height = 900


class UserFactory(Base):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Sequence(lambda n: f"Người dùng {n}")
    role = Role.SHOPPER
    password_hash = ""

    @factory.post_generation
    def password(user, create, extracted, **kwargs):
        user.set_password(extracted or PASSWORD)
        db.session.commit()


class ProducerUserFactory(UserFactory):
    role = Role.PRODUCER
    producer = factory.SubFactory(ProducerFactory)


class StaffUserFactory(UserFactory):
    role = Role.OUTLET_STAFF
    outlet = factory.SubFactory(OutletFactory)


class AdminFactory(UserFactory):
    role = Role.ADMIN
