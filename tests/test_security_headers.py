"""Security headers on every response; templates hold nothing the Content-Security-Policy would block."""
import re
from pathlib import Path

import pytest

from storefront.config import Config, DevelopmentConfig
from tests.support.factories import ProductFactory, StaffUserFactory
from tests.support.order_builder import place

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _csp(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/", "/products", "/auth/login", "/no-such-page"])
def test_every_page_sends_the_security_headers(client, db, path):
    response = client.get(path)

    csp = _csp(response)
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert csp["object-src"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_production_sends_strict_transport_security_and_development_does_not(make_app, db):
    assert Config.HSTS_SECONDS >= 365 * 24 * 3600 and DevelopmentConfig.HSTS_SECONDS == 0
    production = make_app(HSTS_SECONDS=Config.HSTS_SECONDS).test_client().get("/")
    assert production.headers["Strict-Transport-Security"] == f"max-age={Config.HSTS_SECONDS}; includeSubDomains"
    assert "Strict-Transport-Security" not in make_app(HSTS_SECONDS=0).test_client().get("/").headers


def test_images_may_come_from_the_photo_store_and_data_uris(make_app, db):
    app = make_app(S3_PUBLIC_BASE_URL="https://cdn.example.com/ocop-photos/")

    csp = _csp(app.test_client().get("/"))

    assert csp["img-src"][:2] == ["'self'", "data:"]
    assert "https://cdn.example.com" in csp["img-src"]


def test_the_outlet_pickup_page_may_use_the_camera_and_no_other_page_may(client, login, db):
    staff = StaffUserFactory()
    pickup = place(staff.outlet, (ProductFactory(outlets=[staff.outlet]), 1))
    login(staff)

    assert client.get(f"/outlet/pickups/{pickup.id}").headers["Permissions-Policy"] == "camera=(self)"
    assert "camera=()" in client.get("/outlet/").headers["Permissions-Policy"]


def _inline_code(text: str) -> list[str]:
    patterns = [r"<script(?![^>]*\bsrc=)[^>]*>", r"<style\b", r"\son[a-z]+\s*=", r"\sstyle\s*=",
                r"javascript:"]
    return [m.group(0) for pattern in patterns for m in re.finditer(pattern, text, re.IGNORECASE)]


def test_no_template_holds_inline_script_style_or_handler():
    found = {str(path.relative_to(TEMPLATES)): _inline_code(path.read_text(encoding="utf-8"))
             for path in TEMPLATES.rglob("*.html")}

    assert {name: hits for name, hits in found.items() if hits} == {}


def test_a_rendered_product_page_holds_no_inline_code(client, db):
    product = ProductFactory()

    page = client.get(f"/products/{product.slug}").get_data(as_text=True)

    assert _inline_code(page) == []
