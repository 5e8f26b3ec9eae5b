"""Keyboard only: add to cart and check out with Tab, typing, Space and Enter; focus always shows."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser import seed
from tests.browser.conftest import VIEWPORTS, Screenshots, Visitor

pytestmark = pytest.mark.browser

MAX_TABS = 80
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const ring = style.boxShadow && style.boxShadow !== "none";
  const labelled = el.labels && el.labels.length ? el.labels[0].textContent : "";
  const name = (el.getAttribute("aria-label") || labelled || el.textContent || el.value || "")
    .replace(/\\s+/g, " ").trim();
  return {name, tag: el.tagName.toLowerCase(), visible: outline || ring,
          box: el.getBoundingClientRect().width > 0};
}"""


class Keyboard:
    def __init__(self, visitor: Visitor):
        self.visitor, self.page = visitor, visitor.page
        self.unseen = []  # focus stops without a visible focus indicator

    def tab_to(self, name: str | re.Pattern, tag: str | None = None) -> None:
        """Press Tab until the focused element's name matches; every stop must show its focus."""
        pattern = name if isinstance(name, re.Pattern) else re.compile(rf"^{re.escape(name)}")
        seen = []
        for _ in range(MAX_TABS):
            self.page.keyboard.press("Tab")
            focused = self.page.evaluate(FOCUSED)
            if not focused:
                continue
            seen.append(focused["name"][:40])
            if focused["box"] and not focused["visible"]:
                self.unseen.append(f"<{focused['tag']}> {focused['name'][:60]}")
            if pattern.search(focused["name"]) and (tag is None or focused["tag"] == tag):
                return
        raise AssertionError(f"Tab never reached {pattern.pattern!r}; focus went through: {seen}")


def test_a_keyboard_user_adds_to_cart_and_checks_out(chromium, live_server, world):
    product = live_server.run(seed.listed_product, "Chè lam Đường Lâm", "Đường Lâm chè lam sweets",
                              world.bat_trang, [world.bat_trang_outlet], stars=3, price=60000,
                              group="food", unit_vi="gói 300 g", unit_en="300 g pack")
    context = chromium.new_context(locale="vi-VN", **VIEWPORTS["desktop"])
    context.set_default_timeout(10_000)
    shopper = Visitor(context, live_server, Screenshots("keyboard"), "shopper")
    keys = Keyboard(shopper)
    try:
        shopper.open(f"/products/{product.slug}", "product page")
        keys.tab_to("Bỏ qua đến nội dung chính")
        shopper.shot("skip-link-focused")
        keys.tab_to("Thêm vào giỏ", tag="button")
        shopper.shot("add-to-cart-focused")
        shopper.page.keyboard.press("Enter")
        expect(shopper.page.locator("#added-sheet")).to_be_visible()  # focus moves into the sheet
        shopper.shot("sheet-open")
        keys.tab_to(re.compile(r"^Thanh toán$"), tag="a")
        shopper.press("Enter", "checkout")

        for label, text in (("Họ và tên", "Lê Văn Phím"), ("Số điện thoại", "0912345678"),
                            ("E-mail", "phim@example.com")):
            keys.tab_to(re.compile(rf"^{re.escape(label)}\s*\*?$"), tag="input")
            shopper.page.keyboard.type(text)
        keys.tab_to(re.compile(r"^Trả khi nhận hàng"), tag="input")
        shopper.page.keyboard.press("Space")
        expect(shopper.page.get_by_label(re.compile("^Trả khi nhận hàng"))).to_be_checked()
        keys.tab_to(re.compile(r"^Tôi đã đọc và đồng ý"), tag="input")  # the terms (issue 22)
        shopper.page.keyboard.press("Space")
        shopper.shot("checkout-filled")
        keys.tab_to(re.compile(r"^Đặt hàng$"), tag="button")
        shopper.press("Enter", "place order")
        expect(shopper.page.locator("[data-code]").first).to_be_visible()
        shopper.shot("order-placed")
    finally:
        context.close()
    assert not keys.unseen, "focus was invisible on: " + "; ".join(keys.unseen)

