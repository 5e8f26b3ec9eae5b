"""Guessing is limited without letting strangers lock an owner out (issue 20, item 13), and
registration cannot make the shop mail attacker-written text (item 14)."""
import pytest
from sqlalchemy import func, select

from storefront.accounts.models import User
from storefront.accounts.signin import DEVICE_COOKIE
from storefront.notifications.models import OutboxMessage
from tests.support.factories import PASSWORD, UserFactory

LOCKED = "Quá nhiều lần đăng nhập sai với địa chỉ này"


def _sign_in(test_client, email, password, ip):
    return test_client.post("/auth/login", data={"email": email, "password": password},
                            environ_base={"REMOTE_ADDR": ip})


@pytest.fixture
def limited(make_app):
    """An app allowing 3 failed sign-ins per hour, and its owner's account."""
    app = make_app(LOGIN_RATE_LIMIT="3 per hour")
    with app.app_context():
        email = UserFactory(email="owner@example.com").email
    return app, email


def _strangers_fail(app, email, times=4):
    for n in range(times):
        _sign_in(app.test_client(), email, f"guess {n}", ip=f"10.9.0.{n + 1}")


def test_strangers_cannot_lock_the_owner_out_of_a_browser_they_signed_in_from(limited):
    app, email = limited
    owners_browser = app.test_client()
    assert _sign_in(owners_browser, email, PASSWORD, ip="10.0.0.1").status_code == 302
    assert owners_browser.get_cookie(DEVICE_COOKIE) is not None
    owners_browser.post("/auth/logout")

    _strangers_fail(app, email)

    assert _sign_in(owners_browser, email, PASSWORD, ip="10.0.0.2").status_code == 302


def test_after_strangers_fail_an_unknown_browser_is_refused_even_the_right_password(limited):
    app, email = limited
    _strangers_fail(app, email)

    refused = _sign_in(app.test_client(), email.upper(), PASSWORD, ip="10.0.0.3")

    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert LOCKED in page and 'href="/auth/forgot"' in page  # the way in: the reset mail


def test_failures_from_the_owners_browser_count_against_that_browser(limited):
    app, email = limited
    browser = app.test_client()
    _sign_in(browser, email, PASSWORD, ip="10.0.0.1")
    browser.post("/auth/logout")
    for n in range(3):
        assert _sign_in(browser, email, f"typo {n}", ip=f"10.0.1.{n}").status_code == 200

    assert _sign_in(browser, email, PASSWORD, ip="10.0.1.9").status_code == 429
    assert _sign_in(app.test_client(), email, PASSWORD, ip="10.0.2.1").status_code == 302


def test_a_forged_or_another_accounts_device_cookie_counts_as_an_unknown_browser(limited):
    app, email = limited
    with app.app_context():
        other = UserFactory(email="other@example.com").email
    browser = app.test_client()
    _sign_in(browser, other, PASSWORD, ip="10.0.0.1")  # a device of another account
    browser.post("/auth/logout")
    _strangers_fail(app, email)

    assert _sign_in(browser, email, PASSWORD, ip="10.0.0.2").status_code == 429
    browser.set_cookie(DEVICE_COOKIE, "forged.value")
    assert _sign_in(browser, email, PASSWORD, ip="10.0.0.3").status_code == 429


def test_failed_sign_ins_are_still_limited_per_ip(make_app):
    app = make_app(LOGIN_RATE_LIMIT="2 per hour")
    client = app.test_client()
    with app.app_context():
        first, second = UserFactory().email, UserFactory().email
    _sign_in(client, first, "wrong", ip="10.3.0.1")
    _sign_in(client, second, "wrong", ip="10.3.0.1")

    assert _sign_in(client, first, PASSWORD, ip="10.3.0.1").status_code == 429


# --- item 14: names are one line of plain text; confirmation mail is limited -------------------------

def _register(test_client, name, email="new@example.com", lang=None):
    if lang:
        with test_client.session_transaction() as sess:
            sess["lang"] = lang
    return test_client.post("/auth/register", data={
        "name": name, "email": email, "password": PASSWORD, "confirm": PASSWORD})


@pytest.mark.parametrize("name", [
    "An\nClick https://evil.example to claim your prize", "An\r\nBcc: x@example.com", "An\u2028B",
    "An\tB", "Visit www.evil.example", "An http://evil.example", "An\u200eB",
])
def test_a_registration_name_must_be_one_line_of_plain_text(client, db, name):
    response = _register(client, name)

    assert response.status_code == 200
    assert "Tên chỉ được là một dòng chữ" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_the_name_error_speaks_the_visitors_language(client, db):
    response = _register(client, "An\nB", lang="en")

    assert "A name must be one line of plain text" in response.get_data(as_text=True)


def test_an_ordinary_vietnamese_name_is_accepted(client, db):
    assert _register(client, "Nguyễn Thị Ánh-Dương (Cô Ba) & Co.").status_code == 302


def test_confirmation_mail_is_sent_again_at_most_the_limit_per_address_and_hour(make_app):
    app = make_app(CONFIRMATION_MAIL_LIMIT="2 per hour", LOGIN_RATE_LIMIT="50 per hour")
    client = app.test_client()
    _register(client, "Nguyễn Văn An", email="slow@example.com")
    for n in range(5):
        response = _sign_in(client, "slow@example.com", PASSWORD, ip=f"10.4.0.{n}")
        assert "xác nhận địa chỉ e-mail" in response.get_data(as_text=True)

    with app.app_context():
        from storefront.extensions import db
        sent = db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                 .where(OutboxMessage.kind == "confirm_email"))
    assert sent == 3  # at registration, then twice more this hour
