"""Builders for the booking tests: a listed experience at an outlet with one session, and direct placement."""
from dataclasses import dataclass
from datetime import timedelta

from storefront.checkout.services import new_checkout_token
from storefront.experiences.models import Experience, ExperienceSession, PersonType
from storefront.extensions import db
from storefront.orders.placement import place_order
from storefront.timeutil import local_date_of, utcnow
from tests.support.checkout_support import CONTACT, line
from tests.support.factories import OutletFactory, ProductFactory


@dataclass
class Ticket:
    """A booking cart line as placement reads it."""

    session_id: int
    person_type_id: int
    quantity: int
    price_seen: int


def workshop(*, capacity=20, outlet=None, days_ahead=5):
    """Return (experience, session, adult, child): a pottery class at an outlet, in ``days_ahead`` days."""
    outlet = outlet or OutletFactory()
    product = ProductFactory(group="tourism", price=250000, stock=0, name_vi="Lớp làm gốm Bát Tràng")
    experience = Experience(product=product, place_kind="outlet", outlet=outlet, duration_minutes=120,
                            cutoff_minutes=120, languages="vi,en")
    adult = PersonType(code="adult", label_vi="Người lớn", label_en="Adult", price=250000)
    child = PersonType(code="child", label_vi="Trẻ em", label_en="Child", price=150000, position=1)
    experience.person_types = [adult, child]
    starts = (utcnow() + timedelta(days=days_ahead)).replace(hour=2, minute=0, second=0, microsecond=0)
    session = ExperienceSession(experience=experience, starts_at=starts, ends_at=starts + timedelta(hours=2),
                                day=local_date_of(starts), capacity=capacity)
    db.session.add_all([experience, session])
    db.session.commit()
    return experience, session, adult, child


def tickets(session, *pairs):
    """Ticket lines for ``(person type, quantity)`` pairs in ``session``."""
    return [Ticket(session.id, pt.id, q, pt.price) for pt, q in pairs]


def book(session, *pairs, goods=(), outlet=None, method="at_pickup", token=None, contact=CONTACT):
    """Place an order of tickets (and goods ``(product, quantity)`` at ``outlet``) through ``place_order``."""
    lines = [line(product, quantity) for product, quantity in goods]
    return place_order(lines, contact, {l.product_id: outlet.id for l in lines}, method,
                       token or new_checkout_token(), booking_lines=tickets(session, *pairs))


def seats_taken(session) -> int:
    return db.session.get(ExperienceSession, session.id, populate_existing=True).seats_taken


def race_app_for(make_app):
    """An app whose pool lets 50 threads place at once (the booking race tests)."""
    return make_app(SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True, "pool_size": 10,
                                               "max_overflow": 5, "pool_timeout": 300})


def book_one_seat_repeatedly(session_id, adult_id, price, label, tries) -> list[str]:
    """Try ``tries`` one-seat bookings in a row; return each outcome ("booked", "full" or the error)."""
    from storefront.orders.placement import BookingUnavailable

    outcomes = []
    for attempt in range(tries):
        try:
            place_order([], CONTACT, {}, "at_pickup", f"race-{label}-{attempt}",
                        booking_lines=[Ticket(session_id, adult_id, 1, price)])
            outcomes.append("booked")
        except BookingUnavailable:
            outcomes.append("full")
        except Exception as error:  # noqa: BLE001 — reported by the assertion
            outcomes.append(repr(error))
    return outcomes

