"""Sessions that really end, password reset, registration that reveals nothing, e-mail confirmation."""
import re
from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from storefront.accounts.models import User
from storefront.catalog.models import Producer
from storefront.notifications.models import OutboxMessage
from storefront.timeutil import utcnow
from tests.support.factories import PASSWORD, AdminFactory, UserFactory, VillageFactory

NEW_PASSWORD = "a much longer new secret"


def _outbox(db, kind=None):
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return db.session.scalars(query).all()


def _link(message, path):
    return re.search(rf"http://localhost({path}/\S+)", message.body).group(1)


def _signed_in(test_client) -> bool:
    return test_client.get("/auth/account").status_code == 200


# --- sign-out ---------------------------------------------------------------------------------------

def test_a_session_cookie_copied_before_sign_out_no_longer_signs_in(app, login):
    user = UserFactory()
    browser, thief = app.test_client(), app.test_client()
    login(user, test_client=browser)
    thief.set_cookie("session", browser.get_cookie("session").value)
    assert _signed_in(thief)

    browser.post("/auth/logout")

    assert not _signed_in(browser)
    assert not _signed_in(thief)


def test_a_remember_cookie_copied_before_sign_out_no_longer_signs_in(app):
    user = UserFactory()
    browser, thief = app.test_client(), app.test_client()
    browser.post("/auth/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    thief.set_cookie("remember_token", browser.get_cookie("remember_token").value)
    assert _signed_in(thief)
    thief.delete_cookie("session")

    browser.post("/auth/logout")

    assert not _signed_in(thief)


# --- password reset ---------------------------------------------------------------------------------

def _forgot(test_client, email, ip="127.0.0.1"):
    return test_client.post("/auth/forgot", data={"email": email}, environ_base={"REMOTE_ADDR": ip})


def test_reset_request_answers_the_same_whether_or_not_the_address_has_an_account(client, db):
    UserFactory(email="known@example.com")

    known = _forgot(client, "Known@Example.com")
    known_page = client.get(known.location).get_data(as_text=True)
    unknown = _forgot(client, "nobody@example.com")
    unknown_page = client.get(unknown.location).get_data(as_text=True)

    assert (known.status_code, known.location) == (unknown.status_code, unknown.location) == (302, "/auth/login")
    assert "Nếu địa chỉ này có tài khoản" in known_page and "Nếu địa chỉ này có tài khoản" in unknown_page
    assert [m.to_email for m in _outbox(db)] == ["known@example.com"]


def test_reset_mail_goes_through_the_outbox_in_the_users_language(client, db):
    UserFactory(email="en@example.com", locale="en")

    _forgot(client, "en@example.com")

    (message,) = _outbox(db, "password_reset")
    assert message.locale == "en"
    assert message.subject == "Reset your OCOP Hanoi password"
    assert "/auth/reset/" in message.body


def test_a_reset_link_sets_the_password_ends_other_sessions_and_works_once(app, client, db, login):
    user = UserFactory(email="me@example.com")
    elsewhere = app.test_client()
    login(user, test_client=elsewhere)
    _forgot(client, "me@example.com")
    link = _link(_outbox(db, "password_reset")[0], "/auth/reset")

    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert response.status_code == 302
    assert _signed_in(client)
    assert not _signed_in(elsewhere)
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(NEW_PASSWORD)
    again = app.test_client().post(link, data={"password": "yet another password", "confirm": "yet another password"})
    assert again.status_code == 400
    assert db.session.get(User, user.id).check_password(NEW_PASSWORD)


def test_a_reset_link_expires_after_one_hour(client, db):
    UserFactory(email="late@example.com")
    with time_machine.travel(utcnow(), tick=False) as clock:
        _forgot(client, "late@example.com")
        link = _link(_outbox(db, "password_reset")[0], "/auth/reset")
        clock.shift(timedelta(minutes=59))
        assert client.get(link).status_code == 200
        clock.shift(timedelta(minutes=2))

        response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert response.status_code == 400
    assert "hết hạn" in response.get_data(as_text=True)


def test_a_forged_reset_link_is_refused(client, db):
    user = UserFactory()
    assert client.get(f"/auth/reset/{user.id}.forged.token").status_code == 400


def test_reset_requests_are_limited_per_address_across_ips(make_app):
    app = make_app(PASSWORD_RESET_RATE_LIMIT="2 per hour")
    client = app.test_client()
    for n in range(2):
        assert _forgot(client, "victim@example.com", ip=f"10.0.0.{n + 1}").status_code == 302

    assert _forgot(client, "VICTIM@example.com", ip="10.0.0.9").status_code == 429


def test_reset_requests_are_limited_per_ip_across_addresses(make_app):
    app = make_app(PASSWORD_RESET_RATE_LIMIT="2 per hour")
    client = app.test_client()
    for n in range(2):
        assert _forgot(client, f"someone{n}@example.com").status_code == 302

    assert _forgot(client, "someone-else@example.com").status_code == 429


# --- registration ---------------------------------------------------------------------------------

def _register(test_client, email, ip="127.0.0.1"):
    return test_client.post("/auth/register", environ_base={"REMOTE_ADDR": ip}, data={
        "name": "Nguyễn Văn An", "email": email, "password": PASSWORD, "confirm": PASSWORD})


def test_registering_an_address_in_use_answers_like_a_new_one_and_mails_the_owner(app, db):
    owner = UserFactory(email="taken@example.com", locale="en")
    first, second = app.test_client(), app.test_client()

    taken = _register(first, "TAKEN@example.com")
    fresh = _register(second, "fresh@example.com")

    assert (taken.status_code, taken.location) == (fresh.status_code, fresh.location)
    assert first.get(taken.location).get_data() == second.get(fresh.location).get_data()
    assert not _signed_in(first) and not _signed_in(second)
    assert db.session.scalar(select(func.count()).select_from(User)) == 2
    (notice,) = _outbox(db, "account_exists")
    assert (notice.to_email, notice.locale) == (owner.email, "en")
    assert db.session.get(User, owner.id).check_password(PASSWORD)


def test_registration_is_rate_limited_per_ip(make_app):
    app = make_app(REGISTER_RATE_LIMIT="2 per hour")
    client = app.test_client()
    for n in range(2):
        assert _register(client, f"bulk{n}@example.com").status_code == 302

    assert _register(client, "bulk9@example.com").status_code == 429


def test_registration_is_rate_limited_per_address(make_app):
    app = make_app(REGISTER_RATE_LIMIT="2 per hour")
    client = app.test_client()
    for n in range(2):
        _register(client, "probe@example.com", ip=f"10.1.0.{n + 1}")

    assert _register(client, "probe@example.com", ip="10.1.0.9").status_code == 429


# --- e-mail confirmation ---------------------------------------------------------------------------

def test_a_new_account_signs_in_only_after_confirming_its_address(client, db):
    _register(client, "new@example.com")
    user = db.session.scalar(select(User).where(User.email == "new@example.com"))
    assert user.email_confirmed_at is None

    refused = client.post("/auth/login", data={"email": "new@example.com", "password": PASSWORD})
    assert refused.status_code == 200
    assert "xác nhận địa chỉ e-mail" in refused.get_data(as_text=True)
    assert len(_outbox(db, "confirm_email")) == 2  # at registration, and again on the refused sign-in

    link = _link(_outbox(db, "confirm_email")[0], "/auth/confirm")
    assert client.get(link).status_code == 302
    assert client.post("/auth/login", data={"email": "new@example.com", "password": PASSWORD}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).email_confirmed


def test_a_forged_confirmation_link_is_refused(client, db):
    _register(client, "new@example.com")
    link = _link(_outbox(db, "confirm_email")[0], "/auth/confirm")

    assert client.get(link[:-3] + "xyz").status_code == 400
    assert db.session.scalar(select(User.email_confirmed_at)) is None


def test_a_producer_application_reaches_the_admins_only_once_confirmed(app, client, db, login):
    village = VillageFactory()
    client.post("/auth/register/producer", data={
        "name": "Trần Bình", "email": "htx@example.com", "password": PASSWORD, "confirm": PASSWORD,
        "producer_name": "HTX Gốm Mới", "kind": "cooperative", "village_id": village.id,
        "phone": "0912345678"})
    assert db.session.scalar(select(Producer.status).where(Producer.name == "HTX Gốm Mới")) == "pending"
    admin = app.test_client()
    login(AdminFactory(), test_client=admin)

    assert "HTX Gốm Mới" not in admin.get("/admin/producers").get_data(as_text=True)
    client.get(_link(_outbox(db, "confirm_email")[0], "/auth/confirm"))

    assert "HTX Gốm Mới" in admin.get("/admin/producers").get_data(as_text=True)
