"""The cart: adding within bounds, changing, removing, flags that block checkout, merge at sign-in."""
import pytest

from storefront.extensions import db
from storefront.i18n import format_vnd
from storefront.models import CartItem, Product
from tests.support.checkout_support import cart_rows
from tests.support.factories import OutletFactory, ProductFactory, UserFactory


@pytest.fixture
def outlet(db):
    return OutletFactory()


@pytest.fixture
def vase(outlet):
    return ProductFactory(name_vi="Bình gốm", price=150_000, stock=5, outlets=[outlet])


def guest_cart(client) -> dict:
    with client.session_transaction() as sess:
        return {int(pid): entry["q"] for pid, entry in (sess.get("cart") or {}).items()}


def add(client, product, quantity=1, **extra):
    return client.post("/cart/add", data={"product_id": product.id, "quantity": quantity, **extra},
                       follow_redirects=True)


def set_product(product, **values):
    row = db.session.get(Product, product.id)
    for key, value in values.items():
        setattr(row, key, value)
    db.session.commit()


def test_a_guest_adds_a_listed_product_and_sees_it_with_the_unit_count(client, vase):
    page = add(client, vase, 2).get_data(as_text=True)
    assert guest_cart(client) == {vase.id: 2}
    assert "Bình gốm" in page and format_vnd(300_000) in page
    assert 'id="cart-count" aria-hidden="true">2<' in page  # the count in the header


def test_adding_again_sums_the_quantities(client, vase):
    add(client, vase, 1)
    add(client, vase, 2)
    assert guest_cart(client) == {vase.id: 3}


def test_adding_more_than_the_stock_is_clamped_with_a_message(client, vase):
    page = add(client, vase, 8).get_data(as_text=True)
    assert guest_cart(client) == {vase.id: 5}
    assert "Chỉ còn 5 sản phẩm" in page


def test_a_line_holds_at_most_99_units(client, outlet):
    plenty = ProductFactory(stock=500, outlets=[outlet])
    page = add(client, plenty, 150).get_data(as_text=True)
    assert guest_cart(client) == {plenty.id: 99}
    assert "tối đa 99" in page


@pytest.mark.parametrize("quantity", ["0", "-2", "abc", "", "1.5"])
def test_a_quantity_that_is_not_a_whole_number_from_1_adds_nothing(client, vase, quantity):
    page = add(client, vase, quantity).get_data(as_text=True)
    assert guest_cart(client) == {}
    assert "Số lượng phải là một số nguyên từ 1 trở lên." in page


def test_an_unlisted_product_is_refused(client, outlet):
    draft = ProductFactory(status="draft", outlets=[outlet])
    uncertified = ProductFactory(certified=False, outlets=[outlet])
    for product in (draft, uncertified):
        page = add(client, product).get_data(as_text=True)
        assert "Sản phẩm này hiện không được bán." in page
    assert guest_cart(client) == {}


def test_an_unknown_product_id_is_refused(client, vase):
    response = client.post("/cart/add", data={"product_id": "999999", "quantity": 1},
                           follow_redirects=True)
    assert "Sản phẩm này hiện không được bán." in response.get_data(as_text=True)
    assert guest_cart(client) == {}


def test_a_sold_out_product_is_refused(client, outlet):
    sold_out = ProductFactory(name_vi="Mứt dừa", stock=0, outlets=[outlet])
    page = add(client, sold_out).get_data(as_text=True)
    assert "đã hết hàng" in page
    assert guest_cart(client) == {}


def test_updating_a_quantity_changes_it_and_clamps_to_stock(client, vase):
    add(client, vase, 1)
    client.post("/cart/update", data={"product_id": vase.id, "quantity": 3})
    assert guest_cart(client) == {vase.id: 3}
    page = client.post("/cart/update", data={"product_id": vase.id, "quantity": 9},
                       follow_redirects=True).get_data(as_text=True)
    assert guest_cart(client) == {vase.id: 5}
    assert "Chỉ còn 5 sản phẩm" in page


def test_an_invalid_update_shows_the_error_with_the_value_typed_and_changes_nothing(client, vase):
    add(client, vase, 2)
    page = client.post("/cart/update", data={"product_id": vase.id, "quantity": "0"}).get_data(as_text=True)
    assert "Số lượng phải là một số nguyên từ 1 trở lên." in page
    assert 'value="0"' in page and "is-invalid" in page
    assert guest_cart(client) == {vase.id: 2}


def test_removing_a_line_empties_it_from_the_cart(client, vase, outlet):
    cup = ProductFactory(outlets=[outlet])
    add(client, vase, 1)
    add(client, cup, 1)
    client.post("/cart/remove", data={"product_id": vase.id})
    assert guest_cart(client) == {cup.id: 1}


def test_a_price_change_is_flagged_and_blocks_checkout_until_accepted(client, vase):
    add(client, vase, 1)
    set_product(vase, price=180_000)
    page = client.get("/cart").get_data(as_text=True)
    assert f"Giá đã thay đổi từ {format_vnd(150_000)} thành {format_vnd(180_000)}." in page
    assert "Đồng ý giá mới" in page
    assert client.get("/checkout").headers["Location"].endswith("/cart")

    client.post("/cart/accept-price", data={"product_id": vase.id})
    page = client.get("/cart").get_data(as_text=True)
    assert "Giá đã thay đổi" not in page
    assert "Họ và tên" in client.get("/checkout").get_data(as_text=True)


def test_a_product_no_longer_listed_is_flagged_and_blocks_checkout(client, vase):
    add(client, vase, 1)
    set_product(vase, status="archived")
    page = client.get("/cart").get_data(as_text=True)
    assert "Sản phẩm này không còn được bán." in page
    assert client.get("/checkout").headers["Location"].endswith("/cart")


def test_stock_below_the_quantity_is_flagged_and_can_be_reduced(client, vase):
    add(client, vase, 4)
    set_product(vase, stock=2)
    page = client.get("/cart").get_data(as_text=True)
    assert "Chỉ còn 2 sản phẩm, ít hơn số lượng bạn chọn." in page
    assert client.get("/checkout").headers["Location"].endswith("/cart")
    client.post("/cart/update", data={"product_id": vase.id, "quantity": 2})
    assert guest_cart(client) == {vase.id: 2}
    assert "Họ và tên" in client.get("/checkout").get_data(as_text=True)


def test_a_product_carried_by_no_active_outlet_is_flagged(client, vase, outlet):
    add(client, vase, 1)
    outlet.active = False
    db.session.commit()
    page = client.get("/cart").get_data(as_text=True)
    assert "Hiện không có điểm bán nào nhận sản phẩm này." in page


def test_a_signed_in_shoppers_cart_lives_in_the_database(client, login, vase):
    user = UserFactory()
    login(user)
    page = add(client, vase, 2).get_data(as_text=True)
    assert cart_rows(user) == {vase.id: 2}
    assert guest_cart(client) == {}
    assert 'id="cart-count" aria-hidden="true">2<' in page


def test_signing_in_merges_the_guest_cart_summing_and_capping_by_stock(client, login, vase, outlet):
    cup = ProductFactory(stock=10, outlets=[outlet])
    user = UserFactory()
    db.session.add(CartItem(user_id=user.id, product_id=vase.id, quantity=3, price_seen=vase.price))
    db.session.commit()
    add(client, vase, 4)
    add(client, cup, 2)

    login(user)

    assert cart_rows(user) == {vase.id: 5, cup.id: 2}  # 3 + 4 capped at the 5 in stock
    assert guest_cart(client) == {}
    with client.session_transaction() as sess:
        assert "cart" not in sess


def test_a_guest_cart_entry_with_nothing_left_in_stock_is_not_merged(client, login, vase):
    user = UserFactory()
    add(client, vase, 2)
    set_product(vase, stock=0)
    login(user)
    assert cart_rows(user) == {}
