"""Notices by Zalo ZNS, else SMS brandname, else e-mail: order, exactly once, tokens, reports.

The Zalo and eSMS APIs are real HTTP servers on free ports (``tests/support/zalo_server.py``,
``tests/support/esms_server.py``) that refuse what the providers refuse; the shop talks to them with the
same code it uses in production.
"""
import re
from dataclasses import replace
from datetime import timedelta

import pytest
import time_machine

from storefront.booking_changes import services as booking_changes, waitlist
from storefront.extensions import db
from storefront.notifications import channels, dispatch, esms as esms_provider, events
from storefront.notifications import stops, zalo as zalo_provider
from storefront.notifications.models import DeliveryStatus as S, ProviderToken
from storefront.orders import services as order_services
from storefront.timeutil import utcnow
from tests.support.channel_support import (  # noqa: F401  (fixtures)
    PHONE, SMS_SECRET, TEMPLATES, app, deliveries, esms, esms_settings, events_sent, mails, sweep,
    zalo, zalo_settings,
)
from tests.support.bookings_support import book, workshop
from tests.support.checkout_support import CONTACT, place
from tests.support.factories import OutletFactory, ProductFactory, StaffUserFactory
from tests.support.transfer_support import ACCOUNT, notification, post, transfer_order


def placed_at_pickup(**outlet_fields):
    outlet = OutletFactory(**outlet_fields)
    product = ProductFactory(price=120_000, stock=10, outlets=[outlet])
    return place((product, 2), outlet=outlet), outlet


def later(minutes: float):
    return time_machine.travel(utcnow() + timedelta(minutes=minutes), tick=True)


# --- without Zalo or SMS: the mails of before ----------------------------------------------------

def test_without_zalo_or_sms_the_shop_mails_as_before(make_app):
    app = make_app()
    with app.app_context():
        placed, _outlet = placed_at_pickup()
        assert [m.to_email for m in mails("order_placed")] == [CONTACT.email]
        assert deliveries() == []
        db.session.remove()


# --- the order of channels ------------------------------------------------------------------------

def test_a_notice_goes_by_zalo_with_the_published_fields(app, zalo, esms):
    placed, outlet = placed_at_pickup(name="Điểm bán Hợp tác xã Gốm sứ Bát Tràng số 1 Giang Cao")
    sweep()

    [message] = zalo.messages
    assert message.phone == PHONE and message.template_id == TEMPLATES["order_placed"]
    assert message.tracking_id == f"ocop-{deliveries('order_placed')[0].id}"
    assert message.data["order_number"] == placed.order.number
    assert message.data["customer_name"] == CONTACT.name
    assert len(message.data["outlet_name"]) <= 30 and message.data["outlet_name"].endswith("…")
    assert zalo.refused == [] and esms.messages == []
    assert mails("order_placed") == []  # the shopper got it on Zalo; no mail besides
    [delivery] = deliveries("order_placed")
    assert delivery.status == S.ACCEPTED and delivery.provider_id == message.msg_id


def test_no_zalo_on_the_phone_falls_back_to_sms_then_to_email(app, zalo, esms):
    zalo.no_zalo.add(PHONE)
    placed, _outlet = placed_at_pickup()
    sweep()
    [sms] = esms.messages
    assert sms.phone == PHONE and sms.request_id == f"ocop-{deliveries('order_placed')[1].id}"
    assert placed.order.number in sms.text and sms.text.isascii() and len(sms.text) <= 160
    assert "Nhan tai" in sms.text  # the Vietnamese, without its accents
    assert [(d.channel, d.status) for d in deliveries("order_placed")] == [
        ("zalo", S.FAILED), ("sms", S.ACCEPTED)]
    assert "-118" in deliveries("order_placed")[0].answer


def test_a_refused_sms_hands_the_notice_to_email(app, zalo, esms):
    zalo.no_zalo.add(PHONE)
    esms.blocked.add(PHONE)
    placed, _outlet = placed_at_pickup()
    sweep()
    assert [(d.channel, d.status) for d in deliveries("order_placed")] == [
        ("zalo", S.FAILED), ("sms", S.FAILED), ("email", S.ACCEPTED)]
    [mail] = mails("order_placed")
    assert mail.to_email == CONTACT.email and placed.order.number in mail.subject
    assert deliveries("order_placed")[2].outbox_message_id == mail.id


def test_an_event_without_a_template_goes_by_sms(make_app, zalo, esms):
    templates = {k: v for k, v in TEMPLATES.items() if k != "order_placed"}
    app = make_app(**zalo_settings(zalo, templates), **esms_settings(esms))
    with app.app_context():
        placed_at_pickup()
        sweep()
        assert zalo.messages == [] and len(esms.messages) == 1
        assert [d.channel for d in deliveries("order_placed")] == ["sms"]
        db.session.remove()


def test_a_provider_that_is_down_is_tried_again_then_the_next_channel_takes_it(app, zalo, esms):
    zalo.fail_next = ["unavailable"] * 4
    placed_at_pickup()
    sweep()
    [delivery] = deliveries("order_placed")
    assert (delivery.status, delivery.attempts) == (S.PENDING, 1)
    for minutes in (2, 8, 25):
        with later(minutes):
            sweep()
    assert zalo.messages == []
    assert [(d.channel, d.status, d.attempts) for d in deliveries("order_placed")] == [
        ("zalo", S.FAILED, 4), ("sms", S.ACCEPTED, 1)]
    assert len(esms.messages) == 1


# --- exactly once ---------------------------------------------------------------------------------

def test_a_lost_zalo_answer_is_not_sent_again_and_its_late_report_settles_it(app, zalo, esms,
                                                                          client):
    zalo.fail_next = ["timeout"]  # Zalo takes it and answers after the shop stopped waiting
    placed_at_pickup()
    sweep()
    [delivery] = deliveries("order_placed")
    assert delivery.status == S.UNCERTAIN and len(zalo.messages) == 1
    with later(5):
        sweep()
    assert len(zalo.messages) == 1 and esms.messages == []

    body, signature = zalo.report(zalo.messages[0])
    answer = client.post("/notifications/zalo/webhook", data=body,
                         headers={"X-ZEvent-Signature": signature, "Content-Type": "application/json"})
    assert answer.status_code == 200 and answer.json["outcome"] == "delivered"
    [delivery] = deliveries("order_placed")
    assert delivery.status == S.DELIVERED and delivery.provider_id == zalo.messages[0].msg_id
    with later(30):
        sweep()
    assert len(zalo.messages) == 1 and esms.messages == []


def test_without_zalo_report_an_uncertain_message_goes_by_sms_never_zalo_twice(app, zalo, esms):
    zalo.fail_next = ["timeout"]
    placed_at_pickup()
    sweep()
    with later(16):  # ZALO_REPORT_WAIT_SECONDS: 15 minutes
        sweep()
    assert len(zalo.messages) == 1 and len(esms.messages) == 1
    assert [(d.channel, d.status) for d in deliveries("order_placed")] == [
        ("zalo", S.FAILED), ("sms", S.ACCEPTED)]


class Killed(BaseException):
    """The worker dies (SIGKILL) between the provider's answer and the row's record."""


def _die_once_after_the_answer(monkeypatch):
    real = dispatch._record
    state = {"killed": False}

    def record(delivery_id, **values):
        if values.get("status") == S.ACCEPTED and not state["killed"]:
            state["killed"] = True
            raise Killed()
        real(delivery_id, **values)

    monkeypatch.setattr(dispatch, "_record", record)


def test_a_worker_killed_after_zalo_answered_does_not_send_it_again(app, zalo, esms,
                                                                   monkeypatch, client):
    placed_at_pickup()
    _die_once_after_the_answer(monkeypatch)
    with pytest.raises(Killed):
        sweep()
    db.session.rollback()
    assert len(zalo.messages) == 1 and deliveries("order_placed")[0].status == S.SENDING

    with later(3):  # the claim lapsed: another worker sweeps
        sweep()
    [delivery] = deliveries("order_placed")
    assert delivery.status == S.UNCERTAIN and len(zalo.messages) == 1  # not sent again
    body, signature = zalo.report(zalo.messages[0])
    client.post("/notifications/zalo/webhook", data=body,
                headers={"X-ZEvent-Signature": signature, "Content-Type": "application/json"})
    with later(30):
        sweep()
    assert deliveries("order_placed")[0].status == S.DELIVERED
    assert len(zalo.messages) == 1 and esms.messages == []


def test_a_worker_killed_after_esms_answered_sends_the_same_request_id_which_esms_refuses(
        make_app, esms, monkeypatch):
    app = make_app(**esms_settings(esms))
    with app.app_context():
        placed_at_pickup()
        _die_once_after_the_answer(monkeypatch)
        with pytest.raises(Killed):
            sweep()
        db.session.rollback()
        with later(3):
            sweep()
        [delivery] = deliveries("order_placed")
        assert delivery.status == S.ACCEPTED and "124" in delivery.answer
        assert len(esms.messages) == 1
        assert [r["RequestId"] for r in esms.requests] == [delivery.tracking_id] * 2
        db.session.remove()


# --- the OA's token --------------------------------------------------------------------------------

def test_the_access_token_is_refreshed_and_the_rotated_refresh_token_kept(app, zalo):
    placed_at_pickup()
    sweep()
    assert zalo.refreshes == ["refresh-0"]
    row = db.session.get(ProviderToken, "zalo")  # kept encrypted (tests/test_notice_tokens_consents.py)
    assert zalo_provider._open(row.refresh_token) == ("refresh-1", False)
    assert zalo_provider._open(row.access_token) == ("access-1", False)
    assert row.access_expires_at > utcnow() + timedelta(hours=24)

    placed_at_pickup()
    sweep()
    assert zalo.refreshes == ["refresh-0"]  # still good: no refresh
    with later(25 * 60 - 5):  # ten minutes before it expires: refreshed first
        placed_at_pickup()
        sweep()
    assert zalo.refreshes == ["refresh-0", "refresh-1"] and len(zalo.messages) == 3


def test_a_token_zalo_no_longer_takes_is_refreshed_once_and_the_message_sent(app, zalo):
    placed_at_pickup()
    sweep()
    zalo.expire_tokens()  # Zalo answers -124
    placed_at_pickup()
    sweep()
    assert zalo.refreshes == ["refresh-0", "refresh-1"] and len(zalo.messages) == 2
    assert all(d.status == S.ACCEPTED for d in deliveries("order_placed"))


def test_a_new_refresh_token_in_the_environment_replaces_the_stored_one(make_app, zalo, esms):
    app = make_app(**zalo_settings(zalo))
    with app.app_context():
        placed_at_pickup()
        sweep()
        db.session.remove()
    zalo.refresh_token = "re-authorised"  # the OA was authorised again: a new token
    zalo.expire_tokens()
    app = make_app(**{**zalo_settings(zalo), "ZALO_REFRESH_TOKEN": "re-authorised"})
    with app.app_context():
        placed_at_pickup()
        sweep()
        assert zalo.refreshes[-1] == "re-authorised" and len(zalo.messages) == 2
        db.session.remove()


# --- delivery reports -------------------------------------------------------------------------------

def test_zalo_reports_need_its_signature(app, zalo, client):
    placed_at_pickup()
    sweep()
    body, signature = zalo.report(zalo.messages[0])
    for header in ({}, {"X-ZEvent-Signature": "mac=" + "0" * 64}):
        answer = client.post("/notifications/zalo/webhook", data=body,
                             headers={**header, "Content-Type": "application/json"})
        assert answer.status_code == 401
    assert deliveries("order_placed")[0].status == S.ACCEPTED


def test_an_sms_report_needs_the_secret_and_a_refusal_falls_back_to_email(app, zalo, esms, client):
    zalo.no_zalo.add(PHONE)
    placed_at_pickup()
    sweep()
    [sms] = esms.messages
    assert sms.callback_url == esms_provider.callback_url()
    path = esms.callback(sms, status="4")
    assert client.get(path.replace(SMS_SECRET, "guessed")).status_code == 404
    assert client.get(path).json["outcome"] == "recorded"
    assert [(d.channel, d.status) for d in deliveries("order_placed")] == [
        ("zalo", S.FAILED), ("sms", S.FAILED), ("email", S.ACCEPTED)]
    assert client.get(path).status_code == 200  # a repeated report changes nothing
    assert len(mails("order_placed")) == 1


# --- stopping a channel, consent ------------------------------------------------------------------

def test_a_shopper_stops_zalo_from_the_link_and_notices_go_by_sms(app, zalo, esms, client):
    placed, _outlet = placed_at_pickup()
    page = client.get(f"/orders/{placed.order.number}?t={placed.access_token}").get_data(as_text=True)
    assert "order-notices" in page
    link = next(part.split('"')[0] for part in page.split('href="')[1:]
                if part.startswith("/notifications/stop/"))
    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 303
    placed_at_pickup()
    sweep()
    # the first order's notice waited unsent when Zalo was stopped: it goes by SMS too
    assert zalo.messages == [] and len(esms.messages) == 2
    assert client.get("/notifications/stop/forged-token").status_code == 404


def test_the_stop_link_turns_the_channel_back_on_for_order_notices(
        app, zalo, esms, client):
    from storefront.notifications.models import ChannelStop
    link = f"/notifications/stop/{stops.stop_token('zalo', PHONE)}"
    client.post(link)
    page = client.get(link).get_data(as_text=True)
    assert "Bật lại Zalo" in page and 'name="action" value="resume"' in page

    resumed = client.post(link, data={"action": "resume"}, follow_redirects=True)
    assert "Đã bật lại Zalo" in resumed.get_data(as_text=True)
    [row] = db.session.scalars(db.select(ChannelStop)).all()
    assert row.lifted_at is not None and row.lifted_by == "link:notice-resume"
    assert not stops.is_stopped("zalo", PHONE)
    assert client.post(link, data={"action": "resume"}).status_code == 303  # again: nothing to lift

    placed_at_pickup()
    sweep()
    assert len(zalo.messages) == 1 and esms.messages == []  # the order's notice takes Zalo again
    assert "Tắt Zalo" in client.get(link).get_data(as_text=True)  # and the link can stop it again


def test_a_channel_stopped_while_a_notice_waits_is_not_used_for_it(app, zalo, esms):
    placed_at_pickup()
    [waiting] = deliveries("order_placed")
    assert waiting.channel == "zalo" and waiting.status == S.PENDING
    stops.stop("zalo", PHONE)
    sweep()
    assert zalo.messages == [] and len(esms.messages) == 1
    zalo_row, sms_row = deliveries("order_placed")
    assert zalo_row.status == S.FAILED and "stopped" in zalo_row.answer
    assert sms_row.channel == "sms" and sms_row.status == S.ACCEPTED


def test_promotional_notices_go_only_by_the_channels_opted_in(app, zalo, esms):
    from storefront.privacy import consents
    from storefront.privacy.models import Purpose
    from tests.support.factories import UserFactory

    user = UserFactory(email="khach@example.com", phone="0912345678")
    values = {"order_number": "OC-2026-000001", "amount": "1 đ", "customer_name": "A"}
    assert channels.notify("payment_received", locale="vi", phone="0912345678",
                           email="khach@example.com", promotional=True, user=user,
                           values=values) is None  # no consent recorded: no channel
    assert channels.notify("payment_received", locale="vi", phone="0912345678",
                           email="khach@example.com", promotional=True, values=values) is None
    consents.record_choices(user, {Purpose.NEWS_SMS})
    notice = channels.notify("payment_received", locale="vi", phone="0912345678",
                             email="khach@example.com", promotional=True, user=user, values=values)
    db.session.commit()
    sweep()
    assert zalo.messages == [] and [d.channel for d in notice.deliveries] == ["sms"]
    assert len(esms.messages) == 1


# --- caps and texts -----------------------------------------------------------------------------

def test_parameters_are_cut_to_zalo_caps_and_sms_has_no_accents():
    assert events.cap("outlet_name", "x" * 40) == "x" * 29 + "…"
    assert events.cap("outlet_address", "y" * 250).startswith("y" * 199)
    assert events.cap("order_number", "OC-2026-000123") == "OC-2026-000123"


def _offered_by_phone(title=None):
    """A full workshop (``title``); a guest who gave only PHONE waits; a seat frees: the offer holds it."""
    experience, session, adult, _child = workshop(capacity=2)
    if title:
        experience.product.name_vi = title
    others = replace(CONTACT, phone="0987654321", email="khac@example.com")  # not the waiting phone
    book(session, (adult, 1), contact=others)
    freed = book(session, (adult, 1), contact=others)
    entry = waitlist.join(session, waitlist.Contact(name="Trần Thị Lan", phone=CONTACT.phone), 1)
    booking_changes.cancel_booking(freed.order.bookings[0], by="guest")
    db.session.expire_all()
    assert entry.status == "offered"
    hanoi = entry.offer_expires_at + timedelta(hours=7)  # Hanoi keeps UTC+7 all year
    return experience, session, hanoi.strftime("%H:%M %d/%m")


def test_a_waitlist_offer_by_zalo_carries_the_deadline_of_its_held_seats(app, zalo, esms):
    experience, session, deadline = _offered_by_phone()
    sweep()

    [offer] = [m for m in zalo.to(PHONE) if m.template_id == TEMPLATES["waitlist_seat"]]
    link = offer.data.pop("link")
    assert offer.data == {"customer_name": "Trần Thị Lan", "title": "Lớp làm gốm Bát Tràng",
                          "date": session.day.strftime("%d/%m/%Y"), "deadline": deadline}
    assert re.fullmatch(r"http://localhost/w/[\w-]{12}", link)
    assert zalo.refused == []


def test_a_waitlist_offer_by_sms_says_the_seats_are_held_until_when(app, zalo, esms, client):
    zalo.no_zalo.add(PHONE)
    title = "Trải nghiệm làm gốm men rạn cổ truyền cùng nghệ nhân làng Bát Tràng"
    experience, session, deadline = _offered_by_phone(title)
    sweep()

    [sms] = [m for m in esms.messages if m.phone == PHONE]
    assert sms.text.isascii() and len(sms.text) <= 160
    assert f"da giu cho Trai nghiem lam gom men ran c... ngay {session.day:%d/%m/%Y}" in sms.text
    assert f"cho ban den {deadline}." in sms.text  # held until when: whole, even with a long title
    # a guest who gave only a phone books through the link in the SMS itself
    link = re.search(r"Dat: (\S+)$", sms.text)[1]
    assert link.startswith("http://localhost/w/")
    offer_page = client.get(link.removeprefix("http://localhost"), follow_redirects=True)
    assert offer_page.status_code == 200
    assert "Trải nghiệm làm gốm men rạn" in offer_page.get_data(as_text=True)
    assert [(d.channel, d.status) for d in deliveries("waitlist_seat")] == [
        ("zalo", S.FAILED), ("sms", S.ACCEPTED)]


def test_a_ticket_by_sms_names_the_experience_and_its_day(app, zalo, esms):
    zalo.no_zalo.add(PHONE)
    experience, session, adult, _child = workshop(capacity=4)
    book(session, (adult, 1))
    sweep()
    [ticket] = [m for m in esms.messages if m.phone == PHONE and " ve " in m.text]
    assert f"ve Lop lam gom Bat Trang ngay {session.day:%d/%m/%Y}, don OC-" in ticket.text


# --- seeing it -------------------------------------------------------------------------------------

def test_admins_list_deliveries_by_state_and_retry_a_failed_one(app, zalo, esms, client, login):
    from tests.support.factories import AdminFactory

    zalo.no_zalo.add(PHONE)
    esms.blocked.add(PHONE)
    placed_at_pickup()
    sweep()
    login(AdminFactory())
    page = client.get("/admin/notifications?state=failed").get_data(as_text=True)
    assert "-118" in page and "99" in page
    failed = deliveries("order_placed")[0]
    zalo.no_zalo.clear()
    answer = client.post(f"/admin/notifications/{failed.id}/retry")
    assert answer.status_code == 303
    sweep()
    assert len(zalo.messages) == 1


# --- the whole journey, browser-free ----------------------------------------------------------------

def test_place_pay_by_transfer_hand_over_sends_the_shopper_each_notice_in_order(app, zalo, esms,
                                                                                client):
    placed, _products = transfer_order(quantity=2, price=150_000)
    order, pickup = placed.order, placed.order.pickups[0]
    sweep()
    assert post(client, notification(order.payment_code, order.total)).status_code == 200
    sweep()
    staff = StaffUserFactory(outlet=pickup.outlet)
    db.session.expire_all()
    for line in pickup.lines:
        order_services.receive_line(line, by=staff)
    sweep()
    order_services.hand_over(pickup, placed.codes[pickup.id], by=staff)
    sweep()

    assert events_sent(zalo) == ["transfer_due", "payment_received", "pickup_ready", "collected"]
    numbers = {m.data["order_number"] for m in zalo.to(PHONE)}
    assert numbers == {order.number}
    assert zalo.messages[1].data["amount"] == "300.000 đ"
    assert esms.messages == [] and zalo.refused == []
    assert mails(to=CONTACT.email) == []  # the shopper read it all on Zalo
