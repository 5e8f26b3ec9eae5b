"""Fill a database with the demo: villages, sales points, producers, certified products, photos, accounts.

Every row is looked up by its slug (accounts by e-mail) and created only when missing, so
seeding twice leaves the same data. Certificate dates are counted back from today, so a
demo seeded on any day shows current certificates.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from ..accounts.models import User
from ..accounts.services import new_user
from ..catalog.models import (
    Certificate, IssuingLevel, Outlet, Photo, Producer, Product, ProductStatus, ReviewStatus, Village,
)
from ..catalog.certification import REFORM_DAY
from ..catalog.search import search_text_for
from ..unit_of_work import transaction
from ..extensions import db
from ..legal import policies
from ..producers.services import add_photo
from ..text import slugify
from ..timeutil import add_months, local_today, utcnow
from . import labels as demo_labels
from .data import ACCOUNTS, DEMO_PASSWORD, OUTLETS, PRODUCERS, VILLAGES
from .experiences import seed_experiences
from .finance import seed_finance
from .pickup import seed_pickup
from .images import draw_photo
from .products import DRAFT, EXPIRED, PENDING, PRODUCTS, ProductFact

MINISTRY_RENAMED = date(2025, 3, 1)
DISTRICT_TITLES = {"Hà Đông": "quận", "Sơn Tây": "thị xã"}  # the others are huyện


class SeedRefused(Exception):
    """The demo must not be written into this database."""


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, n: int = 1) -> None:
        self.created[kind] = self.created.get(kind, 0) + n

    def summary(self) -> str:
        if not any(self.created.values()):
            return "Demo data already complete: nothing created."
        return "Created " + ", ".join(f"{n} {kind}" for kind, n in self.created.items() if n) + "."


def refuse_in_production(env_name: str) -> None:
    """:raises SeedRefused: in production, whose database must never hold demo accounts."""
    if env_name == "production":
        raise SeedRefused("seed-demo refuses to run in production (it creates accounts with known passwords).")


def has_villages() -> bool:
    """Tell whether the database holds any village (then ``--if-empty`` leaves it alone)."""
    return db.session.scalar(select(Village.id).limit(1)) is not None


def seed_demo(today: date | None = None) -> SeedReport:
    """Create whatever part of the demo is missing; photos are added after the rows commit."""
    today = today or local_today()
    report = SeedReport()
    with transaction():
        villages = _villages(report)
        outlets = _outlets(villages, report)
        producers = _producers(villages, report)
        seed_pickup(outlets, producers, today)  # hours, holidays, instructions, lead times
        admin = _accounts(producers, outlets, report)
        products = _products(producers, outlets, admin, today, report)
    policies.publish_defaults(today)  # terms, returns, pickup, payment, privacy, rules: version 1
    _photos(products, report)
    if seed_finance(today):  # five weeks of money, through the real use cases
        report.count("finance histories")
    report.count("experiences", seed_experiences(today))  # dated sessions on three tourism products
    return report


def _existing(model, slugs) -> dict:
    return {row.slug: row for row in db.session.scalars(select(model).where(model.slug.in_(list(slugs))))}


def _villages(report: SeedReport) -> dict[str, Village]:
    found = _existing(Village, (slugify(f.name) for f in VILLAGES))
    villages = {}
    for fact in VILLAGES:
        village = found.get(slugify(fact.name))
        if village is None:
            village = Village(slug=slugify(fact.name), name=fact.name, name_en=fact.name_en,
                              commune=fact.commune, district=fact.district, craft_vi=fact.craft_vi,
                              craft_en=fact.craft_en, description_vi=fact.description_vi,
                              description_en=fact.description_en)
            db.session.add(village)
            report.count("villages")
        villages[fact.name] = village
    return villages


def _outlets(villages: dict[str, Village], report: SeedReport) -> dict[str, Outlet]:
    found = _existing(Outlet, (slugify(f.name) for f in OUTLETS))
    outlets = {}
    for fact in OUTLETS:
        outlet = found.get(slugify(fact.name))
        if outlet is None:
            outlet = Outlet(slug=slugify(fact.name), name=fact.name, name_en=fact.name_en,
                            place_type=fact.place_type, address=fact.address,
                            village=villages.get(fact.village), opening_hours=fact.hours_vi,
                            opening_hours_en=fact.hours_en, phone=fact.phone,
                            latitude=fact.latitude, longitude=fact.longitude, active=True)
            db.session.add(outlet)
            report.count("outlets")
        outlets[fact.key] = outlet
    return outlets


def _producers(villages: dict[str, Village], report: SeedReport) -> dict[str, Producer]:
    found = _existing(Producer, (slugify(f.name) for f in PRODUCERS))
    producers = {}
    for fact in PRODUCERS:
        producer = found.get(slugify(fact.name))
        if producer is None:
            verified = fact.status == ReviewStatus.VERIFIED
            producer = Producer(slug=slugify(fact.name), name=fact.name, kind=fact.kind,
                                village=villages[fact.village], phone=fact.phone, email=fact.email,
                                description_vi=fact.description_vi, description_en=fact.description_en,
                                status=fact.status, reviewed_at=utcnow() if verified else None)
            if verified:  # the pending one shows what an admin waits for
                for column, value in demo_labels.identity(len(producers) + 1, producer).items():
                    setattr(producer, column, value)
            db.session.add(producer)
            report.count("producers")
        producers[fact.key] = producer
    return producers


def _accounts(producers: dict[str, Producer], outlets: dict[str, Outlet], report: SeedReport) -> User:
    """Create the missing demo accounts; return the admin (who verified the demo certificates)."""
    emails = [fact.email for fact in ACCOUNTS]
    found = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))}
    db.session.flush()  # producers and outlets need ids for the accounts' links
    for fact in ACCOUNTS:
        if fact.email in found:
            continue
        links = {}
        if fact.producer:
            links["producer_id"] = producers[fact.producer].id
        if fact.outlet:
            links["outlet_id"] = outlets[fact.outlet].id
        found[fact.email] = new_user(email=fact.email, name=fact.name, password=DEMO_PASSWORD,
                                     role=fact.role, **links)
        report.count("accounts")
    return found[ACCOUNTS[0].email]


def _products(producers, outlets, admin: User, today: date,
              report: SeedReport) -> list[tuple[ProductFact, Product]]:
    found = _existing(Product, (slugify(f.name_vi) for f in PRODUCTS))
    db.session.flush()  # the admin needs an id to be named as reviewer
    pairs = []
    for number, fact in enumerate(PRODUCTS, start=1):
        product = found.get(slugify(fact.name_vi))
        if product is None:
            product = _new_product(fact, producers, outlets)
            for column, value in demo_labels.label(fact, product.producer, today).items():
                setattr(product, column, value)
            product.certificates.append(_certificate(fact, product.producer, admin, today, number))
            db.session.add(product)
            report.count("products")
        pairs.append((fact, product))
    return pairs


def _new_product(fact: ProductFact, producers, outlets) -> Product:
    producer_fact = next(p for p in PRODUCERS if p.key == fact.producer)
    product = Product(
        slug=slugify(fact.name_vi), producer=producers[fact.producer], name_vi=fact.name_vi,
        name_en=fact.name_en, description_vi=fact.description_vi, description_en=fact.description_en,
        group=fact.group, unit_vi=fact.unit[0], unit_en=fact.unit[1], price=fact.price,
        stock=fact.stock, status=ProductStatus.DRAFT if fact.state == DRAFT else ProductStatus.PUBLISHED,
    )
    product.outlets = [outlets[key] for key in (fact.outlets or producer_fact.outlets)]
    product.search_text = search_text_for(product)
    return product


def _certificate(fact: ProductFact, producer: Producer, admin: User, today: date,
                 number: int) -> Certificate:
    stars, score, days_ago = fact.cert
    decided = add_months(today, -37) if fact.state == EXPIRED else today - timedelta(days=days_ago)
    level, body = _issuer(stars, decided, producer.village.district)
    suffix = "QĐ-BNNMT" if level == IssuingLevel.CENTRAL else "QĐ-UBND"
    pending = fact.state == PENDING
    return Certificate(
        stars=stars, score=score, issuing_level=level, issuing_body=body,
        decision_number=f"{100 + number * 17}/{suffix}", decision_date=decided,
        expires_on=Certificate.expiry_for(decided),
        status=ReviewStatus.PENDING if pending else ReviewStatus.VERIFIED,
        reviewed_at=None if pending else utcnow(), reviewed_by_id=None if pending else admin.id,
    )


def _issuer(stars: int, decided: date, district: str) -> tuple[str, str]:
    """Return the issuing level and body that certified ``stars`` on ``decided``."""
    if stars == 5:
        ministry = "Môi trường" if decided >= MINISTRY_RENAMED else "Phát triển nông thôn"
        return IssuingLevel.CENTRAL, f"Bộ Nông nghiệp và {ministry}"
    if decided < REFORM_DAY:
        return IssuingLevel.DISTRICT, f"UBND {DISTRICT_TITLES.get(district, 'huyện')} {district}"
    return IssuingLevel.PROVINCE, "UBND thành phố Hà Nội"


def _photos(pairs: list[tuple[ProductFact, Product]], report: SeedReport) -> None:
    """Draw and attach the photos each product still lacks (one commit per photo, as uploads do)."""
    have = dict(db.session.execute(select(Photo.product_id, func.count(Photo.id)).group_by(Photo.product_id)).all())
    for fact, product in pairs:
        for variant in range(have.get(product.id, 0), fact.photos):
            data = draw_photo(fact.name_vi, fact.group, fact.shape, variant)
            add_photo(product, data, alt_vi=_alt(fact.name_vi, variant, "ảnh"),
                      alt_en=fact.name_en and _alt(fact.name_en, variant, "view"))
            report.count("photos")


def _alt(name: str, variant: int, word: str) -> str:
    return name if variant == 0 else f"{name} ({word} {variant + 1})"


def accounts_table() -> str:
    """Return the demo accounts and their password as a plain-text table."""
    producers = {p.key: p.name for p in PRODUCERS}
    outlets = {o.key: o.name for o in OUTLETS}
    rows = [("Role", "E-mail", "Password", "Works for")]
    for fact in ACCOUNTS:
        works_for = producers.get(fact.producer) or outlets.get(fact.outlet) or ""
        rows.append((fact.role, fact.email, DEMO_PASSWORD, works_for))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "Demo accounts (development only):\n" + "\n".join(lines)
