"""The offline counter's server side (issue 26): the day's data a device keeps (hashes, never codes;
only its own outlet), and the replay of queued hand-overs — once per client id, refused when the
server has moved on, money and stock as the counter's pages leave them, CSRF required — and of the
wrong codes typed offline: each counted once towards the same lock as at the counter's page."""
import re
import uuid

import pytest
from flask import g

from storefront.counter import services
from storefront.counter.models import CounterHandOver, CounterWrongCode
from storefront.extensions import db
from storefront.models import Product
from storefront.orders import codes
from storefront.orders.models import (
    CounterPayment, LineStatus, OrderEvent, PaymentMethod, Pickup, PickupStatus,
)
from storefront.orders.services import cancel_pickup
from storefront.timeutil import utcnow
from tests.support.factories import OutletFactory, ProductFactory, StaffUserFactory, UserFactory
from tests.support.order_builder import place

P = PickupStatus


@pytest.fixture
def outlet(db):
    return OutletFactory(name="Điểm bán Bát Tràng")


@pytest.fixture
def staff(outlet):
    return StaffUserFactory(outlet=outlet)


@pytest.fixture
def signed_in(client, login, staff):
    login(staff)
    return client


def with_code(pickup) -> str:
    """Give the pickup the code the shop derives for it (the one a device can be sent a hash of)."""
    code = codes.pickup_code_of(pickup.order, pickup.id)
    pickup.code_hash = codes.hash_pickup_code(pickup.id, code)
    db.session.commit()
    return code


def ready(outlet, *items, **options) -> tuple[Pickup, str]:
    pickup = place(outlet, *items, status=P.READY, **options)
    return pickup, with_code(pickup)


def fresh(pickup) -> Pickup:
    return db.session.get(Pickup, pickup.id, populate_existing=True)


def stock_of(product) -> int:
    return db.session.get(Product, product.id, populate_existing=True).stock


def replay(client, pickup, code, **fields):
    body = {"client_id": fields.pop("client_id", str(uuid.uuid4())), "pickup_id": pickup.id,
            "code": code, "queued_at": "2026-12-05T08:00:00.000Z", **fields}
    return client.post("/outlet/counter/hand-overs", json=body)


# --- what the device keeps ------------------------------------------------------------------------

def test_sync_sends_hashes_of_its_own_outlet_only_never_codes(signed_in, outlet, staff):
    mine, code = ready(outlet, (ProductFactory(price=50000), 2))
    theirs, _ = ready(OutletFactory(name="Điểm khác"), (ProductFactory(), 1))

    response = signed_in.get("/outlet/counter/sync")

    assert response.status_code == 200
    data = response.get_json()
    assert [p["id"] for p in data["pickups"]] == [mine.id]
    assert theirs.order.number not in response.get_data(as_text=True)
    assert code not in response.get_data(as_text=True)
    assert codes.normalize_code(code) not in response.get_data(as_text=True)
    entry = data["pickups"][0]
    assert entry["kind"] == "full" and entry["due"] == 100000
    assert entry["code_hash"] == services.device_code_hash(data["key"], code, data["rounds"])
    assert data["owner"] == f"u{staff.id}-o{outlet.id}"
    assert data["csrf_token"] and data["synced_text"]
    assert data["check_ins"] == []  # experiences are not built yet: nothing invented


def test_the_device_key_changes_when_the_account_is_signed_out_everywhere(app, outlet, staff):
    from storefront.accounts import recovery
    from storefront.timeutil import local_today

    with app.test_request_context():
        before = services.device_key(staff, outlet, local_today())
        recovery.sign_out(staff)
        assert services.device_key(staff, outlet, local_today()) != before


def test_the_worker_and_manifest_are_served_for_the_outlet_scope(signed_in):
    worker = signed_in.get("/outlet/sw.js")
    assert worker.status_code == 200 and worker.mimetype == "text/javascript"
    assert worker.headers["Service-Worker-Allowed"] == "/outlet/"
    text = worker.get_data(as_text=True)
    assert 'importScripts("/static/vendor/workbox/workbox-sw.js")' in text
    assert "modulePathPrefix" in text and "googleapis" not in text and "cdn" not in text.lower()
    manifest = signed_in.get("/outlet/manifest.webmanifest").get_json()
    assert manifest["scope"] == manifest["start_url"] == "/outlet/"
    assert manifest["display"] == "standalone" and {i["sizes"] for i in manifest["icons"]} >= {
        "192x192", "512x512"}
    shell = signed_in.get("/outlet/counter")
    assert shell.status_code == 200 and 'id="counter-words"' in shell.get_data(as_text=True)


def test_the_counter_pages_carry_the_manifest_and_the_script(signed_in):
    text = signed_in.get("/outlet/").get_data(as_text=True)
    assert '<link rel="manifest" href="/outlet/manifest.webmanifest" crossorigin="use-credentials">' in text
    assert re.search(r'src="/assets/counter\.[0-9a-f]{12}\.js"', text)


def test_others_cannot_read_the_counter_data(client, login):
    assert client.get("/outlet/counter/sync").status_code == 302  # to sign in
    login(UserFactory())
    assert client.get("/outlet/counter/sync").status_code == 403


# --- replay -----------------------------------------------------------------------------------------

def test_a_replay_applies_once_by_client_id(signed_in, outlet):
    product = ProductFactory(price=40000, stock=10)
    pickup, code = ready(outlet, (product, 2))
    client_id = str(uuid.uuid4())

    first = replay(signed_in, pickup, code, client_id=client_id, collected="cash", amount=80000)
    again = replay(signed_in, pickup, code, client_id=client_id, collected="cash", amount=80000)

    assert first.get_json()["outcome"] == "confirmed" and first.get_json()["replayed"] is False
    assert again.get_json()["outcome"] == "confirmed" and again.get_json()["replayed"] is True
    assert fresh(pickup).status == P.COLLECTED
    payments = db.session.scalars(db.select(CounterPayment)).all()
    assert [(p.amount, p.method) for p in payments] == [(80000, "cash")]
    assert db.session.scalar(db.select(db.func.count()).select_from(CounterHandOver)) == 1
    assert stock_of(product) == 8  # taken at placement, never twice


def test_a_second_device_handing_over_the_same_pickup_is_told_it_was_collected(signed_in, outlet):
    pickup, code = ready(outlet, (ProductFactory(), 1), method=PaymentMethod.CARD)
    assert replay(signed_in, pickup, code).get_json()["confirmed"]

    other = replay(signed_in, pickup, code).get_json()

    assert other["outcome"] == "already_collected" and not other["confirmed"]


def test_a_pickup_cancelled_meanwhile_is_refused_and_the_goods_go_back(signed_in, outlet, staff):
    product = ProductFactory(price=30000, stock=10)
    pickup, code = ready(outlet, (product, 3))
    cancel_pickup(pickup, by=staff, reason="Khách gọi huỷ")

    answer = replay(signed_in, pickup, code, collected="cash", amount=90000).get_json()

    assert answer["outcome"] == "cancelled" and not answer["confirmed"]
    assert "Lấy lại hàng" in answer["advice"] and "90.000" in answer["advice"]
    assert fresh(pickup).status == P.CANCELLED
    assert stock_of(product) == 10  # given back by the cancellation, and only once
    assert db.session.scalars(db.select(CounterPayment)).all() == []


def test_a_code_changed_meanwhile_is_refused_and_counts_as_a_try(signed_in, outlet):
    pickup, code = ready(outlet, (ProductFactory(), 1), method=PaymentMethod.CARD)
    pickup.code_hash = codes.hash_pickup_code(pickup.id, "ZZZZ-ZZZZ")
    db.session.commit()

    answer = replay(signed_in, pickup, code).get_json()

    assert answer["outcome"] == "code_changed"
    assert fresh(pickup).failed_code_attempts == 1 and fresh(pickup).status == P.READY
    assert db.session.scalar(db.select(CounterHandOver.outcome)) == "code_changed"


def test_money_no_longer_owed_is_refused(signed_in, outlet):
    pickup, code = ready(outlet, (ProductFactory(price=20000), 1))

    answer = replay(signed_in, pickup, code, collected="cash", amount=25000).get_json()

    assert answer["outcome"] == "amount_changed" and "20.000" in answer["message"]
    assert fresh(pickup).status == P.READY


def test_a_partial_hand_over_gives_the_lines_queued(signed_in, outlet):
    here, late = ProductFactory(price=10000, stock=5), ProductFactory(price=70000, stock=5)
    pickup = place(outlet, (here, 1), (late, 1))
    code = with_code(pickup)
    pickup.lines[0].status = LineStatus.RECEIVED
    db.session.commit()

    answer = replay(signed_in, pickup, code, partial=True, lines=[pickup.lines[0].id],
                    collected="transfer", amount=10000).get_json()

    assert answer["confirmed"], answer
    pickup = fresh(pickup)
    assert pickup.status == P.COLLECTED and pickup.partial
    assert [line.status for line in pickup.lines] == [LineStatus.RECEIVED, LineStatus.CANCELLED]
    assert stock_of(late) == 5  # the line not brought went back to stock
    assert [(p.amount, p.method) for p in db.session.scalars(db.select(CounterPayment))] == [
        (10000, "transfer")]


def test_a_partial_hand_over_whose_lines_moved_is_refused(signed_in, outlet):
    first, second = ProductFactory(stock=5), ProductFactory(stock=5)
    pickup = place(outlet, (first, 1), (second, 1), method=PaymentMethod.CARD)
    code = with_code(pickup)
    pickup.lines[0].status = LineStatus.RECEIVED
    db.session.commit()

    answer = replay(signed_in, pickup, code, partial=True, lines=[pickup.lines[1].id]).get_json()

    assert answer["outcome"] == "lines_changed"
    assert fresh(pickup).status == P.CONFIRMED


def test_another_outlets_pickup_is_not_found(signed_in):
    pickup, code = ready(OutletFactory(name="Điểm khác"), (ProductFactory(),  1))

    answer = replay(signed_in, pickup, code).get_json()

    assert answer["outcome"] == "not_found" and fresh(pickup).status == P.READY


def test_a_malformed_replay_is_refused(signed_in, outlet):
    pickup, code = ready(outlet, (ProductFactory(), 1))
    assert replay(signed_in, pickup, code, client_id="not-a-uuid").status_code == 400
    assert signed_in.post("/outlet/counter/hand-overs", data="[]",
                          content_type="application/json").status_code == 400


# --- wrong codes typed offline --------------------------------------------------------------------

def wrong(client, pickup, **fields):
    body = {"kind": "wrong_code", "client_id": fields.pop("client_id", str(uuid.uuid4())),
            "pickup_id": pickup.id, "tried_at": "2026-12-05T08:00:00.000Z", **fields}
    return client.post("/outlet/counter/hand-overs", json=body)


def wrong_rows() -> list:
    return db.session.scalars(db.select(CounterWrongCode).order_by(CounterWrongCode.id)).all()


def test_a_wrong_code_typed_offline_counts_once_by_client_id(signed_in, outlet, staff):
    pickup, _ = ready(outlet, (ProductFactory(), 1), method=PaymentMethod.CARD)
    client_id = str(uuid.uuid4())

    first = wrong(signed_in, pickup, client_id=client_id).get_json()
    again = wrong(signed_in, pickup, client_id=client_id).get_json()  # a lost answer, sent again

    assert first["outcome"] == "counted" and first["replayed"] is False and not first["locked"]
    assert again["outcome"] == "counted" and again["replayed"] is True
    assert "ghi nhận lần nhập sai mã" in first["message"]
    assert fresh(pickup).failed_code_attempts == 1
    [row] = wrong_rows()
    assert (row.client_id, row.pickup_id, row.user_id) == (client_id, pickup.id, staff.id)
    assert row.tried_at.isoformat() == "2026-12-05T08:00:00"
    events = db.session.scalars(db.select(OrderEvent).filter_by(pickup_id=pickup.id,
                                                                 kind="wrong_pickup_code")).all()
    assert [e.note for e in events] == ["Mã sai nhập khi mất mạng, gửi lại từ máy quầy"]
    assert [e.actor_id for e in events] == [staff.id]


def test_the_queue_never_carries_the_typed_code(signed_in, outlet):
    """A wrong-code item holds the pickup, the time and a client id: a code sent with it is not kept."""
    pickup, _ = ready(outlet, (ProductFactory(), 1), method=PaymentMethod.CARD)
    wrong(signed_in, pickup, code="ABCD-EFGH")
    [row] = wrong_rows()
    assert "ABCD" not in " ".join(str(getattr(row, c.name)) for c in CounterWrongCode.__table__.columns)


def test_offline_wrong_codes_from_two_devices_lock_the_pickup(signed_in, outlet, app):
    pickup, code = ready(outlet, (ProductFactory(price=40000), 1))
    max_tries = app.config["PICKUP_CODE_MAX_TRIES"]

    answers = [wrong(signed_in, pickup).get_json() for _ in range(max_tries - 2)]  # one tablet
    answers += [wrong(signed_in, pickup).get_json() for _ in range(2)]  # another, same pickup
    for _ in range(2):  # every one replayed again: nothing more is counted
        for answer in answers:
            wrong(signed_in, pickup, client_id=answer["client_id"])

    assert [a["locked"] for a in answers] == [False] * (max_tries - 1) + [True]
    assert "đơn bị khoá sau 5 lần nhập sai mã" in answers[-1]["message"]
    pickup = fresh(pickup)
    assert pickup.code_locked_until is not None and pickup.code_locked_until > utcnow()
    assert pickup.failed_code_attempts == 0  # as at the counter's page: the lock starts a new count
    assert len(wrong_rows()) == max_tries
    assert [r.locked_until is not None for r in wrong_rows()] == [False] * (max_tries - 1) + [True]


def test_a_hand_over_replayed_after_an_offline_lockout_is_refused_with_the_reason(signed_in, outlet):
    product = ProductFactory(price=40000, stock=10)
    pickup, code = ready(outlet, (product, 1))
    for _ in range(5):  # typed on the tablet before the right code was
        wrong(signed_in, pickup)

    answer = replay(signed_in, pickup, code, collected="cash", amount=40000).get_json()

    assert answer["outcome"] == "locked" and not answer["confirmed"]
    assert answer["message"] == ("Đơn bị khoá sau 5 lần nhập sai mã: kiểm tra giấy tờ tuỳ thân "
                                 "của khách, rồi giao lại khi đơn hết khoá.")
    assert "Lấy lại hàng từ khách" in answer["advice"] and "40.000" in answer["advice"]
    assert "15 phút" in answer["advice"]
    assert fresh(pickup).status == P.READY
    assert db.session.scalars(db.select(CounterPayment)).all() == []
    assert stock_of(product) == 9  # taken at placement; nothing moved by the refusal
    again = replay(signed_in, pickup, code, client_id=answer["client_id"], collected="cash",
                   amount=40000).get_json()
    assert again["replayed"] and again["message"] == answer["message"]


def test_a_lock_set_at_the_counter_page_keeps_its_own_reason(signed_in, outlet):
    pickup, code = ready(outlet, (ProductFactory(), 1), method=PaymentMethod.CARD)
    for _ in range(5):
        signed_in.post(f"/outlet/pickups/{pickup.id}/hand-over", data={"code": "ZZZZ-ZZZZ"})
    assert fresh(pickup).code_locked_until is not None

    answer = replay(signed_in, pickup, code).get_json()

    assert answer["outcome"] == "locked"
    assert answer["message"] == "Đơn đang tạm khoá vì nhập sai mã quá nhiều lần."


def test_offline_and_online_wrong_codes_add_up(signed_in, outlet):
    pickup, code = ready(outlet, (ProductFactory(), 1), method=PaymentMethod.CARD)
    for _ in range(3):
        wrong(signed_in, pickup)
    signed_in.post(f"/outlet/pickups/{pickup.id}/hand-over", data={"code": "ZZZZ-ZZZZ"})
    assert fresh(pickup).failed_code_attempts == 4 and fresh(pickup).code_locked_until is None

    wrong(signed_in, pickup)

    assert fresh(pickup).code_locked_until is not None
    assert "Tạm khoá giao hàng đến" in signed_in.get(f"/outlet/pickups/{pickup.id}").get_data(
        as_text=True)  # the counter's page shows the lock the offline tries set


def test_the_next_refresh_marks_a_locked_pickup_locked_on_every_device(signed_in, outlet):
    pickup, _ = ready(outlet, (ProductFactory(), 1), method=PaymentMethod.CARD)
    other, _ = ready(outlet, (ProductFactory(), 1), method=PaymentMethod.CARD)
    for _ in range(5):
        wrong(signed_in, pickup)
    wrong(signed_in, other)

    data = signed_in.get("/outlet/counter/sync").get_json()

    entries = {entry["id"]: entry for entry in data["pickups"]}
    assert entries[pickup.id]["locked_until"] is not None
    assert entries[other.id]["locked_until"] is None and entries[other.id]["failed_tries"] == 1


def test_wrong_codes_for_a_closed_or_foreign_pickup_count_nothing(signed_in, outlet, staff):
    collected, code = ready(outlet, (ProductFactory(), 1), method=PaymentMethod.CARD)
    assert replay(signed_in, collected, code).get_json()["confirmed"]
    theirs, _ = ready(OutletFactory(name="Điểm khác"), (ProductFactory(), 1))

    late = wrong(signed_in, collected).get_json()
    foreign = wrong(signed_in, theirs).get_json()

    assert late["outcome"] == "not_counted" and not late["counted"]
    assert foreign["outcome"] == "not_found" and not foreign["counted"]
    assert fresh(theirs).failed_code_attempts == 0
    assert [r.pickup_id for r in wrong_rows()] == [collected.id, None]


def test_another_outlets_client_id_tells_nothing_and_counts_nothing(signed_in, outlet, client, app,
                                                                    login):
    pickup, _ = ready(outlet, (ProductFactory(), 1), method=PaymentMethod.CARD)
    client_id = wrong(signed_in, pickup).get_json()["client_id"]
    elsewhere = app.test_client()
    other_outlet = OutletFactory(name="Điểm khác")
    login(StaffUserFactory(outlet=other_outlet), test_client=elsewhere)
    theirs, _ = ready(other_outlet, (ProductFactory(), 1), method=PaymentMethod.CARD)

    answer = wrong(elsewhere, theirs, client_id=client_id).get_json()

    assert answer["outcome"] == "not_found" and answer["replayed"]
    assert fresh(theirs).failed_code_attempts == 0 and fresh(pickup).failed_code_attempts == 1


def test_a_malformed_wrong_code_is_refused(signed_in, outlet):
    pickup, _ = ready(outlet, (ProductFactory(), 1))
    assert wrong(signed_in, pickup, client_id="not-a-uuid").status_code == 400
    assert signed_in.post("/outlet/counter/hand-overs",
                          json={"kind": "wrong_code", "client_id": str(uuid.uuid4())}).status_code == 400
    assert wrong(signed_in, pickup, tried_at="2026-13-45T00:00:00Z").status_code == 400
    assert fresh(pickup).failed_code_attempts == 0 and wrong_rows() == []


# --- CSRF -------------------------------------------------------------------------------------------

@pytest.fixture
def csrf_client(make_app, login):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app.test_client()
        db.session.remove()


def _sign_in_with_token(client, user):
    g.pop("csrf_token", None)
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/auth/login", data={"email": user.email, "password": "correct horse battery staple",
                                                "csrf_token": token})
    assert response.status_code == 302


def test_a_replay_needs_the_csrf_token_from_the_sync(csrf_client):
    outlet = OutletFactory()
    staff = StaffUserFactory(outlet=outlet)
    pickup, code = ready(outlet, (ProductFactory(), 1), method=PaymentMethod.CARD)
    _sign_in_with_token(csrf_client, staff)
    body = {"client_id": str(uuid.uuid4()), "pickup_id": pickup.id, "code": code}

    refused = csrf_client.post("/outlet/counter/hand-overs", json=body)
    forged = csrf_client.post("/outlet/counter/hand-overs", json=body, headers={"X-CSRFToken": "forged"})
    assert refused.status_code == 400 and forged.status_code == 400
    assert fresh(pickup).status == P.READY

    g.pop("csrf_token", None)  # the tests share one app context: Flask-WTF caches the token in g
    token = csrf_client.get("/outlet/counter/sync").get_json()["csrf_token"]
    accepted = csrf_client.post("/outlet/counter/hand-overs", json=body, headers={"X-CSRFToken": token})
    assert accepted.status_code == 200 and accepted.get_json()["confirmed"]
    assert fresh(pickup).status == P.COLLECTED


def test_a_wrong_code_replay_needs_the_csrf_token_from_the_sync(csrf_client):
    outlet = OutletFactory()
    staff = StaffUserFactory(outlet=outlet)
    pickup, _ = ready(outlet, (ProductFactory(), 1), method=PaymentMethod.CARD)
    _sign_in_with_token(csrf_client, staff)
    body = {"kind": "wrong_code", "client_id": str(uuid.uuid4()), "pickup_id": pickup.id}

    refused = csrf_client.post("/outlet/counter/hand-overs", json=body)
    forged = csrf_client.post("/outlet/counter/hand-overs", json=body, headers={"X-CSRFToken": "forged"})
    assert refused.status_code == 400 and forged.status_code == 400
    assert fresh(pickup).failed_code_attempts == 0

    g.pop("csrf_token", None)
    token = csrf_client.get("/outlet/counter/sync").get_json()["csrf_token"]
    accepted = csrf_client.post("/outlet/counter/hand-overs", json=body, headers={"X-CSRFToken": token})
    assert accepted.status_code == 200 and accepted.get_json()["counted"]
    assert fresh(pickup).failed_code_attempts == 1


# --- sign-out -----------------------------------------------------------------------------------

def test_signing_out_clears_the_counter_off_the_device(signed_in):
    response = signed_in.post("/auth/logout")
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_an_admin_signs_a_staff_member_out_everywhere(client, login, signed_in, staff, app):
    from tests.support.factories import AdminFactory

    other = app.test_client()
    admin = AdminFactory()
    login(admin, test_client=other)
    assert signed_in.get("/outlet/").status_code == 200

    response = other.post(f"/admin/users/{staff.id}/sign-out-everywhere")

    assert response.status_code == 302
    assert signed_in.get("/outlet/").status_code == 302  # the device's session no longer works
    assert "Đăng xuất mọi thiết bị" in other.get("/admin/users").get_data(as_text=True)
