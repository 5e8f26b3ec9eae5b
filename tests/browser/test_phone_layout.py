"""Every page of every role fits a phone, and the outlet hands over by scanning the shopper's QR.

At 360×740 and 390×844 with mobile emulation, each page in ``PAGES`` must not scroll sideways
(the document's scrollWidth, and every table, card and form, stay within the width the test set:
with mobile emulation ``innerWidth`` grows to fit an overflowing page, so it proves nothing), and
every button, button-styled link, field, link and menu button is at least 44 px high (24 px for a link
inside a sentence, as WCAG 2.5.8 allows); no row of tabs or links is wider than the screen or scrolls
sideways; and no amount, date or code (the ``money``, ``day`` and ``ref`` spans of the i18n filters) is
broken across lines. At 390 px each page is
photographed in Vietnamese and in English under test-artifacts/screenshots/phone-layout/.
"""
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import timedelta

import pytest

from tests.browser import seed
from tests.browser.conftest import (
    AXE, CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, TIMEOUT_MS, VNU, PageNotBuilt, Screenshots, Visitor,
    photograph, require_tool,
)
from tests.browser.test_pages import AXE_RESULTS, SERIOUS

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("phone")]

PHONES = {"360": {"width": 360, "height": 740}, "390": {"width": 390, "height": 844}}
PHOTOGRAPHED = "390"  # the width whose pages are saved, in both languages
MIN_TAP = 44
MIN_INLINE_TAP = 24  # a link inside a sentence (WCAG 2.5.8 allows it; 24 px is its own minimum)
SHOTS = SCREENSHOTS / "phone-layout"


@dataclass(frozen=True)
class PageSpec:
    name: str
    role: str  # who opens it: guest (a shopper, not signed in), shopper, producer, outlet, admin
    path: str  # ``{key}`` parts are filled from the scene the module builds


# Every page of every role, in one place: add a page here and it is checked at both widths and
# photographed in both languages. ``{…}`` names a value of ``_build_scene``.
PAGES = [
    # shopper
    PageSpec("home", "guest", "/"),
    PageSpec("catalogue", "guest", "/products"),
    PageSpec("catalogue-filtered", "guest", "/products?village={village}&stars=5&q=gốm"),
    PageSpec("product", "guest", "/products/{product}"),
    PageSpec("villages", "guest", "/villages"),
    PageSpec("village", "guest", "/villages/{village}"),
    PageSpec("producer-page", "guest", "/producers/{producer_slug}"),
    PageSpec("outlets", "guest", "/outlets"),
    PageSpec("outlet", "guest", "/outlets/{outlet_slug}"),
    PageSpec("certificate-check", "guest", "/certificates"),
    PageSpec("cart", "guest", "/cart"),
    PageSpec("checkout", "guest", "/checkout"),
    PageSpec("order", "guest", "/orders/{order}?t=token"),
    PageSpec("sign-in", "guest", "/auth/login"),
    PageSpec("register", "guest", "/auth/register"),
    PageSpec("register-producer", "guest", "/auth/register/producer"),
    PageSpec("forgot-password", "guest", "/auth/forgot"),
    PageSpec("account", "shopper", "/auth/account"),
    PageSpec("policy", "guest", "/policies/terms"),
    PageSpec("policy-version", "guest", "/policies/privacy/v1"),
    PageSpec("experiences", "guest", "/experiences"),
    PageSpec("experience", "guest", "/experiences/{experience}"),
    PageSpec("waitlist-join", "guest", "/experiences/{experience}/sessions/{full_session}/waitlist"),
    PageSpec("waitlist-offer", "guest", "/experiences/waitlist/{offer}"),
    PageSpec("waitlist-decline", "guest", "/experiences/waitlist/{offer}/decline"),
    PageSpec("booking-order", "guest", "/orders/{booking_order}?t={booking_token}"),
    PageSpec("booking-change", "guest", "/orders/{booking_order}/bookings/{booking}/change?t={booking_token}"),
    PageSpec("complaints", "guest", "/orders/{order}/complaints?t=token"),
    PageSpec("order-data", "guest", "/orders/{order}/data?t=token"),
    PageSpec("notice-stop", "guest", "/notifications/stop/{stop}"),
    PageSpec("notice-stopped", "guest", "/notifications/stop/{stopped}"),
    PageSpec("account-data", "shopper", "/account/data"),
    # producer
    PageSpec("producer-products", "producer", "/producer/"),
    PageSpec("producer-new-product", "producer", "/producer/products/new"),
    PageSpec("producer-edit-product", "producer", "/producer/products/{draft}/edit"),
    PageSpec("producer-photos", "producer", "/producer/products/{draft}/photos"),
    PageSpec("producer-certificates", "producer", "/producer/products/{draft}/certificates"),
    PageSpec("producer-listed-product", "producer", "/producer/products/{own_listed}/edit"),
    PageSpec("producer-orders", "producer", "/producer/orders"),
    PageSpec("producer-sales", "producer", "/producer/sales"),
    PageSpec("producer-deliveries", "producer", "/producer/deliveries"),
    PageSpec("producer-labels", "producer", "/producer/labels"),
    PageSpec("producer-earnings", "producer", "/producer/earnings"),
    PageSpec("producer-statement", "producer", "/producer/earnings/statements/{statement}"),
    PageSpec("producer-identity", "producer", "/producer/identity"),
    PageSpec("producer-experiences", "producer", "/producer/experiences"),
    PageSpec("producer-experience-sessions", "producer", "/producer/experiences/{experience_id}"),
    PageSpec("producer-edit-experience", "producer", "/producer/experiences/{experience_id}/edit"),
    PageSpec("producer-new-experience", "producer", "/producer/experiences/new"),
    PageSpec("producer-check-in", "producer", "/producer/experiences/check-in"),
    # outlet staff
    PageSpec("outlet-pickups", "outlet", "/outlet/"),
    PageSpec("outlet-ready-tab", "outlet", "/outlet/?tab=ready"),
    PageSpec("outlet-pickup-to-receive", "outlet", "/outlet/pickups/{pickup_confirmed}"),
    PageSpec("outlet-pickup-ready", "outlet", "/outlet/pickups/{pickup_ready}"),
    PageSpec("outlet-scan", "outlet", "/outlet/lookup"),
    PageSpec("outlet-board", "outlet", "/outlet/board"),
    PageSpec("outlet-day-sheet", "outlet", "/outlet/board/sheet"),
    PageSpec("outlet-pickup-collected", "outlet", "/outlet/pickups/{sold_pickup}"),
    PageSpec("outlet-cash", "outlet", "/outlet/cash"),
    PageSpec("outlet-check-in", "outlet", "/outlet/check-in"),
    PageSpec("outlet-complaints", "outlet", "/outlet/complaints"),
    PageSpec("outlet-complaint", "outlet", "/outlet/complaints/{complaint}"),
    PageSpec("outlet-counter", "outlet", "/outlet/counter"),
    # admin
    PageSpec("admin-overview", "admin", "/admin/"),
    PageSpec("admin-producers", "admin", "/admin/producers"),
    PageSpec("admin-certificates", "admin", "/admin/certificates"),
    PageSpec("admin-expiring", "admin", "/admin/certificates/expiring"),
    PageSpec("admin-transfers", "admin", "/admin/transfers"),
    PageSpec("admin-villages", "admin", "/admin/villages"),
    PageSpec("admin-village-form", "admin", "/admin/villages/{village_id}/edit"),
    PageSpec("admin-outlets", "admin", "/admin/outlets"),
    PageSpec("admin-outlet-form", "admin", "/admin/outlets/{outlet_id}/edit"),
    PageSpec("admin-outlet-pickup", "admin", "/admin/outlets/{outlet_id}/pickup"),
    PageSpec("admin-users", "admin", "/admin/users"),
    PageSpec("admin-new-staff", "admin", "/admin/users/staff/new"),
    PageSpec("admin-reports", "admin", "/admin/reports/"),
    PageSpec("admin-sales-report", "admin", "/admin/reports/sales?by=sales_by_village"),
    PageSpec("admin-bookings-report", "admin", "/admin/reports/bookings?start={month_start}&end={month_end}"),
    PageSpec("admin-order", "admin", "/admin/orders/{booking_order}"),
    PageSpec("admin-products", "admin", "/admin/products"),
    PageSpec("admin-refunds", "admin", "/admin/refunds"),
    PageSpec("admin-finance", "admin", "/admin/finance"),
    PageSpec("admin-journal", "admin", "/admin/finance/journal"),
    PageSpec("admin-journal-entry", "admin", "/admin/finance/journal/{entry}"),
    PageSpec("admin-adjustments", "admin", "/admin/finance/adjustments"),
    PageSpec("admin-payouts", "admin", "/admin/payouts"),
    PageSpec("admin-invoices", "admin", "/admin/invoices"),
    PageSpec("admin-complaints", "admin", "/admin/complaints"),
    PageSpec("admin-complaint", "admin", "/admin/complaints/{complaint}"),
    PageSpec("admin-notifications", "admin", "/admin/notifications"),
    PageSpec("admin-data-requests", "admin", "/admin/data-requests"),
    PageSpec("admin-data-request", "admin", "/admin/data-requests/{data_request}"),
    PageSpec("admin-incidents", "admin", "/admin/incidents"),
    PageSpec("admin-incident", "admin", "/admin/incidents/{incident}"),
    PageSpec("admin-policies", "admin", "/admin/policies"),
    PageSpec("admin-publish-policy", "admin", "/admin/policies/terms/new"),
]

# What may not be wider than the screen, and what must be a 44 px target. A checkbox or radio
# is tapped through its label, so its row (.form-check) or label is measured instead.
MEASURE = """(width) => {
  const box = (el) => el.getBoundingClientRect();
  const shown = (el) => { const r = box(el); return r.width > 2 && r.height > 2
      && getComputedStyle(el).visibility !== "hidden"; };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + (typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\\s+/).join(".") : "")
      + ' "' + (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 40) + '"';
  const wide = [];
  for (const el of document.querySelectorAll("table, .card, form")) {
    if (!shown(el)) continue;
    const r = box(el);
    if (r.left < -0.5 || r.right > width + 0.5) wide.push(`${name(el)} spans ${Math.round(r.left)}..${Math.round(r.right)} px`);
  }
  const small = [];
  const targets = "button, .btn, .page-link, input:not([type=hidden]), select, textarea";
  for (const el of document.querySelectorAll(targets)) {
    if (!shown(el) || el.closest(".visually-hidden, .visually-hidden-focusable")) continue;
    const target = (el.type === "checkbox" || el.type === "radio")
        ? (el.closest(".form-check") || el.closest("label") || el) : el;
    const height = box(target).height;
    if (height < %(min)s - 0.5) small.push(`${name(el)} is ${Math.round(height)} px high`);
  }
  // Links and menu buttons: 44 px high, or 24 px for a link inside a sentence (WCAG 2.5.8's
  // inline exception), which is an inline box whose block holds words besides its links.
  const inSentence = (el) => {
    if (getComputedStyle(el).display !== "inline") return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
    const walker = document.createTreeWalker(block || document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement.closest("a, button") && /[\\p{L}\\p{N}]/u.test(node.nodeValue)) return true;
    }
    return false;
  };
  let links = 0;
  for (const el of document.querySelectorAll("a[href], summary")) {
    if (!shown(el) || el.closest(".visually-hidden, .visually-hidden-focusable") || el.matches(targets)) continue;
    links++;
    const least = inSentence(el) ? %(inline)s : %(min)s;
    // a stretched link is tapped anywhere on its card (its ::after covers the positioned ancestor)
    let area = el;
    if (el.classList.contains("stretched-link"))
      for (area = el.parentElement; area && getComputedStyle(area).position === "static"; area = area.parentElement);
    const height = box(area || el).height;
    if (height < least - 0.5) small.push(`${name(el)} is ${Math.round(height)} px high (least ${least})`);
  }
  // a row of tabs or links that scrolls sideways, or is wider than the screen
  const strips = [];
  for (const el of document.querySelectorAll("nav, .nav, [role=tablist]")) {
    if (!shown(el)) continue;
    if (el.scrollWidth > el.clientWidth + 1 || box(el).right > width + 0.5)
      strips.push(`${name(el)} is ${el.scrollWidth} px wide in ${el.clientWidth} px`);
  }
  // an amount, date or code broken across lines (the i18n filters wrap each in one of these)
  const broken = [...document.querySelectorAll(".money, .day, .ref")]
      .filter(el => shown(el) && el.getClientRects().length > 1).map(name);
  // when the page scrolls sideways, name the innermost elements that stick out
  const scrolls = (el) => { for (let p = el.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX; if (o === "auto" || o === "scroll" || o === "hidden") return true; }
    return false; };
  const out = [...document.body.querySelectorAll("*")].filter(el => shown(el) && box(el).right > width + 0.5 && !scrolls(el));
  const culprits = out.filter(el => !out.some(other => other !== el && el.contains(other)))
      .slice(0, 5).map(el => `${name(el)} ends at ${Math.round(box(el).right)} px`);
  return {scrollWidth: document.documentElement.scrollWidth, wide, small, culprits, strips, broken, links};
}""" % {"min": MIN_TAP, "inline": MIN_INLINE_TAP}


# --- the scene ----------------------------------------------------------------------------------

def _build_scene(world) -> dict:
    """Create one of everything the pages show; return the values their paths need."""
    from storefront.accounts.models import Role, User
    from storefront.catalog.models import Outlet, Product, Village
    from storefront.extensions import db
    from storefront.orders.models import PickupStatus
    from storefront.producers.certificates import submit_certificate
    from tests.support.factories import ProducerFactory, ProductFactory
    from tests.support.order_builder import place

    listed = seed.listed_product("Gốm men rạn hoa sen", "Lotus crackle-glazed bowl", world.bat_trang,
                                 [world.bat_trang_outlet], stars=5, price=275000)
    product = db.session.get(Product, listed.id)
    outlet = db.session.scalar(db.select(Outlet).filter_by(name=world.bat_trang_outlet))
    village = db.session.scalar(db.select(Village).filter_by(slug=world.bat_trang))

    # a producer account with a listed product, a draft in its guided first listing, and orders
    producer_email = seed.producer_account(world.bat_trang)
    producer = db.session.scalar(db.select(User).filter_by(email=producer_email)).producer
    own_listed = ProductFactory(producer=producer, name_vi="Bình hút lộc men lam vẽ tay",
                                name_en="Hand-painted blue vase", unit_vi="chiếc cao 30 cm",
                                unit_en="", certified=4, outlets=[outlet], stock=8)
    draft = ProductFactory(producer=producer, name_vi="Đĩa gốm men ngọc", name_en="",
                           unit_vi="bộ 6 chiếc", unit_en="", description_vi="Men ngọc, nung củi.",
                           status="draft", certified=False, outlets=[outlet])
    submit_certificate(draft, stars=4, score=78, issuing_level="province",
                       issuing_body="UBND TP Hà Nội", decision_number="311/QĐ-UBND",
                       decision_date=own_listed.certificates[0].decision_date,
                       scan=seed.jpeg(1000, 1400, colour=(180, 40, 40)))

    # the admin's queues: a producer and a certificate waiting
    waiting = ProducerFactory(village=village, name="HTX Mây tre đan Phú Vinh", slug="htx-may-tre-phu-vinh",
                              status="pending", email="phuvinh@example.com",
                              description_vi="Mây tre đan xuất khẩu, 40 hộ thành viên.")
    ProductFactory(producer=waiting, name_vi="Giỏ mây đan tay", certified=False)

    # pickups at the counter: one waiting for the producer's goods, one ready to hand over
    confirmed = place(outlet, (own_listed, 2), (product, 1))
    ready = place(outlet, (product, 1), status=PickupStatus.READY,
                  created_at=confirmed.created_at - timedelta(hours=5))
    shopper_email = "shopper-phone@example.com"
    shopper = User(email=shopper_email, name="Lê Thu Hà", role=Role.SHOPPER, phone="0900000390")
    shopper.set_password(seed.PASSWORD)
    db.session.add(shopper)
    db.session.commit()
    # Zalo stopped from a message's link, then ticked again on the account page: the yes waits on
    # the stop, and the account page says how to turn Zalo back on
    from storefront.notifications import stops
    from storefront.privacy import consents
    from storefront.privacy.models import Purpose
    stops.stop("zalo", "84900000390")
    consents.record_choices(shopper, {Purpose.NEWS_ZALO})
    scene = _build_business_round(world, producer, producer_email, outlet, own_listed, confirmed)
    return {
        **scene,
        "product": listed.slug, "product_name": listed.name_vi, "village": village.slug,
        "village_id": village.id, "producer_slug": producer.slug, "outlet_slug": outlet.slug,
        "outlet_id": outlet.id, "order": confirmed.order.number, "draft": draft.id,
        "own_listed": own_listed.id, "pickup_confirmed": confirmed.id, "pickup_ready": ready.id,
        "emails": {"producer": producer_email, "outlet": world.staff_email[world.bat_trang_outlet],
                   "admin": world.admin_email, "shopper": shopper_email},
    }


def _build_business_round(world, producer, producer_email, outlet, own_listed, confirmed) -> dict:
    """The pages of the business round: policies, experiences and bookings, a waitlist offer,
    complaints, data requests, the books (a hand-over in cash, an adjustment, a statement, a
    payout), a return, an invoice the provider refused, an incident and a stop link."""
    import re
    import uuid
    from datetime import datetime, time, timezone

    from flask import current_app

    from storefront.accounts.models import User
    from storefront.booking_changes import services as changes, waitlist
    from storefront.checkout.services import new_checkout_token
    from storefront.complaints.services import answer, file_complaint
    from storefront.experiences import sessions
    from storefront.experiences.models import Experience, ExperienceSession, PersonType, WeeklySlot
    from storefront.extensions import db
    from storefront.finance import adjustments, cash, payouts, settlement
    from storefront.invoices import building, services as invoicing
    from storefront.legal import policies
    from storefront.notifications import stops
    from storefront.notifications.models import OutboxMessage
    from storefront.orders import services as orders
    from storefront.orders.models import CounterMethod
    from storefront.orders.placement import Contact, place_order
    from storefront.privacy import incidents, requests
    from storefront.privacy.models import RequestKind
    from storefront.returns import services as returns
    from storefront.timeutil import HANOI, local_today, utcnow
    from tests.support.bookings_support import Ticket
    from tests.support.checkout_support import CONTACT, place
    from tests.support.factories import ProductFactory

    policies.publish_defaults()
    user = db.session.scalar(db.select(User).filter_by(email=producer_email))
    admin = db.session.scalar(db.select(User).filter_by(email=world.admin_email))
    staff = db.session.scalar(db.select(User).filter_by(email=world.staff_email[world.bat_trang_outlet]))

    # the producer's pottery class at the outlet: weekly evening sessions, and one small session
    # in five days that is full, with someone waiting and an offer running
    product = ProductFactory(producer=producer, name_vi="Lớp vẽ men lam cùng nghệ nhân",
                             name_en="Blue-glaze painting class with a master", group="tourism", stock=0,
                             price=250000, slug="lop-ve-men-lam", outlets=[outlet])
    experience = Experience(product=product, place_kind="outlet", outlet=outlet, duration_minutes=120,
                            cutoff_minutes=60, weeks_ahead=2, languages="vi,en")
    adult = PersonType(code="adult", label_vi="Người lớn", label_en="Adult", price=250000)
    child = PersonType(code="child", label_vi="Trẻ em", label_en="Child", price=150000, position=1)
    experience.person_types = [adult, child]
    experience.slots = [WeeklySlot(weekday=day, starts_at=time(19, 0), capacity=8) for day in range(7)]
    day = local_today() + timedelta(days=5)
    starts = datetime.combine(day, time(9), HANOI).astimezone(timezone.utc).replace(tzinfo=None)
    db.session.add(experience)
    db.session.commit()
    sessions.refresh(experience)  # the weekly sessions (it would drop a session no slot makes)
    small = ExperienceSession(experience=experience, starts_at=starts, ends_at=starts + timedelta(hours=2),
                              day=day, capacity=3)
    db.session.add(small)
    db.session.commit()

    def book(*pairs, goods=(), email=CONTACT.email):
        lines = [Ticket(small.id, person.id, quantity, person.price) for person, quantity in pairs]
        contact = Contact(name="Trần Minh Anh", phone="0912345678", email=email)
        goods_lines = [type("Line", (), {"product_id": p.id, "quantity": q, "price_seen": p.price})()
                       for p, q in goods]
        return place_order(goods_lines, contact, {line.product_id: outlet.id for line in goods_lines},
                           "at_pickup", new_checkout_token(), booking_lines=lines)

    booked = book((adult, 1), (child, 1), goods=[(own_listed, 1)])
    freed = book((adult, 1), email="freed@example.com")
    waitlist.join(small, waitlist.Contact(name="Phạm Văn An", email="an@example.com"), 1)
    changes.cancel_booking(freed.order.bookings[0], by="guest")
    offer_mail = db.session.scalars(db.select(OutboxMessage.body).where(
        OutboxMessage.kind == "waitlist_offer").order_by(OutboxMessage.id.desc())).first()
    offer = re.search(r"/experiences/waitlist/([A-Za-z0-9_-]+)", offer_mail)[1]
    # the offer holds the freed seat: others see the session full, and its waitlist form

    # the books: the producer's goods handed over for cash, an adjustment, a return, an invoice
    # the provider refused, the drawer counted short, a verified bank account, a statement, a payout
    sold = place((own_listed, 2), outlet=outlet)
    sold_pickup = sold.order.pickups[0]
    for line in sold_pickup.lines:
        orders.receive_line(line, staff)
    orders.hand_over(sold_pickup, sold.codes[sold_pickup.id], staff, collected=CounterMethod.CASH,
                     amount=sold.order.total)
    codes = dict(adjustments.chart())
    try:
        entry = adjustments.post_adjustment(
            "Expenses:Stripe:Fees" if "Expenses:Stripe:Fees" in codes else next(iter(codes)),
            next(code for code in codes if code.startswith("Assets")), 12000,
            "Phí Stripe tháng 11 theo báo cáo số dư", world.admin_email, uuid.uuid4().hex)
    except adjustments.AdjustmentError:
        # another test on this shared live server closed today's period first: show the newest entry
        from storefront.finance.models import JournalEntry
        entry = db.session.scalars(db.select(JournalEntry).order_by(JournalEntry.id.desc())).first()
    returns.record_return(sold_pickup, sold_pickup.lines[0].id, 1, "Bình bị nứt ở miệng",
                          resaleable=False, by=staff)
    # the live server issues no e-invoices: for a moment, record this sale's invoice as a shop that
    # does would, and try to issue it at a provider that does not answer (a closed local port), so
    # the admins' page has an invoice waiting
    settings = {"EINVOICE_PROVIDER": "viettel", "EINVOICE_TEMPLATE_CODE": "1/001", "EINVOICE_SERIES": "C26TAA",
                "EINVOICE_URL": "http://127.0.0.1:9", "EINVOICE_USERNAME": "demo", "EINVOICE_PASSWORD": "demo",
                "EINVOICE_TIMEOUT": 1.0}
    before = {key: current_app.config.get(key) for key in settings}
    current_app.config.update(settings)
    try:
        invoices = building.sale_invoices(sold_pickup, utcnow())
        db.session.commit()
        for invoice in invoices:
            invoicing.issue(invoice.id)
    finally:
        current_app.config.update(before)
    cash.close_shift(outlet.id, cash.expected_in_drawer(outlet.id) - 20000, staff.name, "Thiếu tiền lẻ")
    account = payouts.change_account(producer, user, seed.PASSWORD, "970436", "0123456789",
                                     "HTX GOM BAT TRANG", lambda email: None)
    payouts.verify_account(account.id, world.admin_email)
    settlement.close_period(*settlement.period_of(local_today()))
    (statement, *_) = settlement.statements_of(producer.id)
    payouts.make_batch(world.admin_email, now=utcnow() + timedelta(days=30))

    # a complaint answered by the outlet, a shopper's question about their data, an incident
    complaint = file_complaint(confirmed.order, category="quality", outlet_id=outlet.id,
                               message="Bình bị sứt một góc ở miệng, men bị rạn không đều.")
    answer(complaint, "Chúng tôi xin lỗi, mời anh chị mang bình tới đổi.", staff)
    data_request = requests.ask(RequestKind.CORRECTION, order=confirmed.order, channel="web",
                                message="Xin sửa số điện thoại trên đơn thành 0912 000 111.")
    incident = incidents.record(admin, title="Lộ danh sách đơn hàng qua thư gửi nhầm",
                                discovered_at=utcnow(), description="Một thư tổng hợp gửi nhầm người nhận.",
                                data_affected="Họ tên, số điện thoại", people_affected=12)
    db.session.commit()
    stops.stop("email", "ngung@example.com")  # a link already used: its page offers to turn it back on
    stopped = stops.stop_token("email", "ngung@example.com")
    return {
        "month_start": day.replace(day=1).isoformat(), "month_end": (day + timedelta(days=31)).isoformat(),
        "experience": product.slug, "experience_id": experience.id, "full_session": small.id,
        "offer": offer, "booking_order": booked.order.number, "booking_token": booked.access_token,
        "booking": booked.order.bookings[0].id, "sold_pickup": sold_pickup.id,
        "statement": statement.id, "entry": entry.id, "complaint": complaint.id,
        "data_request": data_request.id, "incident": incident.id,
        "stop": stops.stop_token("sms", "0987654321"),
        "stopped": stopped,
    }


@pytest.fixture(scope="module")
def scene(live_server, world):
    shutil.rmtree(SHOTS, ignore_errors=True)
    return live_server.run(_build_scene, world)


class Phones:
    """One signed-in browser context per (role, width, language), opened when first needed."""

    def __init__(self, chromium, server, scene):
        self.chromium, self.server, self.scene = chromium, server, scene
        self.visitors: dict[tuple, Visitor] = {}
        self.shots = Screenshots("phone-layout-errors")  # what a page showed when it failed

    def visitor(self, role: str, width: str, language: str) -> Visitor:
        key = (role, width, language)
        if key not in self.visitors:
            context = self.chromium.new_context(
                viewport=PHONES[width], screen=PHONES[width], is_mobile=True, has_touch=True,
                device_scale_factor=2, locale="vi-VN")
            context.set_default_timeout(TIMEOUT_MS)
            if AXE.exists() and (width, language) == (PHOTOGRAPHED, "vi"):
                context.add_init_script(path=str(AXE))  # as the browser's own script: no CSP exception
            person = Visitor(context, self.server, self.shots, f"{role}-{width}-{language}")
            person.refused = []  # what the Content-Security-Policy blocked on this person's pages
            person.page.on("console", lambda message, seen=person.refused: seen.append(message.text)
                           if message.type == "error" and "Content Security Policy" in message.text else None)
            if role != "guest":
                person.sign_in(self.scene["emails"][role], seed.PASSWORD)
            else:
                self._fill_cart(person)
            # Choose the language with the header's switch, as a person would. The choice is kept
            # on the account too, and a browser that never chose reads the account's language: a
            # context already reading the wanted language still chooses it (away and back), or
            # another context's switch to English would turn this one's pages English as well.
            person.open("/", "home")
            names = {"en": "English", "vi": "Tiếng Việt"}
            if person.html_lang() == language:
                other = "vi" if language == "en" else "en"
                person.follow(person.page.get_by_role("button", name=names[other]), "language switch")
            person.follow(person.page.get_by_role("button", name=names[language]), "language switch")
            assert person.html_lang() == language
            self.visitors[key] = person
        return self.visitors[key]

    def _fill_cart(self, person: Visitor) -> None:
        """Put the listed product in the cart with the product page's own form (no script needed)."""
        person.open(f"/products/{self.scene['product']}", "product page")
        with person.page.expect_navigation():
            person.page.evaluate("""() => {
                const form = [...document.querySelectorAll("main form")].find(f => f.action.includes("/cart/add"));
                form.submit();
            }""")

    def close(self):
        for person in self.visitors.values():
            person.context.close()


@pytest.fixture(scope="module")
def phones(chromium, live_server, scene):
    opened = Phones(chromium, live_server, scene)
    yield opened
    opened.close()


def _check(person: Visitor, spec: PageSpec, path: str, width: int) -> list[str]:
    """Open the page; return what does not fit a phone of ``width`` CSS px."""
    person.refused.clear()
    try:
        person.open(path, spec.name)
    except PageNotBuilt as error:
        return [str(error)]
    person.page.wait_for_load_state("load")
    found = person.page.evaluate(MEASURE, width)
    problems = [f"the Content-Security-Policy blocked: {text}" for text in person.refused]
    if found["scrollWidth"] > width:
        problems.append(f"the page scrolls sideways: scrollWidth {found['scrollWidth']} > {width} px; "
                        f"sticking out: {'; '.join(found['culprits']) or '?'}")
    problems += [f"wider than the screen: {item}" for item in found["wide"]]
    problems += [f"tap target too small: {item}" for item in found["small"]]
    problems += [f"a strip of links scrolls sideways: {item}" for item in found["strips"]]
    problems += [f"broken across lines: {item}" for item in found["broken"]]
    return problems


def _accessibility(person: Visitor) -> list[str]:
    """Return axe-core's serious and critical findings on the open page."""
    if not AXE.exists():
        return []
    return [f"axe [{v['impact']}] {v['id']}: {v['help']} at {'; '.join(v['nodes'])}"
            for v in person.page.evaluate(AXE_RESULTS) if v["impact"] in SERIOUS]


# The HTML of every page as the phone got it (390 px, Vietnamese), for the Nu HTML checker.
_html: dict[str, str] = {}


@pytest.mark.parametrize("width", list(PHONES))
@pytest.mark.parametrize("spec", PAGES, ids=[spec.name for spec in PAGES])
def test_page_fits_a_phone_and_its_targets_take_a_thumb(phones, scene, spec, width):
    path = spec.path.format(**scene)
    languages = ("vi", "en") if width == PHOTOGRAPHED else ("vi",)
    problems = []
    for language in languages:
        person = phones.visitor(spec.role, width, language)
        found = _check(person, spec, path, PHONES[width]["width"])
        if width == PHOTOGRAPHED:
            SHOTS.mkdir(parents=True, exist_ok=True)
            photograph(person.page, SHOTS / f"{spec.name}-{language}.png")
            if language == "vi" and not found:
                _html[spec.name] = person.page.content()
                found += _accessibility(person)
        problems += [f"[{language}] {problem}" for problem in found]
    assert not problems, f"{spec.name} ({path}) at {width} px:\n" + "\n".join(problems)


# Layout shifts as Lighthouse adds them up (session windows are what CLS keeps; with one short
# load the sum is the same): everything moved after the first paint, not caused by input.
LAYOUT_SHIFT = """() => new Promise((done) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => done(total), 1500);
})"""


@pytest.mark.parametrize("width", list(PHONES))
@pytest.mark.parametrize("path", ["/cart", "/products", "/products/{product}"])
def test_the_cart_and_shop_pages_do_not_move_when_their_script_loads(phones, scene, width, path):
    """The cart's script hid the quantity's "update" button and moved the lines (CLS 0.17-0.19)."""
    import time

    person = phones.visitor("guest", width, "vi")

    def late(route):  # a phone on a slow network: the page paints before its script arrives
        time.sleep(0.8)
        route.continue_()

    person.page.route("**/assets/app.*.js", late)
    try:
        person.open(path.format(**scene), "shop page")
        person.page.wait_for_load_state("load")
        shift = person.page.evaluate(LAYOUT_SHIFT)
    finally:
        person.page.unroute("**/assets/app.*.js")
    assert shift < 0.01, f"{path} at {width} px: layout shift {shift:.3f}"


def test_every_phone_page_is_valid_html(tmp_path):
    """The Nu HTML checker over every page the test above opened (run the module whole)."""
    require_tool(shutil.which("java"), "java (for vnu.jar)")
    require_tool(VNU, "vnu-jar (npm)")
    if not _html:
        pytest.skip("no page was opened: run the whole module")
    files = {}
    for name, html in _html.items():
        files[name] = tmp_path / f"{name}.html"
        files[name].write_text(html, encoding="utf-8")
    run = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json",
                          *map(str, files.values())], capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    errors = [f"{message.get('url', '?').rsplit('/', 1)[-1]} line {message.get('lastLine')}: "
              f"{message.get('message')}" for message in messages]
    assert not errors, "Nu HTML checker:\n" + "\n".join(errors)


# --- the outlet hands over by scanning the shopper's QR, and by typing ------------------------

def _ready_pickup_with_fresh_code(world) -> dict:
    """Place a ready pay-at-pickup order whose code is unique; return its number and code."""
    from storefront.catalog.models import Outlet, Product
    from storefront.extensions import db
    from storefront.orders import codes
    from storefront.orders.models import PickupStatus
    from tests.support.order_builder import place

    listed = seed.listed_product("Trà sen Tây Hồ", "Tây Hồ lotus tea", world.van_phuc,
                                 [world.van_phuc_outlet], group="beverages")
    outlet = db.session.scalar(db.select(Outlet).filter_by(name=world.van_phuc_outlet))
    pickup = place(outlet, (db.session.get(Product, listed.id), 1), status=PickupStatus.READY)
    code = codes.pickup_code_for(codes.new_access_token(), pickup.id)
    pickup.code_hash = codes.hash_pickup_code(pickup.id, code)
    db.session.commit()
    return {"number": pickup.order.number, "code": code, "id": pickup.id}


def _y4m_of_qr(text: str, path, size: int = 480, frames: int = 15) -> None:
    """Write a Y4M video of a QR code on white, as Chromium's fake camera reads it."""
    import io

    import segno
    from PIL import Image

    png = io.BytesIO()
    segno.make_qr(text, error="m").save(png, kind="png", scale=10, border=4)
    qr = Image.open(io.BytesIO(png.getvalue())).convert("L")
    qr.thumbnail((size - 80, size - 80))
    frame = Image.new("L", (size, size), 255)
    frame.paste(qr, ((size - qr.width) // 2, (size - qr.height) // 2))
    luma, chroma = frame.tobytes(), bytes([128]) * ((size // 2) * (size // 2))
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{size} H{size} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + luma + chroma + chroma)


@pytest.fixture
def staff_phone(chromium, live_server, world, tmp_path):
    """Outlet staff on a 390 px phone whose camera films the pickup QR of a ready order."""
    ready = live_server.run(_ready_pickup_with_fresh_code, world)
    video = tmp_path / "pickup-qr.y4m"
    _y4m_of_qr(ready["code"], video)
    # A browser of its own: the fake camera is chosen when Chromium starts.
    browser = chromium.browser_type.launch(executable_path=CHROMIUM, headless=True, args=[
        *CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}"])
    context = browser.new_context(viewport=PHONES["390"], is_mobile=True, has_touch=True,
                                  locale="vi-VN")
    context.grant_permissions(["camera"], origin=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    person = Visitor(context, live_server, Screenshots("phone-scan"), "staff")
    person.sign_in(world.staff_email[world.van_phuc_outlet])
    yield person, ready
    context.close()
    browser.close()


def test_staff_hand_over_by_scanning_the_shoppers_qr_with_the_phone_camera(staff_phone, live_server):
    from playwright.sync_api import expect

    person, ready = staff_phone
    page = person.page
    response = person.open("/outlet/lookup", "scan page")
    assert response.headers.get("permissions-policy") == "camera=(self)"
    page.get_by_role("button", name="Quét mã QR của khách").click()
    # the scanner reads the code off the camera and looks the pickup up by itself
    expect(page.get_by_role("heading", name=f"Đơn {ready['number']}")).to_be_visible()
    photograph(page, _shot_path("scan-found"))
    # paid at pickup: the one step after the code takes the money and hands over
    person.follow(page.get_by_role("button", name=re.compile("chuyển khoản")), "collect and hand over")
    expect(page.get_by_role("alert").filter(has_text=f"giao đơn {ready['number']}")).to_be_visible()
    assert live_server.run(seed.pickup_status, ready["number"]) == ["collected"]


def test_staff_hand_over_by_typing_the_code_when_there_is_no_camera(visitor, world, live_server):
    from playwright.sync_api import expect

    ready = live_server.run(_ready_pickup_with_fresh_code, world)
    staff = visitor("staff")
    staff.sign_in(world.staff_email[world.van_phuc_outlet])
    page = staff.page
    staff.follow(page.get_by_role("link", name="Quét mã QR để giao hàng"), "scan page")
    page.get_by_label("Mã nhận hàng", exact=True).fill(ready["code"].lower().replace("-", " "))
    staff.follow(page.get_by_role("button", name="Tìm đơn"), "look the code up")
    # paid at pickup: the one step after the code takes the money and hands over
    staff.follow(page.get_by_role("button", name=re.compile("chuyển khoản")), "collect and hand over")
    expect(page.get_by_role("alert").filter(has_text=f"giao đơn {ready['number']}")).to_be_visible()
    assert live_server.run(seed.pickup_status, ready["number"]) == ["collected"]


def test_the_scanner_decodes_a_pickup_qr_image(chromium, live_server, world):
    """The decode path alone: jsQR, vendored, reads the code out of a QR picture."""
    import base64
    import io

    import segno

    png = io.BytesIO()
    segno.make_qr("ABCD-EFGH", error="m").save(png, kind="png", scale=8, border=4)
    context = chromium.new_context(viewport=PHONES["360"], is_mobile=True, has_touch=True,
                                   locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    person = Visitor(context, live_server, Screenshots("phone-decode"), "staff")
    person.sign_in(world.staff_email[world.bat_trang_outlet])
    person.open("/outlet/lookup", "scan page")
    decoded = person.page.evaluate("""async ([data, src]) => {
        await window.OcopScanner.loadDecoder(src);
        const image = new Image();
        image.src = data;
        await image.decode();
        const canvas = document.createElement("canvas");
        canvas.width = image.width; canvas.height = image.height;
        const context = canvas.getContext("2d");
        context.drawImage(image, 0, 0);
        return [window.OcopScanner.decodeImageData(context.getImageData(0, 0, image.width, image.height)),
                window.OcopScanner.extractCode("https://shop.example/orders/OC-1?code=wxyz-2345"),
                window.OcopScanner.extractCode("hello")];
    }""", ["data:image/png;base64," + base64.b64encode(png.getvalue()).decode(),
           person.page.locator("[data-scanner]").first.get_attribute("data-jsqr")])
    context.close()
    assert decoded == ["ABCD-EFGH", "WXYZ-2345", None]


def _shot_path(label: str):
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS / f"journey-{label}.png"
