"""A small hand-counted catalogue shared by the catalogue and API tests (fixture ``catalogue``).

Listed products (number: name — village, group, stars, price), created in this order:

  1 Bình gốm men lam  — bat-trang  handicrafts 5★ 500 000
  2 Chén gốm men rạn  — bat-trang  handicrafts 4★ 120 000
  3 Trà sen           — bat-trang  beverages   3★  90 000
  4 Khăn lụa tơ tằm   — van-phuc   handicrafts 4★ 350 000
  5 Áo dài lụa        — van-phuc   handicrafts 5★ 2 000 000
  6 Mứt dừa           — van-phuc   food        3★  80 000  (sold out)
  7 Tương Đường Lâm   — duong-lam  food        4★  60 000
  8 Chè lam           — duong-lam  food        3★  45 000
  9 Gốm Đường Lâm     — duong-lam  handicrafts 4★ 150 000

Producers: "HTX Gốm Bát Tràng", "HTX Lụa Vạn Phúc", "Hộ Đỗ Văn Đức" (Đường Lâm).
Not listed, to prove they stay out: a 5★ draft in Bát Tràng, a 4★ handicraft in Vạn Phúc
whose only certificate expired.
"""
import datetime as dt
from dataclasses import dataclass

import pytest

from tests.support.factories import (
    CertificateFactory, OutletFactory, ProducerFactory, ProductFactory, VillageFactory,
)
from storefront.timeutil import local_today

START = dt.datetime(2026, 1, 1, 8, 0)

PRODUCTS = [
    ("binh-gom", "Bình gốm men lam", "bat-trang", "handicrafts", 5, 500_000, 5),
    ("chen-gom", "Chén gốm men rạn", "bat-trang", "handicrafts", 4, 120_000, 5),
    ("tra-sen", "Trà sen", "bat-trang", "beverages", 3, 90_000, 5),
    ("khan-lua", "Khăn lụa tơ tằm", "van-phuc", "handicrafts", 4, 350_000, 5),
    ("ao-dai", "Áo dài lụa", "van-phuc", "handicrafts", 5, 2_000_000, 5),
    ("mut-dua", "Mứt dừa", "van-phuc", "food", 3, 80_000, 0),
    ("tuong", "Tương Đường Lâm", "duong-lam", "food", 4, 60_000, 5),
    ("che-lam", "Chè lam", "duong-lam", "food", 3, 45_000, 5),
    ("gom-duong-lam", "Gốm Đường Lâm", "duong-lam", "handicrafts", 4, 150_000, 5),
]
SLUGS = [row[0] for row in PRODUCTS]


@dataclass
class Catalogue:
    villages: dict
    producers: dict
    products: dict
    outlet: object


def build_catalogue() -> Catalogue:
    """Create the catalogue described in this module's docstring."""
    villages = {
        "bat-trang": VillageFactory(slug="bat-trang", name="Bát Tràng"),
        "van-phuc": VillageFactory(slug="van-phuc", name="Vạn Phúc"),
        "duong-lam": VillageFactory(slug="duong-lam", name="Đường Lâm"),
    }
    producers = {
        "bat-trang": ProducerFactory(village=villages["bat-trang"], name="HTX Gốm Bát Tràng"),
        "van-phuc": ProducerFactory(village=villages["van-phuc"], name="HTX Lụa Vạn Phúc"),
        "duong-lam": ProducerFactory(village=villages["duong-lam"], name="Hộ Đỗ Văn Đức"),
    }
    outlet = OutletFactory(slug="quang-vinh", name="Khu tinh hoa làng nghề Việt")
    products = {}
    for n, (slug, name, village, group, stars, price, stock) in enumerate(PRODUCTS):
        products[slug] = ProductFactory(
            slug=slug, name_vi=name, producer=producers[village], group=group, price=price,
            stock=stock, certified=stars, created_at=START + dt.timedelta(minutes=n),
            outlets=[outlet] if village == "bat-trang" else [],
        )
    ProductFactory(slug="draft-gom", name_vi="Bình gốm nháp", producer=producers["bat-trang"],
                   status="draft", certified=5)
    expired = ProductFactory(slug="khan-het-han", name_vi="Khăn lụa cũ",
                             producer=producers["van-phuc"], certified=False)
    CertificateFactory(product=expired, stars=4, decision_date=local_today() - dt.timedelta(days=1200),
                       expires_on=local_today() - dt.timedelta(days=5))
    return Catalogue(villages, producers, products, outlet)


@pytest.fixture
def catalogue(app) -> Catalogue:
    """The catalogue above, in the test's database."""
    return build_catalogue()
