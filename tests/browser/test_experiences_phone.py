"""``/experiences`` on a 390 px phone, in Vietnamese and English: sessions by date, a filter, the
experience page; nothing wider than the screen. Screenshots land in test-artifacts/screenshots."""
from datetime import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import TIMEOUT_MS, Visitor

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
WIDER = "() => document.documentElement.scrollWidth"


def _pottery_class(village_slug: str) -> str:
    """A listed pottery class in the world's Bát Tràng with sessions every evening (late, so never past)."""
    from storefront.catalog.models import Outlet, Village
    from storefront.experiences import sessions
    from storefront.experiences.models import Experience, PersonType, WeeklySlot
    from storefront.extensions import db
    from tests.support.factories import ProducerFactory, ProductFactory

    from storefront.catalog.models import Product

    if db.session.scalar(db.select(Product).filter_by(slug="lop-nan-gom-buoi-toi")) is not None:
        return "lop-nan-gom-buoi-toi"
    village = db.session.scalar(db.select(Village).filter_by(slug=village_slug))
    outlet = db.session.scalar(db.select(Outlet).filter_by(village_id=village.id))
    product = ProductFactory(producer=ProducerFactory(village=village), name_vi="Lớp nặn gốm buổi tối",
                             name_en="Evening pottery class", group="tourism", stock=0, price=200000,
                             slug="lop-nan-gom-buoi-toi")
    experience = Experience(product=product, place_kind="outlet", outlet=outlet, duration_minutes=60,
                            cutoff_minutes=0, weeks_ahead=2, languages="vi,en")
    experience.person_types = [PersonType(code="adult", label_vi="Người lớn", label_en="Adult", price=200000)]
    experience.slots = [WeeklySlot(weekday=day, starts_at=time(22, 30), capacity=8) for day in range(7)]
    db.session.add(experience)
    db.session.commit()
    sessions.refresh(experience)
    return product.slug


@pytest.mark.parametrize("language", ["vi", "en"])
def test_experiences_by_date_on_a_phone(chromium, live_server, world, screenshots, language):
    live_server.run(_pottery_class, world.bat_trang)
    context = chromium.new_context(locale="vi-VN", **PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        visitor = Visitor(context, live_server, screenshots, f"experiences-{language}")
        if language == "en":
            visitor.open("/", "home page")
            visitor.follow(visitor.page.get_by_role("button", name="English"), "language switch")
        visitor.open(f"/experiences?village={world.bat_trang}", "experiences")
        title = "Evening pottery class" if language == "en" else "Lớp nặn gốm buổi tối"
        expect(visitor.page.get_by_role("link", name=title).first).to_be_visible()
        assert visitor.page.evaluate(WIDER) <= 390
        visitor.shot("experiences")
        visitor.follow(visitor.page.get_by_role("link", name=title).first, "experience page")
        expect(visitor.page.locator("[data-session]").first).to_be_visible()
        assert visitor.page.evaluate(WIDER) <= 390
        visitor.shot("experience")
    finally:
        context.close()
