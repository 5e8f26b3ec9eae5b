"""Fuzz every route with malformed paths, query strings, form posts and hosts: never a 5xx.

A seeded generator (``FUZZ_SEED``, ``FUZZ_REQUESTS``; 2,500 requests by default) so a failure can be
replayed. Each request is made anonymously or as one of the four roles, against a small shop.
"""
import os
import random
import re
from collections import Counter
from urllib.parse import quote, urlencode

import pytest
from werkzeug.datastructures import MultiDict
from werkzeug.test import EnvironBuilder, run_wsgi_app

from tests.support.factories import (
    AdminFactory, OutletFactory, ProducerUserFactory, ProductFactory, StaffUserFactory, UserFactory,
)
from tests.support.order_builder import place

SEED = int(os.environ.get("FUZZ_SEED", "20261130"))
REQUESTS = int(os.environ.get("FUZZ_REQUESTS", "2500"))

# Values that have broken web apps: NUL and control bytes, numbers beyond every integer type, floats,
# odd Unicode (RTL override, full-width digits, emoji, Vietnamese), traversal, markup, SQL, CRLF, sizes.
BAD_VALUES = [
    "", " ", "\x00", "a\x00b", "\x01\x1f", "0", "-1", "+1", "00001", "2147483647", "2147483648",
    "9223372036854775808", "99999999999999999999999", "-99999999999999999999999", "1e309", "NaN", "inf",
    "1.5", "0x10", "１２３", "٣", "\u202eevil", "😀", "Bát Tràng", "../../etc/passwd", "..\\..\\boot.ini",
    "<script>alert(1)</script>", "' OR 1=1 --", "\r\nSet-Cookie: x=1", "%", "%00", "%ff", "[]", "{}",
    "null", "true", "x" * 300, "9" * 5000, "é" * 2000, "a/b", "?", "#", "//evil.example", "javascript:alert(1)",
    "\ufffd",
]
# Raw path pieces the client sends as they are (invalid or overlong percent-encodings).
RAW_PATH_PIECES = ["%00", "a%00b", "%ff%fe", "%c0%af", "%25", "%2e%2e%2f", "%0d%0a", "%e2%80%ae", "..",
                   "%", "%zz", "x" * 2000]
FIELD_NAMES = [
    "product_id", "quantity", "next", "email", "password", "confirm", "remember", "name", "phone",
    "checkout_token", "payment_method", "outlet_id", "note", "reason", "code", "status", "stars", "score",
    "decision_number", "decision_date", "price", "stock", "group", "village_id", "kind", "alt", "q",
    "page", "village", "sort", "day", "tab", "first", "last", "t", "role", "current_password", "id",
    "producer_name", "description", "pickup_day", "line_id", "place_type", "latitude", "longitude",
]
BAD_HOSTS = ["a" * 64 + ".example.com", "b" * 300, "exa mple.com", "[::1", "example.com:99999",
             "xn--a.com", "ex\x7fample.com", "..", "例え.jp"]


@pytest.fixture
def small_shop_with_every_role(app, db):
    """A small shop in which most routes find something: one of each role, a product, an order."""
    staff = StaffUserFactory()
    producer_user = ProducerUserFactory()
    product = ProductFactory(producer=producer_user.producer, outlets=[staff.outlet])
    OutletFactory()
    pickup = place(staff.outlet, (product, 1))
    return {"staff": staff, "producer": producer_user, "admin": AdminFactory(), "shopper": UserFactory(),
            "product": product, "pickup": pickup}


_VARIABLE = re.compile(r"<(?:(?P<converter>\w+)(?:\((?P<arguments>[^)]*)\))?:)?(?P<variable>\w+)>")


def _path_for(rule, rng) -> str:
    """Fill a rule's variables with malformed values (raw pieces or quoted bad values)."""
    def bad(_match):
        if rng.random() < 0.5:
            return rng.choice(RAW_PATH_PIECES)
        return quote(rng.choice(BAD_VALUES + ["1", "2"]), safe="")
    return _VARIABLE.sub(bad, rule.rule)


def _plausible(rule) -> str:
    """Fill a rule's variables with values that may exist: 1, or the first choice of an ``any``."""
    def good(match):
        if match.group("converter") == "any":
            return match.group("arguments").split(",")[0].strip().strip("'\"")
        return "1"
    return _VARIABLE.sub(good, rule.rule)


def _fields(rng, count) -> list[tuple[str, str]]:
    return [(rng.choice(FIELD_NAMES), rng.choice(BAD_VALUES)) for _ in range(count)]


def _request(rng, rules):
    rule = rng.choice(rules)
    methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
    method = rng.choice(methods)
    kind = rng.choice(["path", "query", "form", "host", "plain"])
    path = _path_for(rule, rng) if kind == "path" or rule.arguments and rng.random() < 0.3 else \
        _plausible(rule)
    options = {}
    if kind == "query" or rng.random() < 0.2:
        path += "?" + urlencode(_fields(rng, rng.randint(1, 5)), safe="")
        if rng.random() < 0.2:
            path += "&" + rng.choice(RAW_PATH_PIECES) + "=" + rng.choice(RAW_PATH_PIECES)
    if method == "POST":
        if rng.random() < 0.1:
            options["data"] = rng.choice([b"\x00\xff{", b'{"type": null}', b"a=" + b"%" * 50])
            options["content_type"] = rng.choice(["application/json", "application/x-www-form-urlencoded",
                                                  "multipart/form-data; boundary=x"])
        else:
            options["data"] = MultiDict(_fields(rng, rng.randint(1, 8)))
    if kind == "host":
        options["headers"] = {"Host": rng.choice(BAD_HOSTS)}
    return method, path, options


def _raw_status(app, path, method, options) -> int:
    """Call the app as a server would: the test client itself cannot rebuild a URL on such a host."""
    environ = EnvironBuilder(path=path, method=method, **options).get_environ()
    try:
        _app_iter, status, _headers = run_wsgi_app(app, environ, buffered=True)
    except Exception:  # noqa: BLE001 — escaped the app: the WSGI server answers 500
        return 500
    return int(status.split()[0])


def test_no_malformed_request_gets_a_5xx(make_app, small_shop_with_every_role, login, capsys):
    app = make_app(RATELIMIT_ENABLED=False)
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]
    rng = random.Random(SEED)
    clients = {"anonymous": app.test_client()}
    for role in ("shopper", "producer", "staff", "admin"):
        clients[role] = app.test_client()
        login(small_shop_with_every_role[role], test_client=clients[role])
    statuses, kinds, failures = Counter(), Counter(), []

    for _ in range(REQUESTS):
        role = rng.choice(list(clients))
        method, path, options = _request(rng, rules)
        if path.startswith("/auth/logout"):
            role = "anonymous"  # keep the signed-in clients signed in
        if "headers" in options:
            role = "anonymous"
            status = _raw_status(app, path, method, options)
        else:
            try:
                status = clients[role].open(path, method=method, **options).status_code
            except Exception as error:  # noqa: BLE001 — TESTING propagates what would be a 500
                status, options["raised"] = 500, repr(error)[:120]
        statuses[status] += 1
        kinds[method] += 1
        if status >= 500:
            failures.append((role, method, path[:200], str(options)[-300:], status))

    with capsys.disabled():
        print(f"\nfuzz: seed {SEED}, {REQUESTS} requests over {len(rules)} rules: {dict(kinds)}; "
              f"statuses {dict(sorted(statuses.items()))}; {len(failures)} 5xx")
        causes = Counter(str(options_text).split("'raised': ")[-1][:70] if "raised" in options_text
                         else "500 response" for _r, _m, _p, options_text, _s in failures)
        for cause, count in causes.most_common(12):
            print(f"  {count:4d} × {cause}")
    assert failures == []
