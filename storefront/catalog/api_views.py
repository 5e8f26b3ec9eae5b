"""Read-only JSON catalogue for partner sites and maps.

``GET /api/products`` takes the same filters as ``/products``; a value it cannot understand
answers 400 with ``{"error": "..."}``. An unknown village slug matches nothing. A text search
matching more than ``CATALOG_SEARCH_COUNT_LIMIT`` products answers that limit as ``total``,
with ``total_over: true``, and pages only through the first that many. When no product has
every word as typed, misspelt words are corrected: ``approximate`` is true and ``searched_for``
gives the search used.
Names are the Vietnamese originals with the English beside them where the shop has one.
"""
from flask import jsonify, request

from . import labels, services
from .filters import BadFilter, CatalogFilters
from ..web.api import bp
from .links import absolute_url, media_url

# Fields other packages add to one product's JSON, ``(product, found) -> None``: the pickup
# calendar, which builds on the catalogue, adds each outlet's earliest ready day
# (``storefront/wiring.py``), so the catalogue does not import it.
_product_fields = []


def add_product_fields(add) -> None:
    """Call ``add(product, found)`` on the JSON of ``/api/products/<slug>`` before it is sent."""
    if add not in _product_fields:
        _product_fields.append(add)


@bp.errorhandler(BadFilter)
def bad_filter(error: BadFilter):
    return jsonify(error=str(error), parameter=error.name), 400


@bp.errorhandler(services.NotInCatalog)  # for every /api page
def not_in_catalog(error):
    return jsonify(error="not found"), 404


@bp.get("/products")
def products():
    filters = CatalogFilters.from_args(request.args)
    result = services.browse(filters, detail=True)
    return jsonify(items=[product_json(item) for item in result.items], page=result.page,
                   per_page=result.per_page, total=result.total, total_over=result.total_over,
                   pages=result.pages, approximate=result.approximate,
                   searched_for=result.searched_for)


@bp.get("/products/<slug>")
def product(slug: str):
    item = services.product_detail(slug)
    found = product_json(item)
    found["label"] = labels.facts(item.product)
    for add in _product_fields:
        add(item.product, found)
    return jsonify(found)


def product_json(item: services.Listed) -> dict:
    """Return the public JSON form of a listed product (outlets must be loaded, active only)."""
    product = item.product
    producer, village = product.producer, product.producer.village
    return {
        "id": product.id, "slug": product.slug, "name_vi": product.name_vi,
        "name_en": product.name_en, "group": product.group, "stars": item.stars,
        "price": product.price, "currency": "VND", "unit_vi": product.unit_vi,
        "unit_en": product.unit_en,
        "stock_status": "sold_out" if item.sold_out else "in_stock",
        "village": {"slug": village.slug, "name": village.name, "name_en": village.name_en},
        "producer": {"slug": producer.slug, "name": producer.name},
        "photos": [
            {"small": media_url(photo.small_key, external=True),
             "large": media_url(photo.large_key, external=True),
             "alt": photo.alt_vi or product.name_vi}
            for photo in product.photos
        ],
        "outlets": [
            {"slug": outlet.slug, "name": outlet.name, "latitude": outlet.latitude,
             "longitude": outlet.longitude}
            for outlet in product.outlets
        ],
        "url": absolute_url("shop.product", slug=product.slug),
    }
