"""Label facts (Decree 43/2017 on goods labels, as amended by Decree 111/2021): which a product must
show, by group, and how they read on the product page and in the API.

Food, drinks and herbal products carry the most (and, as conditional lines of business, the
food-safety certificate); handicrafts and ornamental plants name origin and maker; a tourism service
has no label. A product missing a required fact cannot be published (``producers/services.py``).
"""
from flask_babel import lazy_gettext as _l

from .models import ProductGroup

# Each fact: its key in the API's ``label`` object, and what a producer is told is missing.
FACTS = {
    "origin": _l("xuất xứ (nơi sản xuất)"),
    "maker": _l("tên và địa chỉ nhà sản xuất"),
    "net_quantity": _l("định lượng (khối lượng, thể tích hoặc số lượng)"),
    "ingredients": _l("thành phần"),
    "shelf_life": _l("hạn sử dụng (hoặc ngày sản xuất và thời hạn dùng)"),
    "storage": _l("hướng dẫn bảo quản và sử dụng"),
    "warnings": _l("cảnh báo"),
    "food_safety": _l("số, ngày cấp và nơi cấp giấy chứng nhận an toàn thực phẩm"),
}

# The product's columns a producer fills in the label section of the product form.
COLUMNS = ("label_origin", "label_maker_name", "label_maker_address", "label_net_quantity",
           "label_ingredients", "label_shelf_life", "label_storage", "label_warnings",
           "food_safety_number", "food_safety_date", "food_safety_issuer")

_FOOD = ("origin", "maker", "net_quantity", "ingredients", "shelf_life", "storage", "food_safety")
REQUIRED = {
    ProductGroup.FOOD: _FOOD,
    ProductGroup.BEVERAGES: _FOOD,
    ProductGroup.HERBAL: _FOOD + ("warnings",),  # "not a medicine", who should not use it
    ProductGroup.HANDICRAFTS: ("origin", "maker"),
    ProductGroup.ORNAMENTAL: ("origin", "maker"),
    ProductGroup.TOURISM: (),
}
FOOD_SAFETY_GROUPS = frozenset({ProductGroup.FOOD, ProductGroup.BEVERAGES, ProductGroup.HERBAL})


def facts(product) -> dict:
    """Return the label facts of ``product`` as the API gives them (None where not given)."""
    maker = None
    if product.label_maker_name or product.label_maker_address:
        maker = {"name": product.label_maker_name, "address": product.label_maker_address}
    food_safety = None
    if product.food_safety_number:
        food_safety = {"number": product.food_safety_number,
                       "date": product.food_safety_date.isoformat() if product.food_safety_date else None,
                       "issuer": product.food_safety_issuer}
    return {"origin": product.label_origin or None, "maker": maker,
            "net_quantity": product.label_net_quantity or None,
            "ingredients": product.label_ingredients or None,
            "shelf_life": product.label_shelf_life or None, "storage": product.label_storage or None,
            "warnings": product.label_warnings or None, "food_safety": food_safety}


def _given(product, key: str) -> bool:
    if key == "maker":
        return bool(product.label_maker_name and product.label_maker_address)
    if key == "food_safety":
        return bool(product.food_safety_number and product.food_safety_date and product.food_safety_issuer)
    return bool(facts(product)[key])


def required(group: str) -> tuple[str, ...]:
    try:
        return REQUIRED[ProductGroup(group)]
    except ValueError:
        return ()


def missing(product) -> list[str]:
    """Return the keys of the facts ``product``'s group requires and it lacks, in label order."""
    return [key for key in required(product.group) if not _given(product, key)]


def missing_text(product) -> str:
    """Return the missing facts in plain words ("xuất xứ, thành phần"), or ""."""
    return ", ".join(str(FACTS[key]) for key in missing(product))
