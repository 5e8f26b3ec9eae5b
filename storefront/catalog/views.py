"""Public catalogue pages."""
import re
from urllib.parse import quote

from flask import Response, render_template, request, url_for

from . import services
from . import producer_identity
from .labels import facts as label_facts
from ..web.shop import bp
from .cards import product_card
from .filters import BadFilter, CatalogFilters, parse_place_type
from .links import absolute_url, media_url, public_page_url
from .models import ISSUING_LEVEL_LABELS, PLACE_TYPE_LABELS, PRODUCER_KIND_LABELS, PlaceType
from .queries import Scope

_PLAIN_SLUG = re.compile(r"[a-z0-9-]+\Z")

HOME_VILLAGES = 12
HOME_OUTLETS = 6


bp.add_app_template_global(absolute_url)
bp.add_app_template_global(media_url)
bp.add_app_template_global(public_page_url)
bp.add_app_template_global(product_card, "cached_product_card")
bp.add_app_template_global(label_facts, "label_facts")


@bp.errorhandler(services.NotInCatalog)
def not_in_catalog(error):
    return render_template("errors/error.html", error=error, code=404), 404


@bp.errorhandler(services.TakenDown)
def taken_down(error):
    return render_template("catalog/taken_down.html", product=error.product), 410


@bp.context_processor
def labels():
    return {"PLACE_TYPE_LABELS": PLACE_TYPE_LABELS, "ISSUING_LEVEL_LABELS": ISSUING_LEVEL_LABELS,
            "PRODUCER_KIND_LABELS": PRODUCER_KIND_LABELS}


def _page_only(args) -> CatalogFilters:
    """Return the page number of a scoped product list (other filters do not apply there)."""
    return CatalogFilters(page=CatalogFilters.lenient(args)[0].page)


@bp.get("/")
def home():
    return render_template("catalog/home.html", featured=services.featured(),
                           villages=services.busiest_villages(HOME_VILLAGES),
                           outlets=services.active_outlets(limit=HOME_OUTLETS))


@bp.get("/products")
def products():
    filters, problems = CatalogFilters.lenient(request.args)
    result = services.browse(filters, facets=True)
    return render_template("catalog/products.html", result=result, filters=filters,
                           problems=problems,
                           page_url=lambda n: url_for(".products", **filters.to_args(page=n)))


@bp.get("/products/<slug>")
def product(slug: str):
    return render_template("catalog/product.html", item=services.product_detail(slug))


@bp.get("/villages")
def villages():
    q = request.args.get("q", "", type=str)[:100]
    directory = services.village_directory(page=_page_only(request.args).page, q=q)
    return render_template("catalog/villages.html", directory=directory,
                           page_url=lambda n: url_for(".villages", q=q or None, page=n))


@bp.get("/villages/<slug>")
def village(slug: str):
    found = services.village(slug)
    filters = _page_only(request.args).replace(villages=(found.slug,))
    return render_template(
        "catalog/village.html", village=found, result=services.browse(filters),
        outlets=services.village_outlets(found.id),
        page_url=lambda n: url_for(".village", slug=slug, page=n))


@bp.get("/producers/<slug>")
def producer(slug: str):
    found = services.producer(slug)
    result = services.browse(_page_only(request.args), scope=Scope(producer_id=found.id))
    return render_template("catalog/producer.html", producer=found, result=result,
                           page_url=lambda n: url_for(".producer", slug=slug, page=n))


@bp.get("/outlets")
def outlets():
    problem = None
    try:
        place_type = parse_place_type(request.args)
    except BadFilter as bad:
        place_type, problem = None, bad
    return render_template("catalog/outlets.html", outlets=services.active_outlets(place_type),
                           place_type=place_type, place_types=list(PlaceType),
                           type_counts=services.outlet_type_counts(), problem=problem)


@bp.get("/outlets/<slug>")
def outlet(slug: str):
    found = services.outlet(slug)
    result = services.browse(_page_only(request.args), scope=Scope(outlet_id=found.id))
    return render_template("catalog/outlet.html", outlet=found, result=result,
                           page_url=lambda n: url_for(".outlet", slug=slug, page=n))


@bp.get("/sitemap.xml")
def sitemap():
    xml = render_template("catalog/sitemap.xml", urls=_sitemap_urls(services.sitemap()))
    return Response(xml, mimetype="application/xml")


def _sitemap_urls(slugs: dict[str, list[str]]) -> list[str]:
    """Return the absolute address of every public page (built by hand: url_for is slow at 30,000)."""
    urls = [absolute_url(endpoint) for endpoint in
            ("shop.home", "shop.products", "shop.villages", "shop.outlets")]
    for kind, endpoint in (("products", "shop.product"), ("villages", "shop.village"),
                           ("producers", "shop.producer"), ("outlets", "shop.outlet")):
        prefix = absolute_url(endpoint, slug="x")[:-1]
        urls.extend(prefix + (slug if _PLAIN_SLUG.match(slug) else quote(slug))
                    for slug in slugs[kind])
    return urls


bp.add_app_template_global(producer_identity.format_tax_code, "format_tax_code")
bp.add_app_template_global(producer_identity.missing_text, "identity_missing")
