"""Issue 26 in Chromium at 390 px: the outlet counter keeps working with the network gone.

The staff member loads the counter (the service worker takes over and the day's pickups are kept on
the device), the browser goes offline, two pickups are handed over (one whole, one partial, money
taken at the counter), a wrong code is typed five times (locked), one of the handed-over pickups is
cancelled on the server meanwhile, the network comes back: one hand-over is confirmed, the
cancelled one refused with "take the goods back", the five wrong codes reach the server and lock
the pickup there too (once each, however often the queue is sent), and stock and the books still
balance. A pickup locked on the server before the device's refresh is shown locked offline.

Lighthouse 12 dropped its PWA category, so installability is checked here: the manifest's fields
and icons, the worker controlling the page, and counter pages answered 200 by the worker offline.
"""
import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser import seed

pytestmark = pytest.mark.browser


def _pickups(outlet_name: str, slug_a: str, slug_b: str, slug_c: str) -> dict:
    """Three pay-at-pickup orders at the outlet, with the codes the shop derives for them:
    A ready (2 × 50.000), B confirmed with one of its two lines received, C ready."""
    from storefront.catalog.models import Outlet, Product
    from storefront.extensions import db
    from storefront.orders import codes
    from storefront.orders.models import LineStatus, PickupStatus
    from tests.support.order_builder import place

    outlet = db.session.scalar(db.select(Outlet).filter_by(name=outlet_name))
    product = {slug: db.session.scalar(db.select(Product).filter_by(slug=slug))
               for slug in (slug_a, slug_b, slug_c)}
    a = place(outlet, (product[slug_a], 2), status=PickupStatus.READY, email="a@example.com")
    b = place(outlet, (product[slug_b], 1), (product[slug_c], 1), status=PickupStatus.CONFIRMED,
              email="b@example.com")
    b.lines[0].status = LineStatus.RECEIVED
    c = place(outlet, (product[slug_c], 1), status=PickupStatus.READY, email="c@example.com")
    found = {}
    for name, pickup in (("a", a), ("b", b), ("c", c)):
        pickup.order.access_token_hash = codes.hash_access_token(str(uuid.uuid4()))
        code = codes.pickup_code_of(pickup.order, pickup.id)
        pickup.code_hash = codes.hash_pickup_code(pickup.id, code)
        found[name] = {"id": pickup.id, "number": pickup.order.number, "code": code}
    db.session.commit()
    for name, pickup in (("a", a), ("b", b), ("c", c)):
        found[name]["number"] = pickup.order.number
    return found


def _locked_on_the_server(outlet_name: str, slug: str) -> dict:
    """A fourth ready order whose code was typed wrong five times at the counter's page (locked)."""
    from storefront.catalog.models import Outlet, Product
    from storefront.extensions import db
    from storefront.orders import codes, services
    from storefront.orders.models import PickupStatus
    from tests.support.order_builder import place

    outlet = db.session.scalar(db.select(Outlet).filter_by(name=outlet_name))
    product = db.session.scalar(db.select(Product).filter_by(slug=slug))
    pickup = place(outlet, (product, 1), status=PickupStatus.READY, email="d@example.com")
    pickup.order.access_token_hash = codes.hash_access_token(str(uuid.uuid4()))
    code = codes.pickup_code_of(pickup.order, pickup.id)
    pickup.code_hash = codes.hash_pickup_code(pickup.id, code)
    db.session.commit()
    for _ in range(5):
        try:
            services.hand_over(pickup, "ZZZZ-ZZZZ", by="staff@example.com")
        except services.WrongPickupCode:
            pass
    assert pickup.code_locked_until is not None
    return {"id": pickup.id, "number": pickup.order.number, "code": code}


def _cancel(pickup_id: int) -> None:
    from storefront.extensions import db
    from storefront.orders.models import Pickup
    from storefront.orders.services import cancel_pickup

    cancel_pickup(db.session.get(Pickup, pickup_id), by="admin@example.com",
                  reason="Khách gọi điện huỷ")


def _state(ids: dict, slugs: list, outlet_name: str) -> dict:
    from storefront.catalog.models import Outlet, Product
    from storefront.counter.models import CounterHandOver, CounterWrongCode
    from storefront.extensions import db
    from storefront.finance import ledger
    from storefront.finance.models import AccountKind
    from storefront.orders.models import CounterPayment, Pickup
    from storefront.timeutil import utcnow

    db.session.expire_all()
    outlet = db.session.scalar(db.select(Outlet).filter_by(name=outlet_name))
    pickups = {name: db.session.get(Pickup, value["id"]) for name, value in ids.items()}
    return {
        "status": {name: p.status for name, p in pickups.items()},
        "lines": {name: [line.status for line in p.lines] for name, p in pickups.items()},
        "failed": {name: p.failed_code_attempts for name, p in pickups.items()},
        "locked": {name: bool(p.code_locked_until and p.code_locked_until > utcnow())
                   for name, p in pickups.items()},
        "wrong_codes": sorted((r.pickup_id, r.outcome, r.locked_until is not None)
                              for r in db.session.scalars(db.select(CounterWrongCode))),
        "paid": sorted((p.pickup_id, p.amount, p.method)
                       for p in db.session.scalars(db.select(CounterPayment))),
        "replays": sorted((r.pickup_id, r.outcome) for r in db.session.scalars(db.select(CounterHandOver))),
        "stock": [db.session.scalar(db.select(Product.stock).filter_by(slug=s)) for s in slugs],
        "unbalanced": ledger.unbalanced_entries(), "trial": ledger.trial_balance(),
        "drawer": ledger.balance(ledger.account(AccountKind.DRAWER, outlet_id=outlet.id)),
    }


def _wait_for_worker(page) -> None:
    # (wait_for_function needs eval, which the CSP forbids)
    page.evaluate("Promise.race([navigator.serviceWorker.ready, new Promise(r => setTimeout(r, 10000))])")
    for _ in range(60):
        if page.evaluate("navigator.serviceWorker.controller !== null"):
            return
        page.wait_for_timeout(250)
    raise AssertionError("the service worker never took control of the counter")


def _installable(page, server_url: str) -> None:
    """What Lighthouse's installability audit checked, by hand."""
    manifest_url = page.locator("link[rel=manifest]").get_attribute("href")
    assert manifest_url == "/outlet/manifest.webmanifest"
    manifest = page.evaluate("""url => fetch(url, {credentials: 'include'}).then(r => r.json())""",
                             manifest_url)
    assert manifest["scope"] == "/outlet/" and manifest["start_url"] == "/outlet/"
    assert manifest["display"] == "standalone" and manifest["name"] and manifest["short_name"]
    sizes = {icon["sizes"] for icon in manifest["icons"] if icon["type"] == "image/png"}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        status = page.evaluate("url => fetch(url).then(r => r.status)", icon["src"])
        assert status == 200, icon
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == server_url + "/outlet/"


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_the_counter_hands_over_offline_and_the_server_settles_it(world, visitor, live_server):
    outlet = world.bat_trang_outlet
    tea = live_server.run(seed.listed_product, "Trà sen", "Lotus tea", world.bat_trang, [outlet],
                          price=50000, stock=10, photo=False)
    cup = live_server.run(seed.listed_product, "Chén gốm", "Ceramic cup", world.bat_trang, [outlet],
                          price=30000, stock=10, photo=False)
    vase = live_server.run(seed.listed_product, "Bình hoa", "Vase", world.bat_trang, [outlet],
                           price=70000, stock=10, photo=False)
    ids = live_server.run(_pickups, outlet, tea.slug, cup.slug, vase.slug)
    locked = live_server.run(_locked_on_the_server, outlet, vase.slug)
    slugs = [tea.slug, cup.slug, vase.slug]
    before = live_server.run(_state, ids, slugs, outlet)
    assert before["failed"]["c"] == 0 and not before["locked"]["c"] and before["wrong_codes"] == []

    staff = visitor("staff")
    page = staff.page
    staff.sign_in(world.staff_email[outlet], seed.PASSWORD)
    staff.open("/outlet/", "counter")
    _wait_for_worker(page)
    status = page.locator("#counter-status")
    expect(status).to_contain_text("Đã cập nhật dữ liệu lúc")
    _installable(page, live_server.url)
    staff.shot("online")

    # --- the network goes -------------------------------------------------------------------
    staff.context.set_offline(True)
    for path in ("/outlet/", f"/outlet/pickups/{ids['a']['id']}", "/outlet/lookup"):
        response = page.goto(live_server.url + path)
        assert response.status == 200 and response.from_service_worker, path
    page.goto(live_server.url + "/outlet/")
    expect(page.locator("[data-offline-page]")).to_contain_text("Đang mất mạng")
    expect(status).to_contain_text("Mất mạng: đang dùng dữ liệu lưu trên máy lúc")
    for name in ("a", "b", "c"):
        expect(page.locator(f"[data-pickup='{ids[name]['id']}']")).to_be_visible()
        expect(page.locator(f"[data-pickup='{ids[name]['id']}']")).not_to_contain_text("Tạm khoá")
    # D was locked on the server before the refresh: locked here too, with no code field
    expect(page.locator(f"[data-pickup='{locked['id']}']")).to_contain_text("Tạm khoá")
    staff.shot("offline-list")
    page.goto(live_server.url + f"/outlet/pickups/{locked['id']}")
    expect(page.locator("[data-counter-result]")).to_contain_text("Tạm khoá giao hàng đến")
    expect(page.get_by_label("Mã nhận hàng")).to_have_count(0)
    page.goto(live_server.url + "/outlet/lookup")  # its right code does not open it either
    page.get_by_label("Mã nhận hàng").fill(locked["code"])
    page.get_by_role("button", name="Tìm đơn").click()
    expect(page.locator("[data-counter-view]")).to_contain_text("Tạm khoá giao hàng đến")
    expect(page.locator("[data-counter-found]")).to_be_empty()
    page.goto(live_server.url + "/outlet/")

    # A: whole, 100.000 đ in cash
    page.locator(f"[data-pickup='{ids['a']['id']}'] a").first.click()
    page.get_by_label("Mã nhận hàng").fill(ids["a"]["code"].lower())
    staff.shot("offline-pickup")
    page.get_by_role("button", name=re.compile("Đã thu 100.000")).click()
    expect(page.locator("[data-counter-result]")).to_contain_text("Đã xếp hàng chờ gửi")
    expect(page.locator("[data-counter-result]")).to_contain_text("Chưa phải đã giao xong")
    staff.shot("offline-queued")

    # B: partial, the received line only (30.000 đ), by transfer
    page.goto(live_server.url + f"/outlet/pickups/{ids['b']['id']}")
    expect(page.get_by_role("heading", name="Giao một phần")).to_be_visible()
    page.get_by_label("Mã nhận hàng").fill(ids["b"]["code"])
    page.get_by_role("button", name=re.compile("Đã nhận 30.000")).click()
    expect(page.locator("[data-counter-result]")).to_contain_text("Cần khách đồng ý")
    page.get_by_label(re.compile("Khách đồng ý chỉ nhận")).check()
    page.get_by_role("button", name=re.compile("Đã nhận 30.000")).click()
    expect(page.locator("[data-counter-result]")).to_contain_text("Đã xếp hàng chờ gửi")

    # C: five wrong codes lock it here, as on the server; then even the right code waits
    page.goto(live_server.url + f"/outlet/pickups/{ids['c']['id']}")
    field = page.get_by_label("Mã nhận hàng")
    for left in (4, 3, 2, 1):
        field.fill("ZZZZ-ZZZZ")
        page.get_by_role("button", name=re.compile("Đã thu")).click()
        expect(page.locator("[data-counter-result]")).to_contain_text(f"Còn {left} lần thử")
    field.fill("ZZZZ-ZZZZ")
    page.get_by_role("button", name=re.compile("Đã thu")).click()
    expect(page.locator("[data-counter-result]")).to_contain_text("Nhập sai mã quá nhiều lần")
    field.fill(ids["c"]["code"])
    page.get_by_role("button", name=re.compile("Đã thu")).click()
    expect(page.locator("[data-counter-result]")).to_contain_text("Nhập sai mã quá nhiều lần")
    staff.shot("offline-locked")
    # the five wrong codes wait in the queue, without what was typed
    waiting = page.evaluate("window.ocopCounter.queue()")
    tries = [item for item in waiting if item.get("kind") == "wrong_code"]
    assert [(t["pickup_id"], t["state"]) for t in tries] == [(ids["c"]["id"], "queued")] * 5
    assert "ZZZZ" not in str(waiting) and all("code" not in t for t in tries)
    assert len({t["client_id"] for t in tries}) == 5

    # the look-up page finds by code, offline
    page.goto(live_server.url + "/outlet/lookup")
    page.get_by_label("Mã nhận hàng").fill(ids["a"]["code"])
    page.get_by_role("button", name="Tìm đơn").click()
    expect(page.locator("[data-counter-found]")).to_contain_text("Đang chờ gửi")

    # nothing reached the server while offline; meanwhile A is cancelled there
    offline = live_server.run(_state, ids, slugs, outlet)
    assert offline["status"] == before["status"] and offline["wrong_codes"] == []
    assert offline["failed"]["c"] == 0 and not offline["locked"]["c"]
    live_server.run(_cancel, ids["a"]["id"])

    # --- the network comes back -------------------------------------------------------------
    page.goto(live_server.url + "/outlet/")
    staff.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    queue = page.locator("[data-counter-queue]")
    refused = queue.locator("[data-state='refused']")
    confirmed = queue.locator("[data-state='confirmed']")
    expect(refused).to_contain_text(ids["a"]["number"], timeout=15_000)
    expect(refused).to_contain_text("Đơn đã bị huỷ trong lúc máy mất mạng")
    expect(refused).to_contain_text("Lấy lại hàng từ khách.")
    expect(refused).to_contain_text("Trả lại khách 100.000")
    expect(confirmed).to_contain_text(ids["b"]["number"])
    expect(confirmed).to_contain_text("Đã xác nhận")
    sent = queue.locator("[data-kind='wrong_code'][data-state='counted']")
    expect(sent).to_have_count(5)
    expect(sent.last).to_contain_text("đơn bị khoá sau 5 lần nhập sai mã")
    staff.shot("back-online")
    page.reload()
    expect(page.locator("[data-counter-queue] [data-state='refused']")).to_contain_text("Lấy lại hàng")
    staff.shot("back-online-reloaded")

    after = live_server.run(_state, ids, slugs, outlet)
    assert after["status"] == {"a": "cancelled", "b": "collected", "c": "ready"}
    assert after["lines"]["b"] == ["received", "cancelled"]
    b_id = ids["b"]["id"]
    assert after["paid"] == [(b_id, 30000, "transfer")]  # nothing recorded for the cancelled A
    assert after["replays"] == sorted([(ids["a"]["id"], "cancelled"), (b_id, "confirmed")])
    # stock: A's 2 teas back (cancelled), B's vase back (not brought); B's cup left with the shopper
    assert after["stock"] == [before["stock"][0] + 2, before["stock"][1], before["stock"][2] + 1]
    assert after["unbalanced"] == [] and after["trial"] == 0
    # C's wrong codes typed offline were counted on the server: C is locked there now
    c_id = ids["c"]["id"]
    assert after["wrong_codes"] == [(c_id, "counted", False)] * 4 + [(c_id, "counted", True)]
    assert after["locked"]["c"] and after["failed"]["c"] == 0
    assert after["drawer"] == before["drawer"]  # a transfer: no cash in the drawer

    # replaying the same queue again changes nothing
    page.evaluate("window.ocopCounter.replay()")
    again = live_server.run(_state, ids, slugs, outlet)
    assert again["paid"] == after["paid"] and again["wrong_codes"] == after["wrong_codes"]
    assert again["failed"]["c"] == 0

    # signing out wipes the device: the worker and the store are gone
    page.goto(live_server.url + "/outlet/")
    page.locator("header details summary").first.click()
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng xuất").click()
    assert page.url.rstrip("/") == live_server.url
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0
    names = page.evaluate("indexedDB.databases().then(list => list.map(d => d.name))")
    assert not [name for name in names if name.startswith("ocop-counter-")]


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_the_offline_counter_speaks_english(world, visitor, live_server):
    outlet = world.van_phuc_outlet
    silk = live_server.run(seed.listed_product, "Khăn lụa", "Silk scarf", world.van_phuc, [outlet],
                           price=250000, stock=10, photo=False)
    fan = live_server.run(seed.listed_product, "Quạt lụa", "Silk fan", world.van_phuc, [outlet],
                          price=90000, stock=10, photo=False)
    ids = live_server.run(_pickups, outlet, silk.slug, fan.slug, fan.slug)

    staff = visitor("staff")
    page = staff.page
    staff.sign_in(world.staff_email[outlet], seed.PASSWORD)
    staff.open("/outlet/", "counter")
    staff.follow(page.locator("header form[action$='/lang/en'] button").first, "English")
    assert staff.html_lang() == "en"
    _wait_for_worker(page)
    # the worker is written per language: let the English one take over
    page.evaluate("navigator.serviceWorker.getRegistration().then(r => r && r.update())")
    expect(page.locator("#counter-status")).to_contain_text("Data refreshed at", timeout=15_000)
    page.wait_for_timeout(1500)
    staff.shot("en-online")

    staff.context.set_offline(True)
    page.goto(live_server.url + "/outlet/")
    expect(page.locator("[data-offline-page]")).to_contain_text("No network")
    staff.shot("en-offline-list")
    page.goto(live_server.url + f"/outlet/pickups/{ids['b']['id']}")
    expect(page.get_by_role("heading", name="Partial hand-over")).to_be_visible()
    staff.shot("en-offline-partial")
    page.goto(live_server.url + "/outlet/lookup")
    expect(page.get_by_role("heading", name="Hand over by code")).to_be_visible()
    staff.shot("en-offline-lookup")
    staff.context.set_offline(False)
