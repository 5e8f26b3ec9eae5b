"""At 390 px, in Vietnamese and in English: a guest complains from the order's private link and
gets the outlet's answer; a shopper downloads their data and deletes their account."""
import io
import json
import itertools
import zipfile

import pytest

from tests.browser.seed import PASSWORD, listed_product

pytestmark = pytest.mark.browser
_numbers = itertools.count(1)


def _order_for(world, email: str, with_account: bool) -> tuple[str, str]:
    """Place a collected order at Bát Tràng (and an account for ``email``); return (number, link)."""
    from storefront.accounts.models import User
    from storefront.catalog.models import Outlet
    from storefront.extensions import db
    from storefront.orders.codes import link_key
    from tests.support.order_builder import place_split

    product = listed_product("Bình gốm", "Ceramic vase", world.bat_trang, [world.bat_trang_outlet])
    outlet = db.session.scalar(db.select(Outlet).filter_by(name=world.bat_trang_outlet))
    from storefront.catalog.models import Product

    order = place_split({outlet: [(db.session.get(Product, product.id), 1)]}, status="collected",
                        email=email)
    if with_account:
        user = User(email=email, name="Lê Văn Riêng", phone="0933444555", role="shopper")
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.flush()
        order.user_id = user.id
        db.session.commit()
    return order.number, f"/orders/{order.number}?t={link_key(order)}"


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_guest_complains_from_the_order_link_and_gets_an_answer(world, visitor, live_server,
                                                                  language):
    number, link = live_server.run(_order_for, world, f"guest{next(_numbers)}-{language}@example.com",
                                   False)
    guest = visitor(f"guest-{language}", locale="vi-VN" if language == "vi" else "en-US")
    guest.open(link, "the order's private link")
    assert guest.html_lang() == language
    guest.follow(guest.page.locator(".order-help a").first, "the complaint page")
    guest.page.locator("#category-0").check()
    guest.page.locator("#message").fill("Bình bị nứt ở miệng khi nhận.")
    guest.shot("complaint-form")
    guest.follow(guest.page.locator("main form[enctype] button[type=submit]"), "send the complaint")
    assert guest.page.locator(".alert-success").count() == 1
    guest.shot("complaint-sent")

    staff = visitor(f"admin-{language}", locale="vi-VN" if language == "vi" else "en-US")
    staff.sign_in(world.admin_email,
                  **({} if language == "vi" else {"password_label": "Password", "button": "Sign in"}))
    staff.open("/admin/complaints", "the admins' complaints")
    staff.shot("complaints")
    staff.follow(staff.page.locator("table a").first, "the complaint")
    staff.page.locator("#message").fill("Xin lỗi bạn, mời bạn qua điểm bán đổi bình mới.")
    staff.shot("answer")
    staff.follow(staff.page.locator("main form button[type=submit]"), "send the answer")

    guest.open(f"/orders/{number}/complaints", "the complaint page again")
    assert "mời bạn qua điểm bán đổi bình mới" in guest.page.locator("main").inner_text()
    guest.shot("answered")
    assert any(f"{number}".encode() in m.content and b"Subject" in m.content
               for m in live_server.mail)


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_shopper_downloads_their_data_and_deletes_their_account(world, visitor, live_server,
                                                                  language):
    email = f"shopper{next(_numbers)}-{language}@example.com"
    number, _link = live_server.run(_order_for, world, email, True)
    english = {} if language == "vi" else {"password_label": "Password", "button": "Sign in"}
    shopper = visitor(f"shopper-{language}", locale="vi-VN" if language == "vi" else "en-US")
    shopper.sign_in(email, **english)
    shopper.open("/auth/account", "the account page")
    shopper.follow(shopper.page.locator("a[href='/account/data']"), "my data")
    assert shopper.page.locator("input[name^=news_]:checked").count() == 0  # never pre-ticked
    shopper.shot("my-data")

    with shopper.page.expect_download() as download:
        shopper.page.locator("form[action='/account/data/download'] button").click()
    data = json.loads(zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read()))
                      .read("data.json"))
    assert data["account"]["email"] == email and data["orders"][0]["number"] == number

    shopper.page.locator("#password").fill(PASSWORD)
    shopper.page.locator("#confirm").check()
    shopper.shot("delete")
    shopper.follow(shopper.page.locator("form[action='/account/data/delete'] button"),
                   "delete the account")
    assert shopper.page.locator(".alert-success").count() == 1
    shopper.shot("deleted")

    shopper.open("/auth/login", "sign in again")
    shopper.page.locator("#email").fill(email)
    shopper.page.locator("#password").fill(PASSWORD)
    shopper.page.locator("main button[type=submit]").click()
    shopper.page.wait_for_load_state()
    assert "/auth/login" in shopper.page.url  # refused
