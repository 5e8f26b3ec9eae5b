"""Behind a load balancer (``TRUSTED_PROXIES``), each shopper is limited by their own address."""
from tests.support.factories import UserFactory


def wrong_sign_in(client, email: str, address: str) -> int:
    return client.post("/auth/login", data={"email": email, "password": "wrong password"},
                       headers={"X-Forwarded-For": address}).status_code


def test_behind_a_trusted_proxy_the_limit_counts_each_client_address(make_app):
    app = make_app(TRUSTED_PROXIES=1, LOGIN_RATE_LIMIT="3 per minute")
    with app.app_context():
        UserFactory(email="a@example.com")
    client = app.test_client()

    first = [wrong_sign_in(client, f"a{n}@example.com", "203.0.113.7") for n in range(4)]
    other = wrong_sign_in(client, "b@example.com", "198.51.100.4")

    assert first == [200, 200, 200, 429] and other == 200


def test_without_trusted_proxies_a_forged_header_changes_nothing(make_app):
    app = make_app(LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()

    answers = [wrong_sign_in(client, f"a{n}@example.com", f"203.0.113.{n}") for n in range(4)]

    assert answers == [200, 200, 200, 429]
