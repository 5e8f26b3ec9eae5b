"""Consent where people give it (Decree 13/2023: an affirmative act, never a pre-ticked box), and
what lifts a channel stop.

- Registration and checkout (a guest too) show the news boxes unticked, in Vietnamese and English;
  ticking records the account page's kind of record (wording version, time, source
  ``web:register`` / ``web:checkout``), a guest's against the order whose phone and e-mail they
  are; ticking nothing records nothing and the order, with its own notices, goes through.
- A stop from a notice's link withdraws the consent. Ticking the box again later records the yes,
  but lifts the stop only where that proves the address is the person's (an account's confirmed
  e-mail); a phone waits for the stop link's own "turn back on", which only its owner has. A stop
  after that stops again. Promotional notices flow by the channel only while the consent is in
  force and no stop is.
"""
import io
import re
import zipfile

from storefront.accounts.models import User
from storefront.extensions import db
from storefront.notifications import channels, stops
from storefront.notifications.models import ChannelStop
from storefront.orders.models import Order
from storefront.privacy import consents
from storefront.privacy.models import ConsentRecord, Purpose
from tests.support.channel_support import (  # noqa: F401  (fixtures)
    PHONE, app, deliveries, esms, sweep, zalo)
from tests.support.factories import OutletFactory, ProductFactory, UserFactory
from tests.support.race import at_once

BOXES = ("consent-news_zalo", "consent-news_sms", "consent-news_email")
GUEST = {"name": "Nguyễn Văn Khách", "phone": "0912345678", "email": "khach@example.com"}
NEWS = {"order_number": "OC-2026-000001", "amount": "1 đ", "customer_name": "A"}
PASSWORD = "correct horse battery staple"


def boxes_on(page: str) -> dict[str, bool]:
    """Return {box name: ticked} for every news box the page shows."""
    found = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        if name and name[1] in BOXES:
            found[name[1]] = " checked" in tag
    return found


def in_english(client) -> None:
    client.post("/lang/en")


def records() -> list[ConsentRecord]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(ConsentRecord).order_by(ConsentRecord.id)))


def stop_rows(channel: str, address: str) -> list[ChannelStop]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(ChannelStop).filter_by(channel=channel, address=address)
                                   .order_by(ChannelStop.id)))


def promote(user):
    """A promotional notice to ``user`` (as the existing consent tests send one)."""
    notice = channels.notify("payment_received", locale="vi", phone=user.phone, email=user.email,
                             mail=("news", "Tin mới", "Ưu đãi"), promotional=True, user=user,
                             values=NEWS)
    db.session.commit()
    return notice


# --- registration ----------------------------------------------------------------------------------

def register(client, **extra):
    data = {"name": "Nguyễn Văn An", "email": "an@example.com", "phone": "0912345678",
            "password": PASSWORD, "confirm": PASSWORD, **extra}
    return client.post("/auth/register", data=data)


def test_registration_shows_the_boxes_unticked_in_both_languages(client):
    page = client.get("/auth/register").get_data(as_text=True)
    assert boxes_on(page) == dict.fromkeys(BOXES, False)
    assert "Nhận tin mới và ưu đãi qua Zalo" in page and "dừng nhận" in page  # what, how to stop

    in_english(client)
    page = client.get("/auth/register").get_data(as_text=True)
    assert boxes_on(page) == dict.fromkeys(BOXES, False)
    assert "Get news and offers by Zalo" in page and "Get news and offers by e-mail" in page


def test_ticking_at_registration_records_consent_with_source_and_wording(client):
    response = register(client, **{"consent-news_zalo": "y", "consent-news_email": "y"})
    assert response.status_code == 302

    written = records()
    assert [(r.purpose, r.granted, r.channel, r.text_version) for r in written] == [
        ("news_zalo", True, "web:register", consents.TEXT_VERSION),
        ("news_email", True, "web:register", consents.TEXT_VERSION)]
    user = db.session.get(User, written[0].user_id)
    assert user.email == "an@example.com" and written[0].order_id is None
    assert all(r.created_at for r in written)
    assert consents.granted(user) == {Purpose.NEWS_ZALO, Purpose.NEWS_EMAIL}


def test_registering_without_a_tick_records_nothing_nor_for_an_address_in_use(client):
    register(client)
    owner = UserFactory(email="chu@example.com")
    register(client, email="chu@example.com", **{"consent-news_sms": "y"})  # not necessarily its owner
    assert records() == []
    assert consents.granted(owner) == set()


def test_a_registration_sent_back_with_an_error_keeps_the_persons_own_ticks(client):
    page = register(client, confirm="something else", **{"consent-news_sms": "y"}).get_data(as_text=True)
    assert boxes_on(page) == {"consent-news_zalo": False, "consent-news_sms": True,
                              "consent-news_email": False}
    assert records() == []


# --- checkout ----------------------------------------------------------------------------------------

def a_cart(client):
    outlet = OutletFactory(name="Điểm A")
    vase = ProductFactory(name_vi="Bình gốm", price=150_000, stock=10, outlets=[outlet])
    client.post("/cart/add", data={"product_id": vase.id, "quantity": 1})
    return outlet


def checkout(client, outlet, contact=GUEST, review=True, **extra):
    """Fill the checkout page; then place from the review page (or straight from the page)."""
    step = {"review": "1"}
    if not review:  # the one-screen place needs the page's one-time token and what it showed
        html = client.get("/checkout").get_data(as_text=True)
        step = {"place": "1", "accept_terms": "y", **{
            name: re.search(rf'name="{name}" type="hidden" value="([^"]+)"', html)[1]
            for name in ("checkout_token", "seen")}}
    data = {**contact, "payment_method": "at_pickup", "outlet_id": outlet.id, **step, **extra}
    response = client.post("/checkout", data=data)
    if not review:
        return response
    page = client.get("/checkout/review").get_data(as_text=True)
    token = re.search(r'name="checkout_token" type="hidden" value="([^"]+)"', page)[1]
    client.post("/checkout/place", data={"accept_terms": "y", "checkout_token": token})
    return page


def placed() -> list[Order]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Order).order_by(Order.id)))


def test_checkout_shows_the_boxes_unticked_in_both_languages(client):
    a_cart(client)
    page = client.get("/checkout").get_data(as_text=True)
    assert boxes_on(page) == dict.fromkeys(BOXES, False)
    in_english(client)
    page = client.get("/checkout").get_data(as_text=True)
    assert boxes_on(page) == dict.fromkeys(BOXES, False)
    assert "Get news and offers by SMS" in page


def test_a_guest_ticking_at_checkout_gives_consent_for_the_orders_phone_and_email(client):
    outlet = a_cart(client)
    review = checkout(client, outlet, **{"consent-news_sms": "y", "consent-news_email": "y"})
    assert "Nhận tin mới và ưu đãi qua SMS" in review  # the review page says what was ticked

    [order] = placed()
    written = records()
    assert [(r.purpose, r.granted, r.channel, r.text_version, r.user_id, r.order_id)
            for r in written] == [
        ("news_sms", True, "web:checkout", consents.TEXT_VERSION, None, order.id),
        ("news_email", True, "web:checkout", consents.TEXT_VERSION, None, order.id)]
    assert consents.granted(order) == {Purpose.NEWS_SMS, Purpose.NEWS_EMAIL}
    assert consents.guest_orders_at("sms", PHONE) == [order]  # who the stop link's phone reaches

    download = client.post(f"/orders/{order.number}/data/download")  # the guest's own copy
    held = zipfile.ZipFile(io.BytesIO(download.data)).read("data.json").decode()
    assert '"channel": "web:checkout"' in held and consents.TEXT_VERSION in held


def test_placing_straight_from_the_page_records_the_ticks_too(client):
    outlet = a_cart(client)
    response = checkout(client, outlet, review=False, **{"consent-news_zalo": "y"})
    assert response.status_code == 303
    [order] = placed()
    assert [(r.purpose, r.order_id, r.user_id) for r in records()] == [("news_zalo", order.id, None)]


def test_ticking_nothing_records_nothing_and_the_order_and_its_notice_go_through(client):
    outlet = a_cart(client)
    checkout(client, outlet)
    [order] = placed()
    assert order.payment_method == "at_pickup" and records() == []
    # the order's own notice needs no consent: it goes by the first channel the phone has
    assert [(d.notice.order_id, d.channel) for d in deliveries("order_placed")] == [(order.id, "zalo")]


def test_a_signed_in_shopper_ticks_for_the_account_and_is_not_asked_again(client, login):
    user = UserFactory(email="khach@example.com", phone="0912345678")
    consents.record_choices(user, {Purpose.NEWS_EMAIL})
    login(user)
    outlet = a_cart(client)
    page = client.get("/checkout").get_data(as_text=True)
    assert boxes_on(page) == {"consent-news_zalo": False, "consent-news_sms": False}
    checkout(client, outlet, **{"consent-news_zalo": "y"})

    [order] = placed()
    latest = records()[-1]
    assert (latest.purpose, latest.channel, latest.user_id, latest.order_id) == (
        "news_zalo", "web:checkout", user.id, order.id)
    assert consents.granted(user) == {Purpose.NEWS_ZALO, Purpose.NEWS_EMAIL}
    assert consents.history(order) == []  # not a guest's: the account holds it


# --- a stop, a re-grant, a stop again -------------------------------------------------------------

def zalo_took(zalo, notice) -> bool:
    sweep()
    return notice is not None and "zalo" in [d.channel for d in notice.deliveries] \
        and any(m.tracking_id == f"ocop-{d.id}" for m in zalo.messages for d in notice.deliveries)


def test_ticking_zalo_again_waits_on_the_stop_until_the_link_turns_it_back_on_and_a_later_stop_stops_again(
        app, zalo, esms, client, login):
    user = UserFactory(email="khach@example.com", phone="0912345678")
    consents.record_choices(user, {Purpose.NEWS_ZALO})
    assert zalo_took(zalo, promote(user))
    link = f"/notifications/stop/{stops.stop_token('zalo', PHONE)}"

    client.post(link)  # stop: the consent is withdrawn, Zalo carries nothing more
    db.session.expire_all()
    assert consents.granted(user) == set() and promote(user) is None
    login(user)
    assert boxes_on_account(client) == {"news_zalo": False, "news_sms": False, "news_email": False}

    client.post("/account/consents", data={"news_zalo": "y"})  # ticked again: a phone proves nothing
    grant = records()[-1]
    assert (grant.purpose, grant.granted, grant.channel) == ("news_zalo", True, "web:account")
    [first] = stop_rows("zalo", PHONE)
    assert first.lifted_at is None and promote(user) is None  # the stop holds
    page = client.get("/account/data").get_data(as_text=True)
    assert boxes_on_account(client)["news_zalo"] is True and "Bật lại Zalo" in page  # said so
    client.post("/account/consents", data={"news_zalo": "y"})  # saved again: no second record
    assert len(records()) == 3

    client.post(link, data={"action": "resume"})  # the owner turns it back on from the link
    [first] = stop_rows("zalo", PHONE)
    assert first.lifted_by == "link:notice-resume" and not stops.is_stopped("zalo", PHONE)
    assert zalo_took(zalo, promote(user))  # the yes waiting on the stop takes effect: news by Zalo
    assert "Bật lại Zalo" not in client.get("/account/data").get_data(as_text=True)

    client.post(link)  # and a stop after that stops again
    rows = stop_rows("zalo", PHONE)
    assert [row.lifted_at is None for row in rows] == [False, True]  # history kept, a new stop
    db.session.expire_all()
    assert consents.granted(user) == set() and promote(user) is None
    assert [(r.purpose, r.granted, r.channel) for r in consents.history(user)] == [
        ("news_zalo", True, "web:account"), ("news_zalo", False, "link:notice-stop"),
        ("news_zalo", True, "web:account"), ("news_zalo", False, "link:notice-stop")]


def test_ticking_the_box_for_a_confirmed_account_email_lifts_its_stop_but_not_an_unconfirmed_one(
        app, client, login):
    confirmed = UserFactory(email="khach@example.com", phone="0912345678")
    unconfirmed = UserFactory(email="moi@example.com", phone="0987654321")
    unconfirmed.email_confirmed_at = None
    db.session.commit()
    for address in ("khach@example.com", "moi@example.com"):
        stops.stop("email", address)

    consents.record_choices(confirmed, {Purpose.NEWS_EMAIL})
    consents.record_choices(unconfirmed, {Purpose.NEWS_EMAIL})
    assert not stops.is_stopped("email", "khach@example.com")
    assert stop_rows("email", "khach@example.com")[0].lifted_by.startswith("consent:")
    assert stops.is_stopped("email", "moi@example.com")
    assert consents.receiving(confirmed) == {Purpose.NEWS_EMAIL}
    assert consents.receiving(unconfirmed) == set()
    assert consents.waiting_on_stop(unconfirmed) == {Purpose.NEWS_EMAIL}


def boxes_on_account(client) -> dict[str, bool]:
    page = client.get("/account/data").get_data(as_text=True)
    found = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name = re.search(r'name="(news_\w+)"', tag)
        if name:
            found[name[1]] = " checked" in tag
    return found


def test_a_consent_a_stop_overtook_shows_ticked_with_the_way_to_turn_the_channel_back_on(
        app, zalo, esms, client, login):
    user = UserFactory(email="khach@example.com", phone="0987654321")
    consents.record_choices(user, {Purpose.NEWS_ZALO})
    stops.stop("zalo", PHONE)  # 0912345678 was stopped (by whoever had it) …
    user.phone = "0912345678"  # … and the account takes that phone: its yes waits on the stop
    db.session.commit()
    login(user)
    page = client.get("/account/data").get_data(as_text=True)
    assert boxes_on_account(client)["news_zalo"] is True and "Bật lại Zalo" in page
    assert promote(user) is None  # the stop holds whatever the records say

    client.post("/account/consents", data={"news_zalo": "y"})  # ticking proves nothing: no lift
    assert stops.is_stopped("zalo", PHONE) and promote(user) is None
    stops.resume("zalo", PHONE)  # the owner of 0912345678, from a message's link
    assert zalo_took(zalo, promote(user))


def test_a_guest_stop_withdraws_and_ticking_at_a_later_checkout_does_not_lift_it(app, zalo, esms, client):
    outlet = a_cart(client)
    checkout(client, outlet, **{"consent-news_zalo": "y"})
    [first] = placed()
    assert consents.granted(first) == {Purpose.NEWS_ZALO}

    client.post(f"/notifications/stop/{stops.stop_token('zalo', PHONE)}")
    db.session.expire_all()
    assert consents.granted(first) == set()  # the guest's consent is withdrawn with the stop
    assert consents.history(first)[-1].channel == "link:notice-stop"

    client.post("/cart/add", data={"product_id": first.lines[0].product_id, "quantity": 1})
    checkout(client, outlet, **{"consent-news_zalo": "y"})  # ticked again, by whoever typed the phone
    second = placed()[-1]
    assert consents.granted(second) == {Purpose.NEWS_ZALO}  # recorded, as the person's word …
    [row] = stop_rows("zalo", PHONE)
    assert row.lifted_at is None  # … but a box proves nothing about the phone: the stop holds
    assert [d.channel for d in deliveries("order_placed") if d.notice.order_id == second.id] == ["sms"]

    client.post(f"/notifications/stop/{stops.stop_token('zalo', PHONE)}", data={"action": "resume"})
    client.post("/cart/add", data={"product_id": first.lines[0].product_id, "quantity": 1})
    checkout(client, outlet)  # turned back on from the link: the next order's notices take Zalo
    third = placed()[-1]
    assert [d.channel for d in deliveries("order_placed") if d.notice.order_id == third.id] == ["zalo"]


def test_forgetting_a_guests_contact_withdraws_its_consents(app, client):
    from storefront.privacy import erasure

    outlet = a_cart(client)
    checkout(client, outlet, **{"consent-news_email": "y"})
    [order] = placed()
    erasure.forget_order(order)
    db.session.commit()
    assert consents.granted(order) == set()
    assert consents.history(order)[-1].channel == "web:erasure"


def test_a_stop_tapped_many_times_at_once_and_a_resume_racing_it_leave_one_history(app):
    user = UserFactory(email="khach@example.com", phone="0912345678")
    consents.record_choices(user, {Purpose.NEWS_ZALO})
    outcomes = at_once(app, *[lambda: stops.stop("zalo", PHONE)] * 6)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert [row.lifted_at for row in stop_rows("zalo", PHONE)] == [None]
    assert consents.receiving(user) == set()

    consents.record_choices(db.session.get(User, user.id), {Purpose.NEWS_ZALO})  # waits on the stop
    outcomes = at_once(app, lambda: stops.resume("zalo", PHONE), lambda: stops.stop("zalo", PHONE))
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    rows = stop_rows("zalo", PHONE)
    db.session.expire_all()
    # either order leaves one history: resume then stop → a new stop in force; stop (already in
    # force: nothing new) then resume → lifted. The stop withdrew the waiting yes either way.
    assert sum(row.lifted_at is None for row in rows) <= 1 and len(rows) in (1, 2)
    assert (len(rows) == 2) == (rows[-1].lifted_at is None) and rows[0].lifted_at is not None
    assert consents.receiving(user) == set() and consents.granted(user) == set()
