"""Real-browser harness: the app on 127.0.0.1 (CSRF on, fresh SQLite, local SMTP) under Chromium.

The server always uses SQLite, also on the PostgreSQL run: these tests check what a person sees,
and the database rules are covered by the rest of the suite on both backends.
Without /usr/bin/chromium the tests skip, unless REQUIRE_BROWSER=1 (CI), when they fail.
"""
import logging
import os
import re
import shutil
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tools import catalogs

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
REQUIRED = os.environ.get("REQUIRE_BROWSER") == "1"
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
TIMEOUT_MS = 10_000  # a missing element fails in seconds, not after Playwright's 30 s

VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}
PASSWORD = "mật khẩu thử nghiệm dài"


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM) or REQUIRED:
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (REQUIRE_BROWSER=1 fails instead)")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


def require_tool(path: Path | str | None, what: str) -> None:
    """Skip when a checking tool is missing; fail instead when REQUIRE_BROWSER=1."""
    if path and Path(path).exists():
        return
    message = f"{what} is missing ({path or 'not on PATH'}); run `make devtools` (npm ci)"
    if REQUIRED:
        pytest.fail(message)
    pytest.skip(message)


# --- the server ---------------------------------------------------------------------------------

@dataclass
class LiveServer:
    url: str
    app: object
    mail: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    def run(self, function, *args, **kwargs):
        """Run ``function`` inside the server's app context (to seed or read data)."""
        with self.app.app_context():
            return function(*args, **kwargs)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_inbox():
    """Run a local SMTP server that keeps every message it receives."""
    from aiosmtpd.controller import Controller

    class Keep:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope)
            return "250 OK"

    handler = Keep()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, handler.messages
    controller.stop()


def _config(tmp: Path, smtp_port: int, url: str):
    from storefront.config import TestingConfig

    class BrowserConfig(TestingConfig):
        TESTING = False  # errors render the shop's own error page, as in production
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp / 'browser.db'}"
        SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        WTF_CSRF_ENABLED = True  # real forms carry real tokens
        MEDIA_ROOT = str(tmp / "media")
        PRIVATE_MEDIA_ROOT = str(tmp / "private")
        MAIL_SERVER = "127.0.0.1"
        MAIL_PORT = smtp_port
        MAIL_SEND_AFTER_COMMIT = True
        SERVER_NAME_FOR_LINKS = url
        RATELIMIT_ENABLED = False

    return BrowserConfig


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, smtp_inbox):
    """Serve a fresh app on a free local port for the whole session (one per xdist worker)."""
    from flask import got_request_exception
    from werkzeug.serving import make_server

    from storefront import create_app
    from storefront.extensions import db

    catalogs.compile_catalogs()
    controller, inbox = smtp_inbox
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    app = create_app(_config(tmp_path_factory.mktemp("browser"), controller.port, url))
    with app.app_context():
        db.create_all()
    server = LiveServer(url=url, app=app, mail=inbox)
    got_request_exception.connect(
        lambda sender, exception, **extra: server.errors.append(repr(exception)), app, weak=False)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    httpd = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield server
    httpd.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def world(live_server):
    """The villages, sales points, admin and staff every browser test starts from."""
    from tests.browser import seed

    return live_server.run(seed.build_world)


@pytest.fixture(autouse=True)
def _no_server_errors(request):
    """Fail a browser test whose requests raised inside the app (the page alone may hide it)."""
    if not request.node.get_closest_marker("browser") or "live_server" not in request.fixturenames:
        yield
        return
    server = request.getfixturevalue("live_server")
    before = len(server.errors)
    yield
    raised = server.errors[before:]
    assert not raised, f"the app raised while serving this test: {raised}"


# --- the browser --------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def chromium():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageNotBuilt(AssertionError):
    """A page of the contract answered with the placeholder (501) or not at all (404)."""


class Visitor:
    """One person in their own browser context: opens pages, submits forms, takes screenshots."""

    def __init__(self, context, server: LiveServer, shots: "Screenshots", who: str):
        self.context, self.server, self.shots, self.who = context, server, shots, who
        self.page = context.new_page()

    # navigation that checks what the server answered
    def open(self, path: str, what: str):
        response = self.page.goto(self.server.url + path)
        self.check(response, what)
        return response

    def follow(self, locator, what: str):
        """Click ``locator`` (a link or submit button) and check the page it leads to."""
        with self.page.expect_navigation() as navigation:
            locator.click()
        self.check(navigation.value, what)

    def press(self, key: str, what: str):
        """Press ``key`` on the focused element, expecting it to load a page."""
        with self.page.expect_navigation() as navigation:
            self.page.keyboard.press(key)
        self.check(navigation.value, what)

    def check(self, response, what: str) -> None:
        status = response.status if response else 200
        path = self.page.url.removeprefix(self.server.url)
        if status in (404, 501):
            self.shot(f"not-built-{status}")
            raise PageNotBuilt(f"{what}: {path} answered {status} — the page is missing (not built "
                               "yet? see docs/url-contract.md); the journey goes on from here once it exists")
        if status >= 400:
            self.shot(f"error-{status}")
            heading = self.page.locator("h1").first.text_content(timeout=1000) or ""
            raise AssertionError(f"{what}: {path} answered {status}: {heading.strip()}")

    def shot(self, label: str) -> None:
        self.shots.take(self.page, f"{self.who}-{label}")

    # things every page has
    def html_lang(self) -> str:
        return self.page.locator("html").get_attribute("lang")

    def open_menu(self) -> None:
        """Open the collapsed navigation on a phone (no-op on desktop)."""
        toggler = self.page.locator(".navbar-toggler")
        if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
            toggler.click()
            self.page.locator("#mainNav.show").wait_for()

    def nav(self, name, what: str):
        self.open_menu()
        self.follow(self.page.get_by_role("navigation").get_by_role("link", name=name).first, what)

    def switch_language(self, button_name: str):
        self.open_menu()
        self.follow(self.page.get_by_role("button", name=button_name), "language switch")

    def sign_in(self, email: str, password: str = PASSWORD, *, email_label="E-mail",
                password_label="Mật khẩu", button="Đăng nhập", language="vi"):
        """Sign in through the form, then read on in ``language`` (None: the account's own).

        An account keeps the language its user last chose, and the demo accounts are shared by the
        tests on one live server: one that switched an account to English must not leave the next
        test reading English.
        """
        self.open("/auth/login", "sign-in page")
        self.page.get_by_label(email_label, exact=True).fill(email)
        self.page.get_by_label(password_label, exact=True).fill(password)
        self.follow(self.page.get_by_role("main").get_by_role("button", name=button), "sign-in")
        if language and self.html_lang() != language:
            self.follow(self.page.locator(f"header form[action$='/lang/{language}'] button").first,
                        f"language {language}")


# Chromium cannot capture a bitmap taller than its texture limit (16,384 px): "Unable to capture
# screenshot". A photograph is for a person to look at, so a longer page is photographed down to
# this height; whatever a test checks on the page, it checks on the whole of it.
SHOT_HEIGHT = 12_000


def photograph(page, path) -> None:
    """Save a full-page screenshot of ``page`` at ``path``, cut at SHOT_HEIGHT."""
    height = page.evaluate("() => document.documentElement.scrollHeight")
    width = page.viewport_size["width"]
    page.screenshot(path=str(path), full_page=True,
                    clip={"x": 0, "y": 0, "width": width, "height": min(height, SHOT_HEIGHT)})


class Screenshots:
    def __init__(self, name: str):
        self.folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "_", name)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.count = 0

    def take(self, page, label: str) -> None:
        self.count += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        photograph(page, self.folder / f"{self.count:02d}-{label}.png")


@pytest.fixture
def screenshots(request):
    return Screenshots(request.node.name)


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request):
    return request.param


@pytest.fixture
def visitor(chromium, live_server, screenshots, viewport):
    """Open a browser context per person (own cookies), at the test's viewport and language."""
    contexts = []

    def open_as(who: str, locale: str = "vi-VN"):
        context = chromium.new_context(locale=locale, **VIEWPORTS[viewport])
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return Visitor(context, live_server, screenshots, who)

    yield open_as
    for context in contexts:
        context.close()
