"""Registration, sign-in, sign-out, the account page and ``flask create-admin``."""
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import pytest
from sqlalchemy import select

from storefront.accounts.models import Role, User
from storefront.cart.models import CartItem
from storefront.catalog.models import Producer
from tests.support.factories import PASSWORD, ProducerFactory, ProductFactory, UserFactory, VillageFactory

NEW_PASSWORD = "a much longer new secret"


def _register(client, **overrides):
    data = {"name": "Nguyễn Văn An", "email": "An@Example.com", "phone": "0912 345 678",
            "password": PASSWORD, "confirm": PASSWORD}
    data.update(overrides)
    return client.post("/auth/register", data=data)


def _users(db):
    return db.session.scalars(select(User)).all()


def test_shopper_registration_creates_an_unconfirmed_shopper_with_lowercase_email(client, db):
    response = _register(client)

    assert (response.status_code, response.location) == (302, "/auth/register/check-email")
    user = db.session.scalar(select(User))
    assert (user.email, user.role, user.phone) == ("an@example.com", Role.SHOPPER, "0912345678")
    assert user.check_password(PASSWORD)
    assert user.password_hash.startswith("$argon2")
    assert user.email_confirmed_at is None  # signs in once the mailed link is opened
    assert client.get("/auth/account").status_code == 302


def test_registration_accepts_international_vietnamese_phone_and_stores_it_starting_with_0(client, db):
    _register(client, phone="+84912345678")

    assert db.session.scalar(select(User.phone)) == "0912345678"


def test_registration_of_an_email_already_used_whatever_its_case_makes_no_account_and_says_nothing(client, db):
    UserFactory(email="an@example.com")

    response = _register(client, email="AN@example.com")

    assert (response.status_code, response.location) == (302, "/auth/register/check-email")
    assert len(_users(db)) == 1


@pytest.mark.parametrize("field, value, message", [
    ("password", "short", "Mật khẩu phải có ít nhất 10 ký tự."),
    ("confirm", "something else entirely", "Hai mật khẩu không khớp."),
    ("email", "not-an-email", "Địa chỉ e-mail không hợp lệ."),
    ("phone", "12345", "Số điện thoại phải có 10 chữ số"),
])
def test_registration_with_bad_input_shows_the_error_and_keeps_values(client, db, field, value, message):
    overrides = {field: value}
    if field == "password":
        overrides["confirm"] = value
    page = _register(client, **overrides).get_data(as_text=True)

    assert message in page
    assert 'value="Nguyễn Văn An"' in page
    assert _users(db) == []


def _producer_data(village, **overrides):
    data = {"name": "Trần Thị Bình", "email": "binh@example.com", "password": PASSWORD,
            "confirm": PASSWORD, "producer_name": "HTX Gốm Bát Tràng", "kind": "cooperative",
            "village_id": str(village.id), "phone": "024 3987 654",
            "description": "Gốm men lam"}
    data.update(overrides)
    return data


def test_producer_signup_creates_pending_producer_and_its_account(client, db):
    village = VillageFactory()

    response = client.post("/auth/register/producer", data=_producer_data(village))

    assert (response.status_code, response.location) == (302, "/auth/register/check-email")
    producer = db.session.scalar(select(Producer))
    user = db.session.scalar(select(User))
    assert (producer.status, producer.slug, producer.village_id) == ("pending", "htx-gom-bat-trang", village.id)
    # one phone and one e-mail, asked once: the account's are the producer's contact
    assert (producer.phone, producer.email) == ("0243987654", "binh@example.com")
    assert user.phone == producer.phone
    assert (user.role, user.producer_id) == (Role.PRODUCER, producer.id)


def test_producer_signup_gives_a_free_slug_when_the_name_is_taken(client, db):
    village = VillageFactory()
    ProducerFactory(slug="htx-gom-bat-trang")
    ProducerFactory(slug="htx-gom-bat-trang-2")

    client.post("/auth/register/producer", data=_producer_data(village))

    assert db.session.scalar(select(Producer.slug).where(Producer.status == "pending")) == "htx-gom-bat-trang-3"


def test_producer_signup_with_duplicate_email_saves_neither_producer_nor_user(client, db):
    village = VillageFactory()
    UserFactory(email="binh@example.com")

    response = client.post("/auth/register/producer", data=_producer_data(village))

    assert (response.status_code, response.location) == (302, "/auth/register/check-email")
    assert db.session.scalars(select(Producer)).all() == []


def test_producer_signup_requires_a_village(client, db):
    data = _producer_data(VillageFactory(), village_id="0")

    page = client.post("/auth/register/producer", data=data).get_data(as_text=True)

    assert "Vui lòng chọn làng nghề." in page
    assert db.session.scalars(select(Producer)).all() == []


@pytest.mark.parametrize("email, password", [
    ("nobody@example.com", PASSWORD),
    ("known@example.com", "wrong password!!"),
])
def test_sign_in_failure_gives_one_generic_message(client, email, password):
    UserFactory(email="known@example.com")

    response = client.post("/auth/login", data={"email": email, "password": password})

    assert "E-mail hoặc mật khẩu không đúng" in response.get_data(as_text=True)
    assert client.get("/auth/account").status_code == 302  # still signed out


def test_sign_in_accepts_email_in_any_case(client):
    UserFactory(email="known@example.com")

    response = client.post("/auth/login", data={"email": " KNOWN@example.com", "password": PASSWORD})

    assert response.status_code == 302


def test_disabled_user_cannot_sign_in(client, db):
    UserFactory(email="off@example.com", active=False)

    response = client.post("/auth/login", data={"email": "off@example.com", "password": PASSWORD})

    assert "Tài khoản này đã bị khóa" in response.get_data(as_text=True)
    assert client.get("/auth/account").status_code == 302


@pytest.mark.parametrize("target", ["//evil.com", "https://evil.com", "/\\evil.com", "http:/evil.com"])
def test_sign_in_refuses_to_follow_next_off_site(client, target):
    user = UserFactory()

    response = client.post("/auth/login", query_string={"next": target},
                           data={"email": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response.location == "/"


def test_sign_in_follows_a_local_next(client):
    user = UserFactory()

    response = client.post("/auth/login?next=/cart", data={"email": user.email, "password": PASSWORD})

    assert response.location == "/cart"


def test_sign_in_renews_the_session_but_keeps_the_language(client, login):
    user = UserFactory()
    with client.session_transaction() as sess:
        sess["planted"] = "attacker-chosen"
        sess["lang"] = "en"

    login(user)

    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert sess["lang"] == "en"
        assert sess["_user_id"] == user.get_id()


def test_guest_cart_survives_sign_in_into_the_account_cart(client, login, db):
    product = ProductFactory(stock=5)
    user = UserFactory()
    client.post("/cart/add", data={"product_id": str(product.id), "quantity": "2"})

    login(user)

    item = db.session.scalar(select(CartItem).where(CartItem.user_id == user.id))
    assert (item.product_id, item.quantity) == (product.id, 2)


def test_remember_me_sets_a_cookie_lasting_at_most_30_days(client):
    user = UserFactory()

    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD,
                                                "remember": "y"})

    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token="))
    expires = parsedate_to_datetime(cookie.split("Expires=")[1].split(";")[0])
    assert expires <= datetime.now(timezone.utc) + timedelta(days=30)
    assert expires > datetime.now(timezone.utc) + timedelta(days=29)
    assert "HttpOnly" in cookie


def test_remember_cookie_not_set_without_remember_me(client):
    user = UserFactory()

    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})

    assert not any(c.startswith("remember_token=") for c in response.headers.getlist("Set-Cookie"))


def test_failed_sign_ins_are_rate_limited_and_successes_are_not_counted(make_app):
    app = make_app(LOGIN_RATE_LIMIT="3 per hour")
    client = app.test_client()
    with app.app_context():
        user = UserFactory(email="target@example.com")
        email = user.email

    def attempt(password):
        return client.post("/auth/login", data={"email": email, "password": password})

    assert attempt("wrong password 1").status_code == 200
    assert attempt("wrong password 2").status_code == 200
    assert attempt(PASSWORD).status_code == 302  # a success: not counted
    client.post("/auth/logout")
    assert attempt("wrong password 3").status_code == 200
    blocked = attempt(PASSWORD)
    assert blocked.status_code == 429
    assert "Bạn thao tác quá nhanh" in blocked.get_data(as_text=True)


def test_failed_sign_ins_are_limited_per_email_across_addresses(make_app):
    app = make_app(LOGIN_RATE_LIMIT="2 per hour")
    client = app.test_client()
    with app.app_context():
        email = UserFactory(email="victim@example.com").email

    for n in range(2):
        client.post("/auth/login", data={"email": email, "password": "wrong"},
                    environ_base={"REMOTE_ADDR": f"10.0.0.{n + 1}"})
    response = client.post("/auth/login", data={"email": email.upper(), "password": PASSWORD},
                           environ_base={"REMOTE_ADDR": "10.0.0.9"})

    assert response.status_code == 429


def test_rate_limit_page_speaks_the_visitors_language(make_app):
    app = make_app(LOGIN_RATE_LIMIT="1 per hour")
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["lang"] = "en"
    client.post("/auth/login", data={"email": "x@example.com", "password": "wrong"})

    response = client.post("/auth/login", data={"email": "x@example.com", "password": "wrong"})

    assert response.status_code == 429
    assert '<html lang="en">' in response.get_data(as_text=True)


def test_sign_out_is_post_only_and_ends_the_session(client, login):
    login(UserFactory())

    assert client.get("/auth/logout").status_code == 405
    client.post("/auth/logout")

    assert client.get("/auth/account").status_code == 302


def test_account_page_requires_sign_in(client):
    response = client.get("/auth/account")

    assert response.status_code == 302
    assert "/auth/login?next=" in response.location


def test_account_page_shows_name_email_and_role(client, login):
    login(UserFactory(name="Lê Thu", email="thu@example.com"))

    page = client.get("/auth/account").get_data(as_text=True)

    assert "Lê Thu" in page and "thu@example.com" in page and "Người mua" in page


def test_changing_password_ends_other_sessions_but_keeps_this_one(app, login):
    user = UserFactory()
    here, elsewhere = app.test_client(), app.test_client()
    login(user, test_client=here)
    login(user, test_client=elsewhere)

    response = here.post("/auth/account", data={"current_password": PASSWORD,
                                                 "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert response.status_code == 302
    assert here.get("/auth/account").status_code == 200
    assert elsewhere.get("/auth/account").status_code == 302
    assert user.check_password(NEW_PASSWORD)


def test_changing_password_needs_the_current_one(client, login, db):
    user = UserFactory()
    login(user)
    token = user.session_token

    page = client.post("/auth/account", data={"current_password": "not it at all",
                                               "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert "Mật khẩu hiện tại không đúng." in page.get_data(as_text=True)
    db.session.refresh(user)
    assert user.session_token == token and user.check_password(PASSWORD)


def test_create_admin_command_creates_an_admin(app, db):
    result = app.test_cli_runner().invoke(
        args=["create-admin", "--email", "Boss@Example.com", "--name", "Boss", "--password", PASSWORD])

    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert (user.email, user.role, user.name) == ("boss@example.com", Role.ADMIN, "Boss")


@pytest.mark.parametrize("email, password, message", [
    ("taken@example.com", PASSWORD, "E-mail này đã được dùng"),
    ("new@example.com", "short", "ít nhất 10 ký tự"),
    ("no-at-sign", PASSWORD, "e-mail không hợp lệ"),
])
def test_create_admin_command_refuses_bad_input_with_an_error(app, db, email, password, message):
    UserFactory(email="taken@example.com")

    result = app.test_cli_runner().invoke(
        args=["create-admin", "--email", email, "--password", password])

    assert result.exit_code != 0
    assert "Error:" in result.output and message in result.output
    assert db.session.scalars(select(User).where(User.role == Role.ADMIN)).all() == []


def test_sign_in_prompt_is_in_the_visitors_language(client):
    response = client.get("/auth/account", follow_redirects=True)

    assert "Vui lòng đăng nhập để tiếp tục." in response.get_data(as_text=True)
